package dev.neurona.spark;

/**
 * Told on the driver after each round of {@link SparkTrainer#fit}, after the weights were updated
 * and before the round's {@code onBatchEnd} callbacks: progress, timing and communication volume.
 */
@FunctionalInterface
public interface RoundListener {
  /**
   * Called after each round.
   *
   * @param info what the round did
   */
  void onRound(RoundInfo info);
}
