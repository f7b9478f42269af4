package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.SGD;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReduceLROnPlateauTest {
  private static Sequential model(double lr) {
    Sequential m = ResumeFixtures.net(1, 4);
    m.compile(SGD.builder().learningRate(lr).build(), "sparse_categorical_crossentropy");
    return m;
  }

  /** Feeds {@code values} as val_loss; returns the learning rate after each epoch. */
  private static float[] rates(ReduceLROnPlateau r, Sequential m, double... values) {
    r.onTrainBegin(m, new FitInfo(values.length, 1, 1, 1, 1));
    float[] lr = new float[values.length];
    for (int e = 0; e < values.length; e++) {
      r.onEpochEnd(e, Map.of("val_loss", values[e]));
      lr[e] = m.optimizer().learningRate();
    }
    return lr;
  }

  @Test
  void followsKerasPatienceMinDeltaCooldownAndMinLr() {
    Sequential m = model(1.0);
    ReduceLROnPlateau r = new ReduceLROnPlateau("val_loss", 0.5, 2).minDelta(0.01).cooldown(1).minLr(0.2);
    // 1.0 improves; 0.995 is within minDelta (wait 1); 0.99 (wait 2) → 0.5, cooldown 1; 0.98 ends the cooldown and
    // improves; 0.9 improves; 0.95, 0.96 (wait 2) → 0.25, cooldown 1; 0.97 ends it (wait 1); 0.97 (wait 2) →
    // max(0.125, 0.2) = 0.2; then at minLr nothing changes.
    float[] lr = rates(r, m, 1.0, 0.995, 0.99, 0.98, 0.9, 0.95, 0.96, 0.97, 0.97, 0.98, 0.99, 0.99, 0.99);
    assertThat(lr).containsExactly(1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f);
    assertThat(r.reductions()).isEqualTo(3);
    assertThat(r.best()).isEqualTo(0.9);
    assertThat(r.state()).containsEntry("reductions", 3L).containsEntry("best", 0.9);
  }

  @Test
  void maxModeAndState() {
    Sequential m = model(0.1);
    ReduceLROnPlateau r = new ReduceLROnPlateau("val_accuracy", 0.1, 0).minDelta(0);
    r.onTrainBegin(m, new FitInfo(3, 1, 1, 1, 1));
    r.onEpochEnd(0, Map.of("val_accuracy", 0.5));
    r.onEpochEnd(1, Map.of("val_accuracy", 0.4)); // auto: max for accuracies; patience 0 → reduce at once
    assertThat(m.optimizer().learningRate()).isEqualTo(0.01f);
    ReduceLROnPlateau copy = new ReduceLROnPlateau("val_accuracy", 0.1, 0).minDelta(0);
    copy.onTrainBegin(m, new FitInfo(3, 1, 1, 1, 1));
    copy.restoreState(r.state());
    assertThat(copy.state()).isEqualTo(r.state());
  }

  @Test
  void argumentsAndScheduledRatesAreRefused() {
    assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 1.0, 1)).hasMessageContaining("factor must be in (0, 1), got 1.0");
    assertThatThrownBy(() -> new ReduceLROnPlateau("val_loss", 0.5, -1)).hasMessageContaining("patience must be >= 0");
    assertThatThrownBy(() -> new ReduceLROnPlateau().cooldown(-2)).hasMessageContaining("cooldown must be >= 0, got -2");
    assertThatThrownBy(() -> new ReduceLROnPlateau().minLr(-1)).hasMessageContaining("minLr must be >= 0");
    Sequential scheduled = ResumeFixtures.net(1, 4); // Adam on an exponential decay
    assertThatThrownBy(() -> new ReduceLROnPlateau().onTrainBegin(scheduled, new FitInfo(1, 1, 1, 1, 1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("constant learning rate");
    Sequential ok = ResumeFixtures.net(1, 4);
    ok.compile(new Adam(0.01), "sparse_categorical_crossentropy");
    ReduceLROnPlateau r = new ReduceLROnPlateau();
    r.onTrainBegin(ok, new FitInfo(1, 1, 1, 1, 1));
    assertThatThrownBy(() -> r.onEpochEnd(0, Map.of("loss", 1.0))).hasMessageContaining("monitor 'val_loss' is not in");
  }
}
