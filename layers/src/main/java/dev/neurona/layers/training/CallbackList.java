package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The callbacks of one {@code fit}, called in order, as Keras' {@code CallbackList}. */
final class CallbackList implements Callback {
  private final List<Callback> callbacks;

  /** The options' callbacks, then a {@link ProgressBar} on {@code System.out} when they ask to be verbose. */
  CallbackList(Fit options) {
    this.callbacks = new ArrayList<>(options.callbacks());
    if (options.verbose()) {
      callbacks.add(new ProgressBar(System.out));
    }
  }

  /** The callbacks, in call order. */
  List<Callback> all() {
    return callbacks;
  }

  /** Whether one of the callbacks is a {@code type}. */
  boolean has(Class<? extends Callback> type) {
    for (Callback c : callbacks) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** The one {@link BackupAndRestore} among the callbacks, or null; two are an error. */
  BackupAndRestore backup() {
    BackupAndRestore found = null;
    for (Callback c : callbacks) {
      if (c instanceof BackupAndRestore) {
        if (found != null) {
          throw new IllegalArgumentException("Fit: two BackupAndRestore callbacks (" + found.backupDir() + " and "
              + ((BackupAndRestore) c).backupDir() + "); a fit has at most one");
        }
        found = (BackupAndRestore) c;
      }
    }
    return found;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    for (Callback c : callbacks) {
      c.onTrainBegin(model, info);
    }
  }

  @Override
  public void onEpochBegin(int epoch) {
    for (Callback c : callbacks) {
      c.onEpochBegin(epoch);
    }
  }

  @Override
  public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
    for (Callback c : callbacks) {
      c.onBatchEnd(epoch, batch, logs);
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    for (Callback c : callbacks) {
      c.onEpochEnd(epoch, logs);
    }
  }

  @Override
  public void onTrainEnd(History history) {
    for (Callback c : callbacks) {
      c.onTrainEnd(history);
    }
  }
}
