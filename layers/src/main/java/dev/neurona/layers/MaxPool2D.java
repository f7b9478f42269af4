package dev.neurona.layers;

import dev.neurona.core.Parallel;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.Padding;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Max pooling over {@code (height, width)} windows of NHWC images, each channel separately. Strides
 * default to the pool size; padding is {@link Padding#VALID} (default) or {@link Padding#SAME}
 * (padded positions never win). On ties the first maximum in the window (row-major) wins and gets
 * the gradient.
 *
 * <pre>{@code
 * new MaxPool2D(2)                                      // Keras' MaxPooling2D(2)
 * new MaxPool2D(3).strides(2).padding(Padding.SAME)     // each argument named
 * new MaxPool2D(3, 2, Padding.SAME)                     // the same layer
 * new MaxPool2D(3, 2, "same")                           // Keras' strings
 * }</pre>
 */
public final class MaxPool2D extends Layer {
  private static final Kernels K = KernelProvider.kernels();

  private final int[] poolSize;
  private int[] strides;
  private Padding padding;

  private ConvGeometry geometry;
  /** Cached by forward: the input's shape (batch included) and, per output element, the winner's offset in its image. */
  private Shape inputBatchShape;
  private Tensor output;
  private int[] argmax;
  private Tensor dInput;

  /** Keras' default: 2×2 windows, stride 2, "valid". */
  public MaxPool2D() {
    this(2);
  }

  /** Square {@code poolSize} windows, stride {@code poolSize}, "valid" padding. */
  public MaxPool2D(int poolSize) {
    this(poolSize, poolSize, Padding.VALID);
  }

  /** Square windows with the given stride and padding ("valid" or "same"). */
  public MaxPool2D(int poolSize, int strides, String padding) {
    this(new int[] {poolSize, poolSize}, new int[] {strides, strides}, padding);
  }

  /**
   * Square windows with the given stride and padding.
   *
   * @param poolSize the window's height and width, {@code >= 1}
   * @param strides the step in both directions, {@code >= 1}
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   */
  public MaxPool2D(int poolSize, int strides, Padding padding) {
    this(new int[] {poolSize, poolSize}, new int[] {strides, strides}, padding);
  }

  /** {@code (height, width)} windows and strides; {@code strides == null} means the pool size. */
  public MaxPool2D(int[] poolSize, int[] strides, String padding) {
    this(poolSize, strides, Configs.padding("MaxPool2D", padding));
  }

  /**
   * {@code (height, width)} windows and strides.
   *
   * @param poolSize the window {@code (height, width)}, each {@code >= 1}
   * @param strides the steps {@code (height, width)}, each {@code >= 1}; null means the pool size
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   */
  public MaxPool2D(int[] poolSize, int[] strides, Padding padding) {
    this.poolSize = Configs.positivePair("MaxPool2D", "pool_size", poolSize);
    this.strides = strides == null ? this.poolSize.clone() : Configs.positivePair("MaxPool2D", "strides", strides);
    this.padding = Configs.requirePadding("MaxPool2D", padding);
  }

  /**
   * Sets square strides (default: the pool size). Only before the layer is built.
   *
   * @param stride the step in both directions, {@code >= 1}
   * @return this layer
   */
  public MaxPool2D strides(int stride) {
    return strides(stride, stride);
  }

  /**
   * Sets the strides {@code (height, width)} (default: the pool size). Only before the layer is built.
   *
   * @param strideH the vertical step, {@code >= 1}
   * @param strideW the horizontal step, {@code >= 1}
   * @return this layer
   */
  public MaxPool2D strides(int strideH, int strideW) {
    requireUnbuilt("strides");
    this.strides = Configs.positivePair("MaxPool2D", "strides", new int[] {strideH, strideW});
    return this;
  }

  /**
   * Sets the padding (default {@link Padding#VALID}). Only before the layer is built.
   *
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   * @return this layer
   */
  public MaxPool2D padding(Padding padding) {
    requireUnbuilt("padding");
    this.padding = Configs.requirePadding("MaxPool2D", padding);
    return this;
  }

  /**
   * Sets the padding by Keras name. Only before the layer is built.
   *
   * @param padding {@code "valid"} or {@code "same"} (any case)
   * @return this layer
   */
  public MaxPool2D padding(String padding) {
    requireUnbuilt("padding");
    return padding(Configs.padding("MaxPool2D", padding));
  }

  /**
   * The padding.
   *
   * @return {@link Padding#VALID} or {@link Padding#SAME}
   */
  public Padding padding() {
    return padding;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    ConvGeometry g = geometryFor(inputShape);
    return Shape.of(g.outH, g.outW, g.outC);
  }

  private ConvGeometry geometryFor(Shape in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException(describe() + ": expects NHWC input (batch, height, width, channels), got per-sample shape "
          + in + " (rank " + in.rank() + ")");
    }
    try {
      return ConvGeometry.of(in.dim(0), in.dim(1), in.dim(2), poolSize[0], poolSize[1], strides[0], strides[1],
          padding, in.dim(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + " on input " + in + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    geometry = geometryFor(inputShape);
  }

  /** x (batch, inH, inW, C) → y (batch, outH, outW, C): {@link #pool}, keeping x, y and argmax for backward. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    startForward(x.dim(0));
    return pool(x, output, argmax);
  }

  /**
   * The state a training forward pass keeps for a batch of {@code batch}: the input's shape, and the
   * output and argmax buffers (the output is returned) for the caller to fill: {@link #forward}, or
   * {@link Conv2D#forwardMaxPool}, which pools as it convolves.
   */
  Tensor startForward(int batch) {
    inputBatchShape = inputShape().prepend(batch);
    output = reuse(output, outputShape().prepend(batch));
    if (argmax == null || argmax.length != output.size()) {
      argmax = new int[output.size()];
    }
    return output;
  }

  /** The argmax buffer {@link #startForward} prepared: per output element, its winner's offset within its image. */
  int[] argmax() {
    return argmax;
  }

  /** x (batch, inH, inW, C) → y (batch, outH, outW, C): {@link #pool} into workspace buffers, keeping nothing. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    Tensor y = ws.tensor(outputShape().prepend(x.dim(0)));
    return pool(x, y, null); // no argmax: nothing goes backward from inference
  }

  /** The window geometry for one image; null before build. */
  public ConvGeometry geometry() {
    return geometry;
  }

  /** The maths of both passes: y = max over each window; {@code arg} records each winner (backward's route), or is null. */
  private Tensor pool(Tensor x, Tensor y, int[] arg) {
    ConvGeometry g = geometry;
    float[] in = x.data();
    float[] out = y.data();
    int inSize = g.inSize();
    int outSize = g.outSize();
    Parallel.forRange(x.dim(0), 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        K.maxPoolForward(g, in, b * inSize, out, b * outSize, arg, b * outSize);
      }
    });
    return y;
  }

  /**
   * dOut (batch, outH, outW, C) → dX (batch, inH, inW, C). {@code y = max_i x_i} has
   * {@code ∂y/∂x_i = 1} for the winner and 0 elsewhere, so each output's gradient goes to the one
   * input element recorded in {@code argmax} (accumulated, since overlapping windows can share a winner).
   *
   * <p>To read it as loops: per image this is
   * {@link dev.neurona.core.kernels.ScalarKernels#maxPoolBackward ScalarKernels.maxPoolBackward} (and
   * the forward pass {@link dev.neurona.core.kernels.ScalarKernels#maxPoolForward maxPoolForward}), the
   * scalar reference of the kernels this layer calls. MaxPool2DTest checks it against them and against
   * finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, output);
    if (!needsInputGradient) {
      return null;
    }
    int batch = inputBatchShape.dim(0);
    dInput = reuse(dInput, inputBatchShape);
    float[] dIn = dInput.data();
    float[] d = dOut.data();
    int[] arg = argmax;
    int inSize = geometry.inSize();
    int outSize = geometry.outSize();
    Parallel.forRange(batch, 1, (from, to) -> {
      Arrays.fill(dIn, from * inSize, to * inSize, 0f);
      for (int b = from; b < to; b++) {
        K.maxPoolBackward(d, b * outSize, arg, b * outSize, outSize, dIn, b * inSize);
      }
    });
    return dInput;
  }

  /**
   * True when this pooling's windows tile its input: strides equal to the pool size, so no two
   * windows share an input element ({@link #backwardThroughActivation} needs it). Keras' default.
   */
  public boolean tilesInput() {
    return geometry != null && geometry.strideH == geometry.kH && geometry.strideW == geometry.kW;
  }

  /**
   * dOut (batch, outH, outW, C) → dZ (batch, inH, inW, C): backward through this pooling and the
   * ReLU (or linear) activation that produced its input, fused, for {@link Conv2D#backwardMaxPool}.
   * The ReLU keeps a gradient where its output is positive; the only input elements that receive
   * one are the windows' winners, whose value is the window's maximum, this layer's output. So dZ is
   * written once per element from dOut, the output and argmax
   * ({@link dev.neurona.core.kernels.Kernels#maxPoolBackwardTiled Kernels.maxPoolBackwardTiled}),
   * instead of zeroing dX, scattering into it, then masking it through the ReLU: the same bits.
   */
  void backwardThroughActivation(Tensor dOut, boolean relu, Tensor dZ) {
    checkGradient(dOut, output);
    if (!tilesInput()) {
      throw new IllegalStateException(describe() + ": fused backward needs windows that tile the input, got pool "
          + poolSize[0] + "x" + poolSize[1] + " with strides " + strides[0] + "x" + strides[1]);
    }
    Tensor.requireShape(describe() + ": fused backward's dZ", dZ, inputBatchShape);
    ConvGeometry g = geometry;
    float[] d = dOut.data();
    float[] y = output.data();
    float[] dz = dZ.data();
    int[] arg = argmax;
    int inSize = g.inSize();
    int outSize = g.outSize();
    Parallel.forRange(inputBatchShape.dim(0), 1, (from, to) -> {
      for (int b = from; b < to; b++) {
        K.maxPoolBackwardTiled(g, d, y, arg, b * outSize, relu, dz, b * inSize);
      }
    });
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("pool_size", Configs.list(poolSize));
    c.put("strides", Configs.list(strides));
    c.put("padding", padding.name().toLowerCase(Locale.ROOT));
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return Map.of("pool_size", List.of(2, 2), "strides", Configs.list(poolSize), "padding", "valid");
  }

  /** Re-creates a MaxPool2D layer from its {@link #config()}. */
  public static MaxPool2D fromConfig(Map<String, Object> config) {
    String t = "MaxPool2D";
    int[] pool = Configs.pair(t, config, "pool_size", new int[] {2, 2});
    return new MaxPool2D(pool, Configs.pair(t, config, "strides", pool), Configs.string(t, config, "padding", "valid"));
  }
}
