package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;

/**
 * Thrown by {@link Sequential#predict(dev.neurona.core.Tensor) predict}, {@code predictClasses} and
 * {@link Sequential#evaluate(dev.neurona.core.Tensor, dev.neurona.core.Tensor) evaluate} when an
 * output of the model is NaN or infinite, instead of returning it (or an average of it). The
 * message names the first layer whose output was not finite, the sample and the value, and the
 * layer's first non-finite weight if it has one; or says that the input itself was not finite.
 *
 * <p>What is checked is what the model returns: a non-finite value that a later layer removes
 * (max pooling passes over a NaN that is not first in its window) is not reported. The check costs
 * one sweep over the outputs; the layer-by-layer search runs only when it fails.
 */
public final class NonFiniteOutputException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final String layer;
  private final int sample;
  private final float value;

  NonFiniteOutputException(String message, String layer, int sample, float value) {
    super(message);
    this.layer = layer;
    this.sample = sample;
    this.value = value;
  }

  /**
   * The name of the first layer whose output was not finite.
   *
   * @return the layer's name, or null when the input itself was not finite
   */
  public String layer() {
    return layer;
  }

  /**
   * The sample (index into the call's input) where that layer's output, or the input, first was not finite.
   *
   * @return the sample's index, from 0
   */
  public int sample() {
    return sample;
  }

  /**
   * The non-finite value found there.
   *
   * @return NaN or an infinity
   */
  public float value() {
    return value;
  }
}
