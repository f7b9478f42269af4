package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Map;
import java.util.Random;

/** All zeros: Keras' default for biases. */
public final class Zeros implements Initializer {
  @Override
  public void fill(Tensor t, Random rng) {
    t.fill(0f);
  }

  @Override
  public String kerasName() {
    return "zeros";
  }

  @Override
  public Map<String, Object> config() {
    return Map.of();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Zeros;
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
