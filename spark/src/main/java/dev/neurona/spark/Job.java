package dev.neurona.spark;

import java.io.Serializable;

/**
 * What every round of one {@link SparkTrainer#fit} shares, broadcast once: the model file (its
 * layers, weights at the start and optimizer), the loss and metrics by name, and the plan.
 */
final class Job implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Tells this fit's replicas and sample orders from those of other fits on the same executor. */
  final String id;
  final byte[] modelZip;
  final String loss;
  final String[] metrics;
  final boolean parameterAveraging;
  final int batchSize;
  final boolean shuffle;
  final long shuffleSeed;
  final int partitions;
  /** Library threads per worker task, or 0 to leave {@code dev.neurona.core.Parallel} as it is. */
  final int threads;
  /** Each {@link dev.neurona.layers.SeededLayer}'s call counter when the fit began, in layer order. */
  final long[] seededBase;
  /** Indexes of the trainable parameters in {@code Sequential.parameters()}. */
  final int[] trainable;
  /** The per-sample target shape. */
  final int[] targetShape;

  Job(String id, byte[] modelZip, String loss, String[] metrics, boolean parameterAveraging, int batchSize,
      boolean shuffle, long shuffleSeed, int partitions, int threads, long[] seededBase, int[] trainable,
      int[] targetShape) {
    this.id = id;
    this.modelZip = modelZip;
    this.loss = loss;
    this.metrics = metrics;
    this.parameterAveraging = parameterAveraging;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.shuffleSeed = shuffleSeed;
    this.partitions = partitions;
    this.threads = threads;
    this.seededBase = seededBase;
    this.trainable = trainable;
    this.targetShape = targetShape;
  }
}
