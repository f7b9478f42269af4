package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.util.Map;

/**
 * Ends training gracefully at the first batch whose loss is NaN or infinite, as Keras'
 * {@code TerminateOnNaN}. Without it, {@code fit} throws a {@link NonFiniteLossException}; with it,
 * that batch's logs (loss non-finite) go to {@link #onBatchEnd} as for any batch, and the epoch ends
 * there: validation, the epoch's callbacks and {@link Callback#onTrainEnd} run as usual and
 * {@code fit} returns its history, whose last epoch shows the non-finite loss. In both cases the
 * batch that produced it leaves the weights unchanged.
 */
public final class TerminateOnNaN implements Callback {
  private Sequential model;
  private int stoppedEpoch = -1;
  private int stoppedBatch = -1;

  /** A callback that stops training on the first non-finite batch loss. */
  public TerminateOnNaN() {}

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    this.model = model;
    this.stoppedEpoch = -1;
    this.stoppedBatch = -1;
  }

  @Override
  public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && !Double.isFinite(loss) && stoppedEpoch < 0) {
      stoppedEpoch = epoch;
      stoppedBatch = batch;
      model.stopTraining();
    }
  }

  /** The epoch (from 0) in which a non-finite loss stopped the last fit, or -1. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The batch (from 0, within {@link #stoppedEpoch()}) whose loss was non-finite, or -1. */
  public int stoppedBatch() {
    return stoppedBatch;
  }
}
