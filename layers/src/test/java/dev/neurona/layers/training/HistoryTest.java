package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static Map<String, Double> logs(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  @Test
  void recordsEpochsInOrderAndFillsAValueThatAppearsLateWithNaN() {
    History h = new History();
    assertThat(h.epochs()).isZero();
    h.addEpoch(logs("loss", 0.9, "accuracy", 0.5), 1.5);
    h.addEpoch(logs("loss", 0.4, "accuracy", 0.75, "val_loss", 0.5), 2.0);
    assertThat(h.epochs()).isEqualTo(2);
    assertThat(h.keys()).containsExactly("loss", "accuracy", "val_loss");
    assertThat(h.get("loss")).containsExactly(0.9, 0.4);
    assertThat(h.get("val_loss")).containsExactly(Double.NaN, 0.5);
    assertThat(h.last("accuracy")).isEqualTo(0.75);
    assertThat(h.seconds()).containsExactly(1.5, 2.0);
    assertThat(h.asMap()).containsOnlyKeys("loss", "accuracy", "val_loss");
    assertThat(h.toCsv()).isEqualTo("epoch,loss,accuracy,val_loss,seconds\n0,0.9,0.5,NaN,1.5\n1,0.4,0.75,0.5,2.0\n");
  }

  @Test
  void unknownNamesAndEmptyHistoriesSaySo() {
    History h = new History();
    assertThatThrownBy(() -> h.get("loss")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'loss'").hasMessageContaining("[]");
    h.addEpoch(logs("loss", 1.0), 0.1);
    assertThatThrownBy(() -> h.get("acc")).hasMessageContaining("'acc'").hasMessageContaining("[loss]");
    assertThatThrownBy(() -> h.get("loss").add(2.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(h.get("loss")).isEqualTo(List.of(1.0));
  }

  @Test
  void epochIndicesFollowTheEpochsRecordedAndGoIntoTheCsv() {
    History h = new History();
    h.addEpoch(3, logs("loss", 0.5), 1.0);
    h.addEpoch(4, logs("loss", 0.25), 1.0);
    h.addEpoch(logs("loss", 0.125), 1.0);
    assertThat(h.epochIndices()).containsExactly(3, 4, 5);
    assertThat(h.toCsv()).isEqualTo("epoch,loss,seconds\n3,0.5,1.0\n4,0.25,1.0\n5,0.125,1.0\n");
    assertThat(new History().epochIndices()).isEmpty();
  }
}
