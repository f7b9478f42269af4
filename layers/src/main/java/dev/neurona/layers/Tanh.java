package dev.neurona.layers;

import java.util.Map;

/** The activation layer {@code y = tanh x}; see {@link Activation#TANH} for its backward formula. */
public final class Tanh extends ActivationLayer {
  /** A Tanh layer (no hyper-parameters). */
  public Tanh() {
    super(Activation.TANH);
  }

  /** Re-creates a Tanh layer (its config is empty). */
  public static Tanh fromConfig(Map<String, Object> config) {
    return new Tanh();
  }
}
