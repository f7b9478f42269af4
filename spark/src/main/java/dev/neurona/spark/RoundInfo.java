package dev.neurona.spark;

/**
 * What one round of {@link SparkTrainer#fit} did, given to a {@link RoundListener} on the driver.
 *
 * @param epoch the epoch, from 0
 * @param round the round within the epoch, from 0
 * @param roundsPerEpoch rounds in each epoch
 * @param steps optimizer steps the round stands for (1 for gradient averaging, up to N for parameter averaging)
 * @param samples training samples the workers went through in the round
 * @param seconds wall-clock seconds of the round, from the broadcast to the updated weights
 * @param partitions the workers (partitions) that took part
 * @param broadcastBytes bytes of payload each worker received at the round's start (weights, and the
 *     optimizer state for parameter averaging: floats × 4)
 * @param resultBytes bytes of payload each worker sent back (gradients, or weights and optimizer state)
 */
public record RoundInfo(int epoch, int round, int roundsPerEpoch, int steps, long samples, double seconds,
    int partitions, long broadcastBytes, long resultBytes) {

  /** The payload the round moved over the network: each worker's broadcast and result, for every worker. */
  public long totalBytes() {
    return (long) partitions * (broadcastBytes + resultBytes);
  }
}
