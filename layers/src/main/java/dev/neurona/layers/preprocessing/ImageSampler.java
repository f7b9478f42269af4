package dev.neurona.layers.preprocessing;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * The sampler behind {@link RandomRotation}, {@link RandomZoom} and {@link RandomTranslation}:
 * Keras' {@code ops.image.affine_transform}, as TensorFlow's {@code ImageProjectiveTransformV3}
 * kernel (Keras' default backend) computes it, and its adjoint.
 *
 * <p>Each image {@code n} has eight coefficients {@code a0 a1 a2 b0 b1 b2 c0 c1} (Keras' order) that
 * map an <em>output</em> pixel {@code (x, y)} (column, row; pixel centres at integers) to the
 * <em>input</em> point it shows:
 * <pre>
 *   k    = c0·x + c1·y + 1            (k = 0: the point is at infinity → fill value)
 *   x_in = (a0·x + a1·y + a2) / k
 *   y_in = (b0·x + b1·y + b2) / k
 * </pre>
 * Each input coordinate is then brought back into the image by the fill mode, and the image is read
 * there by bilinear or nearest interpolation:
 * <ul>
 *   <li>{@code reflect} {@code (d c b a | a b c d | d c b a)}: reflection about the outer edge of the
 *       border pixel, then clamped to {@code [0, len-1]} (so the half pixel beyond the border shows
 *       the border pixel);</li>
 *   <li>{@code nearest} {@code (a a a | a b c d | d d d)}: clamped to {@code [0, len-1]};</li>
 *   <li>{@code constant} {@code (k k k | a b c d | k k k)}: a point outside {@code [0, len-1]} on
 *       either axis reads {@code fill_value} on every channel (no blending at the border);</li>
 *   <li>{@code wrap} {@code (a b c d | a b c d)}: the coordinate modulo {@code len}, so between the last
 *       and the first pixel bilinear interpolation blends {@code d} and {@code a}. This follows Keras'
 *       documented pattern (and its JAX backend). TensorFlow's kernel differs: it shows {@code d} on
 *       that last half pixel, and its wrap, computed with divisions by {@code len - 1}, misplaces
 *       points more than {@code len - 1} pixels past the border.</li>
 * </ul>
 * Bilinear reads the four pixels around {@code (x, y)} with weights {@code (1-fx)(1-fy)}, {@code fx(1-fy)},
 * {@code (1-fx)fy}, {@code fx·fy}; nearest reads the pixel at {@code round(x), round(y)} (halves up, as
 * {@code std::round} for these non-negative coordinates). Coordinates are computed in double precision
 * (TensorFlow uses float), so values can differ from TensorFlow's in the last float bits.
 *
 * <p>The output is linear in the input image (plus the constant fill), so the adjoint scatters each
 * output gradient back through the same taps and weights; filled pixels send nothing back.
 *
 * <p>Images are NHWC. Each output row is first planned (the taps and weights of its pixels, one
 * shared piece of code), then read (forward) or written back (adjoint) in a tight loop. Images are
 * processed in parallel, each by one thread, so results do not depend on the thread count.
 */
final class ImageSampler {
  /** Coefficients per image: {@code a0 a1 a2 b0 b1 b2 c0 c1}. */
  static final int COEFFS = 8;

  /** How points outside the image are filled (Keras' {@code fill_mode}). */
  enum FillMode {
    REFLECT, WRAP, CONSTANT, NEAREST;

    /** The Keras name, e.g. {@code "reflect"}. */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static FillMode of(String layer, String value) {
      for (FillMode m : values()) {
        if (m.key().equals(value)) {
          return m;
        }
      }
      throw new IllegalArgumentException(layer + ": fillMode must be one of \"reflect\", \"wrap\", \"constant\", "
          + "\"nearest\", got " + (value == null ? "null" : "\"" + value + "\""));
    }
  }

  /** How the image is read between pixel centres (Keras' {@code interpolation}). */
  enum Interpolation {
    BILINEAR, NEAREST;

    /** The Keras name, e.g. {@code "bilinear"}. */
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Interpolation of(String layer, String value) {
      for (Interpolation m : values()) {
        if (m.key().equals(value)) {
          return m;
        }
      }
      throw new IllegalArgumentException(layer + ": interpolation must be \"bilinear\" or \"nearest\", got "
          + (value == null ? "null" : "\"" + value + "\""));
    }
  }

  private final FillMode fillMode;
  private final Interpolation interpolation;
  private final float fillValue;

  ImageSampler(FillMode fillMode, Interpolation interpolation, float fillValue) {
    this.fillMode = fillMode;
    this.interpolation = interpolation;
    this.fillValue = fillValue;
  }

  /** x (n, h, w, c) → y (n, h, w, c): {@code y[n]} is {@code x[n]} read at the points transform {@code n} gives. */
  void forward(Tensor x, Tensor y, double[] transforms) {
    int h = x.dim(1);
    int w = x.dim(2);
    int c = x.dim(3);
    int size = h * w * c;
    float[] in = x.data();
    float[] out = y.data();
    Parallel.forRange(x.dim(0), 1, (from, to) -> {
      RowPlan plan = new RowPlan(w);
      for (int b = from; b < to; b++) {
        for (int yo = 0; yo < h; yo++) {
          planRow(plan, transforms, b * COEFFS, yo, h, w, c);
          int p = b * size + yo * w * c;
          for (int xo = 0; xo < w; xo++, p += c) {
            if (plan.filled[xo]) {
              for (int ch = 0; ch < c; ch++) {
                out[p + ch] = fillValue;
              }
              continue;
            }
            int k = 4 * xo;
            int q0 = b * size + plan.tap[k];
            int q1 = b * size + plan.tap[k + 1];
            int q2 = b * size + plan.tap[k + 2];
            int q3 = b * size + plan.tap[k + 3];
            float w0 = plan.weight[k];
            float w1 = plan.weight[k + 1];
            float w2 = plan.weight[k + 2];
            float w3 = plan.weight[k + 3];
            for (int ch = 0; ch < c; ch++) {
              out[p + ch] = w0 * in[q0 + ch] + w1 * in[q1 + ch] + w2 * in[q2 + ch] + w3 * in[q3 + ch];
            }
          }
        }
      }
    });
  }

  /**
   * dY (n, h, w, c) → dX (n, h, w, c), the adjoint of {@link #forward}: {@code dX} is zeroed, then each
   * output gradient is added to the input pixels it was read from, times their weights.
   */
  void backward(Tensor dY, Tensor dX, double[] transforms) {
    int h = dY.dim(1);
    int w = dY.dim(2);
    int c = dY.dim(3);
    int size = h * w * c;
    float[] dOut = dY.data();
    float[] dIn = dX.data();
    Parallel.forRange(dY.dim(0), 1, (from, to) -> {
      Arrays.fill(dIn, from * size, to * size, 0f);
      RowPlan plan = new RowPlan(w);
      for (int b = from; b < to; b++) {
        for (int yo = 0; yo < h; yo++) {
          planRow(plan, transforms, b * COEFFS, yo, h, w, c);
          int p = b * size + yo * w * c;
          for (int xo = 0; xo < w; xo++, p += c) {
            if (plan.filled[xo]) {
              continue; // the fill value is a constant: no gradient
            }
            int k = 4 * xo;
            int q0 = b * size + plan.tap[k];
            int q1 = b * size + plan.tap[k + 1];
            int q2 = b * size + plan.tap[k + 2];
            int q3 = b * size + plan.tap[k + 3];
            float w0 = plan.weight[k];
            float w1 = plan.weight[k + 1];
            float w2 = plan.weight[k + 2];
            float w3 = plan.weight[k + 3];
            for (int ch = 0; ch < c; ch++) {
              float g = dOut[p + ch];
              dIn[q0 + ch] += w0 * g;
              dIn[q1 + ch] += w1 * g;
              dIn[q2 + ch] += w2 * g;
              dIn[q3 + ch] += w3 * g;
            }
          }
        }
      }
    });
  }

  /**
   * How one output row is read: per output pixel {@code x}, the offsets in the image of the four
   * pixels read ({@code tap[4x..4x+4)}, {@code (row·w + column)·c}) and their weights, or
   * {@code filled[x]} when it shows the fill value. Nearest interpolation uses one tap of weight 1
   * (the other three have weight 0). One plan per thread, rewritten for every row.
   */
  private static final class RowPlan {
    final int[] tap;
    final float[] weight;
    final boolean[] filled;

    RowPlan(int w) {
      tap = new int[4 * w];
      weight = new float[4 * w];
      filled = new boolean[w];
    }
  }

  /** Plans output row {@code yo} of the image whose coefficients start at {@code t[at]}. */
  private void planRow(RowPlan plan, double[] t, int at, int yo, int h, int w, int c) {
    double a0 = t[at];
    double b0 = t[at + 3];
    double c0 = t[at + 6];
    // The row's share of the maps, computed once per row.
    double rowX = t[at + 1] * yo + t[at + 2];
    double rowY = t[at + 4] * yo + t[at + 5];
    double rowK = t[at + 7] * yo + 1.0;
    boolean projective = c0 != 0 || rowK != 1;
    boolean wrap = fillMode == FillMode.WRAP;
    boolean nearest = interpolation == Interpolation.NEAREST;
    for (int xo = 0; xo < w; xo++) {
      double xIn = a0 * xo + rowX;
      double yIn = b0 * xo + rowY;
      if (projective) {
        double k = c0 * xo + rowK;
        xIn = k == 0 ? Double.NaN : xIn / k; // k = 0: a point at infinity, filled
        yIn = k == 0 ? Double.NaN : yIn / k;
      }
      double x = map(xIn, w);
      double y = map(yIn, h);
      boolean filled = Double.isNaN(x) || Double.isNaN(y); // outside, in constant mode
      plan.filled[xo] = filled;
      if (filled) {
        continue;
      }
      int k = 4 * xo;
      if (nearest) { // the pixel at (round(y), round(x)), halves up as std::round
        int q = (index((int) (y + 0.5), h) * w + index((int) (x + 0.5), w)) * c;
        plan.tap[k] = q;
        plan.tap[k + 1] = q;
        plan.tap[k + 2] = q;
        plan.tap[k + 3] = q;
        plan.weight[k] = 1;
        plan.weight[k + 1] = 0;
        plan.weight[k + 2] = 0;
        plan.weight[k + 3] = 0;
        continue;
      }
      // Bilinear: the four pixels around (x, y); x, y >= 0 here, so the cast is the floor.
      int x0 = (int) x;
      int y0 = (int) y;
      float fx = (float) (x - x0);
      float fy = (float) (y - y0);
      // The right/lower neighbour: past the last pixel its weight is 0, except when wrapping.
      int x1 = x0 + 1 < w ? x0 + 1 : wrap ? 0 : x0;
      int y1 = y0 + 1 < h ? y0 + 1 : wrap ? 0 : y0;
      plan.tap[k] = (y0 * w + x0) * c;
      plan.tap[k + 1] = (y0 * w + x1) * c;
      plan.tap[k + 2] = (y1 * w + x0) * c;
      plan.tap[k + 3] = (y1 * w + x1) * c;
      plan.weight[k] = (1 - fx) * (1 - fy);
      plan.weight[k + 1] = fx * (1 - fy);
      plan.weight[k + 2] = (1 - fx) * fy;
      plan.weight[k + 3] = fx * fy;
    }
  }

  /** A rounded coordinate as a pixel index: only a wrapped coordinate in {@code [len - 0.5, len)} rounds to {@code len}, which is pixel 0. */
  private static int index(int i, int len) {
    return i < len ? i : 0;
  }

  /**
   * Coordinate {@code v} on an axis of {@code len} pixels, brought into the image by the fill mode:
   * in {@code [0, len-1]} ({@code [0, len)} for wrap), or NaN when the fill value is to be used.
   */
  double map(double v, int len) {
    if (v >= 0 && v <= len - 1) {
      return v; // inside: every mode leaves it alone
    }
    if (!Double.isFinite(v)) {
      return Double.NaN;
    }
    switch (fillMode) {
      case REFLECT:
        return reflect(v, len);
      case WRAP:
        return wrap(v, len);
      case NEAREST:
        return clamp(v, len);
      case CONSTANT:
      default:
        return Double.NaN; // outside: the fill value
    }
  }

  /**
   * TensorFlow's reflect: {@code [abcd]} → {@code [dcba|abcd|dcba]}, period {@code 2·len}, mirrored
   * about {@code -0.5} and {@code len - 0.5}; then clamped, so the half pixel past the border is the
   * border pixel.
   */
  static double reflect(double v, int len) {
    if (len <= 1) {
      return 0;
    }
    double period = 2.0 * len;
    if (v < 0) {
      if (v <= -period) { // only far outside: spare the division otherwise
        v += period * (long) (-v / period);
      }
      // v in (-period, 0]
      v = v < -len ? v + period : -v - 1;
    } else if (v > len - 1) {
      if (v >= period) {
        v -= period * (long) (v / period);
      }
      // v in [0, period)
      if (v >= len) {
        v = period - v - 1;
      }
    }
    return clamp(v, len);
  }

  /** {@code [abcd]} → {@code [abcd|abcd|abcd]}: {@code v mod len}, in {@code [0, len)}. */
  static double wrap(double v, int len) {
    double r = v - len * Math.floor(v / len);
    return r < len ? r : 0; // r == len only by rounding, for tiny negative v
  }

  private static double clamp(double v, int len) {
    return Math.min(Math.max(v, 0), len - 1);
  }
}
