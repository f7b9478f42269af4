package dev.neurona.layers.training;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;

/**
 * The batch tensors of one pass over a data source, allocated once per batch size and reused: a
 * full-size batch and, if the data does not divide evenly, one smaller last batch.
 */
final class Batches {
  /** The tensors of one batch: inputs, targets and the dLoss/dOutput buffer. */
  static final class Batch {
    final Tensor x;
    final Tensor y;
    private Tensor grad;

    Batch(Tensor x, Tensor y) {
      this.x = x;
      this.y = y;
    }

    /** Uses {@code grad} as this batch's dLoss/dOutput buffer. */
    Batch(Tensor x, Tensor y, Tensor grad) {
      this(x, y);
      this.grad = grad;
    }

    /** The dLoss/dOutput buffer {@code (batch, ...output shape)}, created on first use. */
    Tensor grad(Shape out) {
      if (grad == null) {
        grad = Tensor.zeros(out.prepend(x.dim(0)));
      }
      return grad;
    }
  }

  private final DataSource data;
  final int batchSize;
  private Batch full;
  private Batch tail;

  Batches(DataSource data, int batchSize) {
    this.data = data;
    this.batchSize = batchSize;
  }

  /** The samples {@code idx[from..to)}, copied into the batch tensors for that size. */
  Batch fill(int[] idx, int from, int to) {
    Batch b = get(to - from);
    data.fill(idx, from, to, b.x, b.y);
    return b;
  }

  private Batch get(int n) {
    if (n == batchSize) {
      return full = full != null ? full : alloc(n);
    }
    if (tail == null || tail.x.dim(0) != n) {
      tail = alloc(n);
    }
    return tail;
  }

  private Batch alloc(int n) {
    return new Batch(Tensor.zeros(data.sampleShape().prepend(n)), Tensor.zeros(data.targetShape().prepend(n)));
  }
}
