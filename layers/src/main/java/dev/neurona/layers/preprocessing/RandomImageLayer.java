package dev.neurona.layers.preprocessing;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.layers.SeededLayer;
import dev.neurona.layers.Workspace;
import java.util.SplittableRandom;

/**
 * What the random image layers share: NHWC image input {@code (height, width, channels)}, the output
 * shape equal to the input shape, and reproducible randomness. As in {@code Dropout}, the random
 * parameters of the {@code n}-th training call come from a generator seeded with the build seed and
 * {@code n}; {@link #callCount(long)} rewinds the counter (as a {@link SeededLayer}, it is saved and
 * restored with the rest of a resumable training state).
 */
abstract class RandomImageLayer extends Layer implements SeededLayer {
  private long seed;
  private long calls;

  RandomImageLayer() {}

  /**
   * Number of training forward passes so far (each draws fresh random parameters).
   *
   * @return the index of the next training call
   */
  @Override
  public long callCount() {
    return calls;
  }

  /**
   * Sets the call counter: the next training forward draws the parameters of call {@code n}.
   *
   * @param n the index of the next training call, {@code >= 0}
   */
  @Override
  public void callCount(long n) {
    if (n < 0) {
      throw new IllegalArgumentException(describe() + ": call count must be >= 0, got " + n);
    }
    this.calls = n;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.rank() != 3) {
      throw new IllegalArgumentException(describe() + ": expects images (batch, height, width, channels), got per-sample shape "
          + inputShape + " (rank " + inputShape.rank() + ")");
    }
    return inputShape;
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    this.seed = seed;
  }

  /**
   * x (batch, h, w, c) → x: every random image layer is the identity at inference.
   *
   * @param x the input batch
   * @param ws not used
   * @return {@code x} itself
   */
  @Override
  public final Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return x;
  }

  /** The generator of this training call (the same formula as Dropout's); advances the counter. */
  final SplittableRandom nextRandom() {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + calls);
    calls++;
    return rng;
  }

  /** A value drawn uniformly from {@code [lower, upper)} ({@code lower} itself when they are equal). */
  static double uniform(SplittableRandom rng, double lower, double upper) {
    return lower + (upper - lower) * rng.nextDouble();
  }
}
