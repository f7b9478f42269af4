package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;

/**
 * A layer that only applies an {@link Activation}: {@code y = f(x)}, same shape. The concrete
 * layers are {@link ReLU}, {@link Sigmoid}, {@link Tanh} and {@link Softmax}.
 */
public abstract class ActivationLayer extends Layer implements HasActivation {
  private final Activation activation;

  /** Cached by forward for backward: the output y (every backward formula is written in y). */
  private Tensor output;
  private Tensor dInput;

  protected ActivationLayer(Activation activation) {
    this.activation = activation;
  }

  @Override
  public final Activation activation() {
    return activation;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  /** x (batch, ...) → y (batch, ...) = f(x) (softmax: over the last dimension); y kept for backward. */
  @Override
  public final Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    output = reuse(output, x.shape());
    activation.forward(x, output);
    return output;
  }

  /** x (batch, ...) → y (batch, ...) = f(x) into a workspace buffer, keeping nothing. */
  @Override
  public final Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    Tensor y = ws.tensor(x.shape());
    activation.forward(x, y);
    return y;
  }

  /**
   * dOut (batch, ...) → dX (batch, ...) = dOut · f'(x), written in terms of y: the loops of
   * {@link Activation#backward}. SimpleLayersTest checks every activation layer against
   * finite differences ({@link GradientCheck}).
   */
  @Override
  public final Tensor backward(Tensor dOut) {
    checkGradient(dOut, output);
    if (!needsInputGradient) {
      return null;
    }
    dInput = reuse(dInput, dOut.shape());
    activation.backward(output, dOut, dInput);
    return dInput;
  }

  /** The pre-activation of this layer is its input, so dLoss/dInput is the given dZ itself. */
  @Override
  public final Tensor backwardFromPreActivation(Tensor dZ) {
    checkGradient(dZ, output);
    return needsInputGradient ? dZ : null;
  }
}
