package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.model.Sequential;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CSVLoggerTest {
  @TempDir Path tmp;
  private final Sequential model = ResumeFixtures.net(1, 4);
  private final FitInfo info = new FitInfo(3, 1, 1, 1, 0);

  private static Map<String, Double> logs(double loss, Double val) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("accuracy", 0.5);
    if (val != null) {
      m.put("val_loss", val);
    }
    return m;
  }

  @Test
  void writesAHeaderThenOneRowPerEpochAndNaForMissingValues() throws Exception {
    Path f = tmp.resolve("h.csv");
    Files.writeString(f, "old content\n");
    CSVLogger c = new CSVLogger(f);
    c.onTrainBegin(model, info);
    assertThat(Files.readString(f)).as("replaced only when the first row is written").isEqualTo("old content\n");
    c.onEpochEnd(0, logs(0.75, 0.5));
    c.onEpochEnd(1, logs(0.25, null));
    assertThat(Files.readString(f)).isEqualTo("epoch,loss,accuracy,val_loss\n0,0.75,0.5,0.5\n1,0.25,0.5,NA\n");
    assertThat(c.state()).containsEntry("bytes", Files.size(f));
    CSVLogger semi = new CSVLogger(tmp.resolve("s.csv"), ';', false);
    semi.onTrainBegin(model, info);
    semi.onEpochEnd(0, logs(1, 2.0));
    assertThat(Files.readString(tmp.resolve("s.csv"))).isEqualTo("epoch;loss;accuracy;val_loss\n0;1.0;0.5;2.0\n");
  }

  @Test
  void appendKeepsTheFileAndItsColumnsAndRefusesOtherColumns() throws Exception {
    Path f = tmp.resolve("a.csv");
    Files.writeString(f, "epoch,accuracy,loss\n0,0.1,0.9\n");
    CSVLogger c = new CSVLogger(f, true);
    c.onTrainBegin(model, info);
    c.onEpochEnd(0, logs(0.5, null));
    assertThat(Files.readString(f)).isEqualTo("epoch,accuracy,loss\n0,0.1,0.9\n0,0.5,0.5\n");
    c.onTrainBegin(model, info);
    assertThatThrownBy(() -> c.onEpochEnd(1, logs(0.5, 0.25))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(f + " has the columns [accuracy, loss] but the epoch logs are [loss, accuracy, val_loss]");
    assertThatThrownBy(() -> new CSVLogger(f, '1', true)).hasMessageContaining("separator '1'");
  }

  @Test
  void aResumeCutsRowsWrittenAfterTheBackupAndAppends() throws Exception {
    Path f = tmp.resolve("r.csv");
    CSVLogger c = new CSVLogger(f);
    c.onTrainBegin(model, info);
    c.onEpochEnd(0, logs(0.75, null));
    Map<String, Object> atBackup = c.state();
    c.onEpochEnd(1, logs(0.5, null)); // written, then the process died before epoch 1's backup

    CSVLogger resumed = new CSVLogger(f); // append false: a resume appends all the same
    resumed.onTrainBegin(model, info);
    resumed.restoreState(atBackup);
    resumed.onEpochEnd(1, logs(0.25, null));
    assertThat(Files.readString(f)).isEqualTo("epoch,loss,accuracy\n0,0.75,0.5\n1,0.25,0.5\n");
    assertThatThrownBy(() -> resumed.restoreState(Map.of("bytes", 1L, "rows", 2L)))
        .hasMessageContaining("CSVLogger.restoreState: unknown entries [rows]");
    assertThatThrownBy(() -> resumed.restoreState(Map.of("bytes", -1L))).hasMessageContaining("'bytes' must be in [0,");
  }

  @Test
  void anUnwritableFileIsNamed() {
    Path f = tmp.resolve("no/such/dir/h.csv");
    CSVLogger c = new CSVLogger(f);
    c.onTrainBegin(model, info);
    assertThatThrownBy(() -> c.onEpochEnd(0, logs(1, null))).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("CSVLogger: cannot write " + f);
  }
}
