package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * Mean squared error over every element: {@code L = (1/N) Σ_i (p_i - y_i)²}. Targets have the
 * predictions' shape (or {@code (batch)} for predictions {@code (batch, 1)}).
 */
public final class MeanSquaredError implements Loss {
  /** Mean squared error. */
  public MeanSquaredError() {}

  @Override
  public String name() {
    return "mean_squared_error";
  }

  /** predictions (batch, ...), targets (batch, ...) → mean loss; {@code ∂L/∂p_i = 2(p_i - y_i) / N}. */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireDenseTargets(name(), predictions, targets, false);
    LossChecks.requireGrad(name(), predictions, grad);
    float[] p = predictions.data();
    float[] y = targets.data();
    float[] g = grad == null ? null : grad.data();
    int n = p.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double d = (double) p[i] - y[i];
      total += d * d;
      if (g != null) {
        g[i] = (float) (2 * d / n);
      }
    }
    return (float) (total / n);
  }

  @Override
  public String toString() {
    return "MeanSquaredError()";
  }
}
