package dev.neurona.layers.preprocessing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code RandomZoom}: in training each image is zoomed about its centre by its own factors;
 * at inference the layer is the identity.
 *
 * <p>Keras' convention: a factor {@code f} gives the zoom {@code z = 1 + f}, and output pixel
 * {@code (x, y)} shows input point {@code (zx·(x - cx) + cx, zy·(y - cy) + cy)} with
 * {@code (cx, cy) = ((w-1)/2, (h-1)/2)}. So a <em>positive</em> factor zooms <em>out</em> (the
 * output shows a larger part of the picture, the border is filled by the {@link #fillMode() fill
 * mode}), a negative one zooms in. {@code heightFactor} draws {@code zy}; {@code widthFactor} draws
 * {@code zx}, or, when absent, {@code zx = zy} and the aspect ratio is kept.
 *
 * <p>Each factor is one number {@code f} (the range {@code [-|f|, |f|]}) or a pair
 * {@code (lower, upper)}, every value in {@code (-1, 1]}.
 *
 * <pre>{@code
 * new RandomZoom(0.2)                                          // zoom 0.8 to 1.2, aspect kept
 * new RandomZoom(new double[] {-0.3, -0.1}, null)              // zoom in 10 to 30 %
 * new RandomZoom(0.1, 0.2).fillMode("constant").fillValue(0)   // height and width drawn separately
 * }</pre>
 */
public final class RandomZoom extends AffineImageLayer {
  private static final String NAME = "RandomZoom";

  private final Factor heightFactor;
  /** Null: the width zoom equals the height zoom. */
  private final Factor widthFactor;

  /**
   * Zooms {@code 1 + f}, {@code f} in {@code [-|heightFactor|, |heightFactor|]}, the same for height
   * and width.
   *
   * @param heightFactor in {@code (-1, 1]}
   */
  public RandomZoom(double heightFactor) {
    this(Factor.symmetric(NAME, "heightFactor", heightFactor, Factor.ZOOM), null);
  }

  /**
   * Height and width zooms drawn separately, each from {@code [-|f|, |f|]} for its factor.
   *
   * @param heightFactor in {@code (-1, 1]}
   * @param widthFactor in {@code (-1, 1]}
   */
  public RandomZoom(double heightFactor, double widthFactor) {
    this(Factor.symmetric(NAME, "heightFactor", heightFactor, Factor.ZOOM),
        Factor.symmetric(NAME, "widthFactor", widthFactor, Factor.ZOOM));
  }

  /**
   * Ranges given as {@code (lower, upper)} pairs.
   *
   * @param heightFactor {@code {lower, upper}}, each in {@code (-1, 1]}
   * @param widthFactor {@code {lower, upper}}, or null to use the height zoom for the width too
   */
  public RandomZoom(double[] heightFactor, double[] widthFactor) {
    this(Factor.pair(NAME, "heightFactor", heightFactor, Factor.ZOOM, true),
        widthFactor == null ? null : Factor.pair(NAME, "widthFactor", widthFactor, Factor.ZOOM, true));
  }

  private RandomZoom(Factor heightFactor, Factor widthFactor) {
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
  }

  /**
   * The range of the height factor (the zoom is 1 plus the factor).
   *
   * @return {@code {lower, upper}}
   */
  public double[] heightFactor() {
    return new double[] {heightFactor.lower, heightFactor.upper};
  }

  /**
   * The range of the width factor.
   *
   * @return {@code {lower, upper}}, or null when the width zoom follows the height zoom
   */
  public double[] widthFactor() {
    return widthFactor == null ? null : new double[] {widthFactor.lower, widthFactor.upper};
  }

  /**
   * Sets how points outside the image are filled (before the layer is built).
   *
   * @param mode {@code "reflect"} (default), {@code "wrap"}, {@code "constant"} or {@code "nearest"}
   * @return this layer
   */
  public RandomZoom fillMode(String mode) {
    setFillMode(mode);
    return this;
  }

  /**
   * Sets how the image is read between pixels (before the layer is built).
   *
   * @param mode {@code "bilinear"} (default) or {@code "nearest"}
   * @return this layer
   */
  public RandomZoom interpolation(String mode) {
    setInterpolation(mode);
    return this;
  }

  /**
   * Sets the value of points outside the image for fill mode {@code "constant"} (before the layer is built).
   *
   * @param value a finite value (default 0)
   * @return this layer
   */
  public RandomZoom fillValue(double value) {
    setFillValue(value);
    return this;
  }

  /** Keras' {@code _get_zoom_matrix}: {@code x_in = zx·x + (w-1)/2·(1 - zx)}, likewise for y. */
  @Override
  void drawTransform(SplittableRandom rng, int height, int width, double[] t, int at) {
    double zy = 1 + uniform(rng, heightFactor.lower, heightFactor.upper);
    double zx = widthFactor == null ? zy : 1 + uniform(rng, widthFactor.lower, widthFactor.upper);
    t[at] = zx;
    t[at + 1] = 0;
    t[at + 2] = (width - 1) / 2.0 * (1 - zx);
    t[at + 3] = 0;
    t[at + 4] = zy;
    t[at + 5] = (height - 1) / 2.0 * (1 - zy);
    t[at + 6] = 0;
    t[at + 7] = 0;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("height_factor", heightFactor.config());
    c.put("width_factor", widthFactor == null ? null : widthFactor.config());
    putSamplingConfig(c);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    Map<String, Object> d = new HashMap<>();
    d.put("width_factor", null);
    return samplingDefaults(d);
  }

  /**
   * Re-creates a RandomZoom layer from its {@link #config()}.
   *
   * @param config {@code height_factor} (a number or {@code [lower, upper]}), and optionally
   *     {@code width_factor} (absent or null: the width follows the height), {@code fill_mode},
   *     {@code interpolation}, {@code fill_value}
   * @return the layer
   */
  public static RandomZoom fromConfig(Map<String, Object> config) {
    PreprocessingConfigs.requireConfig(NAME, config);
    RandomZoom layer = new RandomZoom(
        PreprocessingConfigs.factor(NAME, config, "height_factor", true, Factor.ZOOM,
            PreprocessingConfigs.Single.SYMMETRIC, true),
        PreprocessingConfigs.factor(NAME, config, "width_factor", false, Factor.ZOOM,
            PreprocessingConfigs.Single.SYMMETRIC, true));
    layer.readSamplingConfig(NAME, config);
    return layer;
  }
}
