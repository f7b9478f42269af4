package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one CSV row per epoch, as Keras' {@code CSVLogger}: a header {@code epoch,loss,accuracy,
 * val_loss,val_accuracy}, then the epoch's index (from 0) and its logs, numbers written with
 * {@link Double#toString}, {@code NA} for a value an epoch lacks. Unlike Keras the columns follow the
 * logs' order (loss, metrics, validation values) rather than sorted names, as {@link History#toCsv()}
 * does. Each row is appended and flushed at the end of its epoch, so the file shows the run so far.
 *
 * <p>With {@code append} false the file is replaced by the first row of a fit; with {@code append}
 * true rows are added to an existing file, whose header must name the same columns. Resumed by
 * {@link BackupAndRestore}, it always appends, after first cutting the file back to its length when
 * the backup was written: rows of epochs that the interrupted run finished after its last backup
 * (and that the resumed run repeats) are not written twice.
 */
public final class CSVLogger implements StatefulCallback {
  private final Path file;
  private final char separator;
  private final boolean append;

  /** Whether the next row is the first of this fit. */
  private boolean started;
  /** Whether this fit was resumed: the file is continued whatever {@code append} says. */
  private boolean resumed;
  /** The columns after {@code epoch}, from the header written or found; null before the first row. */
  private List<String> keys;
  /** The file's length after this logger's last row. */
  private long bytes;

  /** A logger that replaces {@code file} with this fit's rows, separated by commas. */
  public CSVLogger(Path file) {
    this(file, ',', false);
  }

  /** A logger that appends to {@code file} when {@code append}, else replaces it. */
  public CSVLogger(Path file, boolean append) {
    this(file, ',', append);
  }

  /**
   * @param file the CSV file; its directory must exist when the first row is written
   * @param separator the column separator (Keras: {@code ","}); not a digit, letter, quote, dot, minus
   *     or line break
   * @param append whether to add rows to an existing file rather than replace it
   */
  public CSVLogger(Path file, char separator, boolean append) {
    if (file == null) {
      throw new IllegalArgumentException("CSVLogger: file must not be null");
    }
    if (Character.isLetterOrDigit(separator) || "\"'.-+\r\n".indexOf(separator) >= 0) {
      throw new IllegalArgumentException("CSVLogger: separator '" + separator + "' would be mistaken for part of a value");
    }
    this.file = file;
    this.separator = separator;
    this.append = append;
  }

  /** The CSV file. */
  public Path file() {
    return file;
  }

  @Override
  public void onTrainBegin(Sequential model, FitInfo info) {
    started = false;
    resumed = false;
    keys = null;
    bytes = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    try {
      if (!started) {
        started = true;
        if (append || resumed) {
          keys = readHeader();
        } else {
          Files.deleteIfExists(file);
          keys = null;
        }
      }
      StringBuilder sb = new StringBuilder();
      if (keys == null) {
        keys = new ArrayList<>(logs.keySet());
        sb.append("epoch");
        for (String k : keys) {
          sb.append(separator).append(k);
        }
        sb.append('\n');
      } else if (!new HashSet<>(keys).containsAll(logs.keySet())) {
        throw new IllegalStateException("CSVLogger: " + file + " has the columns " + keys + " but the epoch logs are "
            + logs.keySet() + "; write to another file, or pass append=false to replace it");
      }
      sb.append(epoch);
      for (String k : keys) {
        Double v = logs.get(k);
        sb.append(separator).append(v == null ? "NA" : Double.toString(v));
      }
      sb.append('\n');
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write " + file + " (" + e + ")", e);
    }
  }

  /** The columns after {@code epoch} in the file's header, or null when there is no file or it is empty. */
  private List<String> readHeader() throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return null;
    }
    String header;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      header = r.readLine();
    }
    List<String> cols = header == null ? List.of() : Arrays.asList(header.split(java.util.regex.Pattern.quote(
        String.valueOf(separator)), -1));
    if (cols.isEmpty() || !cols.get(0).equals("epoch")) {
      throw new IllegalStateException("CSVLogger: cannot append to " + file + ": its first line is not a header"
          + " starting with 'epoch' (got '" + header + "')");
    }
    return new ArrayList<>(cols.subList(1, cols.size()));
  }

  /** {@code bytes}: the file's length after the last row this logger wrote. */
  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("bytes", bytes);
    return s;
  }

  /** Cuts the file back to the saved length (rows written after the backup go) and appends from there on. */
  @Override
  public void restoreState(Map<String, Object> state) {
    StateValues v = new StateValues("CSVLogger", state);
    long saved = v.integer("bytes", 0, Long.MAX_VALUE);
    v.done();
    try {
      if (Files.exists(file) && Files.size(file) > saved) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(saved);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot cut " + file + " back to the " + saved
          + " bytes it had at the backup: " + e.getMessage(), e);
    }
    this.bytes = saved;
    this.resumed = true;
  }
}
