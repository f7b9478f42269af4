package dev.neurona.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample as an element of a Spark RDD: its input values, flat in row-major (NHWC)
 * order, and its target values (one class index stored as a float for a sparse label, or e.g. a
 * one-hot vector). {@link SampleSet#of} gives the RDD its shapes.
 *
 * @param features the input values, {@code sampleShape.size()} of them
 * @param target the target values, {@code targetShape.size()} of them (one for a sparse label)
 */
public record Sample(float[] features, float[] target) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks that both arrays are present. */
  public Sample {
    if (features == null || target == null) {
      throw new IllegalArgumentException("Sample: features and target must not be null (features="
          + (features == null ? "null" : features.length + " values") + ", target="
          + (target == null ? "null" : target.length + " values") + ")");
    }
  }

  /** A sample with a sparse class label. */
  public static Sample of(float[] features, int label) {
    return new Sample(features, new float[] {label});
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(target, s.target);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + Arrays.hashCode(target);
  }

  @Override
  public String toString() {
    return "Sample(" + features.length + " features, target " + Arrays.toString(target) + ")";
  }
}
