package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Fills a new weight tensor. Fans are computed from the shape as Keras does ({@link Fans}).
 * Implementations are immutable; {@link Initializers} creates them by Keras name and from a saved config.
 */
public interface Initializer {
  /** Overwrites every element of {@code t} with values drawn from {@code rng}. */
  void fill(Tensor t, Random rng);

  /** The Keras name, e.g. {@code glorot_uniform}. */
  String kerasName();

  /** The arguments, JSON-friendly, in constructor order; empty when there are none. */
  Map<String, Object> config();
}
