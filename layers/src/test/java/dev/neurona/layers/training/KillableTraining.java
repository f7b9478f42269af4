package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link BackupAndRestoreKillTest}: trains the resume fixtures' network (with
 * Dropout) with a {@link BackupAndRestore} in {@code backupDir}, prints one line per epoch, and
 * writes the final weights. Run again after a {@code kill -9}, it resumes.
 *
 * <p>Usage: {@code KillableTraining <backupDir> <weightsOut>}
 */
public final class KillableTraining {
  static final int EPOCHS = 20;
  static final int HIDDEN = 256;

  private KillableTraining() {}

  /** The model trained with these options; {@code backupDir} null for no backup, {@code progress} null for silence. */
  static Sequential train(Path backupDir, PrintStream progress) {
    Tensor[] d = ResumeFixtures.data(384, 21);
    Sequential m = ResumeFixtures.net(13, HIDDEN);
    Fit fit = Fit.defaults().epochs(EPOCHS).batchSize(32).validationSplit(0.25)
        .callbacks(new EarlyStopping("val_loss", 1000, true));
    if (progress != null) {
      fit = fit.callbacks(new Callback() {
        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          progress.println("epoch " + epoch);
          progress.flush();
        }
      });
    }
    if (backupDir != null) {
      fit = fit.callbacks(new BackupAndRestore(backupDir));
    }
    m.fit(d[0], d[1], fit);
    return m;
  }

  public static void main(String[] args) throws Exception {
    Sequential m = train(Path.of(args[0]), System.out);
    m.saveWeights(Path.of(args[1]));
    System.out.println("done");
  }
}
