package dev.neurona.layers;

import java.util.Map;

/** The activation layer {@code y = 1 / (1 + e^-x)}; see {@link Activation#SIGMOID} for its backward formula. */
public final class Sigmoid extends ActivationLayer {
  /** A Sigmoid layer (no hyper-parameters). */
  public Sigmoid() {
    super(Activation.SIGMOID);
  }

  /** Re-creates a Sigmoid layer (its config is empty). */
  public static Sigmoid fromConfig(Map<String, Object> config) {
    return new Sigmoid();
  }
}
