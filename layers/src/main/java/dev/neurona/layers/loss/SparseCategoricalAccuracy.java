package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The fraction of samples whose highest-scoring class (the first, on ties) equals the integer
 * label. Predictions {@code (batch, classes)}, targets {@code (batch)}.
 */
public final class SparseCategoricalAccuracy implements Metric {
  private final String name;
  private long correct;
  private long total;

  /** Named {@code sparse_categorical_accuracy}. */
  public SparseCategoricalAccuracy() {
    this("sparse_categorical_accuracy");
  }

  /** With the given name (Keras calls it {@code accuracy} when compiled with {@code "accuracy"}). */
  public SparseCategoricalAccuracy(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireSparseLabels(name, predictions, targets);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    float[] t = targets.data();
    for (int b = 0; b < batch; b++) {
      if (Metrics.argmax(predictions.data(), b * classes, classes) == (int) t[b]) {
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
