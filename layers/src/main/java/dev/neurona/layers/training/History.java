package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-epoch values recorded by {@link Sequential#fit}, like Keras' {@code history.history}:
 * {@code loss}, each metric (e.g. {@code accuracy}), {@code val_loss} and {@code val_<metric>}
 * when there is validation data, plus the wall-clock seconds of each epoch and, as Keras'
 * {@code history.epoch}, the index of each epoch: {@code 0, 1, 2, ...} for a fit from the start,
 * {@code 3, 4, ...} for one that {@link BackupAndRestore resumed} after three epochs (it records
 * only the epochs it ran).
 */
public final class History {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final List<Double> seconds = new ArrayList<>();
  private final List<Integer> epochIndices = new ArrayList<>();

  /** An empty history, with no epoch recorded; {@code fit} fills the one it returns. */
  public History() {}

  /** Appends one epoch's logs and duration, numbered after the last one recorded (from 0). */
  void addEpoch(Map<String, Double> logs, double secs) {
    addEpoch(epochIndices.isEmpty() ? 0 : epochIndices.get(epochIndices.size() - 1) + 1, logs, secs);
  }

  /**
   * Appends the logs and duration of the epoch with index {@code epochIndex} (from 0): what
   * {@code fit} does after each epoch, and a training loop of another module (the Spark trainer) too.
   *
   * @param epochIndex the epoch's index, from 0
   * @param logs the epoch's values by name ({@code loss}, metrics, {@code val_...}), in order
   * @param secs the epoch's wall-clock seconds
   */
  public void addEpoch(int epochIndex, Map<String, Double> logs, double secs) {
    int epoch = seconds.size();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      List<Double> l = values.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      while (l.size() < epoch) {
        l.add(Double.NaN); // a value that appeared only from a later epoch on
      }
      l.add(e.getValue());
    }
    seconds.add(secs);
    epochIndices.add(epochIndex);
  }

  /** The number of epochs recorded. */
  public int epochs() {
    return seconds.size();
  }

  /** The names recorded, in order: {@code loss}, metrics, {@code val_loss}, validation metrics. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** The per-epoch values of {@code name}, e.g. {@code get("val_accuracy")}. */
  public List<Double> get(String name) {
    List<Double> l = values.get(name);
    if (l == null) {
      throw new IllegalArgumentException("History has no values named '" + name + "'; it has " + values.keySet());
    }
    return Collections.unmodifiableList(l);
  }

  /** The value of {@code name} at the last recorded epoch. */
  public double last(String name) {
    List<Double> l = get(name);
    if (l.isEmpty()) {
      throw new IllegalStateException("History: no epoch recorded yet");
    }
    return l.get(l.size() - 1);
  }

  /**
   * The index (from 0) of each recorded epoch, as Keras' {@code history.epoch}: {@code [0, 1, ...]}
   * for a fit from the start, {@code [3, 4, ...]} for one resumed after three epochs.
   */
  public List<Integer> epochIndices() {
    return Collections.unmodifiableList(epochIndices);
  }

  /** Wall-clock seconds of each epoch, validation included. */
  public List<Double> seconds() {
    return Collections.unmodifiableList(seconds);
  }

  /** Every named series (not the seconds), in order. */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    for (String k : values.keySet()) {
      m.put(k, get(k));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * CSV with a header row, one row per epoch: {@code epoch,loss,accuracy,val_loss,val_accuracy,seconds}.
   * Epochs count from 0 as in Keras' {@code CSVLogger} (the {@link #epochIndices()}); numbers are
   * written with {@link Double#toString}.
   */
  public String toCsv() {
    StringBuilder sb = new StringBuilder("epoch");
    for (String k : values.keySet()) {
      sb.append(',').append(k);
    }
    sb.append(",seconds\n");
    for (int e = 0; e < seconds.size(); e++) {
      sb.append(epochIndices.get(e));
      for (List<Double> l : values.values()) {
        sb.append(',').append(l.get(e));
      }
      sb.append(',').append(seconds.get(e)).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "History(epochs=" + epochs() + ", " + values + ")";
  }
}
