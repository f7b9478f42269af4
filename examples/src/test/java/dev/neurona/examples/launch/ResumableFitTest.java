package dev.neurona.examples.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --resume wiring on a small model: what a flowers or MNIST example gets from it. */
class ResumableFitTest {
  @TempDir Path tmp;

  private static Tensor[] data() {
    Random r = new Random(1);
    Tensor x = Tensor.zeros(Shape.of(60, 4));
    Tensor y = Tensor.zeros(Shape.of(60));
    for (int i = 0; i < 60; i++) {
      y.data()[i] = i % 2;
      for (int f = 0; f < 4; f++) {
        x.data()[i * 4 + f] = (float) r.nextGaussian() + (i % 2);
      }
    }
    return new Tensor[] {x, y};
  }

  private static Sequential model() {
    Sequential m = new Sequential(5).input(4).add(new Dense(8, "relu")).add(new Dropout(0.2)).add(new Dense(2, "softmax"));
    return m.compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
  }

  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void withResumeACrashedRunGoesOnAndTheHistoryFileHoldsEveryEpoch() throws Exception {
    Tensor[] d = data();
    Fit fit = Fit.defaults().epochs(4).batchSize(16).validationSplit(0.25);
    Sequential ref = model();
    History refHistory = ref.fit(d[0], d[1], fit);

    Path out = Files.createDirectory(tmp.resolve("out"));
    ResumableFit first = ResumableFit.in(out, true);
    assertThat(first.status()).startsWith("backup: after every epoch to " + out.resolve("backup"));
    Callback crash = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (epoch == 2) {
          throw new Crash();
        }
      }
    };
    assertThatThrownBy(() -> model().fit(d[0], d[1], first.apply(fit).callbacks(crash))).isInstanceOf(Crash.class);
    assertThat(ResumableFit.in(out, false).status())
        .isEqualTo("note: " + out.resolve("backup") + " holds the backup of an interrupted run (2 epoch(s) done);"
            + " add --resume to go on from it");

    ResumableFit again = ResumableFit.in(out, true);
    assertThat(again.status()).isEqualTo("backup: resuming from " + out.resolve("backup") + ", 2 epoch(s) done");
    Sequential m = model();
    History h = m.fit(d[0], d[1], again.apply(fit));
    assertThat(h.epochIndices()).containsExactly(2, 3);
    Map<String, List<Double>> all = again.history(h);
    assertThat(all).isEqualTo(refHistory.asMap());
    assertThat(m.getWeights().get(0).data()).containsExactly(ref.getWeights().get(0).data());
    assertThat(out.resolve("backup")).doesNotExist();
    assertThat(again.status()).startsWith("backup: after every epoch");
    assertThat(Files.readAllLines(again.historyFile())).hasSize(5).first().isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy");
  }

  @Test
  void withoutResumeNothingIsAdded() throws Exception {
    ResumableFit r = ResumableFit.in(tmp, false);
    Fit fit = Fit.defaults();
    assertThat(r.apply(fit)).isSameAs(fit);
    assertThat(r.status()).isNull();
    History h = model().fit(data()[0], data()[1], fit);
    assertThat(r.history(h)).isEqualTo(h.asMap());
    Files.writeString(r.historyFile(), "epoch,loss\n0,x\n");
    assertThatThrownBy(() -> ResumableFit.in(tmp, true).history(h)).hasMessageContaining("column loss: 'x' is not a number");
  }
}
