package dev.neurona.keras;

import java.io.IOException;

/**
 * A well-formed Keras file that uses something Neurona does not implement: a layer class, a layer
 * option (e.g. {@code dilation_rate} of a {@code Conv2D}), a model topology. The message names the
 * file, the layer, the option and the value; the getters give the layer class and the option.
 */
public final class UnsupportedKerasModelException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The Keras class of the layer or model, e.g. {@code Conv2D}; never null. */
  private final String kerasClass;
  /** The option that is not supported, e.g. {@code dilation_rate}; null when the class itself is not. */
  private final String option;

  UnsupportedKerasModelException(String message, String kerasClass, String option) {
    super(message);
    this.kerasClass = kerasClass;
    this.option = option;
  }

  /**
   * The Keras class that is not supported, or whose option is not.
   *
   * @return e.g. {@code Conv2D}, {@code LSTM}, {@code Functional}
   */
  public String kerasClass() {
    return kerasClass;
  }

  /**
   * The config key that is not supported.
   *
   * @return e.g. {@code dilation_rate}; null when the class itself is not supported
   */
  public String option() {
    return option;
  }
}
