package dev.neurona.layers.preprocessing;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code RandomFlip}: in training each image is flipped with probability 1/2; at inference the
 * layer is the identity. {@code "horizontal"} reverses the columns (left-right), {@code "vertical"}
 * the rows (top-bottom).
 *
 * <p>{@code "horizontal_and_vertical"} (the default) tosses one coin per axis, so an image is left
 * alone, flipped left-right, top-bottom or both, each with probability 1/4, as Keras documents ("flip
 * the images horizontally and or vertically") and as tf.keras and Keras up to 3.5 did. Keras 3.6 and
 * later toss one coin for both axes (an image is left alone or turned half round).
 */
public final class RandomFlip extends RandomImageLayer {
  private static final String NAME = "RandomFlip";

  /** Which way images are flipped. */
  public enum Mode {
    /** Left-right: the columns reversed. */
    HORIZONTAL,
    /** Top-bottom: the rows reversed. */
    VERTICAL,
    /** Left-right and top-bottom, each with its own coin. */
    HORIZONTAL_AND_VERTICAL;

    /**
     * The Keras name.
     *
     * @return e.g. {@code "horizontal"}
     */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode with Keras name {@code key}.
     *
     * @param key {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"}
     * @return the mode
     */
    public static Mode of(String key) {
      for (Mode m : values()) {
        if (m.key().equals(key)) {
          return m;
        }
      }
      throw new IllegalArgumentException(NAME + ": mode must be \"horizontal\", \"vertical\" or "
          + "\"horizontal_and_vertical\", got " + (key == null ? "null" : "\"" + key + "\""));
    }
  }

  private static final int LEFT_RIGHT = 1;
  private static final int TOP_BOTTOM = 2;

  private final Mode mode;

  /** Cached by a training forward: per image, {@link #LEFT_RIGHT} and/or {@link #TOP_BOTTOM}, or 0. */
  private int[] flips;
  /** Whether the last forward flipped (training) or was the identity. */
  private boolean flipped;
  private Tensor output;
  private Tensor lastOutput;
  private Tensor dInput;

  /** Keras' default: {@code "horizontal_and_vertical"}. */
  public RandomFlip() {
    this(Mode.HORIZONTAL_AND_VERTICAL);
  }

  /**
   * Flips by Keras name.
   *
   * @param mode {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"}
   */
  public RandomFlip(String mode) {
    this(Mode.of(mode));
  }

  /**
   * Flips in the given mode.
   *
   * @param mode not null
   */
  public RandomFlip(Mode mode) {
    if (mode == null) {
      throw new IllegalArgumentException(NAME + ": mode must not be null");
    }
    this.mode = mode;
  }

  /**
   * The flip mode.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /** x (batch, h, w, c) → y (batch, h, w, c): each image flipped along each axis of the mode with probability 1/2 in training; x at inference. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    if (!training) {
      flipped = false;
      lastOutput = x;
      return x;
    }
    int batch = x.dim(0);
    if (flips == null || flips.length != batch) {
      flips = new int[batch];
    }
    SplittableRandom rng = nextRandom();
    for (int b = 0; b < batch; b++) {
      // Keras flips where uniform() <= 0.5; one draw per axis of the mode, left-right first.
      int f = 0;
      if (mode != Mode.VERTICAL && rng.nextDouble() <= 0.5) {
        f |= LEFT_RIGHT;
      }
      if (mode != Mode.HORIZONTAL && rng.nextDouble() <= 0.5) {
        f |= TOP_BOTTOM;
      }
      flips[b] = f;
    }
    output = reuse(output, x.shape());
    flipAll(x, output);
    flipped = true;
    lastOutput = output;
    return output;
  }

  /**
   * dOut (batch, h, w, c) → dX (batch, h, w, c). A flip only permutes pixels, {@code y = P·x}, so
   * {@code dX = Pᵀ·dOut}; a flip is its own inverse ({@code Pᵀ = P⁻¹ = P}), so the same flips apply.
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, lastOutput);
    if (!needsInputGradient) {
      return null;
    }
    if (!flipped) {
      return dOut;
    }
    dInput = reuse(dInput, dOut.shape());
    flipAll(dOut, dInput);
    return dInput;
  }

  /** {@code dst[n]} = {@code src[n]} flipped as {@code flips[n]} says (a copy when 0); images in parallel. */
  private void flipAll(Tensor src, Tensor dst) {
    int h = src.dim(1);
    int w = src.dim(2);
    int c = src.dim(3);
    int size = h * w * c;
    float[] in = src.data();
    float[] out = dst.data();
    int[] f = flips;
    Parallel.forRange(src.dim(0), 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        int base = b * size;
        boolean horizontal = (f[b] & LEFT_RIGHT) != 0;
        boolean vertical = (f[b] & TOP_BOTTOM) != 0;
        if (!horizontal && !vertical) {
          System.arraycopy(in, base, out, base, size);
          continue;
        }
        for (int y = 0; y < h; y++) {
          int srcRow = base + (vertical ? h - 1 - y : y) * w * c;
          int dstRow = base + y * w * c;
          if (!horizontal) {
            System.arraycopy(in, srcRow, out, dstRow, w * c);
            continue;
          }
          for (int x = 0; x < w; x++) {
            int s = srcRow + (w - 1 - x) * c;
            int d = dstRow + x * c;
            for (int ch = 0; ch < c; ch++) {
              out[d + ch] = in[s + ch];
            }
          }
        }
      }
    });
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mode", mode.key());
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return Map.of("mode", Mode.HORIZONTAL_AND_VERTICAL.key());
  }

  /**
   * Re-creates a RandomFlip layer from its {@link #config()}.
   *
   * @param config optionally {@code mode} (default {@code "horizontal_and_vertical"})
   * @return the layer
   */
  public static RandomFlip fromConfig(Map<String, Object> config) {
    PreprocessingConfigs.requireConfig(NAME, config);
    return new RandomFlip(PreprocessingConfigs.string(NAME, config, "mode", Mode.HORIZONTAL_AND_VERTICAL.key()));
  }
}
