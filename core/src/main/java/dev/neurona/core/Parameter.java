package dev.neurona.core;

/**
 * A trainable tensor and its gradient, side by side. Layers accumulate ({@code +=}) into
 * {@link #grad()} during backward; the training loop zeroes it explicitly before each step.
 */
public final class Parameter {
  private final String name;
  private final Tensor value;
  private final Tensor grad;
  private boolean trainable = true;

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

  public Tensor grad() {
    return grad;
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

  public void zeroGrad() {
    grad.fill(0f);
  }

  @Override
  public String toString() {
    return "Parameter(" + name + ", " + value.shape() + (trainable ? "" : ", frozen") + ")";
  }
}
