package dev.neurona.layers.init;

import dev.neurona.core.Shape;

/**
 * Fan-in and fan-out of a weight shape, computed Keras' way: the last dimension is the fan-out,
 * the second last the fan-in, and the dimensions before them (a convolution's window) form the
 * receptive field, which multiplies both. A Dense kernel {@code (in, out)} has fans
 * {@code (in, out)}; a Conv2D kernel {@code (kH, kW, inC, F)} has {@code (kH·kW·inC, kH·kW·F)}.
 * Rank 1: both are the size; rank 0: both are 1.
 */
public record Fans(double fanIn, double fanOut) {
  /** The fans of {@code shape}. */
  public static Fans of(Shape shape) {
    int r = shape.rank();
    if (r == 0) {
      return new Fans(1, 1);
    }
    if (r == 1) {
      return new Fans(shape.dim(0), shape.dim(0));
    }
    double receptive = 1;
    for (int i = 0; i < r - 2; i++) {
      receptive *= shape.dim(i);
    }
    return new Fans(shape.dim(-2) * receptive, shape.dim(-1) * receptive);
  }
}
