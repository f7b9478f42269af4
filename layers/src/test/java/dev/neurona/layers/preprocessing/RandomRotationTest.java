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

class RandomRotationTest {
  private static final int S = 5;

  private static Tensor rotate(RandomRotation r, Tensor x) {
    TestImages.built(r, 9, x.dim(1), x.dim(2), x.dim(3));
    return r.forward(x, true);
  }

  /** Keras: a positive quarter turn is counter-clockwise; the right column becomes the top row (np.rot90). */
  @Test
  void aQuarterTurnOfASquareImageIsCounterClockwise() {
    Tensor x = TestImages.coded(2, S, S, 2);
    Tensor y = rotate(new RandomRotation(0.25, 0.25), x);
    for (int n = 0; n < 2; n++) {
      assertThat(TestImages.imageOf(y, n)).as("image " + n)
          .containsExactly(TestImages.remapped(x, n, (r, c) -> new int[] {c, S - 1 - r}), within(1e-3f));
    }
    // With nearest interpolation the pixels are moved exactly.
    Tensor yn = rotate(new RandomRotation(0.25, 0.25).interpolation("nearest"), x);
    assertThat(TestImages.imageOf(yn, 1)).containsExactly(TestImages.remapped(x, 1, (r, c) -> new int[] {c, S - 1 - r}));
  }

