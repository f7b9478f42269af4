package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of elements where {@code prediction > threshold} agrees with the target being 1
 * (targets are taken as 1 when {@code >= 0.5}). Predictions of any shape; targets of the same shape
 * (or {@code (batch)} for {@code (batch, 1)}).
 */
public final class BinaryAccuracy implements Metric {
  private final String name;
  private final double threshold;
  private long correct;
  private long total;

  /** Named {@code binary_accuracy}, threshold 0.5. */
  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  /** With the given name and threshold (in (0, 1) for probabilities; any finite value for logits). */
  public BinaryAccuracy(String name, double threshold) {
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("BinaryAccuracy: threshold must be finite, got " + threshold);
    }
    this.name = name;
    this.threshold = threshold;
  }

  /** Predictions above this count as 1. */
  public double threshold() {
    return threshold;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireDenseTargets(name, predictions, targets, false);
    float[] p = predictions.data();
    float[] y = targets.data();
    for (int i = 0; i < p.length; i++) {
      if ((p[i] > threshold) == (y[i] >= 0.5f)) {
        correct++;
      }
    }
    total += p.length;
  }

  @Override
  public double result() {
    return total == 0 ? 0.0 : (double) correct / total;
  }

  @Override
  public void reset() {
    correct = 0;
    total = 0;
  }
}
