package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * He uniform: {@code U(-limit, limit)} with {@code limit = √(6 / fanIn)} (variance {@code 2/fanIn},
 * which keeps the scale of ReLU activations from layer to layer).
 */
public final class HeUniform implements Initializer {
  @Override
  public void fill(Tensor t, Random rng) {
    float limit = (float) Math.sqrt(6.0 / Math.max(1.0, Fans.of(t.shape()).fanIn()));
    t.fillUniform(-limit, limit, rng);
  }

  @Override
  public String kerasName() {
    return "he_uniform";
  }

  @Override
  public Map<String, Object> config() {
    return Map.of();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeUniform;
  }

  @Override
  public int hashCode() {
    return kerasName().hashCode();
  }

  @Override
  public String toString() {
    return kerasName();
  }
}
