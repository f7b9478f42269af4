package dev.neurona.layers.training;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training when a monitored value has not improved for {@code patience} epochs, as Keras'
 * {@code EarlyStopping}: an epoch improves when its value beats the best so far by more than
 * {@code minDelta} (lower for {@code min}, higher for {@code max}). With
 * {@code restoreBestWeights}, the weights of the best epoch are put back when training ends.
 *
 * <p>Its state (the best value and epoch, the epochs waited, the best weights when it keeps them)
 * is saved by {@link BackupAndRestore}, so a resumed fit stops when the uninterrupted one would.
 */
public final class EarlyStopping implements StatefulCallback {
  /** Whether smaller or larger is better; {@code AUTO} means max for accuracies, min otherwise. */
  public enum Mode {
    /** {@code MAX} when the monitored name ends in {@code acc}, {@code accuracy} or {@code auc}, else {@code MIN}. */
    AUTO,
    /** Lower is better (losses). */
    MIN,
    /** Higher is better (accuracies). */
    MAX
  }

  private final String monitor;
  private final int patience;
  private final boolean restoreBestWeights;
  private final double minDelta;
  private final Mode mode;

  private Sequential model;
  private boolean maximize;
  private double best;
  private int bestEpoch;
  private int wait;
  private int stoppedEpoch;
  private List<Tensor> bestWeights;

  /** Monitors {@code val_loss} with the given patience, keeping the last weights. */
  public EarlyStopping(int patience) {
    this("val_loss", patience, false, 0.0, Mode.AUTO);
  }

  /** Monitors {@code monitor} (e.g. {@code val_loss}, {@code val_accuracy}). */
  public EarlyStopping(String monitor, int patience, boolean restoreBestWeights) {
    this(monitor, patience, restoreBestWeights, 0.0, Mode.AUTO);
  }

  /**
   * @param monitor the epoch log to watch, e.g. {@code val_loss}
   * @param patience epochs without improvement before stopping ({@code >= 0})
   * @param restoreBestWeights whether to restore the best epoch's weights at the end of training
   * @param minDelta the smallest change that counts as an improvement ({@code >= 0})
   * @param mode whether lower or higher is better
   */
  public EarlyStopping(String monitor, int patience, boolean restoreBestWeights, double minDelta, Mode mode) {
    if (monitor == null || monitor.isBlank()) {
      throw new IllegalArgumentException("EarlyStopping: monitor must not be blank, got '" + monitor + "'");
    }
    if (patience < 0) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0, got " + minDelta);
    }
    if (mode == null) {
      throw new IllegalArgumentException("EarlyStopping: mode must not be null");
    }
    this.monitor = monitor;
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    this.minDelta = minDelta;
    this.mode = mode;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    this.model = model;
    this.maximize = maximizes(monitor, mode);
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    this.bestEpoch = -1;
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      throw new IllegalStateException("EarlyStopping: monitor '" + monitor + "' is not in the epoch logs "
          + logs.keySet() + (monitor.startsWith("val_") ? "; give fit a validationSplit or validationData" : ""));
    }
    wait++;
    if (improves(current)) {
      best = current;
      bestEpoch = epoch;
      wait = 0;
      if (restoreBestWeights) {
        bestWeights = model.getWeights();
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      model.stopTraining();
    }
  }

  /** Whether {@code mode} means higher is better for {@code monitor} (see {@link Mode#AUTO}). */
  static boolean maximizes(String monitor, Mode mode) {
    String m = monitor.toLowerCase(Locale.ROOT);
    return mode == Mode.MAX
        || mode == Mode.AUTO && (m.endsWith("acc") || m.endsWith("accuracy") || m.endsWith("auc"));
  }

  private boolean improves(double v) {
    if (Double.isNaN(v)) {
      return false;
    }
    return maximize ? v - minDelta > best : v + minDelta < best;
  }

  @Override
  public void onTrainEnd(History history) {
    if (restoreBestWeights && bestWeights != null) {
      model.setWeights(bestWeights);
    }
  }

  /**
   * {@code wait}, {@code best}, {@code best_epoch}, {@code stopped_epoch} and, when it keeps the best
   * weights and has some, one tensor per parameter: {@code best_weights.0}, {@code best_weights.1}, ...
   */
  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("wait", (long) wait);
    s.put("best", best);
    s.put("best_epoch", (long) bestEpoch);
    s.put("stopped_epoch", (long) stoppedEpoch);
    if (bestWeights != null) {
      for (int i = 0; i < bestWeights.size(); i++) {
        s.put("best_weights." + i, bestWeights.get(i));
      }
    }
    return s;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    StateValues v = new StateValues("EarlyStopping", state);
    int w = (int) v.integer("wait", 0, Integer.MAX_VALUE);
    double b = v.number("best");
    int be = (int) v.integer("best_epoch", -1, Integer.MAX_VALUE);
    int se = (int) v.integer("stopped_epoch", -1, Integer.MAX_VALUE);
    List<Tensor> weights = null;
    if (v.has("best_weights.0")) {
      if (!restoreBestWeights) {
        throw new IllegalArgumentException("EarlyStopping.restoreState: the state holds best weights but this"
            + " EarlyStopping does not restore them (restoreBestWeights is false)");
      }
      List<Parameter> ps = model.parameters();
      weights = new ArrayList<>();
      for (int i = 0; i < ps.size(); i++) {
        Tensor t = v.tensor("best_weights." + i);
        Tensor.requireShape("EarlyStopping.restoreState: best_weights." + i + " for '" + ps.get(i).name() + "'", t,
            ps.get(i).shape());
        weights.add(t);
      }
    }
    v.done();
    this.wait = w;
    this.best = b;
    this.bestEpoch = be;
    this.stoppedEpoch = se;
    this.bestWeights = weights;
  }

  /** The best value seen. */
  public double best() {
    return best;
  }

  /** The epoch (from 0) with the best value, or -1. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The epoch (from 0) at which training was stopped, or -1 if it ran to the end. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }
}
