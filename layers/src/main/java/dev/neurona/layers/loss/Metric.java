package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/** A metric accumulated over batches, e.g. accuracy. */
public interface Metric {
  /** Keras-style name, e.g. {@code accuracy}. */
  String name();

  /** Adds one batch of predictions and targets. */
  void update(Tensor predictions, Tensor targets);

  /** The value over everything added since {@link #reset()}. */
  double result();

  /** Forgets every batch added so far. */
  void reset();

  /**
   * A new metric of the same kind and settings, with nothing added: {@code evaluate} counts in a
   * copy of its own, so that evaluations on several threads at once (and one running beside
   * {@code fit}) do not mix their counts. Every metric of this library returns one.
   *
   * <p>The default returns null: the metric cannot be copied, so the model uses the compiled
   * instance and lets one call at a time count in it (evaluations wait for each other, and for a
   * running {@code fit}). Implement it to evaluate concurrently.
   *
   * @return a new, reset metric; or null when it cannot be copied
   */
  default Metric fresh() {
    return null;
  }
}
