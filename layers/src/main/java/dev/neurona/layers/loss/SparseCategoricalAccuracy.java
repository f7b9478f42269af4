package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of samples whose highest-scoring class (the first, on ties) equals the integer
 * label. Predictions {@code (batch, classes)}, targets {@code (batch)}.
 */
public final class SparseCategoricalAccuracy extends AccuracyMetric {
  /** Named {@code sparse_categorical_accuracy}. */
  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  /** With the given name (Keras calls it {@code accuracy} when compiled with {@code "accuracy"}). */
  public SparseCategoricalAccuracy(String name) {
    super(name);
  }

  /** A new, reset metric with the same name. */
  @Override
  public SparseCategoricalAccuracy fresh() {
    return new SparseCategoricalAccuracy(name());
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireSparseLabels(name(), predictions, targets);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    float[] t = targets.data();
    long correct = 0;
    for (int b = 0; b < batch; b++) {
      if (Metrics.argmax(predictions.data(), b * classes, classes) == (int) t[b]) {
        correct++;
      }
    }
    count(correct, batch);
  }
}
