package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.ResumeFixtures.Crash;
import dev.neurona.optim.Adam;
import dev.neurona.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming in the same JVM from a backup written by a fit that "died" (a callback throwing, so that
 * nothing after that point ran): new model and callback objects stand for the new process, and the
 * result must be bit for bit the uninterrupted run's. {@link BackupAndRestoreKillTest} does the same
 * with real {@code kill -9}s.
 */
class BackupAndRestoreTest {
  @TempDir Path tmp;
  private final Tensor[] data = ResumeFixtures.data(96, 5);

  /** The callbacks of one "process": EarlyStopping keeping the best weights (tensor state), a CSVLogger, a progress bar. */
  private record Run(Sequential model, EarlyStopping es, CSVLogger csv, ByteArrayOutputStream progress, Fit fit) {}

  private Run run(Path csvFile, Callback... extra) {
    Sequential m = ResumeFixtures.net(7, 16);
    EarlyStopping es = new EarlyStopping("val_loss", 100, true);
    CSVLogger csv = new CSVLogger(csvFile);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Fit fit = Fit.defaults().epochs(8).batchSize(16).validationSplit(0.25)
        .callbacks(es, csv, new ProgressBar(new PrintStream(progress, true, StandardCharsets.UTF_8)))
        .callbacks(extra);
    return new Run(m, es, csv, progress, fit);
  }

  @Test
  void aFitResumedTwiceEndsWithTheBitsOfAnUninterruptedOne() throws Exception {
    Run ref = run(tmp.resolve("ref.csv"));
    History refHistory = ref.model().fit(data[0], data[1], ref.fit());

    Path backup = tmp.resolve("backup");
    Path csv = tmp.resolve("resumed.csv");
    Run first = run(csv, new BackupAndRestore(backup), ResumeFixtures.crashAt(2, 3));
    assertThatThrownBy(() -> first.model().fit(data[0], data[1], first.fit())).isInstanceOf(Crash.class);
    assertThat(Files.list(backup).map(p -> p.getFileName().toString())).containsExactly("epoch-2");

    BackupAndRestore second = new BackupAndRestore(backup);
    assertThat(second.backedUpEpochs()).isEqualTo(2);
    Run again = run(csv, second, ResumeFixtures.crashAt(5, -1));
    assertThatThrownBy(() -> again.model().fit(data[0], data[1], again.fit())).isInstanceOf(Crash.class);
    assertThat(second.initialEpoch()).isEqualTo(2);
    assertThat(second.backedUpEpochs()).isEqualTo(5); // epoch 5 (from 0) died before its backup

    BackupAndRestore third = new BackupAndRestore(backup);
    Run last = run(csv, third);
    History h = last.model().fit(data[0], data[1], last.fit());

    assertThat(ResumeFixtures.bits(last.model())).isDeepEqualTo(ResumeFixtures.bits(ref.model()));
    assertThat(third.initialEpoch()).isEqualTo(5);
    assertThat(h.epochIndices()).containsExactly(5, 6, 7);
    for (String k : refHistory.keys()) {
      assertThat(h.get(k)).as(k).containsExactlyElementsOf(refHistory.get(k).subList(5, 8));
    }
    assertThat(last.es().bestEpoch()).isEqualTo(ref.es().bestEpoch());
    assertThat(last.es().best()).isEqualTo(ref.es().best());
    // The CSV holds each epoch once, with the same numbers: the rows the second run wrote for epoch 5 before
    // dying are gone.
    assertThat(Files.readString(csv)).isEqualTo(Files.readString(tmp.resolve("ref.csv")));
    String progress = last.progress().toString(StandardCharsets.UTF_8);
    assertThat(progress).startsWith("Epoch 6/8").contains("Epoch 8/8").doesNotContain("Epoch 5/8");
    assertThat(backup).doesNotExist();
    assertThat(last.model().optimizer().iterations()).isEqualTo(ref.model().optimizer().iterations());
    assertThat(((Dropout) last.model().layers().get(1)).callCount())
        .isEqualTo(((Dropout) ref.model().layers().get(1)).callCount());
  }

