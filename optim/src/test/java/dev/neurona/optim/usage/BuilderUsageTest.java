package dev.neurona.optim.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;
import dev.neurona.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * The builders as a user outside the package sees them: the learning-rate setters they share come
 * from a package-private base class and must chain into each optimizer's own setters.
 */
class BuilderUsageTest {
  private static final LearningRateSchedule STEP = LearningRateSchedule.step(0.5, 10, 0.1);

  @Test
  void defaultsAreKeras() {
    assertThat(SGD.builder().build().learningRate()).isEqualTo(0.01f);
    assertThat(Adam.builder().build().learningRate()).isEqualTo(0.001f);
  }

  @Test
  void sharedSettersChainIntoEachBuildersOwn() {
    SGD sgd = SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build();
    assertThat(sgd.learningRate()).isEqualTo(0.1f);
    assertThat(sgd.momentum()).isEqualTo(0.9f);
    Adam adam = Adam.builder().schedule(STEP).beta1(0.8).amsgrad(true).build();
    assertThat(adam.learningRate()).isEqualTo(0.5f);
    assertThat(adam.beta1()).isEqualTo(0.8f);
  }

  @Test
  void theRateSetLastWins() {
    assertThat(SGD.builder().schedule(STEP).learningRate(0.2).build().learningRate()).isEqualTo(0.2f);
    assertThat(SGD.builder().learningRate(0.2).schedule(STEP).build().learningRate()).isEqualTo(0.5f);
    assertThat(Adam.builder().schedule(STEP).learningRate(0.2).build().learningRate()).isEqualTo(0.2f);
    assertThat(Adam.builder().learningRate(0.2).schedule(STEP).build().learningRate()).isEqualTo(0.5f);
  }

  @Test
  void errorsNameTheOptimizerTheArgumentAndTheValue() {
    assertThatThrownBy(() -> SGD.builder().learningRate(-1).build())
        .hasMessageContaining("SGD: learningRate must be > 0 and finite, got -1.0");
    assertThatThrownBy(() -> Adam.builder().learningRate(Double.NaN).build())
        .hasMessageContaining("Adam: learningRate must be > 0 and finite, got NaN");
    assertThatThrownBy(() -> SGD.builder().schedule(null)).hasMessageContaining("SGD.Builder: schedule is null");
    assertThatThrownBy(() -> Adam.builder().schedule(null)).hasMessageContaining("Adam.Builder: schedule is null");
  }
}
