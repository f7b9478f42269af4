package dev.neurona.layers.preprocessing;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code RandomContrast}: in training each image gets a contrast factor {@code f} drawn
 * uniformly from {@code [1 - lower, 1 + upper]}, and every channel of it becomes
 * {@code clip((x - mean)·f + mean, low, high)}, {@code mean} being that image's channel mean and
 * {@code [low, high]} the {@link #valueRange() value range} (Keras 3 clips; default {@code [0, 255]},
 * use {@code valueRange(0, 1)} after {@code Rescaling(1 / 255.0)}). At inference the layer is the
 * identity (no clipping either).
 *
 * <p>One number {@code f} means {@code lower = upper = f}, i.e. factors in {@code [1 - f, 1 + f]}, as
 * Keras documents (and as tf.keras and Keras up to 3.5 did). Keras 3.6 and later turn a single number
 * into {@code [1, 1 + f]}, which contradicts their own documentation; pass {@code (0, f)} for that.
 */
public final class RandomContrast extends RandomImageLayer {
  private static final String NAME = "RandomContrast";

  private final Factor factor;
  private double low = 0;
  private double high = 255;

  /** Cached by a training forward: the input, each image's factor, each image's channel means. */
  private Tensor input;
  private float[] factors;
  private float[] means;
  /** Whether the last forward changed contrast (training) or was the identity. */
  private boolean adjusted;
  private Tensor output;
  private Tensor lastOutput;
  private Tensor dInput;

  /**
   * Contrast factors in {@code [1 - factor, 1 + factor]}.
   *
   * @param factor in {@code [0, 1]}
   */
  public RandomContrast(double factor) {
    this(Factor.both(NAME, "factor", factor, Factor.UNIT));
  }

  /**
   * Contrast factors in {@code [1 - lower, 1 + upper]}.
   *
   * @param lower how far below 1 the factor may go, in {@code [0, 1]}
   * @param upper how far above 1, in {@code [0, 1]}
   */
  public RandomContrast(double lower, double upper) {
    this(Factor.pair(NAME, "factor", lower, upper, Factor.UNIT, false));
  }

  private RandomContrast(Factor factor) {
    this.factor = factor;
  }

  /**
   * How far the contrast factor goes below and above 1.
   *
   * @return {@code {lower, upper}}
   */
  public double[] factor() {
    return new double[] {factor.lower, factor.upper};
  }

  /**
   * The contrast factor of each image in the last training forward.
   *
   * @return a copy, one factor per image; null before the first training forward
   */
  public float[] factors() {
    return factors == null ? null : factors.clone();
  }

  /**
   * The range outputs are clipped to in training.
   *
   * @return {@code {low, high}}
   */
  public double[] valueRange() {
    return new double[] {low, high};
  }

