package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminateOnNaNTest {
  private final Tensor[] data = ResumeFixtures.data(64, 3);

  private static Sequential nanAtStep(int n) {
    Sequential m = ResumeFixtures.net(2, 8);
    m.compile(new Adam(0.01), new dev.neurona.layers.model.Fixtures.NanOnCall(
        Losses.of("sparse_categorical_crossentropy"), n));
    return m;
  }

  @Test
  void stopsGracefullyAtTheFirstNonFiniteLossAndTheEpochEndsAsUsual() {
    Sequential m = nanAtStep(7); // the 7th step: epoch 1 (from 0), batch 2 with 4 batches per epoch
    TerminateOnNaN t = new TerminateOnNaN();
    List<String> calls = new ArrayList<>();
    Callback rec = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        calls.add("batch " + epoch + "." + batch + " " + logs.get("loss").isNaN());
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        calls.add("epoch " + epoch + " " + logs.get("loss").isNaN() + " " + logs.containsKey("val_loss"));
      }

      @Override
      public void onTrainEnd(History history) {
        calls.add("end");
      }
    };
    History h = m.fit(data[0], data[1], Fit.defaults().epochs(5).batchSize(16).validationSplit(0.25 / 1.25)
        .callbacks(t, rec));
    assertThat(t.stoppedEpoch()).isEqualTo(1);
    assertThat(t.stoppedBatch()).isEqualTo(2);
    assertThat(m.stopRequested()).isTrue();
    assertThat(h.epochIndices()).containsExactly(0, 1);
    assertThat(h.get("loss").get(1)).isNaN();
    assertThat(calls).containsSubsequence("batch 1.1 false", "batch 1.2 true", "epoch 1 true true", "end");
    assertThat(calls).doesNotContain("batch 1.3 false");
    assertThat(m.optimizer().iterations()).as("the NaN batch took no step").isEqualTo(6);
  }

  @Test
  void withoutItANonFiniteLossStillThrows() {
    assertThatThrownBy(() -> nanAtStep(3).fit(data[0], data[1], Fit.defaults().epochs(2).batchSize(16)))
        .isInstanceOf(NonFiniteLossException.class);
  }
}
