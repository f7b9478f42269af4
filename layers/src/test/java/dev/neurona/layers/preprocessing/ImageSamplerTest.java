package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.preprocessing.ImageSampler.FillMode;
import dev.neurona.layers.preprocessing.ImageSampler.Interpolation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sampler on hand-worked cases: TensorFlow's coordinate rules, each fill mode, and the adjoint. */
class ImageSamplerTest {
  private static final float[] ROW = {1, 2, 4, 8};

  private static ImageSampler sampler(String fill, String interpolation, float fillValue) {
    return new ImageSampler(FillMode.of("test", fill), Interpolation.of("test", interpolation), fillValue);
  }

  /** Output pixel x shows input point x - dx. */
  private static double[] shift(double dx, double dy) {
    return new double[] {1, 0, -dx, 0, 1, -dy, 0, 0};
  }

  private static float[] sample(ImageSampler s, Tensor x, double[] t) {
    Tensor y = Tensor.zeros(x.shape());
    s.forward(x, y, t);
    return y.data();
  }

  @Test
  void reflectMirrorsAboutTheOuterEdgeOfTheBorderPixel() {
    // [abcd] → [dcba|abcd|dcba]: index -1 is a, -4 is d, 4 is d, 7 is a, 8 is a again.
    assertThat(ImageSampler.reflect(-1, 4)).isEqualTo(0);
    assertThat(ImageSampler.reflect(-2, 4)).isEqualTo(1);
    assertThat(ImageSampler.reflect(-4, 4)).isEqualTo(3);
    assertThat(ImageSampler.reflect(-5, 4)).isEqualTo(3);
    assertThat(ImageSampler.reflect(-8, 4)).isEqualTo(0);
    assertThat(ImageSampler.reflect(4, 4)).isEqualTo(3);
    assertThat(ImageSampler.reflect(5, 4)).isEqualTo(2);
    assertThat(ImageSampler.reflect(7, 4)).isEqualTo(0);
    assertThat(ImageSampler.reflect(8, 4)).isEqualTo(0);
    assertThat(ImageSampler.reflect(-1.5, 4)).isEqualTo(0.5);
    // The half pixel past either border is clamped onto the border pixel (TensorFlow's clamp).
    assertThat(ImageSampler.reflect(-0.5, 4)).isEqualTo(0);
    assertThat(ImageSampler.reflect(3.5, 4)).isEqualTo(3);
    assertThat(ImageSampler.reflect(17.25, 1)).isEqualTo(0);
  }

  @Test
  void wrapIsTheCoordinateModuloTheLength() {
    assertThat(ImageSampler.wrap(-1, 4)).isEqualTo(3);
    assertThat(ImageSampler.wrap(4, 4)).isEqualTo(0);
    assertThat(ImageSampler.wrap(-0.5, 4)).isEqualTo(3.5);
    assertThat(ImageSampler.wrap(5.5, 4)).isEqualTo(1.5);
    assertThat(ImageSampler.wrap(-9, 4)).isEqualTo(3);
    assertThat(ImageSampler.wrap(-1e-17, 4)).isEqualTo(0);
  }

  /** Row [1 2 4 8] moved right by 1.5 pixels: x_in = x - 1.5 = -1.5, -0.5, 0.5, 1.5. */
  @Test
  void eachFillModeOnAHandWorkedRowMovedRight() {
    Tensor x = TestImages.image(ROW);
    double[] t = shift(1.5, 0);
    // reflect: -1.5 → 0.5 (between 1 and 2), -0.5 → clamped to 0.
    assertThat(sample(sampler("reflect", "bilinear", 0), x, t)).containsExactly(1.5f, 1f, 1.5f, 3f);
    assertThat(sample(sampler("nearest", "bilinear", 0), x, t)).containsExactly(1f, 1f, 1.5f, 3f);
    // constant: anything outside [0, 3] is the fill value, with no blending at the border.
    assertThat(sample(sampler("constant", "bilinear", 9), x, t)).containsExactly(9f, 9f, 1.5f, 3f);
    // wrap: -1.5 → 2.5 (between 4 and 8), -0.5 → 3.5 (between 8 and 1, across the seam).
    assertThat(sample(sampler("wrap", "bilinear", 0), x, t)).containsExactly(6f, 4.5f, 1.5f, 3f);
  }

