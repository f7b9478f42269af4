package dev.neurona.layers.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

class MisclassificationsTest {

  @Test
  void countsSignMistakesWithZeroAsPlusOneAndAccumulates() {
    Metric m = new Misclassifications();
    assertThat(m.result()).isZero();
    Tensor z = Tensor.of(new float[] {0.3f, -0.2f, 0f, 0f, -1e-30f}, 5, 1);
    m.update(z, Tensor.of(new float[] {1, 1, 1, -1, -1}, 5, 1)); // wrong: -0.2 for +1, 0 for -1
    assertThat(m.result()).isEqualTo(2.0);
    m.update(z, Tensor.of(new float[] {-1, -1, -1, -1, 1}, 5)); // (batch) targets for (batch, 1)
    assertThat(m.result()).isEqualTo(2.0 + 4);
    m.reset();
    assertThat(m.result()).isZero();
  }

  @Test
  void foundByNameAndRejectsTargetsThatAreNotSigns() {
    Metric m = Metrics.of("misclassifications", "perceptron_criterion");
    assertThat(m).isInstanceOf(Misclassifications.class);
    assertThat(m.name()).isEqualTo("misclassifications");
    assertThat(Metrics.of(m.name(), null)).isInstanceOf(Misclassifications.class);
    assertThatThrownBy(() -> m.update(Tensor.zeros(2, 1), Tensor.of(new float[] {0, 1}, 2)))
        .hasMessageContaining("misclassifications: target of sample 0 (element 0) is 0.0, expected -1 or 1");
    assertThatThrownBy(() -> Metrics.of("errors", null)).hasMessageContaining("misclassifications");
  }
}
