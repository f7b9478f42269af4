package dev.neurona.core.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class Im2colTest {
  static Stream<ConvGeometry> geometries() {
    return List.of(
        ConvGeometry.of(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 4),
        ConvGeometry.of(14, 14, 3, 3, 3, 1, 1, Padding.SAME, 4),
        ConvGeometry.of(14, 14, 3, 2, 2, 1, 1, Padding.SAME, 4),
        ConvGeometry.of(14, 14, 3, 4, 4, 2, 2, Padding.SAME, 4),
        ConvGeometry.of(13, 13, 2, 3, 3, 2, 2, Padding.SAME, 4),
        ConvGeometry.of(11, 9, 3, 3, 2, 2, 1, Padding.SAME, 4),
        ConvGeometry.of(10, 12, 1, 1, 4, 1, 3, Padding.VALID, 4),
        ConvGeometry.of(9, 9, 3, 1, 1, 2, 2, Padding.VALID, 4),
        ConvGeometry.of(3, 3, 2, 5, 5, 1, 1, Padding.SAME, 4),
        ConvGeometry.of(6, 7, 2, 3, 3, 1, 1, Padding.VALID, 4)).stream();
  }

  /** The definition, one element at a time: cols[b·P + oy·outW + ox][(ky·kW + kx)·inC + c] = in[b, iy, ix, c] or 0. */
  static float[] im2colByDefinition(ConvGeometry g, float[] input, int batch) {
    float[] cols = new float[batch * g.outPixels() * g.patchSize()];
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          for (int ky = 0; ky < g.kH; ky++) {
            for (int kx = 0; kx < g.kW; kx++) {
              for (int c = 0; c < g.inC; c++) {
                int iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
                int row = (b * g.outH + oy) * g.outW + ox, col = (ky * g.kW + kx) * g.inC + c;
                boolean inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
                cols[row * g.patchSize() + col] = inside ? input[((b * g.inH + iy) * g.inW + ix) * g.inC + c] : 0f;
              }
            }
          }
        }
      }
    }
    return cols;
  }

  /** The transpose, one element at a time, in the same (row, ky, kx, c) order: input[...] += cols[...]. */
  static void col2imByDefinition(ConvGeometry g, float[] cols, int batch, float[] input) {
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          for (int ky = 0; ky < g.kH; ky++) {
            for (int kx = 0; kx < g.kW; kx++) {
              for (int c = 0; c < g.inC; c++) {
                int iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
                if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) {
                  int row = (b * g.outH + oy) * g.outW + ox, col = (ky * g.kW + kx) * g.inC + c;
                  input[((b * g.inH + iy) * g.inW + ix) * g.inC + c] += cols[row * g.patchSize() + col];
                }
              }
            }
          }
        }
      }
    }
  }

  static float[] random(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextFloat() * 2f - 1f;
    }
    return x;
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void im2colOfOneImageMatchesTheDefinitionAndTouchesOnlyItsRegion(ConvGeometry g) {
    Random rnd = new Random(11);
    int batch = 3, colsSize = g.outPixels() * g.patchSize();
    float[] input = random(rnd, batch * g.inSize());
    float[] expected = im2colByDefinition(g, input, batch);
    for (int b = 0; b < batch; b++) {
      float[] cols = new float[colsSize + 10];
      Arrays.fill(cols, Float.NaN); // stale contents, including where padding zeros must be written
      Im2col.im2col(g, input, b * g.inSize(), cols, 5);
      assertThat(Arrays.copyOfRange(cols, 5, 5 + colsSize)).as("image %d of %s", b, g)
          .containsExactly(Arrays.copyOfRange(expected, b * colsSize, (b + 1) * colsSize));
      assertThat(Arrays.copyOfRange(cols, 0, 5)).containsOnly(Float.NaN);
      assertThat(Arrays.copyOfRange(cols, 5 + colsSize, cols.length)).containsOnly(Float.NaN);
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void im2colOfImageRangesAndRowRangesMatchesTheDefinition(ConvGeometry g) {
    Random rnd = new Random(12);
    int batch = 4, colsSize = g.outPixels() * g.patchSize();
    float[] input = random(rnd, batch * g.inSize());
    float[] expected = im2colByDefinition(g, input, batch);

    float[] cols = new float[3 * colsSize + 2];
    Im2col.im2colImages(g, input, 1, 4, cols, 2);
    assertThat(Arrays.copyOfRange(cols, 2, cols.length)).containsExactly(Arrays.copyOfRange(expected, colsSize, 4 * colsSize));

    // Rows that start and end mid-image.
    int rows = batch * g.outPixels(), from = g.outPixels() / 2, to = rows - 1;
    float[] part = new float[(to - from) * g.patchSize()];
    Im2col.im2colRows(g, input, 0, from, to, part, 0);
    assertThat(part).containsExactly(Arrays.copyOfRange(expected, from * g.patchSize(), to * g.patchSize()));
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void col2imAccumulatesTheTransposeOfIm2col(ConvGeometry g) {
    Random rnd = new Random(13);
    int batch = 3, colsSize = g.outPixels() * g.patchSize();
    float[] cols = random(rnd, batch * colsSize);
    float[] start = random(rnd, batch * g.inSize());

    float[] expected = start.clone();
    col2imByDefinition(g, cols, batch, expected);

    float[] perImage = start.clone();
    for (int b = 0; b < batch; b++) {
      Im2col.col2im(g, cols, b * colsSize, perImage, b * g.inSize());
    }
    assertThat(perImage).as("%s", g).containsExactly(expected);

    float[] ranged = start.clone();
    Im2col.col2imImages(g, cols, 0, 0, 1, ranged);
    Im2col.col2imImages(g, cols, colsSize, 1, 3, ranged);
    assertThat(ranged).containsExactly(expected);
  }

  @Test
  void col2imIsTheAdjointOfIm2col() {
    // <im2col(x), y> == <x, col2im(y)> for every geometry: checks the two agree on which positions are padding.
    Random rnd = new Random(14);
    geometries().forEach(g -> {
      float[] x = random(rnd, g.inSize());
      float[] y = random(rnd, g.outPixels() * g.patchSize());
      float[] cols = new float[y.length];
      Im2col.im2col(g, x, 0, cols, 0);
      float[] back = new float[x.length];
      Im2col.col2im(g, y, 0, back, 0);
      double left = 0, right = 0, scale = 0;
      for (int i = 0; i < y.length; i++) {
        left += (double) cols[i] * y[i];
        scale += Math.abs((double) cols[i] * y[i]);
      }
      for (int i = 0; i < x.length; i++) {
        right += (double) x[i] * back[i];
      }
      assertThat(right).as("%s", g).isCloseTo(left, org.assertj.core.data.Offset.offset(1e-5 * (scale + 1)));
    });
  }

  @Test
  void badArgumentsAreNamedWithTheirValues() {
    ConvGeometry g = ConvGeometry.of(5, 5, 2, 3, 3, 1, 1, Padding.SAME, 4);
    float[] image = new float[g.inSize()];
    float[] cols = new float[g.outPixels() * g.patchSize()];
    assertThatThrownBy(() -> Im2col.im2col(g, image, 0, new float[cols.length - 1], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols has " + (cols.length - 1) + " elements")
        .hasMessageContaining(String.valueOf(cols.length));
    assertThatThrownBy(() -> Im2col.im2col(g, image, 1, cols, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input has " + image.length + " elements but offset 1");
    assertThatThrownBy(() -> Im2col.im2col(g, image, -3, cols, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset of input is negative: -3");
    assertThatThrownBy(() -> Im2col.col2im(g, null, 0, image, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols is null");
    assertThatThrownBy(() -> Im2col.im2colImages(g, image, 2, 1, cols, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fromImage=2, toImage=1");
    assertThatThrownBy(() -> Im2col.col2imImages(g, cols, 0, 0, 2, image))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols has " + cols.length + " elements");
  }
}
