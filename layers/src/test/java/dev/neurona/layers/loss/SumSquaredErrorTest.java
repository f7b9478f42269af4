package dev.neurona.layers.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import org.junit.jupiter.api.Test;

class SumSquaredErrorTest {
  private final Loss sse = new SumSquaredError();

  @Test
  void isHalfTheSumAndItsGradientIsTheError() {
    Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor y = Tensor.of(new float[] {1, 0, 3, 1}, 2, 2);
    Tensor g = Tensor.zeros(2, 2);
    assertThat(sse.compute(p, y, g)).isEqualTo(6.5f); // ½ (0 + 4 + 0 + 9)
    assertThat(g.data()).containsExactly(0, 2, 0, 3);
    assertThat(sse.compute(p, y, null)).isEqualTo(6.5f);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    GradientCheck.create().checkLoss(sse, Tensor.uniform(Shape.of(4, 3), -1, 1, 1), Tensor.uniform(Shape.of(4, 3), -1, 1, 2));
    // (batch, 1) predictions accept (batch) targets, here sign labels as ADALINE uses.
    GradientCheck.create().checkLoss(sse, Tensor.uniform(Shape.of(4, 1), -2, 2, 3), Tensor.of(new float[] {1, -1, -1, 1}, 4));
  }

  /** MSE = (2/N)·SSE, value and gradient: with SSE the learning rate needs no N/2 factor. */
  @Test
  void isMeanSquaredErrorTimesHalfTheBatch() {
    Tensor p = Tensor.uniform(Shape.of(10, 1), -3, 3, 4);
    Tensor y = Tensor.uniform(Shape.of(10, 1), -1, 1, 5);
    Tensor gSse = Tensor.zeros(10, 1);
    Tensor gMse = Tensor.zeros(10, 1);
    float s = sse.compute(p, y, gSse);
    float m = new MeanSquaredError().compute(p, y, gMse);
    assertThat((double) s).isCloseTo(m * 10 / 2.0, within(1e-5));
    for (int i = 0; i < 10; i++) {
      assertThat(gSse.data()[i]).isCloseTo(gMse.data()[i] * 10 / 2, within(1e-6f));
    }
  }

  @Test
  void foundByNameAndRejectsBadTargets() {
    assertThat(Losses.of("sum_squared_error")).isInstanceOf(SumSquaredError.class);
    assertThat(Losses.of("SSE")).isInstanceOf(SumSquaredError.class);
    assertThat(Losses.of(sse.name()).name()).isEqualTo("sum_squared_error");
    assertThat(sse).hasToString("SumSquaredError()");
    Tensor p = Tensor.zeros(2, 1);
    assertThatThrownBy(() -> sse.compute(p, Tensor.of(new float[] {1, Float.NaN}, 2), null))
        .hasMessageContaining("sum_squared_error: target of sample 1 (element 0) is NaN");
    assertThatThrownBy(() -> sse.compute(p, Tensor.zeros(3), null))
        .hasMessageContaining("sum_squared_error: targets have shape (3,)");
    assertThatThrownBy(() -> sse.compute(p, Tensor.zeros(2), Tensor.zeros(2, 2)))
        .hasMessageContaining("sum_squared_error: grad has shape (2, 2)");
  }
}
