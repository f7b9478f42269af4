package dev.neurona.spark;

import dev.neurona.core.Tensor;
import java.io.Serializable;

/**
 * The samples of one partition, flat in two arrays: what each partition of a {@link SampleSet}
 * holds (one block per partition, cached on its executor), and what a worker fills its batches
 * from.
 */
final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  final int size;
  final int featureSize;
  final int targetSize;
  final float[] x;
  final float[] y;

  Block(int size, int featureSize, int targetSize, float[] x, float[] y) {
    if (x.length != (long) size * featureSize || y.length != (long) size * targetSize) {
      throw new IllegalArgumentException("Block: " + size + " samples need " + (long) size * featureSize
          + " feature and " + (long) size * targetSize + " target values, got " + x.length + " and " + y.length);
    }
    this.size = size;
    this.featureSize = featureSize;
    this.targetSize = targetSize;
    this.x = x;
    this.y = y;
  }

  /** Copies samples {@code order[from..to)} into {@code xb} and {@code yb}, whose first dimension is {@code to - from}. */
  void fill(int[] order, int from, int to, Tensor xb, Tensor yb) {
    float[] xd = xb.data();
    float[] yd = yb.data();
    for (int i = from; i < to; i++) {
      int s = order[i];
      System.arraycopy(x, s * featureSize, xd, (i - from) * featureSize, featureSize);
      System.arraycopy(y, s * targetSize, yd, (i - from) * targetSize, targetSize);
    }
  }
}
