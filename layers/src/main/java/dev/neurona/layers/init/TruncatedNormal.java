package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A normal {@code N(mean, stddev²)} truncated at two standard deviations: values further than
 * {@code 2·stddev} from the mean are redrawn (as Keras and TensorFlow do). Keras defaults:
 * mean 0, stddev 0.05.
 */
public final class TruncatedNormal implements Initializer {
  private final double mean;
  private final double stddev;

  /** Keras' defaults: mean 0, stddev 0.05. */
  public TruncatedNormal() {
    this(0.0, 0.05);
  }

  /** {@code stddev} must be positive, {@code mean} finite. */
  public TruncatedNormal(double mean, double stddev) {
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("TruncatedNormal: mean must be finite, got " + mean);
    }
    if (!(stddev > 0) || !Double.isFinite(stddev)) {
      throw new IllegalArgumentException("TruncatedNormal: stddev must be > 0, got " + stddev);
    }
    this.mean = mean;
    this.stddev = stddev;
  }

  /** The mean of the distribution. */
  public double mean() {
    return mean;
  }

  /** The standard deviation before truncation. */
  public double stddev() {
    return stddev;
  }

  @Override
  public void fill(Tensor t, Random rng) {
    fillTruncated(t, mean, stddev, rng);
  }

  /** Fills {@code t} with {@code mean + stddev·z}, {@code z} a unit normal redrawn until {@code |z| <= 2}. */
  static void fillTruncated(Tensor t, double mean, double stddev, Random rng) {
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      double z;
      do {
        z = rng.nextGaussian();
      } while (Math.abs(z) > 2.0);
      d[i] = (float) (mean + stddev * z);
    }
  }

  @Override
  public String kerasName() {
    return "truncated_normal";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mean", mean);
    c.put("stddev", stddev);
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TruncatedNormal && ((TruncatedNormal) o).mean == mean && ((TruncatedNormal) o).stddev == stddev;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(mean) * 31 + Double.hashCode(stddev);
  }

  @Override
  public String toString() {
    return "truncated_normal(mean=" + mean + ", stddev=" + stddev + ")";
  }
}
