package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomContrastTest {
  /** Keras' formula by hand: per image and channel, y = clip((x - mean)·f + mean, low, high). */
  @Test
  void eachChannelMovesAwayFromItsMeanByTheImagesFactor() {
    // Channel 0: 0, 10, 20, 30 (mean 15); channel 1: 100, 100, 100, 104 (mean 101).
    Tensor x = Tensor.of(new float[] {0, 100, 10, 100, 20, 100, 30, 104}, 1, 2, 2, 2);
    RandomContrast layer = TestImages.built(new RandomContrast(0.5), 8, 2, 2, 2);
    Tensor y = layer.forward(x, true);
    float f = layer.factors()[0];
    assertThat(f).isBetween(0.5f, 1.5f);
    float[] means = {15, 101};
    for (int i = 0; i < 8; i++) {
      float m = means[i % 2];
      assertThat(y.data()[i]).isCloseTo((x.data()[i] - m) * f + m, within(1e-4f));
    }
  }

  /** One number f means factors in [1 - f, 1 + f], as Keras documents (not Keras 3.6+'s [1, 1 + f]). */
  @Test
  void aSingleFactorGoesBothWays() {
    RandomContrast layer = TestImages.built(new RandomContrast(0.4), 8, 2, 2, 1);
    layer.forward(Tensor.uniform(Shape.of(64, 2, 2, 1), 0, 1, 2), true);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float f : layer.factors()) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assertThat(min).isBetween(0.6f, 0.75f);
    assertThat(max).isBetween(1.25f, 1.4f);
    // A pair: [1 - lower, 1 + upper].
    RandomContrast pair = TestImages.built(new RandomContrast(0.0, 0.3), 8, 2, 2, 1);
    pair.forward(Tensor.uniform(Shape.of(64, 2, 2, 1), 0, 1, 2), true);
    for (float f : pair.factors()) {
      assertThat(f).isBetween(1f, 1.3f);
    }
  }

  @Test
  void trainingOutputsAreClippedToTheValueRange() {
    Tensor x = Tensor.uniform(Shape.of(4, 5, 5, 3), 0, 1, 3);
    RandomContrast layer = TestImages.built(new RandomContrast(1.0).valueRange(0.3, 0.7), 8, 5, 5, 3);
    Tensor y = layer.forward(x, true);
    int clipped = 0;
    for (float v : y.data()) {
      assertThat(v).isBetween(0.3f, 0.7f);
      clipped += v == 0.3f || v == 0.7f ? 1 : 0;
    }
    assertThat(clipped).isGreaterThan(10);
  }

  @Test
  void identityAtInferenceWithoutClipping() {
    RandomContrast layer = TestImages.built(new RandomContrast(0.5), 1, 2, 2, 1);
    Tensor x = Tensor.of(new float[] {-5, 300, 1, 2}, 1, 2, 2, 1);
    assertThat(layer.forward(x, false)).isSameAs(x);
    Tensor g = Tensor.uniform(x.shape(), -1, 1, 1);
    assertThat(layer.backward(g)).isSameAs(g);
    assertThat(layer.callCount()).isZero();
    assertThat(layer.factors()).isNull();
  }

  @Test
  void gradientIncludesTheMeanTerm() {
    Tensor x = Tensor.uniform(Shape.of(3, 4, 5, 2), -1, 1, 4);
    RandomContrast layer = TestImages.built(new RandomContrast(0.5).valueRange(-10, 10), 6, 4, 5, 2);
    GradientCheck.create().beforeForward(() -> layer.callCount(0)).checkLayer(layer, x);
  }

  /** Half the pixels clipped far beyond the range (no gradient through them), half well inside. */
  @Test
  void gradientStopsWhereTheOutputIsClipped() {
    Tensor x = Tensor.zeros(2, 4, 4, 2);
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 2 == 0 ? ((i / 2) % 2 == 0 ? 3f : -3f) : 0.02f * ((i % 7) - 3);
    }
    RandomContrast layer = TestImages.built(new RandomContrast(0.5).valueRange(-0.5, 0.5), 6, 4, 4, 2);
    GradientCheck.create().beforeForward(() -> layer.callCount(0)).checkLayer(layer, x);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new RandomContrast(1.5)).hasMessage("RandomContrast: factor must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> new RandomContrast(-0.1)).hasMessage("RandomContrast: factor must be in [0, 1], got -0.1");
    assertThatThrownBy(() -> new RandomContrast(0.2, 1.2)).hasMessage("RandomContrast: factor must be in [0, 1], got [0.2, 1.2]");
    assertThatThrownBy(() -> new RandomContrast(0.2).valueRange(1, 0))
        .hasMessage("RandomContrast: valueRange must be finite with low < high, got [1.0, 0.0]");
  }

  @Test
  void config() {
    assertThat(new RandomContrast(0.2)).hasToString("RandomContrast(factor=0.2)");
    assertThat(new RandomContrast(0.1, 0.3).valueRange(0, 1))
        .hasToString("RandomContrast(factor=[0.1, 0.3], value_range=[0.0, 1.0])");
    RandomContrast c = RandomContrast.fromConfig(Map.of("factor", 0.3, "value_range", List.of(0L, 1L)));
    assertThat(c.factor()).containsExactly(0.3, 0.3);
    assertThat(c.valueRange()).containsExactly(0.0, 1.0);
    assertThat(RandomContrast.fromConfig(Map.of("factor", List.of(0.1, 0.2))).valueRange()).containsExactly(0.0, 255.0);
    assertThatThrownBy(() -> RandomContrast.fromConfig(Map.of("factor", 0.3, "value_range", 1)))
        .hasMessageContaining("\"value_range\" must be a list of two numbers, got 1");
  }
}
