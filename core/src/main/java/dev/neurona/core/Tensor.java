package dev.neurona.core;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense float32 tensor: one contiguous {@code float[]} in row-major order plus a {@link Shape}.
 *
 * <p><b>Layout.</b> Image batches are <b>NHWC</b> — (batch, height, width, channels) — everywhere,
 * as in Keras/TensorFlow. With channels innermost, one row of the im2col matrix (a kh×kw patch)
 * is kh runs of kw·C contiguous floats, and the convolution GEMM {@code cols (N·OH·OW × kh·kw·C)
 * × kernel (kh·kw·C × F)} writes its result straight into an NHWC output: no transpose on either
 * side, the bias is a row broadcast, and the kernel layout (kh, kw, C, F) is Keras' own.
 *
 * <p>{@link #reshape} returns a view sharing the same array. Tensors are not thread-safe.
 */
public final class Tensor {
  private final float[] data;
  private final Shape shape;

  private Tensor(float[] data, Shape shape) {
    this.data = data;
    this.shape = shape;
  }

  /** A zero-filled tensor. */
  public static Tensor zeros(int... dims) {
    return zeros(Shape.of(dims));
  }

  /** A zero-filled tensor. */
  public static Tensor zeros(Shape shape) {
    if (shape == null) {
      throw new IllegalArgumentException("Tensor.zeros: shape is null");
    }
    return new Tensor(new float[shape.size()], shape);
  }

  /** Wraps {@code data} (not copied) with the given shape; its length must equal the shape's size. */
  public static Tensor of(float[] data, int... dims) {
    return of(data, Shape.of(dims));
  }

  /** Wraps {@code data} (not copied) with the given shape; its length must equal the shape's size. */
  public static Tensor of(float[] data, Shape shape) {
    if (data == null) {
      throw new IllegalArgumentException("Tensor.of: data is null");
    }
    if (shape == null) {
      throw new IllegalArgumentException("Tensor.of: shape is null");
    }
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "Tensor.of: data has " + data.length + " elements but shape " + shape + " needs " + shape.size());
    }
    return new Tensor(data, shape);
  }

  /** A tensor of the given shape filled with {@code value}. */
  public static Tensor full(Shape shape, float value) {
    Tensor t = zeros(shape);
    t.fill(value);
    return t;
  }

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  /** Size of dimension {@code i} (negative counts from the end). */
  public int dim(int i) {
    return shape.dim(i);
  }

  public int size() {
    return data.length;
  }

  /** The backing array (row-major). Writes through it change this tensor and all its views. */
  public float[] data() {
    return data;
  }

  /**
   * A view with another shape of the same size, sharing this tensor's data. One dimension may be
   * {@code -1}: it is inferred.
   */
  public Tensor reshape(int... dims) {
    int[] d = dims.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < d.length; i++) {
      if (d[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("Tensor.reshape" + Arrays.toString(dims) + ": more than one -1");
        }
        infer = i;
      } else {
        known *= d[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || data.length % known != 0) {
        throw new IllegalArgumentException(
            "Tensor.reshape" + Arrays.toString(dims) + ": cannot infer -1 for " + data.length + " elements of " + shape);
      }
      d[infer] = (int) (data.length / known);
    }
    return reshape(Shape.of(d));
  }

  /** A view with another shape of the same size, sharing this tensor's data. */
  public Tensor reshape(Shape newShape) {
    if (newShape == null) {
      throw new IllegalArgumentException("Tensor.reshape: shape is null");
    }
    if (newShape.size() != data.length) {
      throw new IllegalArgumentException(
          "Tensor.reshape: cannot view " + shape + " (" + data.length + " elements) as " + newShape
              + " (" + newShape.size() + " elements)");
    }
    return new Tensor(data, newShape);
  }

  /** Flat row-major offset of an element, with every index checked against its dimension. */
  public int offset(int... index) {
    if (index.length != shape.rank()) {
      throw new IllegalArgumentException(
          "Tensor" + shape + ": index " + Arrays.toString(index) + " has " + index.length + " coordinates, expected " + shape.rank());
    }
    int off = 0;
    for (int i = 0; i < index.length; i++) {
      int n = shape.dim(i);
      if (index[i] < 0 || index[i] >= n) {
        throw new IndexOutOfBoundsException(
            "Tensor" + shape + ": index " + Arrays.toString(index) + " is out of bounds in dimension " + i + " (size " + n + ")");
      }
      off = off * n + index[i];
    }
    return off;
  }

  public float get(int... index) {
    return data[offset(index)];
  }

  public void set(float value, int... index) {
    data[offset(index)] = value;
  }

  public Tensor fill(float value) {
    Arrays.fill(data, value);
    return this;
  }

  /** Copies {@code src} into this tensor; shapes must be equal. */
  public Tensor copyFrom(Tensor src) {
    requireShape("copyFrom source", src, shape);
    System.arraycopy(src.data, 0, data, 0, data.length);
    return this;
  }

  /** A deep copy. */
  public Tensor copy() {
    return new Tensor(data.clone(), shape);
  }

  /** Fills with uniform values in {@code [lo, hi)} drawn from {@code rng}. */
  public Tensor fillUniform(float lo, float hi, Random rng) {
    float w = hi - lo;
    for (int i = 0; i < data.length; i++) {
      data[i] = lo + w * rng.nextFloat();
    }
    return this;
  }

  /** Fills with normal values (mean, stddev) drawn from {@code rng}. */
  public Tensor fillNormal(float mean, float stddev, Random rng) {
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (mean + stddev * rng.nextGaussian());
    }
    return this;
  }

  /** A tensor of uniform values in {@code [lo, hi)} from a seeded generator. */
  public static Tensor uniform(Shape shape, float lo, float hi, long seed) {
    return zeros(shape).fillUniform(lo, hi, new Random(seed));
  }

  /**
   * Throws if {@code t}'s shape differs from {@code expected}, naming {@code what} and both shapes.
   */
  public static void requireShape(String what, Tensor t, Shape expected) {
    if (t == null) {
      throw new IllegalArgumentException(what + " is null (expected shape " + expected + ")");
    }
    if (!t.shape.equals(expected)) {
      throw new IllegalArgumentException(what + " has shape " + t.shape + ", expected " + expected);
    }
  }

  /** Shape and up to the first 8 values: {@code Tensor(2, 3) [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
    int n = Math.min(8, data.length);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(data[i]);
    }
    if (data.length > n) {
      sb.append(", … (").append(data.length - n).append(" more)");
    }
    return sb.append(']').toString();
  }
}
