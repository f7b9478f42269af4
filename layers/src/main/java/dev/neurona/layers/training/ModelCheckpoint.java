package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.saving.ModelFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model at the end of every epoch, or only when a monitored value improves, as Keras'
 * {@code ModelCheckpoint}:
 * <pre>{@code
 * new ModelCheckpoint(Path.of("ckpt/model-{epoch:02d}.zip"))                       // every epoch
 * new ModelCheckpoint(Path.of("best.zip")).monitor("val_accuracy").saveBestOnly(true)
 * new ModelCheckpoint(Path.of("w-{epoch}-{val_loss:.4f}.safetensors")).saveWeightsOnly(true)
 * }</pre>
 *
 * <p>The file name may hold placeholders, filled in at each save as Keras does with Python's
 * {@code str.format}: {@code {epoch}} is the epoch counted from 1, any other name is that value of
 * the epoch's logs ({@code {val_loss}}); an optional format follows a colon: {@code d} with a
 * width for the epoch ({@code {epoch:03d}}), {@code f}, {@code e} or {@code g} with a precision for
 * values ({@code {val_loss:.4f}}). Missing directories are created. A full save is a model file
 * ({@link ModelFile#save}, with the optimizer's state); {@link #saveWeightsOnly} writes the weights
 * alone in the safetensors layout ({@link ModelFile#saveWeights}). Every file is written whole or
 * not at all.
 *
 * <p>With {@link #saveBestOnly}, an epoch is saved only when its monitored value is better than
 * every earlier one (lower for {@code MIN}, higher for {@code MAX}; {@code AUTO} as in
 * {@link EarlyStopping}); that best value is saved by {@link BackupAndRestore}, so a resumed fit
 * keeps comparing with it.
 */
public final class ModelCheckpoint implements StatefulCallback {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}:]*)(?::([^{}]*))?\\}");
  private static final Pattern FORMAT = Pattern.compile("0?[0-9]{0,3}d|[0-9]{0,3}(\\.[0-9]{1,2})?[feg]");

  private final String filepath;
  private String monitor = "val_loss";
  private EarlyStopping.Mode mode = EarlyStopping.Mode.AUTO;
  private boolean saveBestOnly;
  private boolean saveWeightsOnly;

  private Sequential model;
  private boolean maximize;
  private double best;
  private Path lastSaved;

  /**
   * Saves the whole model to {@code filepath} (placeholders allowed, see the class comment) at the end
   * of every epoch.
   *
   * @throws IllegalArgumentException when a placeholder is malformed, naming it
   */
  public ModelCheckpoint(Path filepath) {
    if (filepath == null) {
      throw new IllegalArgumentException("ModelCheckpoint: filepath must not be null");
    }
    this.filepath = filepath.toString();
    Matcher m = PLACEHOLDER.matcher(this.filepath);
    while (m.find()) {
      String name = m.group(1);
      String fmt = m.group(2);
      if (name.isBlank()) {
        throw new IllegalArgumentException("ModelCheckpoint: empty placeholder '" + m.group() + "' in filepath '"
            + filepath + "'; use {epoch} or the name of a log such as {val_loss}");
      }
      if (fmt != null && !FORMAT.matcher(fmt).matches()) {
        throw new IllegalArgumentException("ModelCheckpoint: unsupported format '" + fmt + "' in '" + m.group()
            + "' of filepath '" + filepath + "'; use d with a width ({epoch:02d}) or f, e, g with a precision"
            + " ({val_loss:.4f})");
      }
      if (fmt != null && fmt.endsWith("d") != name.equals("epoch")) {
        throw new IllegalArgumentException("ModelCheckpoint: '" + m.group() + "' in filepath '" + filepath + "': "
            + (name.equals("epoch") ? "the epoch is a whole number, format it with d ({epoch:02d})"
                : "log values are numbers, format them with f, e or g ({" + name + ":.4f})"));
      }
    }
    String rest = PLACEHOLDER.matcher(this.filepath).replaceAll("");
    if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
      throw new IllegalArgumentException("ModelCheckpoint: unbalanced brace in filepath '" + filepath + "'");
    }
  }

  /** Monitors {@code monitor} (default {@code val_loss}) for {@link #saveBestOnly}; returns this. */
  public ModelCheckpoint monitor(String monitor) {
    if (monitor == null || monitor.isBlank()) {
      throw new IllegalArgumentException("ModelCheckpoint: monitor must not be blank, got '" + monitor + "'");
    }
    this.monitor = monitor;
    return this;
  }

  /** Whether lower or higher is better for the monitored value (default {@code AUTO}); returns this. */
  public ModelCheckpoint mode(EarlyStopping.Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException("ModelCheckpoint: mode must not be null");
    }
    this.mode = mode;
    return this;
  }

  /** Whether to save only epochs that improve the monitored value (default false: every epoch); returns this. */
  public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
    this.saveBestOnly = saveBestOnly;
    return this;
  }

  /** Whether to save the weights alone, in the safetensors layout (default false: the model file); returns this. */
  public ModelCheckpoint saveWeightsOnly(boolean saveWeightsOnly) {
    this.saveWeightsOnly = saveWeightsOnly;
    return this;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    this.model = model;
    this.maximize = EarlyStopping.maximizes(monitor, mode);
    this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    this.lastSaved = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (saveBestOnly) {
      Double current = logs.get(monitor);
      if (current == null) {
        throw new IllegalStateException("ModelCheckpoint: monitor '" + monitor + "' is not in the epoch logs "
            + logs.keySet() + (monitor.startsWith("val_") ? "; give fit a validationSplit or validationData" : ""));
      }
      if (Double.isNaN(current) || !(maximize ? current > best : current < best)) {
        return;
      }
      best = current;
    }
    Path file = Path.of(fileName(epoch, logs));
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      if (saveWeightsOnly) {
        ModelFile.saveWeights(model, file);
      } else {
        ModelFile.save(model, file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot save epoch " + (epoch + 1) + " to " + file + ": "
          + e.getMessage(), e);
    }
    lastSaved = file;
  }

  /** The file path for {@code epoch} (from 0) and its logs: the placeholders filled in. */
  String fileName(int epoch, Map<String, Double> logs) {
    Matcher m = PLACEHOLDER.matcher(filepath);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String fmt = m.group(2);
      String value;
      if (name.equals("epoch")) {
        value = fmt == null ? Integer.toString(epoch + 1) : String.format(Locale.ROOT, "%" + fmt, epoch + 1);
      } else {
        Double v = logs.get(name);
        if (v == null) {
          throw new IllegalStateException("ModelCheckpoint: filepath '" + filepath + "' names '" + name
              + "', which is not in the epoch logs " + logs.keySet() + " (nor is it {epoch})");
        }
        value = fmt == null ? Double.toString(v) : String.format(Locale.ROOT, "%" + fmt, v);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The file written by the last save of the current (or last) fit, or null. */
  public Path lastSaved() {
    return lastSaved;
  }

  /** The best monitored value so far ({@link #saveBestOnly}); ±infinity before the first. */
  public double best() {
    return best;
  }

  /** {@code best}: the best monitored value so far. */
  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("best", best);
    return s;
  }

  @Override
  public void restoreState(Map<String, Object> state) {
    StateValues v = new StateValues("ModelCheckpoint", state);
    double b = v.number("best");
    v.done();
    this.best = b;
  }
}
