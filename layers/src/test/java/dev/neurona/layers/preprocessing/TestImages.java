package dev.neurona.layers.preprocessing;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;

/** Small images for the augmentation tests, and a few ways to look at them. */
final class TestImages {
  private TestImages() {}

  /** {@code x[n, y, x, c] = 1000·n + 100·y + 10·x + c}: every value tells where it came from. */
  static Tensor coded(int n, int h, int w, int c) {
    Tensor t = Tensor.zeros(n, h, w, c);
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            t.set(1000 * b + 100 * y + 10 * x + ch, b, y, x, ch);
          }
        }
      }
    }
    return t;
  }

  /** One image, one channel, from rows of values. */
  static Tensor image(float[]... rows) {
    Tensor t = Tensor.zeros(1, rows.length, rows[0].length, 1);
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[0].length; x++) {
        t.set(rows[y][x], 0, y, x, 0);
      }
    }
    return t;
  }

  /** Where output pixel {@code (y, x)} comes from: {@code {row, column}} of the input. */
  @FunctionalInterface
  interface PixelMap {
    int[] source(int y, int x);
  }

  /** Image {@code n} of {@code t} rearranged: {@code out[y][x] = t[n, map(y, x)]}. */
  static float[] remapped(Tensor t, int n, PixelMap map) {
    int h = t.dim(1);
    int w = t.dim(2);
    int c = t.dim(3);
    float[] out = new float[h * w * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          int[] src = map.source(y, x);
          out[(y * w + x) * c + ch] = t.get(n, src[0], src[1], ch);
        }
      }
    }
    return out;
  }

  /** Image {@code n} of {@code t} as a flat copy. */
  static float[] imageOf(Tensor t, int n) {
    int size = t.size() / t.dim(0);
    float[] out = new float[size];
    System.arraycopy(t.data(), n * size, out, 0, size);
    return out;
  }

  /** {@code layer} built for per-sample {@code shape} with {@code seed}. */
  static <L extends Layer> L built(L layer, long seed, int... shape) {
    layer.build(Shape.of(shape), seed);
    return layer;
  }
}
