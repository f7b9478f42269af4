package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of samples whose highest-scoring class equals the target's highest class (first on
 * ties). Predictions and targets {@code (batch, classes)}.
 */
public final class CategoricalAccuracy implements Metric {
  private final String name;
  private long correct;
  private long total;

  /** Named {@code categorical_accuracy}. */
  public CategoricalAccuracy() {
    this("categorical_accuracy");
  }

  /** With the given name (e.g. {@code accuracy}). */
  public CategoricalAccuracy(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireMatrix(name, predictions);
    LossChecks.requireDenseTargets(name, predictions, targets, false);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    for (int b = 0; b < batch; b++) {
      int off = b * classes;
      if (Metrics.argmax(predictions.data(), off, classes) == Metrics.argmax(targets.data(), off, classes)) {
        correct++;
      }
    }
    total += batch;
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
