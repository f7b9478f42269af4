package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FitTest {

  @Test
  void badOptionsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> Fit.epochs(1).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be >= 1, got 0");
    assertThatThrownBy(() -> Fit.epochs(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> Fit.epochs(1).validationSplit(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit");
  }
}
