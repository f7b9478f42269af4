package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * Cross-entropy against one-hot (or soft) targets: {@code L = -(1/B) Σ_b Σ_c y[b,c]·log p[b,c]}.
 *
 * <p>Predictions and targets are {@code (batch, classes)}; targets must lie in [0, 1]. Predictions
 * are probabilities (clipped to {@code [1e-7, 1 - 1e-7]}, not renormalised) or, with
 * {@code fromLogits}, raw scores put through a stable log-softmax.
 */
public final class CategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  /** On probabilities (the output of a softmax). */
  public CategoricalCrossentropy() {
    this(false);
  }

  /** {@code fromLogits}: whether predictions are raw scores rather than probabilities. */
  public CategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether predictions are raw scores (logits) rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  private void check(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireMatrix(name(), predictions);
    LossChecks.requireDenseTargets(name(), predictions, targets, true);
    LossChecks.requireGrad(name(), predictions, grad);
  }

  /**
   * predictions (batch, classes), targets (batch, classes) → mean loss. Gradients:
   * probabilities {@code ∂L/∂p = -y / (B·p)} (0 where p was clipped); logits
   * {@code L_b = Σ_c y_c (logΣe^z - z_c)}, so {@code ∂L/∂z_c = (softmax(z)_c·Σy - y_c) / B}.
   */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    check(predictions, targets, grad);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    float[] p = predictions.data();
    float[] y = targets.data();
    float[] g = grad == null ? null : grad.data();
    double total = 0;
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      if (fromLogits) {
        double lse = LossChecks.logSumExp(p, off, classes);
        double ySum = 0;
        for (int c = 0; c < classes; c++) {
          total += y[off + c] * (lse - p[off + c]);
          ySum += y[off + c];
        }
        if (g != null) {
          for (int c = 0; c < classes; c++) {
            g[off + c] = (float) ((Math.exp(p[off + c] - lse) * ySum - y[off + c]) / batch);
          }
        }
      } else {
        for (int c = 0; c < classes; c++) {
          float raw = p[off + c];
          float q = LossChecks.clip(raw);
          total -= y[off + c] * Math.log(q);
          if (g != null) {
            g[off + c] = q == raw ? -y[off + c] / (batch * q) : 0f;
          }
        }
      }
    }
    return (float) (total / batch);
  }

  /** Fused with a softmax only when predictions are probabilities. */
  @Override
  public boolean fusesWithSoftmax() {
    return !fromLogits;
  }

  /**
   * probs (batch, classes), targets (batch, classes) → mean loss; dLogits = (p·Σy - y) / B, which is
   * (p - y) / B for targets that sum to 1. Derivation: softmax backward of {@code g = -y/(B·p)} is
   * {@code p_i·(g_i - Σ_j g_j p_j) = (-y_i + p_i·Σ_j y_j) / B}.
   */
  @Override
  public float computeFromSoftmax(Tensor probs, Tensor targets, Tensor dLogits) {
    if (fromLogits) {
      throw new UnsupportedOperationException(name() + "(fromLogits=true) does not fuse with softmax");
    }
    check(probs, targets, dLogits);
    int batch = probs.dim(0);
    int classes = probs.dim(1);
    float[] p = probs.data();
    float[] y = targets.data();
    float[] g = dLogits == null ? null : dLogits.data();
    double total = 0;
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      float ySum = 0;
      for (int c = 0; c < classes; c++) {
        total -= y[off + c] * Math.log(LossChecks.clip(p[off + c]));
        ySum += y[off + c];
      }
      if (g != null) {
        for (int c = 0; c < classes; c++) {
          g[off + c] = (p[off + c] * ySum - y[off + c]) / batch;
        }
      }
    }
    return (float) (total / batch);
  }

  @Override
  public String toString() {
    return "CategoricalCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
