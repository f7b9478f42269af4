package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.PackedB;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import dev.neurona.layers.init.Initializer;
import dev.neurona.layers.init.Initializers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fully connected layer: {@code y = activation(x·W + b)}, with kernel {@code W (in, units)} and
 * bias {@code b (units)}. Takes rank-2 batches {@code (batch, features)} only; put a {@link Flatten}
 * in front of image data.
 *
 * <pre>{@code
 * new Dense(128, Activation.RELU)
 * new Dense(128, "relu")                      // the same layer, Keras' string
 * new Dense(10).activation(Activation.SOFTMAX).useBias(false).kernelInitializer(new HeNormal())
 * }</pre>
 *
 * <p>The setters ({@link #activation(Activation)}, {@link #useBias(boolean)}, the initializers) may
 * only be called before the layer is built.
 */
public final class Dense extends Layer implements HasActivation {
  private static final Kernels K = KernelProvider.kernels();

  private final int units;
  private Activation activation;
  private final KernelBias weights = new KernelBias(this);

  private Parameter kernel;
  private Parameter bias;

  /** Cached by forward for backward: the input batch and the output {@code y} (z is overwritten by y). */
  private Tensor input;
  private Tensor output;
  /** Reused gradient buffers. */
  private Tensor dZ;
  private Tensor dInput;

  /** A linear layer with {@code units} outputs. */
  public Dense(int units) {
    this(units, Activation.LINEAR);
  }

  /** A layer with {@code units} outputs and a Keras activation name ({@code relu}, {@code softmax}, ...; null = linear). */
  public Dense(int units, String activation) {
    this(units, Configs.activation("Dense", activation));
  }

  /** A layer with {@code units} outputs and the given activation. */
  public Dense(int units, Activation activation) {
    if (units < 1) {
      throw new IllegalArgumentException("Dense: units must be >= 1, got " + units);
    }
    this.units = units;
    this.activation = Configs.requireActivation("Dense", activation);
  }

  /**
   * Sets the activation (default {@link Activation#LINEAR}). Only before the layer is built.
   *
   * @param activation applied to {@code x·W + b}
   * @return this layer
   */
  public Dense activation(Activation activation) {
    requireUnbuilt("activation");
    this.activation = Configs.requireActivation("Dense", activation);
    return this;
  }

  /**
   * Sets the activation by Keras name. Only before the layer is built.
   *
   * @param activation {@code linear} (or null), {@code relu}, {@code sigmoid}, {@code tanh} or {@code softmax}
   * @return this layer
   */
  public Dense activation(String activation) {
    requireUnbuilt("activation");
    return activation(Configs.activation("Dense", activation));
  }

  /** Whether to add a bias (default true). Only before the layer is built. */
  public Dense useBias(boolean useBias) {
    weights.useBias(useBias);
    return this;
  }

  /** The kernel initializer (default {@code glorot_uniform}). Only before the layer is built. */
  public Dense kernelInitializer(Initializer init) {
    weights.kernelInitializer(init);
    return this;
  }

  /** The kernel initializer by Keras name. */
  public Dense kernelInitializer(String kerasName) {
    return kernelInitializer(Initializers.of(kerasName));
  }

  /** The bias initializer (default {@code zeros}). Only before the layer is built. */
  public Dense biasInitializer(Initializer init) {
    weights.biasInitializer(init);
    return this;
  }

  /** The bias initializer by Keras name. */
  public Dense biasInitializer(String kerasName) {
    return biasInitializer(Initializers.of(kerasName));
  }

  /** Number of outputs. */
  public int units() {
    return units;
  }

  @Override
  public Activation activation() {
    return activation;
  }

  /** The kernel {@code (in, units)}; null before build. */
  public Parameter kernel() {
    return kernel;
  }

  /** The bias {@code (units)}; null before build or without bias. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.rank() != 1) {
      throw new IllegalArgumentException(describe() + ": expects input of shape (batch, features), got per-sample shape "
          + inputShape + "; add a Flatten layer before it");
    }
    return Shape.of(units);
  }

  @Override
  public Map<String, Shape> weightShapes(Shape inputShape) {
    computeOutputShape(inputShape);
    return weights.shapes(Shape.of(inputShape.dim(0), units), units);
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    weights.build(Shape.of(inputShape.dim(0), units), units, seed);
    kernel = weights.kernel();
    bias = weights.bias();
  }

  /** x (batch, in) → y (batch, units): {@link #affine}, keeping x and y for backward. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    input = x;
    output = reuse(output, Shape.of(x.dim(0), units));
    return affine(x, null, output);
  }

  /**
   * x (batch, in) → y (batch, units): {@link #affine} into a workspace buffer, keeping nothing. In a
   * call of several batches the kernel is packed for the GEMM once, on the first
   * ({@link Workspace#packedWeights}), instead of batch after batch inside each product: MNIST's
   * 3136 → 1024 layer at batch 128, 2 threads, 11.9 against 8.6 ms per batch
   * ({@code PackOnce gemm 128 1024 3136}, see benchmarks/README.md).
   */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    int in = x.dim(1);
    // Small kernels stay unpacked: they sit in cache, and below k·n = 4096 a product may take the
    // GEMM's direct loop, whose bits the packed product does not promise.
    PackedB w = units > 2 && (long) in * units > PACK_MIN ? ws.packedWeights(kernel.value().data(), in, units) : null;
    return affine(x, w, ws.tensor(Shape.of(x.dim(0), units)));
  }

  /** Kernels of at most this many floats are not packed ahead of an inference call. */
  private static final int PACK_MIN = 1 << 14;

  /** The maths of both passes: z = x·W + b into y (W packed when {@code w} is not null), then y = activation(z) in place. */
  private Tensor affine(Tensor x, PackedB w, Tensor y) {
    int batch = x.dim(0);
    int in = x.dim(1);
    float[] z = y.data();
    if (w != null) {
      Gemm.sgemm(false, batch, 1f, x.data(), 0, in, w, 0f, z, 0, units);
    } else {
      Gemm.sgemm(false, false, batch, units, in, 1f, x.data(), 0, in, kernel.value().data(), 0, units, 0f, z, 0, units);
    }
    if (bias != null) {
      K.addBias(z, 0, batch, units, bias.value().data(), 0);
    }
    activation.forward(y, y);
    return y;
  }

  /**
   * dOut (batch, units) → dX (batch, in): first dZ = dOut · activation'(z) ({@link Activation#backward}),
   * then the linear part, {@link #backwardFromPreActivation}, whose plain-loop reference is
   * {@link dev.neurona.core.gemm.NaiveGemm#sgemm NaiveGemm.sgemm}.
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, output);
    dZ = reuse(dZ, output.shape());
    activation.backward(output, dOut, dZ);
    return backwardFromPreActivation(dZ);
  }

  /**
   * dZ (batch, units) → dX (batch, in). With {@code z[b,j] = Σ_i x[b,i]·W[i,j] + b[j]}:
   * {@code ∂L/∂W[i,j] = Σ_b x[b,i]·dZ[b,j]} (W += xᵀ·dZ), {@code ∂L/∂b[j] = Σ_b dZ[b,j]} (column sums),
   * {@code ∂L/∂x[b,i] = Σ_j dZ[b,j]·W[i,j]} (dX = dZ·Wᵀ).
   *
   * <p>To read it as loops: the two products run on the blocked {@code Gemm.sgemm}, whose definition
   * is the triple loop {@link dev.neurona.core.gemm.NaiveGemm#sgemm NaiveGemm.sgemm}; the column sums
   * are {@link dev.neurona.core.kernels.ScalarKernels#biasGrad ScalarKernels.biasGrad}. DenseTest
   * checks this method against both and against finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backwardFromPreActivation(Tensor dZ) {
    checkGradient(dZ, output);
    int batch = input.dim(0);
    int in = input.dim(1);
    float[] dz = dZ.data();
    float scale = kernel.beginGradientWrite(); // 0 after zeroGrad: the GEMM overwrites the gradient
    Gemm.sgemm(true, false, in, units, batch, 1f, input.data(), 0, in, dz, 0, units, scale, kernel.grad().data(), 0, units);
    if (bias != null) {
      K.biasGrad(dz, 0, batch, units, bias.grad().data(), 0);
    }
    if (!needsInputGradient) {
      return null;
    }
    dInput = reuse(dInput, input.shape());
    Gemm.sgemm(false, true, batch, in, units, 1f, dz, 0, units, kernel.value().data(), 0, units, 0f, dInput.data(), 0, in);
    return dInput;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("units", units);
    c.put("activation", activation.kerasName());
    weights.putConfig(c);
    return c;
  }

  @Override
  protected Map<String, Object> configDefaults() {
    return KernelBias.defaults(Map.of("activation", "linear"));
  }

  /** Re-creates a Dense layer from its {@link #config()}. */
  public static Dense fromConfig(Map<String, Object> config) {
    String t = "Dense";
    Dense d = new Dense(Configs.intValue(t, config, "units"), Configs.string(t, config, "activation", "linear"));
    d.weights.readConfig(t, config);
    return d;
  }
}