  /** Row [1 2 4 8] moved left by 1.5 pixels: x_in = 1.5, 2.5, 3.5, 4.5. */
  @Test
  void eachFillModeOnAHandWorkedRowMovedLeft() {
    Tensor x = TestImages.image(ROW);
    double[] t = shift(-1.5, 0);
    // reflect: 3.5 is clamped to 3, 4.5 → 8 - 4.5 - 1 = 2.5 (between 4 and 8).
    assertThat(sample(sampler("reflect", "bilinear", 0), x, t)).containsExactly(3f, 6f, 8f, 6f);
    assertThat(sample(sampler("nearest", "bilinear", 0), x, t)).containsExactly(3f, 6f, 8f, 8f);
    assertThat(sample(sampler("constant", "bilinear", -1), x, t)).containsExactly(3f, 6f, -1f, -1f);
    assertThat(sample(sampler("wrap", "bilinear", 0), x, t)).containsExactly(3f, 6f, 4.5f, 1.5f);
  }

  @Test
  void nearestInterpolationRoundsHalvesUp() {
    Tensor x = TestImages.image(ROW);
    // reflect coordinates 0.5, 0 (clamped from -0.5), 0.5, 1.5 → pixels 1, 0, 1, 2.
    assertThat(sample(sampler("reflect", "nearest", 0), x, shift(1.5, 0))).containsExactly(2f, 1f, 2f, 4f);
    assertThat(sample(sampler("constant", "nearest", 7), x, shift(1.5, 0))).containsExactly(7f, 7f, 2f, 4f);
    // wrap: 3.5 rounds to 4, which is pixel 0 again.
    assertThat(sample(sampler("wrap", "nearest", 0), x, shift(1.5, 0))).containsExactly(8f, 1f, 2f, 4f);
  }

  @Test
  void constantFillCoversEveryChannelWhenOneAxisIsOutside() {
    Tensor x = TestImages.coded(1, 3, 3, 2);
    // Moved down by one row: row 0 reads row -1, outside; the columns are all inside.
    float[] y = sample(sampler("constant", "bilinear", -5), x, shift(0, 1));
    for (int i = 0; i < 3 * 2; i++) {
      assertThat(y[i]).isEqualTo(-5f);
    }
    assertThat(TestImages.imageOf(Tensor.of(y, 1, 3, 3, 2), 0)).startsWith(-5f, -5f, -5f, -5f, -5f, -5f, 0f, 1f, 10f, 11f);
  }

  @Test
  void projectiveCoefficientsDivideByK() {
    Tensor x = TestImages.image(new float[] {1, 2, 4, 8}, new float[] {16, 32, 64, 128});
    // c1 = 1: k = y + 1, so row 1 reads (x/2, 1/2); row 0 is unchanged.
    double[] t = {1, 0, 0, 0, 1, 0, 0, 1};
    float[] y = sample(sampler("reflect", "bilinear", 0), x, t);
    assertThat(y).containsExactly(1, 2, 4, 8,
        (1 + 16) / 2f, (1.5f + 24) / 2f, (2 + 32) / 2f, (3 + 48) / 2f);
    // c0 = -1: k = 1 - x is 0 at x = 1, a point at infinity → the fill value, whatever the mode.
    double[] atInfinity = {1, 0, 0, 0, 1, 0, -1, 0};
    assertThat(sample(sampler("nearest", "bilinear", 42), x, atInfinity)[1]).isEqualTo(42f);
  }

  /** ⟨A·x, g⟩ = ⟨x, Aᵀ·g⟩ for every fill mode and interpolation, under rotation + zoom + shift. */
  @Test
  void backwardIsTheAdjointOfForward() {
    Random rnd = new Random(5);
    int n = 3;
    Shape shape = Shape.of(n, 6, 7, 2);
    Tensor x = Tensor.uniform(shape, -1, 1, 11);
    Tensor g = Tensor.uniform(shape, -1, 1, 12);
    double[] t = new double[n * ImageSampler.COEFFS];
    for (int b = 0; b < n; b++) {
      double a = rnd.nextDouble() * 2 * Math.PI;
      double z = 0.6 + rnd.nextDouble();
      int at = b * ImageSampler.COEFFS;
      t[at] = z * Math.cos(a);
      t[at + 1] = -z * Math.sin(a);
      t[at + 2] = rnd.nextDouble() * 4 - 1;
      t[at + 3] = z * Math.sin(a);
      t[at + 4] = z * Math.cos(a);
      t[at + 5] = rnd.nextDouble() * 4 - 1;
    }
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      for (String interpolation : new String[] {"bilinear", "nearest"}) {
        ImageSampler s = sampler(fill, interpolation, 0);
        Tensor y = Tensor.zeros(shape);
        Tensor dx = Tensor.full(shape, 123f); // backward must overwrite, not add to, old values
        s.forward(x, y, t);
        s.backward(g, dx, t);
        assertThat(dot(y, g)).as(fill + "/" + interpolation).isCloseTo(dot(x, dx), within(1e-4));
      }
    }
  }

  private static double dot(Tensor a, Tensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      s += (double) a.data()[i] * b.data()[i];
    }
    return s;
  }
}
