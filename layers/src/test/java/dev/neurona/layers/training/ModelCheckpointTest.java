package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {
  @TempDir Path tmp;
  private final Tensor[] data = ResumeFixtures.data(64, 9);

  private List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void savesEveryEpochUnderItsNumberCountedFromOne() throws Exception {
    Sequential m = ResumeFixtures.net(1, 8);
    ModelCheckpoint c = new ModelCheckpoint(tmp.resolve("ckpt/model-{epoch:02d}.zip"));
    m.fit(data[0], data[1], Fit.defaults().epochs(3).batchSize(16).callbacks(c));
    assertThat(files(tmp.resolve("ckpt"))).containsExactly("model-01.zip", "model-02.zip", "model-03.zip");
    assertThat(c.lastSaved()).isEqualTo(tmp.resolve("ckpt/model-03.zip"));
    Sequential back = Sequential.load(c.lastSaved());
    assertThat(ResumeFixtures.bits(back)).isDeepEqualTo(ResumeFixtures.bits(m));
    assertThat(back.optimizer().iterations()).isEqualTo(12);
  }

  @Test
  void saveBestOnlyKeepsTheBestEpochAndWeightsOnlyWritesSafetensors() throws Exception {
    Sequential m = ResumeFixtures.net(1, 8);
    List<List<Tensor>> perEpoch = new java.util.ArrayList<>();
    List<Double> val = new java.util.ArrayList<>();
    Callback snap = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        perEpoch.add(m.getWeights());
        val.add(logs.get("val_accuracy"));
      }
    };
    ModelCheckpoint c = new ModelCheckpoint(tmp.resolve("best-{epoch}-{val_accuracy:.3f}.safetensors"))
        .monitor("val_accuracy").saveBestOnly(true).saveWeightsOnly(true);
    m.fit(data[0], data[1], Fit.defaults().epochs(5).batchSize(8).validationSplit(0.25).callbacks(snap, c));
    int best = 0;
    for (int e = 1; e < val.size(); e++) {
      best = val.get(e) > val.get(best) ? e : best;
    }
    assertThat(c.best()).isEqualTo(val.get(best));
    Path file = tmp.resolve(String.format(java.util.Locale.ROOT, "best-%d-%.3f.safetensors", best + 1, val.get(best)));
    assertThat(c.lastSaved()).isEqualTo(file);
    Sequential fresh = ResumeFixtures.net(1, 8);
    fresh.loadWeights(file);
    List<Tensor> w = fresh.getWeights();
    for (int i = 0; i < w.size(); i++) {
      assertThat(w.get(i).data()).containsExactly(perEpoch.get(best).get(i).data());
    }
    assertThat(c.state()).containsEntry("best", val.get(best));
  }

  @Test
  void badPatternsAndMissingValuesAreNamed() {
    assertThatThrownBy(() -> new ModelCheckpoint(Path.of("m-{}.zip"))).hasMessageContaining("empty placeholder '{}'");
    assertThatThrownBy(() -> new ModelCheckpoint(Path.of("m-{epoch:x}.zip"))).hasMessageContaining("unsupported format 'x'");
    assertThatThrownBy(() -> new ModelCheckpoint(Path.of("m-{loss:02d}.zip"))).hasMessageContaining("format them with f");
    assertThatThrownBy(() -> new ModelCheckpoint(Path.of("m-{epoch:.2f}.zip"))).hasMessageContaining("format it with d");
    assertThatThrownBy(() -> new ModelCheckpoint(Path.of("m-{epoch.zip"))).hasMessageContaining("unbalanced brace");
    ModelCheckpoint c = new ModelCheckpoint(tmp.resolve("m-{val_loss}.zip"));
    assertThatThrownBy(() -> c.fileName(0, Map.of("loss", 1.0))).hasMessageContaining("names 'val_loss', which is not"
        + " in the epoch logs [loss]");
    assertThat(new ModelCheckpoint(Path.of("m-{epoch}-{loss:.2e}")).fileName(9, Map.of("loss", 0.00123)))
        .isEqualTo("m-10-1.23e-03");
    ModelCheckpoint best = new ModelCheckpoint(tmp.resolve("b.zip")).saveBestOnly(true);
    assertThatThrownBy(() -> ResumeFixtures.net(1, 8).fit(data[0], data[1], Fit.defaults().callbacks(best)))
        .hasMessageContaining("monitor 'val_loss' is not in the epoch logs");
  }
}
