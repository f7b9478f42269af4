package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.util.Map;

/**
 * Hooks into {@link Sequential#fit}, as in Keras. Every method is a no-op by default; epochs and
 * batches are counted from 0. A callback stops training with {@link Sequential#stopTraining()}.
 *
 * <p>Order for each fit: {@code onTrainBegin}, then per epoch {@code onEpochBegin}, one
 * {@code onBatchEnd} per batch, {@code onEpochEnd}; finally {@code onTrainEnd}.
 */
public interface Callback {
  /** Called once before the first epoch with the model being trained and the plan of the run. */
  default void onTrainBegin(Sequential model, FitInfo info) {}

  /** Called before the first batch of {@code epoch}. */
  default void onEpochBegin(int epoch) {}

  /**
   * Called after each training batch with the running means over this epoch so far: {@code loss}
   * and each metric by name.
   */
  default void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {}

  /**
   * Called at the end of each epoch with the epoch's {@code loss}, metrics and, when there is
   * validation data, {@code val_loss} and {@code val_<metric>}.
   */
  default void onEpochEnd(int epoch, Map<String, Double> logs) {}

  /** Called once after the last epoch (also when training was stopped early). */
  default void onTrainEnd(History history) {}
}
