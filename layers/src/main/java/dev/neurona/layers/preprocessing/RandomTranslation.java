package dev.neurona.layers.preprocessing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code RandomTranslation}: in training each image is shifted by its own offsets; at
 * inference the layer is the identity.
 *
 * <p>The shifts are {@code dy = u·h} and {@code dx = v·w} pixels, {@code u} drawn from the height
 * factor's range and {@code v} from the width factor's (not rounded: fractional shifts interpolate).
 * Output pixel {@code (x, y)} shows input point {@code (x - dx, y - dy)}, so a positive shift moves
 * the picture right and down; the uncovered border is filled by the {@link #fillMode() fill mode}.
 *
 * <p>Each factor is one number {@code f} (the range {@code [-|f|, |f|]}) or a pair
 * {@code (lower, upper)}, every value a fraction of the image size in {@code [-1, 1]}.
 *
 * <pre>{@code
 * new RandomTranslation(0.1, 0.1)                                   // up to ±10 % each way
 * new RandomTranslation(new double[] {0, 0.2}, new double[] {-0.1, 0.1}).fillMode("nearest")
 * }</pre>
 */
public final class RandomTranslation extends AffineImageLayer {
  private static final String NAME = "RandomTranslation";

  private final Factor heightFactor;
  private final Factor widthFactor;

  /**
   * Vertical shifts in {@code [-|heightFactor|·h, |heightFactor|·h]}, horizontal ones likewise.
   *
   * @param heightFactor a fraction of the height, in {@code [-1, 1]}
   * @param widthFactor a fraction of the width, in {@code [-1, 1]}
   */
  public RandomTranslation(double heightFactor, double widthFactor) {
    this(Factor.symmetric(NAME, "heightFactor", heightFactor, Factor.SIGNED),
        Factor.symmetric(NAME, "widthFactor", widthFactor, Factor.SIGNED));
  }

  /**
   * Ranges given as {@code (lower, upper)} pairs of fractions of the height and the width.
   *
   * @param heightFactor {@code {lower, upper}}, each in {@code [-1, 1]}; positive moves down
   * @param widthFactor {@code {lower, upper}}, each in {@code [-1, 1]}; positive moves right
   */
  public RandomTranslation(double[] heightFactor, double[] widthFactor) {
    this(Factor.pair(NAME, "heightFactor", heightFactor, Factor.SIGNED, true),
        Factor.pair(NAME, "widthFactor", widthFactor, Factor.SIGNED, true));
  }

  private RandomTranslation(Factor heightFactor, Factor widthFactor) {
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
  }

  /**
   * The range of vertical shifts as fractions of the height.
   *
   * @return {@code {lower, upper}}
   */
  public double[] heightFactor() {
    return new double[] {heightFactor.lower, heightFactor.upper};
  }

  /**
   * The range of horizontal shifts as fractions of the width.
   *
   * @return {@code {lower, upper}}
   */
  public double[] widthFactor() {
    return new double[] {widthFactor.lower, widthFactor.upper};
  }

  /**
   * Sets how points outside the image are filled (before the layer is built).
   *
   * @param mode {@code "reflect"} (default), {@code "wrap"}, {@code "constant"} or {@code "nearest"}
   * @return this layer
   */
  public RandomTranslation fillMode(String mode) {
    setFillMode(mode);
    return this;
  }

  /**
   * Sets how the image is read between pixels (before the layer is built).
   *
   * @param mode {@code "bilinear"} (default) or {@code "nearest"}
   * @return this layer
   */
  public RandomTranslation interpolation(String mode) {
    setInterpolation(mode);
    return this;
  }

  /**
   * Sets the value of points outside the image for fill mode {@code "constant"} (before the layer is built).
   *
   * @param value a finite value (default 0)
   * @return this layer
   */
  public RandomTranslation fillValue(double value) {
    setFillValue(value);
    return this;
  }

  /** Keras' {@code _get_translation_matrix}: {@code x_in = x - dx}, {@code y_in = y - dy}. */
  @Override
  void drawTransform(SplittableRandom rng, int height, int width, double[] t, int at) {
    double dy = uniform(rng, heightFactor.lower, heightFactor.upper) * height;
    double dx = uniform(rng, widthFactor.lower, widthFactor.upper) * width;
    t[at] = 1;
    t[at + 1] = 0;
    t[at + 2] = -dx;
    t[at + 3] = 0;
    t[at + 4] = 1;
    t[at + 5] = -dy;
    t[at + 6] = 0;
    t[at + 7] = 0;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("height_factor", heightFactor.config());
    c.put("width_factor", widthFactor.config());
    putSamplingConfig(c);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return samplingDefaults(Map.of());
  }

  /**
   * Re-creates a RandomTranslation layer from its {@link #config()}.
   *
   * @param config {@code height_factor} and {@code width_factor} (each a number or {@code [lower, upper]}),
   *     and optionally {@code fill_mode}, {@code interpolation}, {@code fill_value}
   * @return the layer
   */
  public static RandomTranslation fromConfig(Map<String, Object> config) {
    PreprocessingConfigs.requireConfig(NAME, config);
    RandomTranslation layer = new RandomTranslation(
        PreprocessingConfigs.factor(NAME, config, "height_factor", true, Factor.SIGNED,
            PreprocessingConfigs.Single.SYMMETRIC, true),
        PreprocessingConfigs.factor(NAME, config, "width_factor", true, Factor.SIGNED,
            PreprocessingConfigs.Single.SYMMETRIC, true));
    layer.readSamplingConfig(NAME, config);
    return layer;
  }
}
