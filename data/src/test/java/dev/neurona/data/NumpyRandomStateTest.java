package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected values computed with numpy 2.4 ({@code np.random.RandomState(seed)}). */
class NumpyRandomStateTest {
  private static int[] shuffled(long seed, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    new NumpyRandomState(seed).shuffle(a);
    return a;
  }

  @Test
  void mersenneTwisterOutputsAreTheReferenceOnes() {
    // MT19937's published first outputs for init_genrand(5489), numpy's too.
    NumpyRandomState r = new NumpyRandomState(5489);
    assertThat(new long[] {r.nextUint32(), r.nextUint32(), r.nextUint32()}).containsExactly(3499211612L, 581869302L, 3890346734L);
  }

  @Test
  void shuffleMatchesNumpy() {
    // a = list(range(n)); np.random.RandomState(seed).shuffle(a)
    assertThat(shuffled(123, 10)).containsExactly(4, 0, 7, 5, 8, 3, 1, 6, 9, 2);
    assertThat(shuffled(0, 7)).containsExactly(6, 2, 1, 3, 0, 5, 4);
    assertThat(shuffled(4294967295L, 20)).containsExactly(11, 17, 19, 15, 1, 5, 8, 16, 13, 18, 14, 9, 10, 6, 0, 4, 7, 12, 2, 3);
    int[] big = shuffled(1337, 1000);
    assertThat(java.util.Arrays.copyOf(big, 10)).containsExactly(977, 15, 56, 801, 747, 811, 115, 845, 457, 259);
    long weighted = 0;
    for (int i = 0; i < big.length; i++) {
      weighted += (long) i * big[i];
    }
    assertThat(weighted).isEqualTo(253262704L); // sum(i * a[i]) over the whole permutation
    assertThat(shuffled(5, 0)).isEmpty();
    assertThat(shuffled(5, 1)).containsExactly(0);
  }

  @Test
  void seedMustBeInNumpysRange() {
    assertThatThrownBy(() -> new NumpyRandomState(-1)).hasMessageContaining("[0, 2^32 - 1], got -1");
    assertThatThrownBy(() -> new NumpyRandomState(1L << 32)).hasMessageContaining("got 4294967296");
  }
}
