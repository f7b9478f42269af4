package dev.neurona.layers.init;

import java.util.Map;

/**
 * Base of the initializers that take no arguments: an empty config, equality by class, and the
 * Keras name as {@code toString()}.
 */
abstract class NoArgInitializer implements Initializer {
  @Override
  public final Map<String, Object> config() {
    return Map.of();
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return kerasName().hashCode();
  }

  @Override
  public final String toString() {
    return kerasName();
  }
}
