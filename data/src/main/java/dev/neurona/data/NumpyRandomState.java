package dev.neurona.data;

/**
 * The part of numpy's legacy {@code np.random.RandomState(seed)} that Keras uses to shuffle an image
 * folder's file list: the Mersenne Twister MT19937 seeded with a 32-bit integer, and
 * {@code shuffle(list)}. With it, {@link ImageFolder} puts exactly the files Keras'
 * {@code image_dataset_from_directory(..., validation_split, seed)} puts in each subset.
 *
 * <p>{@code shuffle} is numpy's Fisher–Yates from the end: for {@code i = n-1 … 1} it swaps
 * {@code i} with {@code j = random_interval(i)}, where {@code random_interval(max)} draws 32-bit
 * outputs masked to the smallest all-ones mask covering {@code max} until one is {@code <= max}.
 * Not thread-safe; one instance per shuffle.
 */
final class NumpyRandomState {
  private static final int N = 624;
  private static final int M = 397;

  private final int[] mt = new int[N];
  private int index;

  /** {@code RandomState(seed)}: numpy accepts 0 ≤ seed ≤ 2^32 − 1. */
  NumpyRandomState(long seed) {
    if (seed < 0 || seed > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("a numpy RandomState seed must be in [0, 2^32 - 1], got " + seed);
    }
    // init_genrand: mt[i] = 1812433253 · (mt[i-1] ^ (mt[i-1] >>> 30)) + i, all mod 2^32.
    mt[0] = (int) seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** The next 32-bit output (genrand_int32), as an unsigned value in a long. */
  long nextUint32() {
    if (index >= N) {
      twist();
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xFFFF_FFFFL;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % N] & 0x7FFF_FFFF);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908_b0df : 0);
    }
    index = 0;
  }

  /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection (max < 2^31 here). */
  int interval(int max) {
    if (max == 0) {
      return 0;
    }
    int mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    long value;
    do {
      value = nextUint32() & mask;
    } while (value > max);
    return (int) value;
  }

  /** {@code RandomState.shuffle(list)} on an index array, in place. */
  void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = interval(i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
