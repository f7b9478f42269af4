package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each element is kept with probability {@code 1 - rate} and scaled
 * by {@code 1 / (1 - rate)} (so the expected value is unchanged), else zeroed; at inference it is the
 * identity.
 *
 * <p>Reproducible: the mask of the {@code n}-th training call is drawn from a generator seeded with
 * the build seed and {@code n}, so the same seed gives the same masks whatever the thread count.
 * {@link #callCount(long)} rewinds the counter (e.g. to replay a pass); as a {@link SeededLayer} the
 * counter is saved and restored with the rest of a resumable training state.
 */
public final class Dropout extends Layer implements SeededLayer {
  private static final Kernels K = KernelProvider.kernels();

  private final double rate;
  private long seed;
  private long calls;

  /** Cached by a training forward: {@code mask[i]} is 0 (dropped) or {@code 1/(1-rate)} (kept). */
  private Tensor mask;
  private Tensor output;
  private Tensor dInput;
  /** Whether the last forward applied a mask (training) or was the identity. */
  private boolean masked;
  private Tensor lastOutput;

  /** Dropout with drop probability {@code rate} in {@code [0, 1)}. */
  public Dropout(double rate) {
    if (!(rate >= 0.0 && rate < 1.0)) {
      throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  /** The drop probability. */
  public double rate() {
    return rate;
  }

  /** Number of training forward passes so far (each draws a fresh mask). */
  @Override
  public long callCount() {
    return calls;
  }

  /** Sets the call counter: the next training forward draws the mask of call {@code n}. */
  @Override
  public void callCount(long n) {
    if (n < 0) {
      throw new IllegalArgumentException(describe() + ": call count must be >= 0, got " + n);
    }
    this.calls = n;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    return inputShape;
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    this.seed = seed;
  }

  /** x (batch, ...) → y (batch, ...) = x ⊙ mask in training, x at inference. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    if (!training || rate == 0.0) {
      masked = false;
      lastOutput = x;
      return x;
    }
    mask = reuse(mask, x.shape());
    output = reuse(output, x.shape());
    float keepScale = (float) (1.0 / (1.0 - rate));
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + calls);
    calls++;
    float[] m = mask.data();
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() < rate ? 0f : keepScale;
    }
    K.mul(x.data(), 0, m, 0, output.data(), 0, m.length);
    masked = true;
    lastOutput = output;
    return output;
  }

  /** x (batch, ...) → x: dropout is the identity at inference. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return x;
  }

  /**
   * dOut (batch, ...) → dX (batch, ...): y = x·mask is linear in x, so dX = dOut ⊙ mask (dOut at
   * inference); the product is {@link dev.neurona.core.kernels.ScalarKernels#mul ScalarKernels.mul}
   * (or its vector twin). DropoutTest checks it against finite differences ({@link GradientCheck}).
   */
  @Override
  public Tensor backward(Tensor dOut) {
    checkGradient(dOut, lastOutput);
    if (!needsInputGradient) {
      return null;
    }
    if (!masked) {
      return dOut;
    }
    dInput = reuse(dInput, dOut.shape());
    K.mul(dOut.data(), 0, mask.data(), 0, dInput.data(), 0, dOut.size());
    return dInput;
  }

  /** The mask of the last training forward (0 or {@code 1/(1-rate)} per element); null before one. */
  public Tensor mask() {
    return mask;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("rate", rate);
    return c;
  }

  /** Re-creates a Dropout layer from its {@link #config()}. */
  public static Dropout fromConfig(Map<String, Object> config) {
    if (config == null || !(config.get("rate") instanceof Number)) {
      throw new IllegalArgumentException("Dropout.fromConfig: \"rate\" must be a number, got "
          + (config == null ? "no config" : config.get("rate")));
    }
    return new Dropout(Configs.doubleValue("Dropout", config, "rate", 0.0));
  }
}
