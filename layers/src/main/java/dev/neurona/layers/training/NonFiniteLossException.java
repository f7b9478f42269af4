package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;

/**
 * Thrown by {@link Sequential#fit} when a batch's loss is NaN or infinite. Training stops before
 * that batch updates the weights; the epochs completed so far are in {@link #history()}.
 */
public final class NonFiniteLossException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final transient History history;
  private final int epoch;
  private final int batch;
  private final float loss;

  NonFiniteLossException(String message, History history, int epoch, int batch, float loss) {
    super(message);
    this.history = history;
    this.epoch = epoch;
    this.batch = batch;
    this.loss = loss;
  }

  /** The epochs completed before the loss went non-finite. */
  public History history() {
    return history;
  }

  /** The epoch (from 0) in which it happened. */
  public int epoch() {
    return epoch;
  }

  /** The batch (from 0) within the epoch. */
  public int batch() {
    return batch;
  }

  /** The loss value: NaN or ±Infinity. */
  public float loss() {
    return loss;
  }
}
