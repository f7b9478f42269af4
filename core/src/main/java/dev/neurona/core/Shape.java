package dev.neurona.core;

import java.util.Arrays;

/**
 * An immutable tensor shape: the size of each dimension, outermost first (row-major).
 *
 * <p>Images are NHWC everywhere in Neurona (see {@link Tensor}).
 */
public final class Shape {
  private final int[] dims;
  private final int size;

  private Shape(int[] dims) {
    this.dims = dims;
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(
            "Shape: dimension " + i + " is negative (" + dims[i] + ") in " + Arrays.toString(dims));
      }
      n *= dims[i];
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "Shape: " + Arrays.toString(dims) + " has more than 2^31 elements; a Tensor is one float[]");
      }
    }
    this.size = (int) n;
  }

  /** A shape with the given dimensions (copied); each must be {@code >= 0}. */
  public static Shape of(int... dims) {
    if (dims == null) {
      throw new IllegalArgumentException("Shape.of: dims is null");
    }
    return new Shape(dims.clone());
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** Size of dimension {@code i}; negative {@code i} counts from the end (-1 is the last). */
  public int dim(int i) {
    int j = i < 0 ? dims.length + i : i;
    if (j < 0 || j >= dims.length) {
      throw new IndexOutOfBoundsException("Shape " + this + ": no dimension " + i + " (rank " + dims.length + ")");
    }
    return dims[j];
  }

  /** Total number of elements (the product of the dimensions; 1 for rank 0). */
  public int size() {
    return size;
  }

  /** A copy of the dimensions. */
  public int[] toArray() {
    return dims.clone();
  }

  /** This shape with {@code n} prepended, e.g. a per-sample shape made into a batch shape. */
  public Shape prepend(int n) {
    int[] d = new int[dims.length + 1];
    d[0] = n;
    System.arraycopy(dims, 0, d, 1, dims.length);
    return new Shape(d);
  }

  /** This shape without its first dimension, e.g. a batch shape made into a per-sample shape. */
  public Shape dropFirst() {
    if (dims.length == 0) {
      throw new IllegalStateException("Shape (): has no first dimension to drop");
    }
    return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /** Row-major strides, in elements. */
  public int[] strides() {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Python-style: {@code (128, 28, 28, 1)}; {@code (10,)} for rank 1. */
  @Override
  public String toString() {
    if (dims.length == 1) {
      return "(" + dims[0] + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(dims[i]);
    }
    return sb.append(')').toString();
  }
}
