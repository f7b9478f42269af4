package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of elements where {@code prediction > threshold} agrees with the target being 1
 * (targets are taken as 1 when {@code >= 0.5}). Predictions of any shape; targets of the same shape
 * (or {@code (batch)} for {@code (batch, 1)}).
 */
public final class BinaryAccuracy extends AccuracyMetric {
  private final double threshold;

  /** Named {@code binary_accuracy}, threshold 0.5. */
  public BinaryAccuracy() {
    this("binary_accuracy", 0.5);
  }

  /** With the given name and threshold (in (0, 1) for probabilities; any finite value for logits). */
  public BinaryAccuracy(String name, double threshold) {
    super(name);
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("BinaryAccuracy: threshold must be finite, got " + threshold);
    }
    this.threshold = threshold;
  }

  /** Predictions above this count as 1. */
  public double threshold() {
    return threshold;
  }

  /** A new, reset metric with the same name and threshold. */
  @Override
  public BinaryAccuracy fresh() {
    return new BinaryAccuracy(name(), threshold());
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireDenseTargets(name(), predictions, targets, false);
    float[] p = predictions.data();
    float[] y = targets.data();
    long correct = 0;
    for (int i = 0; i < p.length; i++) {
      if ((p[i] > threshold) == (y[i] >= 0.5f)) {
        correct++;
      }
    }
    count(correct, p.length);
  }
}
