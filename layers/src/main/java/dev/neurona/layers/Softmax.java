package dev.neurona.layers;

import java.util.Map;

/** The activation layer {@code y = e^{x_i} / Σ_j e^{x_j} over the last dimension}; see {@link Activation#SOFTMAX} for its backward formula. */
public final class Softmax extends ActivationLayer {
  /** A Softmax layer (no hyper-parameters). */
  public Softmax() {
    super(Activation.SOFTMAX);
  }

  /** Re-creates a Softmax layer (its config is empty). */
  public static Softmax fromConfig(Map<String, Object> config) {
    return new Softmax();
  }
}
