package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  @Test
  void earlyStoppingStopsAndRestoresTheBestWeights() {
    // Validation labels are the opposite of the training labels: the better the training, the worse
    // the validation loss, so the first epoch is the best one.
    Tensor[] d = Fixtures.blobs(40, 2);
    Tensor flipped = Tensor.zeros(40);
    for (int i = 0; i < 40; i++) {
      flipped.data()[i] = 1 - d[1].data()[i];
    }
    Sequential m = Fixtures.smallNet(1, 0.2f);
    List<List<Tensor>> perEpoch = new ArrayList<>();
    Callback snap = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        perEpoch.add(m.getWeights());
      }
    };
    EarlyStopping es = new EarlyStopping("val_loss", 2, true);
    History h = m.fit(d[0], d[1], Fit.defaults().epochs(20).batchSize(8).validationData(d[0], flipped).callbacks(snap, es));
    assertThat(h.epochs()).isEqualTo(3);
    assertThat(es.bestEpoch()).isZero();
    assertThat(es.stoppedEpoch()).isEqualTo(2);
    List<Tensor> now = m.getWeights();
    for (int i = 0; i < now.size(); i++) {
      assertThat(now.get(i).data()).containsExactly(perEpoch.get(0).get(i).data());
      assertThat(now.get(i).data()).isNotEqualTo(perEpoch.get(2).get(i).data());
    }
  }


  @Test
  void earlyStoppingFollowsPatienceMinDeltaAndMode() {
    Sequential m = new Sequential(new InputLayer(2), new TestLinear(2, "softmax"));
    EarlyStopping es = new EarlyStopping("val_loss", 2, false, 0.01, EarlyStopping.Mode.AUTO);
    es.onTrainBegin(m, new FitInfo(10, 1, 1, 1, 1));
    double[] values = {1.0, 0.9, 0.895, 0.85, 0.86, 0.849};
    int stoppedAt = -1;
    for (int e = 0; e < values.length && stoppedAt < 0; e++) {
      es.onEpochEnd(e, Map.of("val_loss", values[e]));
      if (m.stopRequested()) {
        stoppedAt = e;
      }
    }
    // 0.895 is not 0.01 better than 0.9; 0.85 is; 0.86 and 0.849 are not -> stop at epoch 5.
    assertThat(stoppedAt).isEqualTo(5);
    assertThat(es.best()).isEqualTo(0.85);
    assertThat(es.bestEpoch()).isEqualTo(3);

    EarlyStopping acc = new EarlyStopping("val_accuracy", 1, false);
    acc.onTrainBegin(m, new FitInfo(10, 1, 1, 1, 1));
    acc.onEpochEnd(0, Map.of("val_accuracy", 0.5));
    acc.onEpochEnd(1, Map.of("val_accuracy", 0.7));
    assertThat(acc.best()).isEqualTo(0.7); // auto mode maximises accuracies
    assertThatThrownBy(() -> acc.onEpochEnd(2, Map.of("loss", 1.0)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'val_accuracy'").hasMessageContaining("[loss]");
    assertThatThrownBy(() -> new EarlyStopping(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void itsStateCarriesOverToAnotherInstance() {
    Sequential m = new Sequential(new InputLayer(2), new TestLinear(2, "softmax"));
    EarlyStopping es = new EarlyStopping("val_loss", 2, true);
    es.onTrainBegin(m, new FitInfo(10, 1, 1, 1, 1));
    es.onEpochEnd(0, Map.of("val_loss", 1.0));
    es.onEpochEnd(1, Map.of("val_loss", 1.5));
    Map<String, Object> s = es.state();
    assertThat(s).containsEntry("wait", 1L).containsEntry("best", 1.0).containsEntry("best_epoch", 0L)
        .containsEntry("stopped_epoch", -1L).containsKeys("best_weights.0", "best_weights.1");

    EarlyStopping again = new EarlyStopping("val_loss", 2, true);
    again.onTrainBegin(m, new FitInfo(10, 1, 1, 1, 1));
    again.restoreState(s);
    again.onEpochEnd(2, Map.of("val_loss", 1.2)); // the second epoch without improvement: stops, as es would
    assertThat(m.stopRequested()).isTrue();
    assertThat(again.stoppedEpoch()).isEqualTo(2);
    assertThat(again.bestEpoch()).isZero();

    EarlyStopping noWeights = new EarlyStopping("val_loss", 2, false);
    noWeights.onTrainBegin(m, new FitInfo(10, 1, 1, 1, 1));
    assertThatThrownBy(() -> noWeights.restoreState(s)).hasMessageContaining("restoreBestWeights is false");
    Map<String, Object> bad = new java.util.HashMap<>(s);
    bad.remove("best_weights.1");
    assertThatThrownBy(() -> again.restoreState(bad)).hasMessageContaining("'best_weights.1' must be a tensor");
    bad.put("best_weights.1", 3L);
    assertThatThrownBy(() -> again.restoreState(bad)).hasMessageContaining("got Long 3");
    Map<String, Object> extra = new java.util.HashMap<>(s);
    extra.put("patience", 4L);
    assertThatThrownBy(() -> again.restoreState(extra)).hasMessageContaining("unknown entries [patience]");
  }
}
