package dev.neurona.layers.preprocessing;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.preprocessing.ImageSampler.FillMode;
import dev.neurona.layers.preprocessing.ImageSampler.Interpolation;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The geometric random layers (rotation, zoom, translation): in training each image gets its own
 * transform, drawn serially by the subclass, and is resampled through it by {@link ImageSampler}
 * (images in parallel); at inference the layer is the identity. Holds the sampling settings Keras
 * calls {@code fill_mode}, {@code interpolation} and {@code fill_value}.
 */
abstract class AffineImageLayer extends RandomImageLayer {
  private FillMode fillMode = FillMode.REFLECT;
  private Interpolation interpolation = Interpolation.BILINEAR;
  private double fillValue;
  private ImageSampler sampler;

  /** Cached by a training forward: per image, the 8 coefficients mapping output pixels to input points. */
  private double[] transforms;
  /** Whether the last forward resampled (training) or was the identity. */
  private boolean transformed;
  private Tensor output;
  private Tensor lastOutput;
  private Tensor dInput;

  AffineImageLayer() {}

  /**
   * Writes image {@code n}'s coefficients {@code a0 a1 a2 b0 b1 b2 c0 c1} at {@code t[at..at+8)},
   * drawing its random parameters from {@code rng}. Called serially, image by image.
   */
  abstract void drawTransform(SplittableRandom rng, int height, int width, double[] t, int at);

  /**
   * How points outside the image are filled.
   *
   * @return {@code "reflect"} (default), {@code "wrap"}, {@code "constant"} or {@code "nearest"}
   */
  public String fillMode() {
    return fillMode.key();
  }

  /**
   * How the image is read between pixels.
   *
   * @return {@code "bilinear"} (default) or {@code "nearest"}
   */
  public String interpolation() {
    return interpolation.key();
  }

  /**
   * The value of points outside the image when the fill mode is {@code "constant"}.
   *
   * @return the fill value (default 0)
   */
  public double fillValue() {
    return fillValue;
  }

  final void setFillMode(String mode) {
    requireUnbuilt("fillMode");
    this.fillMode = FillMode.of(typeName(), mode);
  }

  final void setInterpolation(String mode) {
    requireUnbuilt("interpolation");
    this.interpolation = Interpolation.of(typeName(), mode);
  }

  final void setFillValue(double value) {
    requireUnbuilt("fillValue");
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(typeName() + ": fillValue must be finite, got " + value);
    }
    this.fillValue = value;
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    super.onBuild(inputShape, seed);
    sampler = new ImageSampler(fillMode, interpolation, (float) fillValue);
  }

  /** x (batch, h, w, c) → y (batch, h, w, c): each image resampled through its own random transform in training; x at inference. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    if (!training) {
      transformed = false;
      lastOutput = x;
      return x;
    }
    int batch = x.dim(0);
    int height = x.dim(1);
    int width = x.dim(2);
    if (transforms == null || transforms.length != batch * ImageSampler.COEFFS) {
      transforms = new double[batch * ImageSampler.COEFFS];
    }
    // Every image's parameters first, in order, from this call's generator: the result cannot
    // depend on how the images are later split between threads.
    SplittableRandom rng = nextRandom();
    for (int b = 0; b < batch; b++) {
      drawTransform(rng, height, width, transforms, b * ImageSampler.COEFFS);
    }
    output = reuse(output, x.shape());
    sampler.forward(x, output, transforms);
    transformed = true;
    lastOutput = output;
    return output;
  }

  /**
   * dOut (batch, h, w, c) → dX (batch, h, w, c). Each output pixel is {@code y_p = Σ_k w_pk·x_{q(p,k)}}
   * (or the constant fill), with taps {@code q} and weights {@code w} fixed by the transform, so
   * {@code ∂y_p/∂x_q = Σ_k w_pk [q(p,k) = q]} and {@code dX_q = Σ_p Σ_k w_pk [q(p,k) = q]·dOut_p}:
   * each output gradient is scattered back through the same taps and weights (filled pixels send nothing).
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, lastOutput);
    if (!needsInputGradient) {
      return null;
    }
    if (!transformed) {
      return dOut;
    }
    dInput = reuse(dInput, dOut.shape());
    sampler.backward(dOut, dInput, transforms);
    return dInput;
  }

  /** Adds {@code fill_mode}, {@code interpolation} and {@code fill_value} to a config. */
  final void putSamplingConfig(Map<String, Object> c) {
    c.put("fill_mode", fillMode.key());
    c.put("interpolation", interpolation.key());
    c.put("fill_value", fillValue);
  }

  /** The defaults of the sampling settings, plus {@code more} (values may be null). */
  static Map<String, Object> samplingDefaults(Map<String, Object> more) {
    Map<String, Object> d = new HashMap<>(more);
    d.put("fill_mode", FillMode.REFLECT.key());
    d.put("interpolation", Interpolation.BILINEAR.key());
    d.put("fill_value", 0.0);
    return d;
  }

  /** Applies the sampling settings of a saved config to a new layer (defaults when absent). */
  final void readSamplingConfig(String layer, Map<String, Object> c) {
    setFillMode(PreprocessingConfigs.string(layer, c, "fill_mode", FillMode.REFLECT.key()));
    setInterpolation(PreprocessingConfigs.string(layer, c, "interpolation", Interpolation.BILINEAR.key()));
    setFillValue(PreprocessingConfigs.number(layer, c, "fill_value", 0.0));
  }
}
