package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.Map;

/** Test-only flatten: (B, ...) -> (B, size) as a view. */
public final class TestFlatten extends Layer {
  private Shape batchInput;

  public static TestFlatten fromConfig(Map<String, Object> config) {
    return new TestFlatten();
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size());
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    batchInput = x.shape();
    return x.reshape(x.dim(0), outputShape().dim(0));
  }

  @Override
  public Tensor backward(Tensor dOut) {
    return needsInputGradient ? dOut.reshape(batchInput) : null;
  }
}