  @Test
  void aNegativeQuarterTurnIsClockwise() {
    Tensor x = TestImages.coded(1, S, S, 1);
    Tensor y = rotate(new RandomRotation(-0.25, -0.25), x);
    // The left column becomes the top row, read bottom to top.
    assertThat(y.data()).containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {S - 1 - c, r}), within(1e-3f));
  }

  @Test
  void aHalfTurnOfANonSquareImageReversesRowsAndColumns() {
    Tensor x = TestImages.coded(1, 3, 4, 2);
    Tensor y = rotate(new RandomRotation(0.5, 0.5), x);
    assertThat(y.data()).containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {2 - r, 3 - c}), within(1e-3f));
  }

  /**
   * An eighth of a turn on a 4×4 image, from Keras' matrix by hand: θ = π/4, centre (1.5, 1.5),
   * x_in = cos θ·(x - 1.5) - sin θ·(y - 1.5) + 1.5, y_in = sin θ·(x - 1.5) + cos θ·(y - 1.5) + 1.5.
   * Pixel values are 100·row + 10·column.
   */
  @Test
  void anEighthTurnMatchesKerasFormulasByHand() {
    Tensor x = TestImages.coded(1, 4, 4, 1);
    Tensor y = rotate(new RandomRotation(0.125, 0.125), x);
    double h = Math.sqrt(2) / 2;
    // (0, 0) → (1.5, 1.5 - 3h = -0.62): reflected to -0.38, clamped to row 0, between columns 1 and 2.
    assertThat(y.get(0, 0, 0, 0)).isCloseTo(15f, within(1e-3f));
    // (row 0, column 3) → (1.5 + 3h = 3.62, 1.5): clamped to column 3, between rows 1 and 2.
    assertThat(y.get(0, 0, 3, 0)).isCloseTo(180f, within(1e-3f));
    // (1, 1) → (1.5, 1.5 - h): half way between columns 1 and 2, 0.79 of the way from row 0 to row 1.
    assertThat(y.get(0, 1, 1, 0)).isCloseTo((float) (15 + 100 * (1.5 - h)), within(1e-3f));
    // Constant fill: both corner points above fall outside the image.
    Tensor yc = rotate(new RandomRotation(0.125, 0.125).fillMode("constant").fillValue(-1), x);
    assertThat(yc.get(0, 0, 0, 0)).isEqualTo(-1f);
    assertThat(yc.get(0, 0, 3, 0)).isEqualTo(-1f);
    assertThat(yc.get(0, 1, 1, 0)).isCloseTo((float) (15 + 100 * (1.5 - h)), within(1e-3f));
  }

  @Test
  void identityAtInferenceAndZeroFactor() {
    RandomRotation r = TestImages.built(new RandomRotation(0.3), 1, S, S, 3);
    Tensor x = TestImages.coded(2, S, S, 3);
    assertThat(r.forward(x, false)).isSameAs(x);
    Tensor g = Tensor.uniform(x.shape(), -1, 1, 1);
    assertThat(r.backward(g)).isSameAs(g);
    assertThat(r.callCount()).isZero();
    assertThat(rotate(new RandomRotation(0), x).data()).containsExactly(x.data());
  }

  @Test
  void everyImageGetsItsOwnAngle() {
    Tensor one = TestImages.coded(1, S, S, 1);
    Tensor x = Tensor.zeros(3, S, S, 1);
    for (int n = 0; n < 3; n++) {
      System.arraycopy(one.data(), 0, x.data(), n * S * S, S * S);
    }
    Tensor y = rotate(new RandomRotation(0.2), x);
    assertThat(TestImages.imageOf(y, 0)).isNotEqualTo(TestImages.imageOf(y, 1));
    assertThat(TestImages.imageOf(y, 1)).isNotEqualTo(TestImages.imageOf(y, 2));
  }

  @Test
  void gradientIsTheAdjointForEveryFillMode() {
    Tensor x = Tensor.uniform(Shape.of(2, 5, 6, 2), -1, 1, 3);
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      RandomRotation r = TestImages.built(new RandomRotation(0.2).fillMode(fill).fillValue(0.5), 4, 5, 6, 2);
      GradientCheck.create().beforeForward(() -> r.callCount(0)).checkLayer(r, x);
    }
    RandomRotation nearest = TestImages.built(new RandomRotation(0.2).interpolation("nearest"), 4, 5, 6, 2);
    GradientCheck.create().beforeForward(() -> nearest.callCount(0)).checkLayer(nearest, x);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new RandomRotation(1.5)).hasMessage("RandomRotation: factor must be in [-1, 1], got 1.5");
    assertThatThrownBy(() -> new RandomRotation(Double.NaN)).hasMessageContaining("factor").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new RandomRotation(-0.5, 1.5))
        .hasMessage("RandomRotation: factor must be in [-1, 1], got [-0.5, 1.5]");
    assertThatThrownBy(() -> new RandomRotation(0.3, -0.2))
        .hasMessage("RandomRotation: factor must be (lower, upper) with lower <= upper, got [0.3, -0.2]");
    assertThatThrownBy(() -> new RandomRotation(0.1).fillMode("mirror"))
        .hasMessage("RandomRotation: fillMode must be one of \"reflect\", \"wrap\", \"constant\", \"nearest\", got \"mirror\"");
    assertThatThrownBy(() -> new RandomRotation(0.1).interpolation("bicubic"))
        .hasMessage("RandomRotation: interpolation must be \"bilinear\" or \"nearest\", got \"bicubic\"");
    assertThatThrownBy(() -> new RandomRotation(0.1).fillValue(Double.POSITIVE_INFINITY))
        .hasMessage("RandomRotation: fillValue must be finite, got Infinity");
    RandomRotation built = TestImages.built(new RandomRotation(0.1), 1, 4, 4, 1);
    assertThatThrownBy(() -> built.fillMode("constant")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fillMode");
    assertThatThrownBy(() -> built.callCount(-1)).hasMessageContaining("-1");
  }

  @Test
  void configKeepsHowTheFactorWasGiven() {
    assertThat(new RandomRotation(0.1)).hasToString("RandomRotation(factor=0.1)");
    assertThat(new RandomRotation(-0.1, 0.2).fillMode("constant").fillValue(0.5)).hasToString(
        "RandomRotation(factor=[-0.1, 0.2], fill_mode=constant, fill_value=0.5)");
    assertThat(new RandomRotation(-0.2).factor()).containsExactly(-0.2, 0.2);
    RandomRotation r = RandomRotation.fromConfig(Map.of("factor", List.of(-0.1, 0.2), "interpolation", "nearest"));
    assertThat(r.factor()).containsExactly(-0.1, 0.2);
    assertThat(r.interpolation()).isEqualTo("nearest");
    assertThat(r.fillMode()).isEqualTo("reflect");
    assertThatThrownBy(() -> RandomRotation.fromConfig(Map.of())).hasMessageContaining("RandomRotation.fromConfig")
        .hasMessageContaining("\"factor\"");
    assertThatThrownBy(() -> RandomRotation.fromConfig(Map.of("factor", "big"))).hasMessageContaining("\"factor\"")
        .hasMessageContaining("big");
  }
}
