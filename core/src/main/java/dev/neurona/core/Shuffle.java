package dev.neurona.core;

import java.util.random.RandomGenerator;

/**
 * The Fisher–Yates shuffle every part of Neurona uses (training batches, data set permutations, the
 * classic learners), so that one seed gives one order wherever it is drawn.
 */
public final class Shuffle {
  private Shuffle() {}

  /**
   * Shuffles {@code a} in place: for {@code i} from the last index down to 1, swaps {@code a[i]} with
   * {@code a[rng.nextInt(i + 1)]}. Every permutation is equally likely for a uniform {@code rng}.
   */
  public static void shuffle(int[] a, RandomGenerator rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** {@code 0, 1, …, n−1} shuffled by {@link #shuffle}. */
  public static int[] permutation(int n, RandomGenerator rng) {
    if (n < 0) {
      throw new IllegalArgumentException("Shuffle.permutation: n must be >= 0, got " + n);
    }
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, rng);
    return p;
  }
}
