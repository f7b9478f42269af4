package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code y = x·scale + offset}, element-wise; e.g. {@code new Rescaling(1 / 255.0)} maps pixels to [0, 1].
 */
public final class Rescaling extends Layer {
  private static final Kernels K = KernelProvider.kernels();

  private final double scale;
  private final double offset;

  private Tensor output;
  private Tensor dInput;

  /** {@code y = x·scale}. */
  public Rescaling(double scale) {
    this(scale, 0.0);
  }

  /** {@code y = x·scale + offset}; both must be finite. */
  public Rescaling(double scale, double offset) {
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException("Rescaling: scale must be finite, got " + scale);
    }
    if (!Double.isFinite(offset)) {
      throw new IllegalArgumentException("Rescaling: offset must be finite, got " + offset);
    }
    this.scale = scale;
    this.offset = offset;
  }

  /** The factor applied to the input. */
  public double scale() {
    return scale;
  }

  /** The value added after scaling. */
  public double offset() {
    return offset;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  /** x (batch, ...) → y (batch, ...): {@link #rescale} into the layer's output buffer. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    output = reuse(output, x.shape());
    return rescale(x, output);
  }

  /** x (batch, ...) → y (batch, ...): {@link #rescale} into a workspace buffer. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return rescale(x, ws.tensor(x.shape()));
  }

  /** The maths of both passes: y = x·scale + offset. */
  private Tensor rescale(Tensor x, Tensor out) {
    float[] y = out.data();
    K.scale((float) scale, x.data(), 0, y, 0, y.length);
    float o = (float) offset;
    if (o != 0f) {
      for (int i = 0; i < y.length; i++) {
        y[i] += o;
      }
    }
    return out;
  }

  /**
   * dOut (batch, ...) → dX (batch, ...): ∂y/∂x = scale, so dX = dOut·scale, the loop
   * {@link dev.neurona.core.kernels.ScalarKernels#scale ScalarKernels.scale} (or its vector twin).
   * SimpleLayersTest checks it against finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, output);
    if (!needsInputGradient) {
      return null;
    }
    dInput = reuse(dInput, dOut.shape());
    K.scale((float) scale, dOut.data(), 0, dInput.data(), 0, dOut.size());
    return dInput;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("scale", scale);
    c.put("offset", offset);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return Map.of("offset", 0.0);
  }

  /** Re-creates a Rescaling layer from its {@link #config()}. */
  public static Rescaling fromConfig(Map<String, Object> config) {
    if (config == null || !(config.get("scale") instanceof Number)) {
      throw new IllegalArgumentException("Rescaling.fromConfig: \"scale\" must be a number, got "
          + (config == null ? "no config" : config.get("scale")));
    }
    return new Rescaling(Configs.doubleValue("Rescaling", config, "scale", 1.0),
        Configs.doubleValue("Rescaling", config, "offset", 0.0));
  }
}
