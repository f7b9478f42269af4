package dev.neurona.layers.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import org.junit.jupiter.api.Test;

class PerceptronCriterionTest {
  private final Loss loss = new PerceptronCriterion();

  /** Right: nothing. Wrong: 2|z| and gradient ŷ − y = ±2. On the boundary z = 0 counts as +1. */
  @Test
  void valuesAndGradientsByHand() {
    Tensor z = Tensor.of(new float[] {1.5f, -0.5f, 0.75f, -2f, 0f, 0f}, 6, 1);
    Tensor y = Tensor.of(new float[] {1, -1, -1, 1, 1, -1}, 6, 1);
    Tensor g = Tensor.zeros(6, 1);
    // right, right, wrong (2·0.75), wrong (2·2), right at z = 0, wrong at z = 0 (costs 0)
    assertThat(loss.compute(z, y, g)).isEqualTo(5.5f);
    assertThat(g.data()).containsExactly(0, 0, 2, -2, 0, 2);
  }

  @Test
  void isTwiceTheHingeWithoutMarginAwayFromTheBoundary() {
    Tensor z = Tensor.uniform(Shape.of(8, 1), -3, 3, 7);
    float[] signs = {1, -1, 1, 1, -1, -1, 1, -1};
    Tensor y = Tensor.of(signs, 8);
    double expected = 0;
    for (int i = 0; i < 8; i++) {
      expected += 2 * Math.max(0, -signs[i] * z.data()[i]);
    }
    assertThat((double) loss.compute(z, y, null)).isCloseTo(expected, within(1e-5));
  }

  @Test
  void gradientMatchesFiniteDifferencesAwayFromTheKink() {
    // |z| >= 0.5, further than the step from z = 0.
    Tensor z = Tensor.of(new float[] {0.5f, -1.25f, 2f, -0.75f, 1f, -3f}, 3, 2);
    Tensor y = Tensor.of(new float[] {1, 1, -1, -1, -1, 1}, 3, 2);
    GradientCheck.create().checkLoss(loss, z, y);
  }

  @Test
  void foundByNameAndRejectsTargetsThatAreNotSigns() {
    assertThat(Losses.of("perceptron_criterion")).isInstanceOf(PerceptronCriterion.class);
    assertThat(Losses.of("perceptron")).isInstanceOf(PerceptronCriterion.class);
    assertThat(Losses.of(loss.name()).name()).isEqualTo("perceptron_criterion");
    assertThat(loss).hasToString("PerceptronCriterion()");
    Tensor z = Tensor.zeros(3, 1);
    assertThatThrownBy(() -> loss.compute(z, Tensor.of(new float[] {1, 0, -1}, 3), null))
        .hasMessageContaining("perceptron_criterion: target of sample 1 (element 0) is 0.0, expected -1 or 1");
    assertThatThrownBy(() -> loss.compute(z, Tensor.of(new float[] {1, -1, 0.5f}, 3, 1), null))
        .hasMessageContaining("sample 2 (element 0) is 0.5");
    assertThatThrownBy(() -> loss.compute(z, Tensor.zeros(2, 1), null))
        .hasMessageContaining("perceptron_criterion: targets have shape (2, 1), expected (3, 1)");
    assertThatThrownBy(() -> Losses.of("hinge")).hasMessageContaining("perceptron_criterion");
  }
}
