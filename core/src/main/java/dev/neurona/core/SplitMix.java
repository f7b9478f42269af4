package dev.neurona.core;

/**
 * SplitMix64, the generator behind {@link java.util.SplittableRandom}, as pure functions: its finalizer
 * ({@link #mix}) and its {@code i}-th output from a seed ({@link #at}). Neurona derives seeds with them
 * (a model's layer seeds, a training run's shuffle seed) and draws long random sequences in parallel
 * ranges with the bits of the sequential generator (dropout masks).
 */
public final class SplitMix {
  /** The generator's step (the golden ratio's fraction), {@code SplittableRandom}'s default gamma. */
  public static final long GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix() {}

  /** Stafford's variant 13 of the 64-bit finalizer: spreads nearby values apart. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The {@code i}-th (from 0) {@code nextLong()} of {@code new SplittableRandom(seed)}, computed alone:
   * the generator's state after {@code i + 1} steps is {@code seed + (i + 1)·GAMMA}, its output the mix
   * of that state ({@code SplitMixTest} checks it against the JDK's generator).
   */
  public static long at(long seed, long i) {
    return mix(seed + (i + 1) * GAMMA);
  }
}
