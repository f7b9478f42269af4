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
}
