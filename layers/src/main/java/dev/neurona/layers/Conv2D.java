package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.conv.Convolution;
import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.Padding;
import dev.neurona.layers.init.Initializer;
import dev.neurona.layers.init.Initializers;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 2-D convolution on NHWC images: {@code y = activation(conv(x, K) + b)} with kernel
 * {@code K (kH, kW, inC, filters)} (Keras' layout) and bias {@code b (filters)}.
 *
 * <pre>{@code
 * new Conv2D(32, 5).padding(Padding.SAME).activation(Activation.RELU)   // each argument named
 * new Conv2D(32, 5, Padding.SAME, Activation.RELU)                      // the same layer
 * new Conv2D(32, 5, "same", "relu")                                     // Keras' strings
 * new Conv2D(16, new int[] {3, 5}, new int[] {2, 1}, Padding.VALID, Activation.LINEAR)
 * }</pre>
 *
 * <p>Padding {@link Padding#SAME} pads so that {@code out = ceil(in / stride)}, with the extra
 * row/column (for even windows) at the bottom/right, as TensorFlow does. The setters
 * ({@link #strides(int)}, {@link #padding(Padding)}, {@link #activation(Activation)},
 * {@link #useBias(boolean)}, the initializers) may only be called before the layer is built.
 */
public final class Conv2D extends Layer implements HasActivation {
  private final int filters;
  private final int[] kernelSize;
  private int[] strides = {1, 1};
  private Padding padding;
  private Activation activation;
  private final KernelBias weights = new KernelBias(this);

  private ConvGeometry geometry;
  private Parameter kernel;
  private Parameter bias;

  /** Cached by forward for backward: the input batch and the output {@code y} (z is overwritten by y). */
  private Tensor input;
  private Tensor output;
  private Tensor dZ;
  private Tensor dInput;

  /**
   * A square {@code kernelSize × kernelSize} convolution, stride 1, {@link Padding#VALID} padding, no
   * activation; the setters change the rest.
   *
   * @param filters the number of output channels, {@code >= 1}
   * @param kernelSize the window's height and width, {@code >= 1}
   */
  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, Padding.VALID, Activation.LINEAR);
  }

  /** A square convolution, stride 1, with {@code padding} ("valid" or "same") and a Keras activation name (null = linear). */
  public Conv2D(int filters, int kernelSize, String padding, String activation) {
    this(filters, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, padding, activation);
  }

  /**
   * A square convolution, stride 1.
   *
   * @param filters the number of output channels, {@code >= 1}
   * @param kernelSize the window's height and width, {@code >= 1}
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   * @param activation applied to {@code conv(x, K) + b}; {@link Activation#LINEAR} for none
   */
  public Conv2D(int filters, int kernelSize, Padding padding, Activation activation) {
    this(filters, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, padding, activation);
  }

  /** A convolution with a {@code (height, width)} kernel and strides, a Keras padding name and activation name (null = linear). */
  public Conv2D(int filters, int[] kernelSize, int[] strides, String padding, String activation) {
    this(filters, kernelSize, strides, Configs.padding("Conv2D", padding), Configs.activation("Conv2D", activation));
  }

  /**
   * A convolution with a {@code (height, width)} kernel and strides.
   *
   * @param filters the number of output channels, {@code >= 1}
   * @param kernelSize the window {@code (height, width)}, each {@code >= 1}
   * @param strides the steps {@code (height, width)}, each {@code >= 1}
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   * @param activation applied to {@code conv(x, K) + b}; {@link Activation#LINEAR} for none
   */
  public Conv2D(int filters, int[] kernelSize, int[] strides, Padding padding, Activation activation) {
    if (filters < 1) {
      throw new IllegalArgumentException("Conv2D: filters must be >= 1, got " + filters);
    }
    this.filters = filters;
    this.kernelSize = Configs.positivePair("Conv2D", "kernel_size", kernelSize);
    this.strides = Configs.positivePair("Conv2D", "strides", strides);
    this.padding = Configs.requirePadding("Conv2D", padding);
    this.activation = Configs.requireActivation("Conv2D", activation);
  }

  /**
   * Sets the padding (default {@link Padding#VALID}). Only before the layer is built.
   *
   * @param padding {@link Padding#VALID} or {@link Padding#SAME}
   * @return this layer
   */
  public Conv2D padding(Padding padding) {
    requireUnbuilt("padding");
    this.padding = Configs.requirePadding("Conv2D", padding);
    return this;
  }

  /**
   * Sets the padding by Keras name. Only before the layer is built.
   *
   * @param padding {@code "valid"} or {@code "same"} (any case)
   * @return this layer
   */
  public Conv2D padding(String padding) {
    requireUnbuilt("padding");
    return padding(Configs.padding("Conv2D", padding));
  }

  /**
   * The padding.
   *
   * @return {@link Padding#VALID} or {@link Padding#SAME}
   */
  public Padding padding() {
    return padding;
  }

  /**
   * Sets the activation (default {@link Activation#LINEAR}). Only before the layer is built.
   *
   * @param activation applied to {@code conv(x, K) + b}
   * @return this layer
   */
  public Conv2D activation(Activation activation) {
    requireUnbuilt("activation");
    this.activation = Configs.requireActivation("Conv2D", activation);
    return this;
  }

  /**
   * Sets the activation by Keras name. Only before the layer is built.
   *
   * @param activation {@code linear} (or null), {@code relu}, {@code sigmoid}, {@code tanh} or {@code softmax}
   * @return this layer
   */
  public Conv2D activation(String activation) {
    requireUnbuilt("activation");
    return activation(Configs.activation("Conv2D", activation));
  }

  /** Square strides (default 1). Only before the layer is built. */
  public Conv2D strides(int stride) {
    return strides(stride, stride);
  }

  /** Strides {@code (height, width)}. Only before the layer is built. */
  public Conv2D strides(int strideH, int strideW) {
    requireUnbuilt("strides");
    this.strides = Configs.positivePair("Conv2D", "strides", new int[] {strideH, strideW});
    return this;
  }

  /** Whether to add a bias (default true). Only before the layer is built. */
  public Conv2D useBias(boolean useBias) {
    weights.useBias(useBias);
    return this;
  }

  /** The kernel initializer (default {@code glorot_uniform}). Only before the layer is built. */
  public Conv2D kernelInitializer(Initializer init) {
    weights.kernelInitializer(init);
    return this;
  }

  /** The kernel initializer by Keras name. */
  public Conv2D kernelInitializer(String kerasName) {
    return kernelInitializer(Initializers.of(kerasName));
  }

  /** The bias initializer (default {@code zeros}). Only before the layer is built. */
  public Conv2D biasInitializer(Initializer init) {
    weights.biasInitializer(init);
    return this;
  }

  /** The bias initializer by Keras name. */
  public Conv2D biasInitializer(String kerasName) {
    return biasInitializer(Initializers.of(kerasName));
  }

  /** Number of filters (output channels). */
  public int filters() {
    return filters;
  }

  @Override
  public Activation activation() {
    return activation;
  }

  /** The kernel {@code (kH, kW, inC, filters)}; null before build. */
  public Parameter kernel() {
    return kernel;
  }

  /** The bias {@code (filters)}; null before build or without bias. */
  public Parameter bias() {
    return bias;
  }

  /** The sliding-window geometry; null before build. */
  public ConvGeometry geometry() {
    return geometry;
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
      return ConvGeometry.of(in.dim(0), in.dim(1), in.dim(2), kernelSize[0], kernelSize[1], strides[0], strides[1],
          padding, filters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + " on input " + in + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Shape> weightShapes(Shape inputShape) {
    geometryFor(inputShape);
    return weights.shapes(Shape.of(kernelSize[0], kernelSize[1], inputShape.dim(2), filters), filters);
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    geometry = geometryFor(inputShape);
    weights.build(Shape.of(kernelSize[0], kernelSize[1], inputShape.dim(2), filters), filters, seed);
    kernel = weights.kernel();
    bias = weights.bias();
  }

  /** x (batch, inH, inW, inC) → y (batch, outH, outW, filters): {@link #convolve}, keeping x and y for backward. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    input = x;
    output = reuse(output, outputShape().prepend(x.dim(0)));
    return convolve(x, output);
  }

  /** x (batch, inH, inW, inC) → y (batch, outH, outW, filters): {@link #convolve} into a workspace buffer, keeping nothing. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return convolve(x, ws.tensor(outputShape().prepend(x.dim(0))));
  }

  /**
   * Inference through this layer and the max pooling after it, fused: x (batch, inH, inW, inC) →
   * pool's output (batch, outH', outW', filters), without writing this layer's output to memory
   * ({@link Convolution#forwardMaxPool}). The bits of {@code pool.infer(infer(x))}, except for a 3×3 or
   * 5×5 stride-1 convolution pooled 2×2 on 8 or more input channels, which runs as a Winograd
   * convolution ({@link dev.neurona.core.conv.Winograd}: 2.25× or 2.8× fewer multiplications, each
   * output within a few float roundings of those bits; off with {@code -Dneurona.conv.winograd=false}).
   * Only for a linear or ReLU activation ({@link #fusesMaxPool}).
   */
  public Tensor inferMaxPool(Tensor x, MaxPool2D pool, Workspace ws) {
    checkInput(x);
    if (!fusesMaxPool(pool)) {
      throw new IllegalStateException("Conv2D '" + name() + "' cannot fuse max pooling '" + pool.name() + "': activation "
          + activation.kerasName() + ", pooling input " + pool.inputShape() + " against this output " + outputShape());
    }
    Tensor y = ws.tensor(pool.outputShape().prepend(x.dim(0)));
    Convolution.forwardMaxPool(geometry, x.dim(0), x.data(), kernel.value().data(),
        bias == null ? null : bias.value().data(), activation == Activation.RELU, pool.geometry(), y.data());
    return y;
  }

  /**
   * As {@link #inferMaxPool}, on x (batch, inH, inW, inC) rescaled by {@code rescaling}, the layer before this one,
   * without the rescaled batch in memory: the convolution's copy of each image is made rescaled
   * ({@link Convolution#forwardMaxPool(ConvGeometry, int, float[], float, float, float[], float[], boolean,
   * ConvGeometry, float[])}). The bits of {@code inferMaxPool(rescaling.infer(x), pool)}. Only where
   * {@link #fusesRescaling} holds.
   */
  public Tensor inferRescaledMaxPool(Tensor x, Rescaling rescaling, MaxPool2D pool, Workspace ws) {
    rescaling.checkInput(x);
    checkInput(x);
    if (!fusesRescaling(rescaling, pool)) {
      throw new IllegalStateException("Conv2D '" + name() + "' cannot fold rescaling '" + rescaling.name()
          + "' and max pooling '" + pool.name() + "' into one pass (see fusesRescaling)");
    }
    Tensor y = ws.tensor(pool.outputShape().prepend(x.dim(0)));
    Convolution.forwardMaxPool(geometry, x.dim(0), x.data(), (float) rescaling.scale(), (float) rescaling.offset(),
        kernel.value().data(), bias == null ? null : bias.value().data(), activation == Activation.RELU,
        pool.geometry(), y.data());
    return y;
  }

  /**
   * True when {@link #inferRescaledMaxPool} can run with {@code before}, the layer before this one, and
   * {@code next}, the one after: a {@link Rescaling} on this layer's input, what {@link #fusesMaxPool} asks of
   * {@code next}, and a convolution that reads a copy of each image ({@link Convolution#scalesInput}: a first
   * layer such as flowers' 3×3 on RGB).
   */
  public boolean fusesRescaling(Layer before, Layer next) {
    return before instanceof Rescaling && fusesMaxPool(next) && inputShape().equals(before.outputShape())
        && Convolution.scalesInput(geometry, ((MaxPool2D) next).geometry());
  }

  /**
   * True when {@link #inferMaxPool} can run with {@code next}, the layer after this one: a built
   * {@link MaxPool2D} on this layer's output, and a linear or ReLU activation here.
   */
  public boolean fusesMaxPool(Layer next) {
    return next instanceof MaxPool2D && geometry != null && ((MaxPool2D) next).geometry() != null
        && (activation == Activation.RELU || activation == Activation.LINEAR) && outputShape().equals(next.inputShape());
  }

  /**
   * The maths of both passes: z = conv(x, K) + b into y, then y = activation(z) in place. ReLU is
   * applied by the convolution itself, block by block while the block is in cache (the same bits).
   */
  private Tensor convolve(Tensor x, Tensor y) {
    boolean relu = activation == Activation.RELU;
    Convolution.forward(geometry, x.dim(0), x.data(), kernel.value().data(), bias == null ? null : bias.value().data(),
        y.data(), relu);
    if (!relu) {
      activation.forward(y, y);
    }
    return y;
  }

  /**
   * dOut (batch, outH, outW, filters) → dX (batch, inH, inW, inC), via dZ = dOut · activation'(z)
   * ({@link Activation#backward}) and {@link #backwardFromPreActivation}, whose plain-loop reference
   * is {@link dev.neurona.core.conv.DirectConv2d DirectConv2d}.
   */
  @Override
  public Tensor backward(Tensor dOut) {
    if (output == null && input != null) {
      throw new IllegalStateException(describe() + ": the last forward pass was fused with max pooling (forwardMaxPool) "
          + "and kept no output for the activation's gradient; go backward with backwardMaxPool");
    }
    checkGradient(dOut, output);
    dZ = reuse(dZ, output.shape());
    activation.backward(output, dOut, dZ);
    return backwardFromPreActivation(dZ);
  }

  /**
   * x (batch, inH, inW, inC) → the pooling's output (batch, outH', outW', filters): a training forward
   * pass through this layer and the max pooling after it, fused ({@link Convolution#forwardMaxPool} with
   * argmax): each band of this layer's output is pooled while in cache, and the output itself is never
   * stored; {@link #backwardMaxPool} needs only the pooling's output and argmax. The bits of
   * {@code pool.forward(forward(x, true), true)}, the same state in {@code pool}, except for a 3×3 or 5×5
   * stride-1 convolution on 8 or more channels, which runs Winograd's algorithm (within a few roundings of
   * the direct sums; {@code -Dneurona.conv.winograd=false} restores those bits, see
   * {@link dev.neurona.core.conv.Winograd}); this layer keeps its input. Only where {@link #fusesMaxPoolBackward}
   * holds.
   */
  public Tensor forwardMaxPool(Tensor x, MaxPool2D pool) {
    checkInput(x);
    requireFusedBackward(pool);
    input = x;
    output = null; // not computed: backward must come through backwardMaxPool
    Tensor y = pool.startForward(x.dim(0));
    Convolution.forwardMaxPool(geometry, x.dim(0), x.data(), kernel.value().data(), bias == null ? null : bias.value().data(),
        activation == Activation.RELU, pool.geometry(), y.data(), pool.argmax());
    return y;
  }

  private void requireFusedBackward(MaxPool2D pool) {
    if (!fusesMaxPoolBackward(pool)) {
      throw new IllegalStateException("Conv2D '" + name() + "' cannot fuse max pooling '" + pool.name()
          + "' in training: activation " + activation.kerasName() + ", pooling input " + pool.inputShape()
          + " against this output " + outputShape() + ", windows tile the input: " + pool.tilesInput());
    }
  }

  /**
   * dPool (batch, outH', outW', filters) → dX (batch, inH, inW, inC): backward through the max pooling
   * after this layer and through this layer, fused. The pooling hands each window's gradient to its
   * winner and the ReLU keeps it where the winner, the window's maximum, is positive, so dZ comes out
   * of one pass over the pooling's outputs ({@link MaxPool2D#backwardThroughActivation}) instead of
   * three over this layer's (zero, scatter, ReLU mask), and goes on as in {@link #backward}. The bits of
   * {@code backward(pool.backward(dPool))}. Only where {@link #fusesMaxPoolBackward} holds.
   */
  public Tensor backwardMaxPool(MaxPool2D pool, Tensor dPool) {
    requireFusedBackward(pool);
    if (input == null) {
      throw new IllegalStateException(describe() + ": backward called before forward");
    }
    dZ = reuse(dZ, outputShape().prepend(input.dim(0)));
    pool.backwardThroughActivation(dPool, activation == Activation.RELU, dZ);
    return backwardFromPreActivation(dZ);
  }

  /**
   * True when {@link #backwardMaxPool} can run with {@code next}, the layer after this one: what
   * {@link #fusesMaxPool} asks, and windows that tile this layer's output ({@link MaxPool2D#tilesInput}).
   */
  public boolean fusesMaxPoolBackward(Layer next) {
    return fusesMaxPool(next) && ((MaxPool2D) next).tilesInput();
  }

  /**
   * dZ (batch, outH, outW, filters) → dX (batch, inH, inW, inC). Each output
   * {@code z[b,y,x,f] = b[f] + Σ K[ky,kx,c,f]·x[b, y·s+ky-pad, x·s+kx-pad, c]} is linear in K, b and x, so
   * {@code ∂L/∂K[ky,kx,c,f] = Σ_{b,y,x} x[b, y·s+ky-pad, x·s+kx-pad, c]·dZ[b,y,x,f]} (a correlation of the input
   * with dZ), {@code ∂L/∂b[f] = Σ_{b,y,x} dZ[b,y,x,f]}, and each input element collects
   * {@code dZ[b,y,x,f]·K[ky,kx,c,f]} from every output window that read it (a "full" convolution with K flipped).
   *
   * <p>To read it as loops: the three sums above, written out over output pixels, window and
   * channels, are {@link dev.neurona.core.conv.DirectConv2d#backwardKernel DirectConv2d.backwardKernel},
   * {@link dev.neurona.core.conv.DirectConv2d#backwardBias backwardBias} and
   * {@link dev.neurona.core.conv.DirectConv2d#backwardInput backwardInput}; this method computes them
   * with im2col and GEMM. Conv2DTest checks it against those loops and against finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backwardFromPreActivation(Tensor dZ) {
    if (input == null) {
      throw new IllegalStateException(describe() + ": backward called before forward");
    }
    Tensor.requireShape(describe() + ": dZ", dZ, outputShape().prepend(input.dim(0)));
    int batch = input.dim(0);
    Convolution.backwardKernel(geometry, batch, input.data(), dZ.data(), kernel.grad().data());
    if (bias != null) {
      Convolution.backwardBias(geometry, batch, dZ.data(), bias.grad().data());
    }
    if (!needsInputGradient) {
      return null;
    }
    dInput = reuse(dInput, input.shape());
    Convolution.backwardInput(geometry, batch, dZ.data(), kernel.value().data(), dInput.data());
    return dInput;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("filters", filters);
    c.put("kernel_size", Configs.list(kernelSize));
    c.put("strides", Configs.list(strides));
    c.put("padding", padding.name().toLowerCase(Locale.ROOT));
    c.put("activation", activation.kerasName());
    weights.putConfig(c);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return KernelBias.defaults(Map.of("strides", java.util.List.of(1, 1), "padding", "valid", "activation", "linear"));
  }

  /** Re-creates a Conv2D layer from its {@link #config()}. */
  public static Conv2D fromConfig(Map<String, Object> config) {
    String t = "Conv2D";
    Conv2D c = new Conv2D(Configs.intValue(t, config, "filters"), Configs.pair(t, config, "kernel_size", null),
        Configs.pair(t, config, "strides", new int[] {1, 1}), Configs.string(t, config, "padding", "valid"),
        Configs.string(t, config, "activation", "linear"));
    c.weights.readConfig(t, config);
    return c;
  }
}
