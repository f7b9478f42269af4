package dev.neurona.spark;

import dev.neurona.layers.training.History;

/**
 * A distributed fit stopped because a worker's loss or update was not finite: the weights and the
 * optimizer's state are those from before the round, and {@link #history()} holds the epochs
 * completed.
 */
public final class SparkTrainingException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final transient History history;
  private final int epoch;
  private final int round;
  private final int partition;

  SparkTrainingException(String message, History history, int epoch, int round, int partition) {
    super(message);
    this.history = history;
    this.epoch = epoch;
    this.round = round;
    this.partition = partition;
  }

  /** The epochs completed before the failure. */
  public History history() {
    return history;
  }

  /** The epoch of the failed round, from 0. */
  public int epoch() {
    return epoch;
  }

  /** The failed round within its epoch, from 0. */
  public int round() {
    return round;
  }

  /** The first partition whose loss or update was not finite. */
  public int partition() {
    return partition;
  }
}
