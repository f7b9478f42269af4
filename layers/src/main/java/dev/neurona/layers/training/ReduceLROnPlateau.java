package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.AbstractOptimizer;
import dev.neurona.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lowers the learning rate when a monitored value stops improving, as Keras'
 * {@code ReduceLROnPlateau}: after {@code patience} epochs without an improvement of more than
 * {@code minDelta}, the rate becomes {@code max(rate · factor, minLr)}; then {@code cooldown} epochs
 * pass before waiting starts again. Keras' defaults: {@code val_loss}, factor 0.1, patience 10,
 * minDelta 1e-4, no cooldown, minLr 0.
 * <pre>{@code
 * new ReduceLROnPlateau("val_loss", 0.5, 2).cooldown(1).minLr(1e-5)
 * }</pre>
 *
 * <p>The optimizer must have a constant learning rate (a number, not a
 * {@link dev.neurona.optim.LearningRateSchedule}), as in Keras; the new rate is set with
 * {@link AbstractOptimizer#setLearningRate}, so it is part of the optimizer's saved config. Its own
 * state (epochs waited, cooldown left, the best value) is saved by {@link BackupAndRestore}, so a
 * resumed fit lowers the rate when the uninterrupted one would. Unlike Keras it does not add
 * {@code learning_rate} to the epoch logs; read it from the optimizer.
 */
public final class ReduceLROnPlateau implements StatefulCallback {
  private final String monitor;
  private final double factor;
  private final int patience;
  private EarlyStopping.Mode mode = EarlyStopping.Mode.AUTO;
  private double minDelta = 1e-4;
  private int cooldown;
  private double minLr;

  private Sequential model;
  private boolean maximize;
  private double best;
  private int wait;
  private int cooldownCounter;
  private int reductions;

  /** Keras' defaults: monitors {@code val_loss}, factor 0.1, patience 10. */
  public ReduceLROnPlateau() {
    this("val_loss", 0.1, 10);
  }

  /**
   * @param monitor the epoch log to watch, e.g. {@code val_loss}
   * @param factor what the rate is multiplied by, in {@code (0, 1)}
   * @param patience epochs without improvement before the rate is lowered ({@code >= 0})
   */
  public ReduceLROnPlateau(String monitor, double factor, int patience) {
    if (monitor == null || monitor.isBlank()) {
      throw new IllegalArgumentException("ReduceLROnPlateau: monitor must not be blank, got '" + monitor + "'");
    }
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
    }
    if (patience < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
    }
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
  }

  /** Whether lower or higher is better (default {@code AUTO}, as {@link EarlyStopping}); returns this. */
  public ReduceLROnPlateau mode(EarlyStopping.Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("ReduceLROnPlateau: mode must not be null");
    }
    this.mode = mode;
    return this;
  }

  /** The smallest change that counts as an improvement ({@code >= 0}, default 1e-4); returns this. */
  public ReduceLROnPlateau minDelta(double minDelta) {
    if (!(minDelta >= 0 && minDelta < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("ReduceLROnPlateau: minDelta must be >= 0 and finite, got " + minDelta);
    }
    this.minDelta = minDelta;
    return this;
  }

  /** Epochs to wait after a reduction before counting again ({@code >= 0}, default 0); returns this. */
  public ReduceLROnPlateau cooldown(int cooldown) {
    if (cooldown < 0) {
      throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + cooldown);
    }
    this.cooldown = cooldown;
    return this;
  }

  /** The rate is never lowered below this ({@code >= 0}, default 0); returns this. */
  public ReduceLROnPlateau minLr(double minLr) {
    if (!(minLr >= 0 && minLr < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("ReduceLROnPlateau: minLr must be >= 0 and finite, got " + minLr);
    }
    this.minLr = minLr;
    return this;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    optimizer(model);
    this.model = model;
    this.maximize = EarlyStopping.maximizes(monitor, mode);
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    this.wait = 0;
    this.cooldownCounter = 0;
    this.reductions = 0;
  }

  /** The model's optimizer, checked to have a constant rate that can be set. */
  private static AbstractOptimizer<?> optimizer(Sequential model) {
    Optimizer o = model.optimizer();
    if (!(o instanceof AbstractOptimizer) || !((AbstractOptimizer<?>) o).hasConstantLearningRate()) {
      throw new IllegalStateException("ReduceLROnPlateau: needs an optimizer with a constant learning rate that it can"
          + " set (SGD or Adam built with a number), got " + o + "; a LearningRateSchedule already decides the rate");
    }
    return (AbstractOptimizer<?>) o;
  }

  /** Keras' rule, step by step: cooldown, improvement, then waiting and reducing. */
  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      throw new IllegalStateException("ReduceLROnPlateau: monitor '" + monitor + "' is not in the epoch logs "
          + logs.keySet() + (monitor.startsWith("val_") ? "; give fit a validationSplit or validationData" : ""));
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (maximize ? current > best + minDelta : current < best - minDelta) {
      best = current;
      wait = 0;
    } else if (cooldownCounter == 0) {
      wait++;
      if (wait >= patience) {
        AbstractOptimizer<?> opt = optimizer(model);
        double oldLr = opt.learningRate();
        if (oldLr > (float) minLr) {
          opt.setLearningRate(Math.max(oldLr * factor, minLr));
          reductions++;
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }

  /** The best monitored value so far. */
  public double best() {
    return best;
  }

  /** How many times the current (or last) fit lowered the rate. */
  public int reductions() {
    return reductions;
  }

  /** {@code wait}, {@code cooldown_counter}, {@code best} and {@code reductions}. */
  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("wait", (long) wait);
    s.put("cooldown_counter", (long) cooldownCounter);
    s.put("best", best);
    s.put("reductions", (long) reductions);
    return s;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    StateValues v = new StateValues("ReduceLROnPlateau", state);
    int w = (int) v.integer("wait", 0, Integer.MAX_VALUE);
    int c = (int) v.integer("cooldown_counter", 0, Integer.MAX_VALUE);
    double b = v.number("best");
    int r = (int) v.integer("reductions", 0, Integer.MAX_VALUE);
    v.done();
    this.wait = w;
    this.cooldownCounter = c;
    this.best = b;
    this.reductions = r;
  }
}
