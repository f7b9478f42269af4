package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleTest {

  @Test
  void permutationHoldsEveryIndexOnce() {
    int[] p = Shuffle.permutation(1000, new SplittableRandom(7));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    assertThat(p).isNotEqualTo(sorted);
  }

  @Test
  void sameSeedSameOrderForEitherGenerator() {
    assertThat(Shuffle.permutation(50, new Random(3))).isEqualTo(Shuffle.permutation(50, new Random(3)));
    assertThat(Shuffle.permutation(50, new SplittableRandom(3))).isEqualTo(Shuffle.permutation(50, new SplittableRandom(3)));
    assertThat(Shuffle.permutation(50, new Random(3))).isNotEqualTo(Shuffle.permutation(50, new Random(4)));
  }

  /** The order the training loop and the data sets have always produced: swap i with nextInt(i + 1), i descending. */
  @Test
  void drawsInTheDocumentedOrder() {
    Random rng = new Random(11);
    int[] expected = {0, 1, 2, 3, 4, 5};
    for (int i = expected.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = expected[i];
      expected[i] = expected[j];
      expected[j] = t;
    }
    int[] a = {0, 1, 2, 3, 4, 5};
    Shuffle.shuffle(a, new Random(11));
    assertThat(a).isEqualTo(expected);
  }

  @Test
  void emptyAndNegative() {
    assertThat(Shuffle.permutation(0, new Random(1))).isEmpty();
    assertThatThrownBy(() -> Shuffle.permutation(-1, new Random(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
  }
}
