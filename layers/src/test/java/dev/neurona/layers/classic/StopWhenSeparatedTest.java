package dev.neurona.layers.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.Dense;
import dev.neurona.layers.loss.PerceptronCriterion;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.SGD;
import org.junit.jupiter.api.Test;

class StopWhenSeparatedTest {
  private static final double[][] X = {{1}, {-1}, {2}, {-2}};
  private static final int[] Y = {1, -1, 1, -1};

  @Test
  void stopsAfterTheFirstEpochWithoutAMistake() {
    StopWhenSeparated stop = new StopWhenSeparated();
    Sequential p = Classic.perceptron(1, 0.5);
    History h = p.fit(Classic.features(X), Classic.labels(Y), Fit.defaults().epochs(10).batchSize(1).shuffle(false).callbacks(stop));
    // Epoch 1: x = 1 right at z = 0 (+1); x = −1 at z = 0 is wrong → w = 1, b = −1; x = 2 right, x = −2 right.
    // Epoch 2: x = 1 has z = 0 → +1, right; every sample right → stop.
    assertThat(h.get(Classic.ERRORS)).containsExactly(1.0, 0.0);
    assertThat(stop.stoppedEpoch()).isEqualTo(1);
    assertThat(stop.monitor()).isEqualTo("misclassifications");
    assertThat(stop).hasToString("StopWhenSeparated(monitor=misclassifications)");
  }

  @Test
  void namesTheMissingMonitor() {
    Sequential m = new Sequential().input(1).add(new Dense(1));
    m.compile(new SGD(0.1), new PerceptronCriterion());
    assertThatThrownBy(() -> m.fit(Classic.features(X), Classic.labels(Y), Fit.defaults().epochs(2).callbacks(new StopWhenSeparated())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("StopWhenSeparated: the epoch logs have no 'misclassifications', they have [loss]");
    assertThatThrownBy(() -> new StopWhenSeparated(" ")).hasMessageContaining("monitor must not be blank, got ' '");
  }
}
