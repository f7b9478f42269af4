package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;

/** Test-only identity layer without {@code fromConfig}: a model holding it cannot be saved. */
public final class TestNoFromConfig extends Layer {
  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    return x;
  }

  @Override
  public Tensor backward(Tensor dOut) {
    return dOut;
  }
}
