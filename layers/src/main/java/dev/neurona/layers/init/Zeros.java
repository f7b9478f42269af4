package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Random;

/** All zeros: Keras' default for biases. */
public final class Zeros extends NoArgInitializer {
  @Override
  public void fill(Tensor t, Random rng) {
    t.fill(0f);
  }

  @Override
  public String kerasName() {
    return "zeros";
  }
}
