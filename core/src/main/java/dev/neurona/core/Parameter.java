package dev.neurona.core;

/**
 * A trainable tensor and its gradient, side by side. Layers accumulate ({@code +=}) into
 * {@link #grad()} during backward; the training loop zeroes it ({@link #zeroGrad}) after each step.
 */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;
  private boolean trainable = true;
  /** Set by {@link #zeroGrad}: {@link #grad} holds stale values that count as zeros until it is read or overwritten. */
  private boolean gradZeroed;

  public Parameter(String name, Tensor value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Parameter: name is empty");
    }
    this.name = name;
    this.value = value;
    this.grad = Tensor.zeros(value.shape());
  }

  /** Dotted name, e.g. {@code conv2d_1.kernel}. */
  public String name() {
    return name;
  }

  public Tensor value() {
    return value;
  }

  /** The gradient, the same tensor every call; cleared here first when {@link #zeroGrad} was deferred. */
  public Tensor grad() {
    if (gradZeroed) {
      grad.fill(0f);
      gradZeroed = false;
    }
    return grad;
  }

  /**
   * Starts a layer's write of all of the gradient, {@code grad = scale·grad + contribution}, and
   * returns the scale: 0 right after {@link #zeroGrad} (the stale values are overwritten unread), 1
   * when contributions accumulate. The caller must then write every element, through {@link #grad}.
   * A dense layer's kernel gradient written this way (a GEMM with β = 0) saves the zeroing pass and
   * the read of C: MNIST's 3136×1024 kernel at batch 128, 2.1 against 2.9 ms.
   */
  public float beginGradientWrite() {
    float scale = gradZeroed ? 0f : 1f;
    gradZeroed = false;
    return scale;
  }

  public Shape shape() {
    return value.shape();
  }

  public int size() {
    return value.size();
  }

  public boolean trainable() {
    return trainable;
  }

  public Parameter trainable(boolean trainable) {
    this.trainable = trainable;
    return this;
  }

  /**
   * Zeroes the gradient, lazily: the array is cleared when {@link #grad} is next called, unless a
   * layer overwrites all of it first ({@link #beginGradientWrite}). A {@code Tensor} taken from
   * {@code grad()} before this call keeps its old values until {@code grad()} is called again.
   */
  public void zeroGrad() {
    gradZeroed = true;
  }

  @Override
  public String toString() {
    return "Parameter(" + name + ", " + value.shape() + (trainable ? "" : ", frozen") + ")";
  }
}
