package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParameterTest {
  @Test
  void zeroGradIsSeenThroughGradEvenWhenDeferred() {
    Parameter p = new Parameter("dense.kernel", Tensor.zeros(2, 3));
    Arrays.fill(p.grad().data(), 7f);
    p.zeroGrad();
    assertThat(p.grad().data()).containsOnly(0f);
    p.grad().data()[1] = 2f; // accumulates on zeros
    assertThat(p.grad().data()).containsExactly(0f, 2f, 0f, 0f, 0f, 0f);
  }

  @Test
  void aWholeWriteAfterZeroGradOverwritesAndLaterOnesAccumulate() {
    Parameter p = new Parameter("dense.kernel", Tensor.zeros(4));
    Arrays.fill(p.grad().data(), Float.NaN);
    assertThat(p.beginGradientWrite()).isEqualTo(1f); // never zeroed since the NaNs: accumulate onto them
    p.zeroGrad();
    assertThat(p.beginGradientWrite()).isEqualTo(0f);
    float[] g = p.grad().data();
    assertThat(g[0]).isNaN(); // not cleared: the writer overwrites every element
    Arrays.fill(g, 1f);
    assertThat(p.beginGradientWrite()).isEqualTo(1f);
    assertThat(p.grad().data()).containsOnly(1f);
    p.zeroGrad();
    p.zeroGrad();
    assertThat(p.beginGradientWrite()).isEqualTo(0f);
    assertThat(p.beginGradientWrite()).isEqualTo(1f);
  }

  @Test
  void rejectsAnEmptyName() {
    assertThatThrownBy(() -> new Parameter("", Tensor.zeros(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Parameter: name is empty");
  }
}
