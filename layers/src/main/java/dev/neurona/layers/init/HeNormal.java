package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Random;

/**
 * He normal, as Keras defines it: a normal truncated at two standard deviations, with stddev
 * {@code √(2 / fanIn) / 0.87962566103423978}. The divisor is the standard deviation of a unit
 * normal truncated to {@code [-2, 2]}, so the values drawn have variance exactly {@code 2/fanIn}.
 */
public final class HeNormal extends NoArgInitializer {
  /** Standard deviation of a unit normal truncated to [-2, 2]. */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  @Override
  public void fill(Tensor t, Random rng) {
    double stddev = Math.sqrt(2.0 / Math.max(1.0, Fans.of(t.shape()).fanIn())) / TRUNCATED_STDDEV;
    TruncatedNormal.fillTruncated(t, 0.0, stddev, rng);
  }

  @Override
  public String kerasName() {
    return "he_normal";
  }
}
