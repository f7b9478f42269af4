package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMixTest {
  @Test
  void atIsTheJdkGeneratorsOutputInOrder() {
    for (long seed : new long[] {0L, 7L, -3L, Long.MAX_VALUE, 0x9E3779B97F4A7C15L * 5 + 1}) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (long i = 0; i < 1000; i++) {
        assertThat(SplitMix.at(seed, i)).as("seed %d, output %d", seed, i).isEqualTo(rng.nextLong());
      }
    }
  }

  @Test
  void mixIsAPermutationStep() {
    // mix(0) = 0 (both xor-shifts and products keep zero); nearby inputs land far apart.
    assertThat(SplitMix.mix(0L)).isZero();
    assertThat(Long.bitCount(SplitMix.mix(1L) ^ SplitMix.mix(2L))).isBetween(16, 48);
  }
}
