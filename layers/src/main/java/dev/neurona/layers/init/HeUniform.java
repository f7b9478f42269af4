package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Random;

/**
 * He uniform: {@code U(-limit, limit)} with {@code limit = √(6 / fanIn)} (variance {@code 2/fanIn},
 * which keeps the scale of ReLU activations from layer to layer).
 */
public final class HeUniform extends NoArgInitializer {
  @Override
  public void fill(Tensor t, Random rng) {
    float limit = (float) Math.sqrt(6.0 / Math.max(1.0, Fans.of(t.shape()).fanIn()));
    t.fillUniform(-limit, limit, rng);
  }

  @Override
  public String kerasName() {
    return "he_uniform";
  }
}
