package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A Keras-like progress display:
 * <pre>
 * Epoch 2/10
 * 469/469 [==============================] - 12s 25ms/step - loss: 0.0435 - accuracy: 0.9866 - val_loss: 0.0390
 * </pre>
 * While an epoch runs, one line is rewritten in place ({@code \r}) at most every 100 ms, showing
 * the ETA and the running loss and metrics. Added by {@link Fit#verbose(boolean)} on
 * {@code System.out}; pass one to {@link Fit#callbacks} to print elsewhere.
 */
public final class ProgressBar implements Callback {
  private static final int WIDTH = 30;
  private static final long INTERVAL_NANOS = 100_000_000L;

  private final PrintStream out;
  private final LongSupplier clock;
  private int epochs;
  private int steps;
  private long epochStart;
  private long lastPrint;
  private boolean printed;
  private int current;
  private int lastLength;

  /** Writes to {@code out}. */
  public ProgressBar(PrintStream out) {
    this(out, System::nanoTime);
  }

  /** Writes to {@code out}, reading time (in nanoseconds) from {@code clock}. */
  ProgressBar(PrintStream out, LongSupplier clock) {
    if (out == null) {
      throw new IllegalArgumentException("ProgressBar: out must not be null");
    }
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    epochs = info.epochs();
    steps = info.stepsPerEpoch();
  }

  @Override
  public void onEpochBegin(int epoch) {
    out.println("Epoch " + (epoch + 1) + "/" + epochs);
    out.flush();
    epochStart = clock.getAsLong();
    printed = false;
    current = 0;
    lastLength = 0;
  }

  @Override
  public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
    current = batch + 1;
    long now = clock.getAsLong();
    if (current >= steps || printed && now - lastPrint < INTERVAL_NANOS) {
      return; // the last step is printed by onEpochEnd, with the validation values
    }
    double perStep = (now - epochStart) / 1e9 / current;
    String line = bar(current) + " - ETA: " + eta(perStep * (steps - current)) + values(logs);
    write(line, false);
    lastPrint = now;
    printed = true;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    double total = (clock.getAsLong() - epochStart) / 1e9;
    int done = Math.max(current, 1);
    String line = bar(current) + " - " + String.format(Locale.ROOT, "%.0fs", total) + " "
        + perStep(total / done) + values(logs);
    write(line, true);
  }

  private void write(String line, boolean last) {
    StringBuilder sb = new StringBuilder();
    if (printed) {
      sb.append('\r');
    }
    sb.append(line);
    for (int i = line.length(); i < lastLength; i++) {
      sb.append(' '); // blank out the end of a longer previous line
    }
    if (last) {
      sb.append('\n');
    }
    out.print(sb);
    out.flush();
    lastLength = line.length();
  }

  /** {@code  37/469 [==>...........................]}: the count right-aligned, as Keras does. */
  private String bar(int done) {
    String digits = Integer.toString(steps);
    String count = String.format(Locale.ROOT, "%" + digits.length() + "d/%d", done, steps);
    int filled = (int) ((long) WIDTH * done / steps);
    StringBuilder sb = new StringBuilder(count).append(" [");
    if (filled > 0) {
      sb.append("=".repeat(filled - 1)).append(done < steps ? '>' : '=');
    }
    sb.append(".".repeat(WIDTH - filled)).append(']');
    return sb.toString();
  }

  /** {@code  - loss: 0.0435 - accuracy: 0.9866}; tiny values in scientific notation as Keras does. */
  private static String values(Map<String, Double> logs) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      double v = e.getValue();
      String fmt = Math.abs(v) > 1e-3 || v == 0 || !Double.isFinite(v) ? "%.4f" : "%.4e";
      sb.append(" - ").append(e.getKey()).append(": ").append(String.format(Locale.ROOT, fmt, v));
    }
    return sb.toString();
  }

  /** {@code 8s}, {@code 2:05}, {@code 1:02:05}. */
  static String eta(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
    return s + "s";
  }

  /** {@code 25ms/step}, {@code 2s/step}, {@code 850us/step}. */
  static String perStep(double seconds) {
    if (seconds >= 1 || seconds == 0) {
      return String.format(Locale.ROOT, "%.0fs/step", seconds);
    }
    if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
  }
}
