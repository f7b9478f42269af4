package dev.neurona.layers.classic;

import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.FitInfo;
import java.util.Map;

/**
 * The perceptron's stopping rule as a {@code fit} callback: stops training at the end of the first
 * epoch in which the monitored count (by default the {@link dev.neurona.layers.loss.Misclassifications
 * misclassifications} metric) is zero.
 *
 * <p>Trained on the {@link dev.neurona.layers.loss.PerceptronCriterion perceptron criterion}, an epoch
 * without a mistake is an epoch without an update (the gradient is {@code ŷ − y = 0} for every
 * sample), so the weights the epoch ended with classify every training sample correctly — the data are
 * linearly separated — and no later epoch could change them. This is the early stop of the reference
 * {@link Perceptron}. On data that are not linearly separable it never fires and {@code fit} runs all its
 * epochs.
 *
 * <p>One instance per {@code fit}: it remembers the model it was started with.
 */
public final class StopWhenSeparated implements Callback {
  private final String monitor;
  private Sequential model;
  private int stoppedEpoch = -1;

  /** Monitors {@code misclassifications}. */
  public StopWhenSeparated() {
    this("misclassifications");
  }

  /** Monitors the epoch log called {@code monitor}, a count of mistakes. */
  public StopWhenSeparated(String monitor) {
    if (monitor == null || monitor.isBlank()) {
      throw new IllegalArgumentException("StopWhenSeparated: monitor must not be blank, got '" + monitor + "'");
    }
    this.monitor = monitor;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    this.model = model;
    this.stoppedEpoch = -1;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double mistakes = logs.get(monitor);
    if (mistakes == null) {
      throw new IllegalStateException("StopWhenSeparated: the epoch logs have no '" + monitor + "', they have "
          + logs.keySet() + "; compile the model with the misclassifications metric");
    }
    if (mistakes == 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
    }
  }

  /**
   * The epoch (counting from 0) of the last fit that had no mistake and ended training (possibly the
   * last epoch asked for), or {@code -1} if every epoch had mistakes.
   */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The monitored log name. */
  public String monitor() {
    return monitor;
  }

  @Override
  public String toString() {
    return "StopWhenSeparated(monitor=" + monitor + ")";
  }
}
