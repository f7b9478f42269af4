package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.Map;

/**
 * Flattens each sample to one dimension: {@code (batch, d1, d2, ...)} → {@code (batch, d1·d2·...)},
 * in row-major (NHWC) order. Both passes are views sharing the data: no copy, no maths.
 */
public final class Flatten extends Layer {
  private Tensor input;
  private Tensor output;

  /** A flatten layer (no hyper-parameters). */
  public Flatten() {}

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return Shape.of(inputShape.size());
  }

  /** x (batch, d1, d2, ...) → y (batch, d1·d2·...): a reshape view of x. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    input = x;
    output = x.reshape(x.dim(0), outputShape().dim(0));
    return output;
  }

  /** x (batch, d1, d2, ...) → y (batch, d1·d2·...): the same view, keeping nothing. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return x.reshape(x.dim(0), outputShape().dim(0));
  }

  /**
   * dOut (batch, d1·d2·...) → dX (batch, d1, d2, ...): the same numbers viewed in the input's shape.
   * SimpleLayersTest checks it against finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, output);
    return needsInputGradient ? dOut.reshape(input.shape()) : null;
  }

  /** Re-creates a Flatten layer (its config is empty). */
  public static Flatten fromConfig(Map<String, Object> config) {
    return new Flatten();
  }
}
