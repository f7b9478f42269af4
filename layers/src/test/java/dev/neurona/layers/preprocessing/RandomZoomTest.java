package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomZoomTest {
  private static final double[] OUT = {0.5, 0.5};
  private static final double[] IN = {-0.5, -0.5};

  private static Tensor zoom(RandomZoom z, Tensor x) {
    TestImages.built(z, 5, x.dim(1), x.dim(2), x.dim(3));
    return z.forward(x, true);
  }

  /** Four rows of [1 2 4 8]: a vertical zoom leaves it alone, a horizontal one acts on each row. */
  private static Tensor rows() {
    float[] r = {1, 2, 4, 8};
    return TestImages.image(r, r, r, r);
  }

  private static float[] row(Tensor y, int r) {
    float[] out = new float[4];
    for (int x = 0; x < 4; x++) {
      out[x] = y.get(0, r, x, 0);
    }
    return out;
  }

  @Test
  void zeroZoomIsTheIdentity() {
    Tensor x = TestImages.coded(3, 5, 7, 3);
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      assertThat(zoom(new RandomZoom(0.0).fillMode(fill), x).data()).as(fill).containsExactly(x.data());
    }
  }

  /**
   * Keras' zoom matrix by hand on a row of 4: x_in = z·x + 1.5·(1 - z). Zoom out (factor 0.5, z = 1.5):
   * x_in = -0.75, 0.75, 2.25, 3.75. Zoom in (factor -0.5, z = 0.5): x_in = 0.75, 1.25, 1.75, 2.25.
   */
  @Test
  void aPositiveFactorZoomsOutANegativeOneZoomsIn() {
    Tensor x = rows();
    Tensor out = zoom(new RandomZoom(OUT, null), x);
    // -0.75 → reflected to -0.25, clamped to 0; 3.75 is clamped to 3.
    for (int r = 0; r < 4; r++) {
      assertThat(row(out, r)).containsExactly(1f, 1.75f, 5f, 8f);
    }
    Tensor constant = zoom(new RandomZoom(OUT, null).fillMode("constant").fillValue(-1), x);
    // The vertical zoom out moves rows 0 and 3 outside too: y_in = -0.75 and 3.75.
    assertThat(row(constant, 0)).containsExactly(-1f, -1f, -1f, -1f);
    assertThat(row(constant, 1)).containsExactly(-1f, 1.75f, 5f, -1f);
    Tensor in = zoom(new RandomZoom(IN, null), x);
    assertThat(row(in, 2)).containsExactly(1.75f, 2.5f, 3.5f, 5f);
  }

  @Test
  void withoutAWidthFactorTheAspectRatioIsKept() {
    Tensor x = rows();
    // The height factor alone zooms the width too.
    assertThat(row(zoom(new RandomZoom(IN, null), x), 0)).containsExactly(1.75f, 2.5f, 3.5f, 5f);
    // A width factor of 0 leaves the width alone while the height zooms in.
    assertThat(row(zoom(new RandomZoom(IN, new double[] {0, 0}), x), 0)).containsExactly(1f, 2f, 4f, 8f);
    assertThat(row(zoom(new RandomZoom(new double[] {0, 0}, IN), x), 1)).containsExactly(1.75f, 2.5f, 3.5f, 5f);
    // Random zooms: a transpose-symmetric image stays symmetric exactly when both axes share the zoom.
    Tensor sym = Tensor.zeros(4, 6, 6, 1);
    for (int n = 0; n < 4; n++) {
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
          sym.set(10 * Math.min(i, j) + Math.max(i, j) + 100 * n, n, i, j, 0);
        }
      }
    }
    Tensor same = zoom(new RandomZoom(0.4), sym);
    Tensor separate = zoom(new RandomZoom(0.4, 0.4), sym);
    for (int n = 0; n < 4; n++) {
      int b = n;
      assertThat(TestImages.imageOf(same, n))
          .containsExactly(TestImages.remapped(same, b, (r, c) -> new int[] {c, r}), within(1e-3f));
      assertThat(TestImages.imageOf(separate, n)).isNotEqualTo(TestImages.remapped(separate, b, (r, c) -> new int[] {c, r}));
    }
  }

  @Test
  void identityAtInference() {
    RandomZoom z = TestImages.built(new RandomZoom(0.3), 1, 4, 4, 3);
    Tensor x = TestImages.coded(2, 4, 4, 3);
    assertThat(z.forward(x, false)).isSameAs(x);
    assertThat(z.callCount()).isZero();
  }

  @Test
  void gradientIsTheAdjoint() {
    Tensor x = Tensor.uniform(Shape.of(2, 5, 6, 2), -1, 1, 3);
    for (String fill : new String[] {"reflect", "wrap", "constant", "nearest"}) {
      RandomZoom z = TestImages.built(new RandomZoom(0.5, 0.3).fillMode(fill), 4, 5, 6, 2);
      GradientCheck.create().beforeForward(() -> z.callCount(0)).checkLayer(z, x);
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new RandomZoom(-1.0)).hasMessage("RandomZoom: heightFactor must be in (-1, 1], got -1.0");
    assertThatThrownBy(() -> new RandomZoom(0.1, 1.2)).hasMessage("RandomZoom: widthFactor must be in (-1, 1], got 1.2");
    assertThatThrownBy(() -> new RandomZoom(new double[] {0.1, 0.2, 0.3}, null))
        .hasMessage("RandomZoom: heightFactor must have 2 values (lower, upper), got [0.1, 0.2, 0.3]");
    assertThatThrownBy(() -> new RandomZoom(null, null))
        .hasMessage("RandomZoom: heightFactor must have 2 values (lower, upper), got null");
    assertThatThrownBy(() -> new RandomZoom(new double[] {0.2, 0.1}, null)).hasMessageContaining("lower <= upper");
  }

  @Test
  void config() {
    assertThat(new RandomZoom(0.2)).hasToString("RandomZoom(height_factor=0.2)");
    assertThat(new RandomZoom(0.2).config()).containsEntry("width_factor", null);
    assertThat(new RandomZoom(new double[] {-0.1, 0.3}, new double[] {0, 0.2}).interpolation("nearest")).hasToString(
        "RandomZoom(height_factor=[-0.1, 0.3], width_factor=[0.0, 0.2], interpolation=nearest)");
    Map<String, Object> c = new HashMap<>();
    c.put("height_factor", List.of(-0.1, 0.3));
    c.put("width_factor", null);
    RandomZoom z = RandomZoom.fromConfig(c);
    assertThat(z.heightFactor()).containsExactly(-0.1, 0.3);
    assertThat(z.widthFactor()).isNull();
    assertThatThrownBy(() -> RandomZoom.fromConfig(Map.of("height_factor", -1L)))
        .hasMessageContaining("RandomZoom.fromConfig").hasMessageContaining("height_factor").hasMessageContaining("-1");
  }
}
