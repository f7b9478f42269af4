package dev.neurona.layers;

import java.util.Map;

/** The activation layer {@code y = max(x, 0)}; see {@link Activation#RELU} for its backward formula. */
public final class ReLU extends ActivationLayer {
  /** A ReLU layer (no hyper-parameters). */
  public ReLU() {
    super(Activation.RELU);
  }

  /** Re-creates a ReLU layer (its config is empty). */
  public static ReLU fromConfig(Map<String, Object> config) {
    return new ReLU();
  }
}