  /**
   * Sets the range of the images' values, to which the outputs are clipped (before the layer is built).
   *
   * @param low the smallest value, finite
   * @param high the largest, finite and greater than {@code low}
   * @return this layer
   */
  public RandomContrast valueRange(double low, double high) {
    requireUnbuilt("valueRange");
    if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
      throw new IllegalArgumentException(NAME + ": valueRange must be finite with low < high, got [" + low + ", " + high + "]");
    }
    this.low = low;
    this.high = high;
    return this;
  }

  /** x (batch, h, w, c) → y (batch, h, w, c) = clip((x - mean)·f + mean) per image and channel in training; x at inference. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    if (!training) {
      adjusted = false;
      lastOutput = x;
      return x;
    }
    int batch = x.dim(0);
    int c = x.dim(3);
    if (factors == null || factors.length != batch) {
      factors = new float[batch];
    }
    if (means == null || means.length != batch * c) {
      means = new float[batch * c];
    }
    SplittableRandom rng = nextRandom();
    for (int b = 0; b < batch; b++) {
      factors[b] = (float) uniform(rng, 1 - factor.lower, 1 + factor.upper);
    }
    input = x;
    output = reuse(output, x.shape());
    int pixels = x.dim(1) * x.dim(2);
    float lo = (float) low;
    float hi = (float) high;
    float[] in = x.data();
    float[] out = output.data();
    float[] f = factors;
    float[] m = means;
    Parallel.forRange(batch, 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        float fb = f[b];
        int end = (b + 1) * pixels * c;
        // Each channel of the image: its pixels are every c-th value from base + ch.
        for (int ch = 0; ch < c; ch++) {
          int start = b * pixels * c + ch;
          double sum = 0;
          for (int i = start; i < end; i += c) {
            sum += in[i];
          }
          float mean = (float) (sum / pixels);
          m[b * c + ch] = mean;
          for (int i = start; i < end; i += c) {
            out[i] = Math.min(Math.max(contrast(in[i], mean, fb), lo), hi);
          }
        }
      }
    });
    adjusted = true;
    lastOutput = output;
    return output;
  }

  /** The unclipped output; one expression for forward and backward, so both see the same value. */
  private static float contrast(float x, float mean, float f) {
    return (x - mean) * f + mean;
  }

  /**
   * dOut (batch, h, w, c) → dX (batch, h, w, c). Per image and channel, with {@code N = h·w} pixels:
   * {@code y_p = clip(z_p)}, {@code z_p = f·(x_p - m) + m}, {@code m = (1/N)·Σ_q x_q}, so
   * {@code ∂z_p/∂x_q = f·[p = q] + (1 - f)/N}. The clip passes the gradient where
   * {@code low <= z_p <= high} (as {@code tf.clip_by_value}) and stops it elsewhere; with
   * {@code g_p = dOut_p·[low <= z_p <= high]}: {@code dX_q = f·g_q + (1 - f)/N·Σ_p g_p}.
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, lastOutput);
    if (!needsInputGradient) {
      return null;
    }
    if (!adjusted) {
      return dOut;
    }
    dInput = reuse(dInput, dOut.shape());
    int c = dOut.dim(3);
    int pixels = dOut.dim(1) * dOut.dim(2);
    float lo = (float) low;
    float hi = (float) high;
    float[] in = input.data();
    float[] d = dOut.data();
    float[] dx = dInput.data();
    float[] f = factors;
    float[] m = means;
    Parallel.forRange(dOut.dim(0), 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        float fb = f[b];
        int end = (b + 1) * pixels * c;
        for (int ch = 0; ch < c; ch++) {
          int start = b * pixels * c + ch;
          float mean = m[b * c + ch];
          // g = dOut where the clip let z through, 0 where it clipped; dx holds g for now.
          double sum = 0;
          for (int i = start; i < end; i += c) {
            float z = contrast(in[i], mean, fb);
            float g = z >= lo && z <= hi ? d[i] : 0f;
            dx[i] = g;
            sum += g;
          }
          float meanTerm = (float) ((1 - (double) fb) / pixels * sum);
          for (int i = start; i < end; i += c) {
            dx[i] = fb * dx[i] + meanTerm;
          }
        }
      }
    });
    return dInput;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("factor", factor.config());
    c.put("value_range", List.of(low, high));
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return Map.of("value_range", List.of(0.0, 255.0));
  }

  /**
   * Re-creates a RandomContrast layer from its {@link #config()}.
   *
   * @param config {@code factor} (a number or {@code [lower, upper]}), and optionally
   *     {@code value_range} ({@code [low, high]}, default {@code [0, 255]})
   * @return the layer
   */
  public static RandomContrast fromConfig(Map<String, Object> config) {
    PreprocessingConfigs.requireConfig(NAME, config);
    RandomContrast layer = new RandomContrast(PreprocessingConfigs.factor(NAME, config, "factor", true,
        Factor.UNIT, PreprocessingConfigs.Single.BOTH, false));
    double[] range = PreprocessingConfigs.pair(NAME, config, "value_range", new double[] {0, 255});
    return layer.valueRange(range[0], range[1]);
  }
}
