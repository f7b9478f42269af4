package dev.neurona.layers.preprocessing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code RandomRotation}: in training each image is rotated about its centre by its own angle,
 * drawn uniformly from {@code [lower·2π, upper·2π]}; at inference the layer is the identity.
 *
 * <p>Keras' convention: a positive angle turns the picture counter-clockwise as displayed (row 0 at
 * the top), e.g. a quarter turn moves the right column to the top row. For angle {@code θ} and centre
 * {@code (cx, cy) = ((w-1)/2, (h-1)/2)}, output pixel {@code (x, y)} shows input point
 * <pre>
 *   x_in = cos θ·(x - cx) - sin θ·(y - cy) + cx
 *   y_in = sin θ·(x - cx) + cos θ·(y - cy) + cy
 * </pre>
 * read with the layer's {@link #fillMode() fill mode} and {@link #interpolation() interpolation} (see
 * {@code ImageSampler}). The random parameters come from the build seed and the call count.
 *
 * <pre>{@code
 * new RandomRotation(0.1)                                 // ±36°
 * new RandomRotation(-0.05, 0.1).fillMode("constant")     // -18° to 36°, black corners
 * }</pre>
 */
public final class RandomRotation extends AffineImageLayer {
  private static final String NAME = "RandomRotation";

  private final Factor factor;

  /**
   * Angles in {@code [-|factor|·2π, |factor|·2π]}.
   *
   * @param factor a fraction of a full turn, in {@code [-1, 1]}
   */
  public RandomRotation(double factor) {
    this(Factor.symmetric(NAME, "factor", factor, Factor.SIGNED));
  }

  /**
   * Angles in {@code [lower·2π, upper·2π]}; positive turns counter-clockwise.
   *
   * @param lower the smallest angle as a fraction of a full turn, in {@code [-1, 1]}
   * @param upper the largest, in {@code [lower, 1]}
   */
  public RandomRotation(double lower, double upper) {
    this(Factor.pair(NAME, "factor", lower, upper, Factor.SIGNED, true));
  }

  private RandomRotation(Factor factor) {
    this.factor = factor;
  }

  /**
   * The range of angles as fractions of a full turn.
   *
   * @return {@code {lower, upper}}
   */
  public double[] factor() {
    return new double[] {factor.lower, factor.upper};
  }

  /**
   * Sets how points outside the image are filled (before the layer is built).
   *
   * @param mode {@code "reflect"} (default), {@code "wrap"}, {@code "constant"} or {@code "nearest"}
   * @return this layer
   */
  public RandomRotation fillMode(String mode) {
    setFillMode(mode);
    return this;
  }

  /**
   * Sets how the image is read between pixels (before the layer is built).
   *
   * @param mode {@code "bilinear"} (default) or {@code "nearest"}
   * @return this layer
   */
  public RandomRotation interpolation(String mode) {
    setInterpolation(mode);
    return this;
  }

  /**
   * Sets the value of points outside the image for fill mode {@code "constant"} (before the layer is built).
   *
   * @param value a finite value (default 0)
   * @return this layer
   */
  public RandomRotation fillValue(double value) {
    setFillValue(value);
    return this;
  }

  /** Rotation by {@code θ} about the centre, as Keras' {@code _compute_affine_matrix} with no shear, scale or shift. */
  @Override
  void drawTransform(SplittableRandom rng, int height, int width, double[] t, int at) {
    double angle = 2 * Math.PI * uniform(rng, factor.lower, factor.upper);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    t[at] = cos;
    t[at + 1] = -sin;
    t[at + 2] = cx - cx * cos + cy * sin;
    t[at + 3] = sin;
    t[at + 4] = cos;
    t[at + 5] = cy - cx * sin - cy * cos;
    t[at + 6] = 0;
    t[at + 7] = 0;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("factor", factor.config());
    putSamplingConfig(c);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return samplingDefaults(Map.of());
  }

  /**
   * Re-creates a RandomRotation layer from its {@link #config()}.
   *
   * @param config {@code factor} (a number or {@code [lower, upper]}), and optionally {@code fill_mode},
   *     {@code interpolation}, {@code fill_value}
   * @return the layer
   */
  public static RandomRotation fromConfig(Map<String, Object> config) {
    PreprocessingConfigs.requireConfig(NAME, config);
    RandomRotation layer = new RandomRotation(PreprocessingConfigs.factor(NAME, config, "factor", true,
        Factor.SIGNED, PreprocessingConfigs.Single.SYMMETRIC, true));
    layer.readSamplingConfig(NAME, config);
    return layer;
  }
}
