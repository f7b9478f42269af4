package dev.neurona.examples.launch;

import dev.neurona.layers.training.BackupAndRestore;
import dev.neurona.layers.training.CSVLogger;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An example's {@code --resume}: with it, training backs up to {@code <out>/backup} after every
 * epoch ({@link BackupAndRestore}) and, run again after a crash or {@code kill -9}, goes on from
 * the last backup, bit for bit; the per-epoch history goes to {@code <out>/history.csv} as training
 * runs ({@link CSVLogger}), so it covers every epoch, before and after the resume. Without
 * {@code --resume} nothing changes, except that a backup left by an interrupted run is pointed out.
 * <pre>{@code
 * ResumableFit resume = ResumableFit.in(outDir, options.resume);
 * String status = resume.status();          // print it, if not null
 * History h = model.fit(train, resume.apply(fit));
 * Map<String, List<Double>> all = resume.history(h);   // every epoch, for the plots
 * if (!resume.enabled()) Files.writeString(outDir.resolve("history.csv"), h.toCsv());
 * }</pre>
 */
public final class ResumableFit {
  /** The history file in the output directory. */
  public static final String HISTORY = "history.csv";
  /** The backup directory in the output directory. */
  public static final String BACKUP = "backup";

  private final Path outDir;
  private final boolean enabled;

  private ResumableFit(Path outDir, boolean enabled) {
    this.outDir = outDir;
    this.enabled = enabled;
  }

  /**
   * The wiring for an example writing into {@code outDir} (which must exist when training starts, as
   * {@link LaunchChecks#outputDirectory} leaves it), resumable when {@code enabled} ({@code --resume}).
   */
  public static ResumableFit in(Path outDir, boolean enabled) {
    if (outDir == null) {
      throw new IllegalArgumentException("ResumableFit: outDir must not be null");
    }
    return new ResumableFit(outDir, enabled);
  }

  /** Whether {@code --resume} was given. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code <out>/backup}. */
  public Path backupDir() {
    return outDir.resolve(BACKUP);
  }

  /** {@code <out>/history.csv}. */
  public Path historyFile() {
    return outDir.resolve(HISTORY);
  }

  /**
   * One line for the user about the backup before training: where it goes and whether the run resumes;
   * without {@code --resume}, a note when a backup of an interrupted run is there; else null.
   */
  public String status() throws IOException {
    int done = new BackupAndRestore(backupDir()).backedUpEpochs();
    if (enabled) {
      return done < 0
          ? "backup: after every epoch to " + backupDir() + " (run the same command again to resume after a crash)"
          : "backup: resuming from " + backupDir() + ", " + done + " epoch(s) done";
    }
    return done < 0 ? null : "note: " + backupDir() + " holds the backup of an interrupted run (" + done
        + " epoch(s) done); add --resume to go on from it";
  }

  /** {@code fit} with, when enabled, a {@link CSVLogger} on {@link #historyFile()} and a {@link BackupAndRestore}. */
  public Fit apply(Fit fit) {
    if (!enabled) {
      return fit;
    }
    return fit.callbacks(new CSVLogger(historyFile()), new BackupAndRestore(backupDir()));
  }

  /**
   * Every epoch's values by name: {@code history}'s own when not enabled; when enabled, those in
   * {@link #historyFile()}, which also holds the epochs before a resume.
   */
  public Map<String, List<Double>> history(History history) throws IOException {
    if (!enabled) {
      return history.asMap();
    }
    List<String> lines = Files.readAllLines(historyFile(), StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).startsWith("epoch,")) {
      throw new IOException(historyFile() + ": expected a CSV history starting with 'epoch,', got "
          + (lines.isEmpty() ? "an empty file" : "'" + lines.get(0) + "'"));
    }
    String[] names = lines.get(0).split(",", -1);
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (int c = 1; c < names.length; c++) {
      out.put(names[c], new ArrayList<>());
    }
    for (int r = 1; r < lines.size(); r++) {
      String[] cells = lines.get(r).split(",", -1);
      if (cells.length != names.length) {
        throw new IOException(historyFile() + ": line " + (r + 1) + " has " + cells.length + " columns, the header "
            + names.length);
      }
      for (int c = 1; c < names.length; c++) {
        try {
          out.get(names[c]).add(cells[c].equals("NA") ? Double.NaN : Double.parseDouble(cells[c]));
        } catch (NumberFormatException e) {
          throw new IOException(historyFile() + ": line " + (r + 1) + ", column " + names[c] + ": '" + cells[c]
              + "' is not a number", e);
        }
      }
    }
    return out;
  }
}
