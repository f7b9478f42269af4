package dev.neurona.layers.training;

import dev.neurona.core.Parameter;
import dev.neurona.layers.Layer;
import dev.neurona.layers.SeededLayer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.saving.ModelFormatException;
import dev.neurona.layers.saving.TrainingCheckpoint;
import dev.neurona.layers.training.TrainingState.CallbackState;
import dev.neurona.optim.AbstractOptimizer;
import dev.neurona.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a {@code fit} survive being killed, as Keras' {@code BackupAndRestore}: at the end of every
 * epoch the whole training state is written to a backup directory; a {@code fit} given this
 * callback first looks there and, when it finds a backup, goes on from it; when training finishes
 * (all epochs run, or stopped by a callback), the backup is deleted.
 * <pre>{@code
 * // run this again after a crash or kill -9: it continues where the last completed epoch left off
 * model.fit(train, Fit.defaults().epochs(8).callbacks(new BackupAndRestore(Path.of("out/backup"))));
 * }</pre>
 *
 * <p><b>Exact.</b> The resumed run computes the same bits as one that was never interrupted: a
 * backup holds everything that decides the next step — the weights; the optimizer's buffers, step
 * count (hence the learning-rate schedule's position) and learning rate; the epoch; the shuffling
 * seed (the resumed fit replays the earlier epochs' shuffles, which restores both the sample order
 * and the generator); the call counter of every {@link SeededLayer} (Dropout masks, augmentation
 * draws); the model's count of fits; and the state of every {@link StatefulCallback} of the fit
 * ({@link EarlyStopping}, {@link ReduceLROnPlateau}, {@link ModelCheckpoint}, {@link CSVLogger}).
 * Epoch numbers go on: resumed after 3 of 8 epochs, the progress bar shows epochs 4 to 8 and the
 * {@link History} returned records those five with {@linkplain History#epochIndices() indices} 3 to 7.
 *
 * <p><b>Atomic.</b> Each backup is written into a temporary directory, every file forced to the
 * disk, then renamed to {@code epoch-<n>} ({@code n} epochs done) in one step; only then is the
 * previous one deleted. Killed at any moment, even mid-write, the directory holds at least one
 * complete {@code epoch-<n>}, or none before the first epoch ends; leftovers of an interrupted write
 * are removed by the next run. Layout:
 * <pre>
 * backupDir/epoch-3/model.zip               the model file: config, weights, optimizer
 * backupDir/epoch-3/training.json           epoch, shuffling, seeded layers, callbacks
 * backupDir/epoch-3/callbacks.safetensors   tensors in the callbacks' state
 * </pre>
 * (see {@link TrainingCheckpoint}). Each {@code model.zip} is an ordinary model file.
 *
 * <p><b>Checked.</b> Resuming with other data (sample count), batch size, shuffling, shuffling
 * seed, model (seed, layers, parameter names and shapes), optimizer hyper-parameters, seeded layers
 * or stateful callbacks than the backup was written with fails, naming the backup and what differs,
 * before anything changes; the backup's learning rate (which {@link ReduceLROnPlateau} may have
 * lowered) replaces the optimizer's. At most one {@code BackupAndRestore} per fit; the optimizer
 * must be resumable (SGD, Adam). A fit that ends with an exception keeps the backup, as in Keras.
 */
public final class BackupAndRestore implements Callback {
  private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(0|[1-9][0-9]{0,8})");
  private static final String TEMP_PREFIX = ".tmp-";
  private static final String OLD_PREFIX = ".old-";

  private final Path dir;
  private boolean deleteCheckpoint = true;
  private int initialEpoch;

  /** Backs up into {@code backupDir} (created when the first epoch ends), which it should have to itself. */
  public BackupAndRestore(Path backupDir) {
    if (backupDir == null) {
      throw new IllegalArgumentException("BackupAndRestore: backupDir must not be null");
    }
    this.dir = backupDir;
  }

  /** Whether to delete the backup when training finishes (Keras' {@code delete_checkpoint}, default true); returns this. */
  public BackupAndRestore deleteCheckpoint(boolean delete) {
    this.deleteCheckpoint = delete;
    return this;
  }

  /** The backup directory. */
  public Path backupDir() {
    return dir;
  }

  /** The epoch (from 0) the current or last fit started at: 0, or the number of epochs it restored. */
  public int initialEpoch() {
    return initialEpoch;
  }

  /**
   * The number of epochs the newest backup in {@link #backupDir()} holds, or -1 when there is none: what
   * a {@code fit} would resume from (to tell the user before training).
   */
  public int backedUpEpochs() throws IOException {
    return newest();
  }

  /** Deletes the backup when {@link #deleteCheckpoint} says so: training has finished. */
  @Override
  public void onTrainEnd(History history) {
    if (!deleteCheckpoint) {
      return;
    }
    try {
      deleteBackups();
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: training finished but the backup " + dir
          + " could not be deleted: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- the directory

  /** The {@code n} of the newest {@code epoch-<n>}, or -1. */
  private int newest() throws IOException {
    int best = -1;
    if (!Files.isDirectory(dir)) {
      return best;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        Matcher m = EPOCH_DIR.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          best = Math.max(best, Integer.parseInt(m.group(1)));
        }
      }
    }
    return best;
  }

  /** Removes the leftovers of interrupted writes and deletions, and every backup but {@code keep} (none when -1). */
  private void cleanUp(int keep) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> remove = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        Matcher m = EPOCH_DIR.matcher(name);
        if (name.startsWith(TEMP_PREFIX) || name.startsWith(OLD_PREFIX)
            || m.matches() && Integer.parseInt(m.group(1)) != keep) {
          remove.add(p);
        }
      }
    }
    for (Path p : remove) {
      if (EPOCH_DIR.matcher(p.getFileName().toString()).matches()) {
        // Renamed away first: a deletion cut short must not leave a half-deleted epoch-<n> behind.
        Path old = Files.createTempDirectory(dir, OLD_PREFIX);
        Path moved = old.resolve(p.getFileName());
        Files.move(p, moved, StandardCopyOption.ATOMIC_MOVE);
        p = old;
      }
      deleteTree(p);
    }
  }

  private void deleteBackups() throws IOException {
    cleanUp(-1);
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
        if (s.iterator().hasNext()) {
          return; // files that are not ours: leave them, and the directory
        }
      }
      Files.delete(dir);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Forces the directory's entries to the disk where the platform can (Linux, macOS); elsewhere the rename stands alone. */
  private static void forceDirectory(Path d) {
    try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; a kill -9 cannot lose a rename anyway, only a power cut can.
    }
  }

  // ---------------------------------------------------------------- save (the trainer calls it after each epoch's callbacks)

  /** Writes {@code state} and the model as the backup {@code epoch-<state.epoch()>}, then deletes the older ones. */
  void save(Sequential model, TrainingState state) {
    try {
      Files.createDirectories(dir);
      cleanUp(newest());
      Path temp = Files.createTempDirectory(dir, TEMP_PREFIX);
      try {
        TrainingCheckpoint.write(temp, model, state);
        forceDirectory(temp);
        Path target = dir.resolve("epoch-" + state.epoch());
        if (Files.exists(target)) {
          // Not reached by fit (it resumes from the newest backup and writes later epochs); replaced to be safe.
          Files.move(target, Files.createTempDirectory(dir, OLD_PREFIX).resolve(target.getFileName()),
              StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
      } finally {
        if (Files.exists(temp)) {
          deleteTree(temp);
        }
      }
      cleanUp(state.epoch());
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: cannot write the backup of epoch " + state.epoch() + " to "
          + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The training state captured after an epoch: the seeded layers' counters and the stateful
   * callbacks' state, with the trainer's own numbers.
   */
  static TrainingState capture(Sequential model, int epochsDone, boolean stopped, int fitCount, long shuffleSeed,
      boolean shuffle, FitInfo info, List<Callback> callbacks) {
    Map<String, Long> layers = new LinkedHashMap<>();
    for (Layer l : model.layers()) {
      if (l instanceof SeededLayer) {
        layers.put(l.name(), ((SeededLayer) l).callCount());
      }
    }
    List<CallbackState> states = new ArrayList<>();
    for (Callback c : callbacks) {
      if (c instanceof StatefulCallback) {
        Map<String, Object> s = ((StatefulCallback) c).state();
        if (s == null) {
          throw new IllegalStateException("BackupAndRestore: " + c.getClass().getName() + ".state() returned null");
        }
        states.add(new CallbackState(c.getClass().getName(), s));
      }
    }
    return new TrainingState(epochsDone, info.epochs(), stopped, fitCount, shuffle, shuffleSeed, info.samples(),
        info.batchSize(), info.validationSamples(), layers, states);
  }

  // ---------------------------------------------------------------- restore (the trainer calls it after onTrainBegin)

  /**
   * Finds the newest backup and, if there is one, checks it fits this fit and puts its state into
   * the model, its optimizer, its seeded layers and the stateful callbacks; returns it for the
   * trainer's own part (epoch, shuffling, fit count), or null when there is no backup.
   */
  TrainingState restore(Sequential model, FitInfo info, Fit options, List<Callback> callbacks) {
    initialEpoch = 0;
    TrainingCheckpoint.Contents backup;
    Path from;
    try {
      int n = newest();
      cleanUp(n);
      if (n < 0) {
        return null;
      }
      from = dir.resolve("epoch-" + n);
      backup = TrainingCheckpoint.read(from);
    } catch (NoSuchFileException | ModelFormatException e) {
      throw new IllegalStateException("BackupAndRestore: cannot resume from the backup in " + dir + ": "
          + e.getMessage() + "; delete " + dir + " to start over", e);
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore: cannot read the backup in " + dir + ": " + e.getMessage(), e);
    }
    TrainingState s = backup.state();
    String where = "BackupAndRestore: the backup " + from;
    String fix = "; resume with the same data, options, model and callbacks, or delete " + dir + " to start over";
    check(s.samples() == info.samples(), where + " was written by a fit on " + s.samples()
        + " training samples, this one has " + info.samples() + fix);
    check(s.batchSize() == info.batchSize(), where + " was written with batch size " + s.batchSize()
        + ", this fit has " + info.batchSize() + fix);
    check(s.validationSamples() == info.validationSamples(), where + " was written with " + s.validationSamples()
        + " validation samples, this fit has " + info.validationSamples() + fix);
    check(s.shuffle() == options.shuffle(), where + " was written with shuffle " + s.shuffle() + ", this fit has "
        + options.shuffle() + fix);
    check(options.seed() == null || options.seed() == s.shuffleSeed(), where + " was written with shuffling seed "
        + s.shuffleSeed() + ", this fit has " + options.seed() + fix);

    Sequential saved = backup.model();
    check(saved.seed() == model.seed(), where + " holds a model with seed " + saved.seed() + ", this one has seed "
        + model.seed() + fix);
    check(describeLayers(saved).equals(describeLayers(model)), where + " holds the layers " + describeLayers(saved)
        + ", this model has " + describeLayers(model) + fix);
    List<Parameter> ps = model.parameters();
    List<Parameter> savedPs = saved.parameters();
    check(ps.size() == savedPs.size(), where + " holds " + savedPs.size() + " parameters, this model has " + ps.size()
        + fix);
    for (int i = 0; i < ps.size(); i++) {
      check(ps.get(i).name().equals(savedPs.get(i).name()) && ps.get(i).shape().equals(savedPs.get(i).shape()),
          where + " holds parameter '" + savedPs.get(i).name() + "' " + savedPs.get(i).shape() + " where this model has '"
              + ps.get(i).name() + "' " + ps.get(i).shape() + fix);
    }
    Optimizer opt = model.optimizer();
    Optimizer savedOpt = saved.optimizer();
    check(withoutRate(savedOpt.config()).equals(withoutRate(opt.config())), where + " was written with the optimizer "
        + savedOpt.config() + ", this fit's is " + opt.config() + fix);
    boolean newRate = !Objects.equals(savedOpt.config().get("learning_rate"), opt.config().get("learning_rate"));
    check(!newRate || opt instanceof AbstractOptimizer && savedOpt instanceof AbstractOptimizer, where
        + " has the learning rate " + savedOpt.config().get("learning_rate") + " but this fit's optimizer ("
        + opt.getClass().getName() + ") cannot take it");
    Map<String, Long> layers = new LinkedHashMap<>();
    for (Layer l : model.layers()) {
      if (l instanceof SeededLayer) {
        layers.put(l.name(), 0L);
      }
    }
    check(layers.keySet().equals(s.seededLayers().keySet()), where + " has call counters for the seeded layers "
        + s.seededLayers().keySet() + ", this model's are " + layers.keySet() + fix);
    List<StatefulCallback> stateful = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Callback c : callbacks) {
      if (c instanceof StatefulCallback) {
        stateful.add((StatefulCallback) c);
        types.add(c.getClass().getName());
      }
    }
    List<String> savedTypes = new ArrayList<>();
    for (CallbackState c : s.callbacks()) {
      savedTypes.add(c.type());
    }
    check(types.equals(savedTypes), where + " holds the state of the callbacks " + savedTypes
        + ", this fit's stateful callbacks are " + types + fix);

    // Everything fits: put the state in place.
    model.setWeights(saved.getWeights());
    opt.restoreState(savedOpt.iterations(), savedOpt.state());
    if (newRate) {
      ((AbstractOptimizer<?>) opt).setSchedule(((AbstractOptimizer<?>) savedOpt).schedule());
    }
    for (Layer l : model.layers()) {
      if (l instanceof SeededLayer) {
        ((SeededLayer) l).callCount(s.seededLayers().get(l.name()));
      }
    }
    for (int i = 0; i < stateful.size(); i++) {
      try {
        stateful.get(i).restoreState(s.callbacks().get(i).values());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + ": callback " + i + " (" + types.get(i) + "): " + e.getMessage(), e);
      }
    }
    initialEpoch = s.epoch();
    return s;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static List<String> describeLayers(Sequential m) {
    List<String> out = new ArrayList<>();
    out.add("input " + m.inputShape());
    for (Layer l : m.layers()) {
      out.add(l.name() + " " + l.toString());
    }
    return out;
  }

  private static Map<String, Object> withoutRate(Map<String, Object> config) {
    Map<String, Object> c = new LinkedHashMap<>(config);
    c.remove("learning_rate");
    return c;
  }
}
