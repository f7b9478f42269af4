package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Every element set to {@code value}. */
public final class Constant implements Initializer {
  private final double value;

  /** A constant initializer; {@code value} must be finite. */
  public Constant(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Constant: value must be finite, got " + value);
    }
    this.value = value;
  }

  /** The fill value. */
  public double value() {
    return value;
  }

  @Override
  public void fill(Tensor t, Random rng) {
    t.fill((float) value);
  }

  @Override
  public String kerasName() {
    return "constant";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("value", value);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Constant && ((Constant) o).value == value;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(value);
  }

  @Override
  public String toString() {
    return "constant(value=" + value + ")";
  }
}