  @Test
  void theNewCallbacksLeaveTheTrainingBitsAsTheyAre() {
    Fit base = Fit.defaults().epochs(4).batchSize(16).validationSplit(0.25);
    Sequential plain = ResumeFixtures.net(7, 16);
    History hp = plain.fit(data[0], data[1], base);
    Sequential watched = ResumeFixtures.net(7, 16);
    History hw = watched.fit(data[0], data[1], base.callbacks(new BackupAndRestore(tmp.resolve("w")),
        new CSVLogger(tmp.resolve("w.csv")), new ModelCheckpoint(tmp.resolve("m-{epoch}.zip")), new TerminateOnNaN(),
        new EarlyStopping(100)));
    assertThat(ResumeFixtures.bits(watched)).isDeepEqualTo(ResumeFixtures.bits(plain));
    assertThat(hw.asMap()).isEqualTo(hp.asMap());
    assertThat(hw.epochIndices()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aStoppedFitWhoseBackupOutlivedItTrainsNoFurther() throws Exception {
    Path backup = tmp.resolve("b");
    Sequential m = ResumeFixtures.net(3, 8);
    EarlyStopping es = new EarlyStopping("loss", 0, false, 10.0, EarlyStopping.Mode.MIN); // stops after epoch 1
    History h = m.fit(data[0], data[1], Fit.defaults().epochs(6).batchSize(32)
        .callbacks(es, new BackupAndRestore(backup).deleteCheckpoint(false)));
    assertThat(h.epochs()).isEqualTo(2);
    assertThat(backup.resolve("epoch-2")).isDirectory();

    // As if killed after the last backup but before it was deleted: the next run must not train again.
    Sequential again = ResumeFixtures.net(3, 8);
    EarlyStopping es2 = new EarlyStopping("loss", 0, false, 10.0, EarlyStopping.Mode.MIN);
    History h2 = again.fit(data[0], data[1], Fit.defaults().epochs(6).batchSize(32)
        .callbacks(es2, new BackupAndRestore(backup)));
    assertThat(h2.epochs()).isZero();
    assertThat(again.stopRequested()).isTrue();
    assertThat(es2.stoppedEpoch()).isEqualTo(1);
    assertThat(ResumeFixtures.bits(again)).isDeepEqualTo(ResumeFixtures.bits(m));
    assertThat(backup).doesNotExist();
  }

  @Test
  void reduceLrOnPlateauLowersTheRateAtTheSameEpochsAfterAResume() {
    Fit base = Fit.defaults().epochs(6).batchSize(16).validationSplit(0.25);
    Sequential ref = constantRateNet();
    ReduceLROnPlateau refR = new ReduceLROnPlateau("val_loss", 0.5, 2).minDelta(10).cooldown(1);
    ref.fit(data[0], data[1], base.callbacks(refR));
    assertThat(refR.reductions()).isEqualTo(2);

    Path backup = tmp.resolve("lr");
    Sequential first = constantRateNet();
    assertThatThrownBy(() -> first.fit(data[0], data[1], base.callbacks(
        new ReduceLROnPlateau("val_loss", 0.5, 2).minDelta(10).cooldown(1), new BackupAndRestore(backup),
        ResumeFixtures.crashAt(3, 1)))).isInstanceOf(Crash.class);
    assertThat(first.optimizer().learningRate()).isLessThan(0.01f);

    Sequential resumed = constantRateNet();
    ReduceLROnPlateau r = new ReduceLROnPlateau("val_loss", 0.5, 2).minDelta(10).cooldown(1);
    resumed.fit(data[0], data[1], base.callbacks(r, new BackupAndRestore(backup)));
    assertThat(r.reductions()).isEqualTo(2);
    assertThat(resumed.optimizer().learningRate()).isEqualTo(ref.optimizer().learningRate());
    assertThat(ResumeFixtures.bits(resumed)).isDeepEqualTo(ResumeFixtures.bits(ref));
  }

  private static Sequential constantRateNet() {
    Sequential m = ResumeFixtures.net(11, 8);
    m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
    return m;
  }

  @Test
  void aBackupThatDoesNotFitTheResumedFitIsRefusedNamingWhatDiffers() {
    Path backup = tmp.resolve("bad");
    Fit fit = Fit.defaults().epochs(4).batchSize(16).callbacks(new EarlyStopping("loss", 5, false));
    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0], data[1],
        fit.callbacks(new BackupAndRestore(backup), ResumeFixtures.crashAt(1, 0)))).isInstanceOf(Crash.class);

    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0], data[1],
        fit.batchSize(8).callbacks(new BackupAndRestore(backup))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(backup.resolve("epoch-1").toString())
        .hasMessageContaining("batch size 16, this fit has 8")
        .hasMessageContaining("delete " + backup);
    assertThatThrownBy(() -> ResumeFixtures.net(2, 8).fit(data[0], data[1], fit.callbacks(new BackupAndRestore(backup))))
        .hasMessageContaining("a model with seed 1, this one has seed 2");
    assertThatThrownBy(() -> ResumeFixtures.net(1, 9).fit(data[0], data[1], fit.callbacks(new BackupAndRestore(backup))))
        .hasMessageContaining("holds the layers");
    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0], data[1],
        Fit.defaults().epochs(4).batchSize(16).callbacks(new BackupAndRestore(backup))))
        .hasMessageContaining("the callbacks [dev.neurona.layers.training.EarlyStopping]")
        .hasMessageContaining("stateful callbacks are []");
    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0].copy(), data[1].copy(),
        fit.seed(99).callbacks(new BackupAndRestore(backup))))
        .hasMessageContaining("shuffling seed");
    Sequential sgd = ResumeFixtures.net(1, 8);
    sgd.compile(SGD.builder().momentum(0.9).build(), "sparse_categorical_crossentropy", "accuracy");
    assertThatThrownBy(() -> sgd.fit(data[0], data[1], fit.callbacks(new BackupAndRestore(backup))))
        .hasMessageContaining("was written with the optimizer {name=adam");
    // Nothing was changed by the refusals: the backup still resumes.
    History h = ResumeFixtures.net(1, 8).fit(data[0], data[1], fit.callbacks(new BackupAndRestore(backup)));
    assertThat(h.epochIndices()).containsExactly(1, 2, 3);
  }

  @Test
  void leftoversOfInterruptedWritesAndOlderBackupsAreRemovedAndTheNewestIsUsed() throws Exception {
    Path backup = tmp.resolve("left");
    Fit fit = Fit.defaults().epochs(5).batchSize(16);
    assertThatThrownBy(() -> ResumeFixtures.net(4, 8).fit(data[0], data[1],
        fit.callbacks(new BackupAndRestore(backup), ResumeFixtures.crashAt(3, 2)))).isInstanceOf(Crash.class);
    // What a kill in the middle of writing epoch 4's backup, or of deleting epoch 2's, leaves behind.
    Files.createDirectories(backup.resolve(".tmp-123/x"));
    Files.writeString(backup.resolve(".tmp-123/model.zip"), "half a zip");
    Files.createDirectories(backup.resolve(".old-456/epoch-2"));
    Files.createDirectories(backup.resolve("epoch-2"));
    Files.writeString(backup.resolve("epoch-2/training.json"), "{");

    Sequential ref = ResumeFixtures.net(4, 8);
    ref.fit(data[0], data[1], fit);
    BackupAndRestore b = new BackupAndRestore(backup).deleteCheckpoint(false);
    Sequential m = ResumeFixtures.net(4, 8);
    m.fit(data[0], data[1], fit.callbacks(b));
    assertThat(b.initialEpoch()).isEqualTo(3);
    assertThat(ResumeFixtures.bits(m)).isDeepEqualTo(ResumeFixtures.bits(ref));
    try (Stream<Path> s = Files.list(backup)) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toList())).containsExactly("epoch-5");
    }
    assertThat(List.of(Files.list(backup.resolve("epoch-5")).map(p -> p.getFileName().toString()).sorted().toArray()))
        .containsExactly("callbacks.safetensors", "model.zip", "training.json");
    // An ordinary model file: it loads, with its optimizer.
    Sequential loaded = Sequential.load(backup.resolve("epoch-5/model.zip"));
    assertThat(ResumeFixtures.bits(loaded)).isDeepEqualTo(ResumeFixtures.bits(ref));
    assertThat(loaded.optimizer().iterations()).isEqualTo(ref.optimizer().iterations());
  }

  @Test
  void aBrokenBackupIsReportedNotSkipped() throws Exception {
    Path backup = tmp.resolve("broken");
    Fit fit = Fit.defaults().epochs(3).batchSize(16);
    assertThatThrownBy(() -> ResumeFixtures.net(4, 8).fit(data[0], data[1],
        fit.callbacks(new BackupAndRestore(backup), ResumeFixtures.crashAt(2, 0)))).isInstanceOf(Crash.class);
    Path json = backup.resolve("epoch-2/training.json");
    Files.writeString(json, Files.readString(json).replace("\"stopped\"", "\"stoped\""));
    assertThatThrownBy(() -> ResumeFixtures.net(4, 8).fit(data[0], data[1], fit.callbacks(new BackupAndRestore(backup))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(json.toString())
        .hasMessageContaining("missing [stopped] unknown [stoped]")
        .hasMessageContaining("delete " + backup + " to start over");
  }

  @Test
  void theOptimizerMustBeResumableAndOneBackupPerFit() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    assertThatThrownBy(() -> m.fit(Fixtures.xorX(), Fixtures.xorY(),
        Fit.defaults().callbacks(new BackupAndRestore(tmp.resolve("x")))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BackupAndRestore cannot save the state");
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0], data[1], Fit.defaults()
        .callbacks(new BackupAndRestore(tmp.resolve("a")), new BackupAndRestore(tmp.resolve("b")))))
        .hasMessageContaining("two BackupAndRestore callbacks");
    assertThatThrownBy(() -> new BackupAndRestore(null)).hasMessageContaining("backupDir must not be null");
  }

  @Test
  void aFitThatFailsKeepsItsBackupAsKerasDoes() {
    Path backup = tmp.resolve("nan");
    Sequential m = ResumeFixtures.net(1, 8);
    m.compile(new Adam(0.01), new Fixtures.NanOnCall(Losses.of("sparse_categorical_crossentropy"), 10));
    assertThatThrownBy(() -> m.fit(data[0], data[1], Fit.defaults().epochs(3).batchSize(16)
        .callbacks(new BackupAndRestore(backup)))).isInstanceOf(NonFiniteLossException.class);
    assertThat(backup.resolve("epoch-1")).isDirectory();
  }
}
