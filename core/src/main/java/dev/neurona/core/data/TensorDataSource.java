package dev.neurona.core.data;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;

/** {@link DataSource} over two in-memory tensors {@code x (n, ...)} and {@code y (n, ...)}. */
final class TensorDataSource implements DataSource {
  private final Tensor x;
  private final Tensor y;
  private final Shape sampleShape;
  private final Shape targetShape;

  TensorDataSource(Tensor x, Tensor y) {
    if (x == null || y == null) {
      throw new IllegalArgumentException("DataSource.of: x and y must not be null (x=" + x + ", y=" + y + ")");
    }
    if (x.rank() < 1 || y.rank() < 1) {
      throw new IllegalArgumentException("DataSource.of: x " + x.shape() + " and y " + y.shape()
          + " need a first (sample) dimension");
    }
    if (x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException("DataSource.of: x has " + x.dim(0) + " samples " + x.shape()
          + " but y has " + y.dim(0) + " " + y.shape());
    }
    this.x = x;
    this.y = y;
    this.sampleShape = x.shape().dropFirst();
    this.targetShape = y.shape().dropFirst();
  }

  @Override
  public int size() {
    return x.dim(0);
  }

  @Override
  public Shape sampleShape() {
    return sampleShape;
  }

  @Override
  public Shape targetShape() {
    return targetShape;
  }

  @Override
  public void fill(int[] indices, int from, int to, Tensor xb, Tensor yb) {
    int n = to - from;
    Tensor.requireShape("batch x", xb, sampleShape.prepend(n));
    Tensor.requireShape("batch y", yb, targetShape.prepend(n));
    int xs = sampleShape.size();
    int ys = targetShape.size();
    int count = size();
    for (int i = 0; i < n; i++) {
      int s = indices[from + i];
      if (s < 0 || s >= count) {
        throw new IndexOutOfBoundsException("DataSource: sample index " + s + " at position " + (from + i)
            + " is outside [0, " + count + ")");
      }
      System.arraycopy(x.data(), s * xs, xb.data(), i * xs, xs);
      System.arraycopy(y.data(), s * ys, yb.data(), i * ys, ys);
    }
  }
}
