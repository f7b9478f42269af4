package dev.neurona.core.data;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;

/**
 * Samples and targets that a training loop can draw batches from, in any order, without
 * materialising the whole set as floats (an MNIST training set stays 47 MB of bytes).
 *
 * <p>Targets are per-sample tensors: shape {@code ()} (rank 0) for a sparse class index stored as a
 * float, or e.g. {@code (classes)} for one-hot targets.
 */
public interface DataSource {
  /** Number of samples. */
  int size();

  /** Per-sample input shape, e.g. {@code (28, 28, 1)}. */
  Shape sampleShape();

  /** Per-sample target shape: {@code ()} for sparse labels. */
  Shape targetShape();

  /**
   * Copies the samples {@code indices[from..to)} into {@code x} (shape {@code (to-from, sampleShape)})
   * and their targets into {@code y} (shape {@code (to-from, targetShape)}).
   */
  void fill(int[] indices, int from, int to, Tensor x, Tensor y);

  /** An in-memory source over tensors whose first dimension is the sample index. */
  static DataSource of(Tensor x, Tensor y) {
    return new TensorDataSource(x, y);
  }
}
