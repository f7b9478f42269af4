package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.Map;

/** Test-only layer with a frozen (non-trainable) weight: {@code y = x · s}, s (features) filled with {@code 1}. */
public final class TestScale extends Layer {
  private Parameter scale;
  private Tensor y;
  private Tensor dx;

  public static TestScale fromConfig(Map<String, Object> config) {
    return new TestScale();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.rank() != 1) {
      throw new IllegalArgumentException(describe() + ": expects (features,) input, got " + inputShape);
    }
    return inputShape;
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    scale = addWeight("scale", Tensor.full(inputShape, 1f)).trainable(false);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    if (y == null || y.dim(0) != x.dim(0)) {
      y = Tensor.zeros(x.shape());
      dx = Tensor.zeros(x.shape());
    }
    int f = inputShape().dim(0);
    for (int i = 0; i < x.size(); i++) {
      y.data()[i] = x.data()[i] * scale.value().data()[i % f];
    }
    return y;
  }

  // dx = dy · s (s is frozen: its gradient is still accumulated, the optimizer skips it)
  @Override
  public Tensor backward(Tensor dOut) {
    int f = inputShape().dim(0);
    for (int i = 0; i < dOut.size(); i++) {
      dx.data()[i] = dOut.data()[i] * scale.value().data()[i % f];
    }
    return dx;
  }
}
