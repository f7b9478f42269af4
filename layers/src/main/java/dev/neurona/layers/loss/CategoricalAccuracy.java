package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of samples whose highest-scoring class equals the target's highest class (first on
 * ties). Predictions and targets {@code (batch, classes)}.
 */
public final class CategoricalAccuracy extends AccuracyMetric {
  /** Named {@code categorical_accuracy}. */
  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  /** With the given name (e.g. {@code accuracy}). */
  public CategoricalAccuracy(String name) {
    super(name);
  }

  /** A new, reset metric with the same name. */
  @Override
  public CategoricalAccuracy fresh() {
    return new CategoricalAccuracy(name());
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireMatrix(name(), predictions);
    LossChecks.requireDenseTargets(name(), predictions, targets, false);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    long correct = 0;
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      if (Metrics.argmax(predictions.data(), off, classes) == Metrics.argmax(targets.data(), off, classes)) {
        correct++;
      }
    }
    count(correct, batch);
  }
}
