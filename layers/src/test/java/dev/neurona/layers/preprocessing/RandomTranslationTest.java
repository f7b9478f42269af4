package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomTranslationTest {
  private static final int S = 4;
  /** A quarter of 4 pixels: exactly one pixel. */
  private static final double[] ONE = {0.25, 0.25};
  private static final double[] MINUS_ONE = {-0.25, -0.25};
  private static final double[] NONE = {0, 0};
  private static final float FILL = -7;

  private static Tensor translate(double[] height, double[] width, String fill, Tensor x) {
    RandomTranslation t = new RandomTranslation(height, width).fillMode(fill).fillValue(FILL);
    TestImages.built(t, 3, x.dim(1), x.dim(2), x.dim(3));
    return t.forward(x, true);
  }

  @Test
  void zeroTranslationIsTheIdentity() {
    Tensor x = TestImages.coded(3, 5, 7, 3);
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      assertThat(translate(NONE, NONE, fill, x).data()).as(fill).containsExactly(x.data());
    }
    RandomTranslation zero = TestImages.built(new RandomTranslation(0.0, 0.0), 3, 5, 7, 3);
    assertThat(zero.forward(x, true).data()).containsExactly(x.data());
  }

  /** Moved right by one pixel: column x shows column x - 1; column 0 shows column -1, as each mode fills it. */
  @Test
  void onePixelRightWithEachFillModesBorder() {
    Tensor x = TestImages.coded(2, S, S, 2);
    // column -1: reflect → 0 (d c b a | a b c d), nearest → 0, wrap → 3, constant → the fill value.
    int[] borderColumn = {0, 0, 3, -1};
    String[] modes = {"reflect", "nearest", "wrap", "constant"};
    for (int m = 0; m < modes.length; m++) {
      Tensor y = translate(NONE, ONE, modes[m], x);
      int border = borderColumn[m];
      for (int n = 0; n < 2; n++) {
        int b = n;
        float[] expected = TestImages.remapped(x, b, (r, c) -> new int[] {r, c == 0 ? Math.max(border, 0) : c - 1});
        if (border < 0) {
          for (int r = 0; r < S; r++) {
            expected[r * S * 2] = FILL;
            expected[r * S * 2 + 1] = FILL;
          }
        }
        assertThat(TestImages.imageOf(y, n)).as(modes[m] + " image " + n).containsExactly(expected);
      }
    }
  }

  /** Moved left by one pixel: column 3 shows column 4: reflect → 3, nearest → 3, wrap → 0, constant → fill. */
  @Test
  void onePixelLeft() {
    Tensor x = TestImages.coded(1, S, S, 1);
    assertThat(translate(NONE, MINUS_ONE, "reflect", x).data())
        .containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {r, Math.min(c + 1, 3)}));
    assertThat(translate(NONE, MINUS_ONE, "nearest", x).data())
        .containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {r, Math.min(c + 1, 3)}));
    assertThat(translate(NONE, MINUS_ONE, "wrap", x).data())
        .containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {r, (c + 1) % 4}));
    Tensor constant = translate(NONE, MINUS_ONE, "constant", x);
    assertThat(constant.get(0, 2, 3, 0)).isEqualTo(FILL);
    assertThat(constant.get(0, 2, 2, 0)).isEqualTo(x.get(0, 2, 3, 0));
  }

  /** A positive height factor moves the picture down: row y shows row y - 1. */
  @Test
  void onePixelDown() {
    Tensor x = TestImages.coded(1, S, S, 1);
    assertThat(translate(ONE, NONE, "reflect", x).data())
        .containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {Math.max(r - 1, 0), c}));
    assertThat(translate(ONE, NONE, "wrap", x).data())
        .containsExactly(TestImages.remapped(x, 0, (r, c) -> new int[] {(r + 3) % 4, c}));
    Tensor constant = translate(ONE, NONE, "constant", x);
    assertThat(constant.get(0, 0, 1, 0)).isEqualTo(FILL);
    assertThat(constant.get(0, 1, 1, 0)).isEqualTo(x.get(0, 0, 1, 0));
  }

  @Test
  void aFractionalShiftInterpolates() {
    // Half a pixel right on a 4-wide row [1 2 4 8]: x_in = -0.5 (clamped to 0), 0.5, 1.5, 2.5.
    float[] r = {1, 2, 4, 8};
    Tensor y = translate(NONE, new double[] {0.125, 0.125}, "reflect", TestImages.image(r, r));
    assertThat(TestImages.imageOf(y, 0)).containsExactly(1f, 1.5f, 3f, 6f, 1f, 1.5f, 3f, 6f);
  }

  @Test
  void identityAtInference() {
    RandomTranslation t = TestImages.built(new RandomTranslation(0.2, 0.2), 1, S, S, 3);
    Tensor x = TestImages.coded(2, S, S, 3);
    assertThat(t.forward(x, false)).isSameAs(x);
    assertThat(t.callCount()).isZero();
  }

  @Test
  void gradientIsTheAdjoint() {
    Tensor x = Tensor.uniform(Shape.of(3, 5, 6, 2), -1, 1, 3);
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      for (String interpolation : new String[] {"bilinear", "nearest"}) {
        RandomTranslation t = TestImages.built(
            new RandomTranslation(0.4, 0.4).fillMode(fill).interpolation(interpolation), 4, 5, 6, 2);
        GradientCheck.create().beforeForward(() -> t.callCount(0)).checkLayer(t, x);
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new RandomTranslation(1.5, 0)).hasMessage("RandomTranslation: heightFactor must be in [-1, 1], got 1.5");
    assertThatThrownBy(() -> new RandomTranslation(0, -2)).hasMessage("RandomTranslation: widthFactor must be in [-1, 1], got -2.0");
    assertThatThrownBy(() -> new RandomTranslation(new double[] {0.1}, NONE))
        .hasMessage("RandomTranslation: heightFactor must have 2 values (lower, upper), got [0.1]");
    assertThatThrownBy(() -> new RandomTranslation(NONE, new double[] {0.3, 0.1}))
        .hasMessage("RandomTranslation: widthFactor must be (lower, upper) with lower <= upper, got [0.3, 0.1]");
  }

  @Test
  void config() {
    assertThat(new RandomTranslation(0.1, 0.2)).hasToString("RandomTranslation(height_factor=0.1, width_factor=0.2)");
    RandomTranslation t = RandomTranslation.fromConfig(Map.of("height_factor", 0.1, "width_factor", List.of(0L, 1L),
        "fill_mode", "wrap", "fill_value", 2L));
    assertThat(t.widthFactor()).containsExactly(0.0, 1.0);
    assertThat(t.heightFactor()).containsExactly(-0.1, 0.1);
    assertThat(t.fillMode()).isEqualTo("wrap");
    assertThat(t.fillValue()).isEqualTo(2.0);
    assertThatThrownBy(() -> RandomTranslation.fromConfig(Map.of("height_factor", 0.1)))
        .hasMessageContaining("RandomTranslation.fromConfig").hasMessageContaining("\"width_factor\"");
    assertThatThrownBy(() -> RandomTranslation.fromConfig(Map.of("height_factor", 0.1, "width_factor", 0.1,
        "fill_mode", "mirror"))).hasMessageContaining("fillMode").hasMessageContaining("mirror");
  }
}
