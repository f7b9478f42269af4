package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * Cross-entropy against integer class labels: {@code L = -(1/B) Σ_b log p[b, label_b]}.
 *
 * <p>Predictions {@code (batch, classes)}: probabilities (default; clipped to {@code [1e-7, 1 - 1e-7]}
 * as Keras does, and assumed to sum to 1 — they are not renormalised) or, with {@code fromLogits},
 * raw scores turned into log-probabilities by a stable log-softmax. Targets {@code (batch)} (or
 * {@code (batch, 1)}): class indices stored as floats.
 */
public final class SparseCategoricalCrossentropy implements Loss {
  private final boolean fromLogits;

  /** On probabilities (the output of a softmax). */
  public SparseCategoricalCrossentropy() {
    this(false);
  }

  /** {@code fromLogits}: whether predictions are raw scores rather than probabilities. */
  public SparseCategoricalCrossentropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether predictions are raw scores (logits) rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

  @Override
  public String name() {
    return "sparse_categorical_crossentropy";
  }

  /**
   * predictions (batch, classes), targets (batch) → mean loss. Gradients, with y the one-hot label:
   * probabilities {@code ∂L/∂p[b,c] = -y[b,c] / (B·p[b,c])} (0 where p was clipped);
   * logits {@code L_b = logΣe^z - z[label]}, so {@code ∂L/∂z = (softmax(z) - y) / B}.
   */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireSparseLabels(name(), predictions, targets);
    LossChecks.requireGrad(name(), predictions, grad);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    float[] p = predictions.data();
    float[] t = targets.data();
    float[] g = grad == null ? null : grad.data();
    if (g != null) {
      java.util.Arrays.fill(g, 0f);
    }
    double total = 0;
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      int label = (int) t[b];
      if (fromLogits) {
        double lse = LossChecks.logSumExp(p, off, classes);
        total += lse - p[off + label];
        if (g != null) {
          for (int c = 0; c < classes; c++) {
            g[off + c] = (float) (Math.exp(p[off + c] - lse) / batch);
          }
          g[off + label] -= 1f / batch;
        }
      } else {
        float raw = p[off + label];
        float q = LossChecks.clip(raw);
        total -= Math.log(q);
        if (g != null && q == raw) {
          g[off + label] = -1f / (batch * q);
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
   * probs (batch, classes), targets (batch) → mean loss; dLogits (batch, classes) = (p - y) / B.
   * Derivation: softmax backward of {@code -y/(B·p)} is {@code p_i·(g_i - Σ_j g_j p_j)} with
   * {@code Σ_j g_j p_j = -1/B}, which gives {@code (p_i - y_i)/B}.
   */
  @Override
  public float computeFromSoftmax(Tensor probs, Tensor targets, Tensor dLogits) {
    if (fromLogits) {
      throw new UnsupportedOperationException(name() + "(fromLogits=true) does not fuse with softmax");
    }
    LossChecks.requireSparseLabels(name(), probs, targets);
    LossChecks.requireGrad(name(), probs, dLogits);
    int batch = probs.dim(0);
    int classes = probs.dim(1);
    float[] p = probs.data();
    float[] t = targets.data();
    float[] g = dLogits == null ? null : dLogits.data();
    double total = 0;
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      int label = (int) t[b];
      total -= Math.log(LossChecks.clip(p[off + label]));
      if (g != null) {
        for (int c = 0; c < classes; c++) {
          g[off + c] = p[off + c] / batch;
        }
        g[off + label] -= 1f / batch;
      }
    }
    return (float) (total / batch);
  }

  @Override
  public String toString() {
    return "SparseCategoricalCrossentropy(fromLogits=" + fromLogits + ")";
  }
}
