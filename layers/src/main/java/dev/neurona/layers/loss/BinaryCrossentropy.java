package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * Binary cross-entropy, element-wise, averaged over every element:
 * {@code L = -(1/N) Σ_i [y_i·log p_i + (1 - y_i)·log(1 - p_i)]}.
 *
 * <p>Predictions of any shape (typically {@code (batch, 1)} after a sigmoid); targets of the same
 * shape (or {@code (batch)} for {@code (batch, 1)}), each in [0, 1]. Probabilities are clipped to
 * {@code [1e-7, 1 - 1e-7]}; with {@code fromLogits} the stable form
 * {@code max(z, 0) - z·y + log(1 + e^{-|z|})} is used.
 */
public final class BinaryCrossentropy implements Loss {
  private final boolean fromLogits;

  /** On probabilities (the output of a sigmoid). */
  public BinaryCrossentropy() {
    this(false);
  }

  /** {@code fromLogits}: whether predictions are raw scores rather than probabilities. */
  public BinaryCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether predictions are raw scores (logits) rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "binary_crossentropy";
  }

  /**
   * predictions (batch, ...), targets (batch, ...) → mean loss. Gradients: probabilities
   * {@code ∂L/∂p = (p - y) / (N·p·(1 - p))} (0 where p was clipped); logits, since
   * {@code p = σ(z)} and {@code σ' = p(1 - p)}, {@code ∂L/∂z = (σ(z) - y) / N}.
   */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireDenseTargets(name(), predictions, targets, true);
    LossChecks.requireGrad(name(), predictions, grad);
    float[] p = predictions.data();
    float[] y = targets.data();
    float[] g = grad == null ? null : grad.data();
    int n = p.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double yi = y[i];
      if (fromLogits) {
        double z = p[i];
        total += Math.max(z, 0) - z * yi + Math.log1p(Math.exp(-Math.abs(z)));
        if (g != null) {
          double s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
          g[i] = (float) ((s - yi) / n);
        }
      } else {
        float raw = p[i];
        double q = LossChecks.clip(raw);
        total -= yi * Math.log(q) + (1 - yi) * Math.log(1 - q);
        if (g != null) {
          g[i] = q == raw ? (float) ((q - yi) / (n * q * (1 - q))) : 0f;
        }
      }
    }
    return (float) (total / n);
  }

  @Override
  public String toString() {
    return "BinaryCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
