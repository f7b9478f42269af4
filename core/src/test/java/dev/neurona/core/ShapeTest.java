package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
  @Test
  void dimensionsSizeAndRank() {
    Shape s = Shape.of(128, 28, 28, 1);
    assertThat(s.rank()).isEqualTo(4);
    assertThat(s.size()).isEqualTo(128 * 28 * 28);
    assertThat(s.dim(0)).isEqualTo(128);
    assertThat(s.dim(3)).isEqualTo(1);
    assertThat(s.dim(-1)).isEqualTo(1);
    assertThat(s.dim(-4)).isEqualTo(128);
    assertThat(s.toArray()).containsExactly(128, 28, 28, 1);
  }

  @Test
  void rankZeroHasOneElementAndZeroDimensionsHaveNone() {
    assertThat(Shape.of().size()).isEqualTo(1);
    assertThat(Shape.of().rank()).isZero();
    assertThat(Shape.of(3, 0, 5).size()).isZero();
  }

  @Test
  void dimOutOfRangeNamesTheIndexAndRank() {
    Shape s = Shape.of(2, 3);
    assertThatThrownBy(() -> s.dim(2)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Shape (2, 3): no dimension 2 (rank 2)");
    assertThatThrownBy(() -> s.dim(-3)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Shape (2, 3): no dimension -3 (rank 2)");
  }

  @Test
  void badDimensionsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> Shape.of(2, -1, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Shape: dimension 1 is negative (-1) in [2, -1, 3]");
    assertThatThrownBy(() -> Shape.of(65536, 65536)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[65536, 65536] has more than 2^31 elements");
    assertThatThrownBy(() -> Shape.of((int[]) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Shape.of: dims is null");
  }

  @Test
  void isImmutable() {
    int[] dims = {2, 3};
    Shape s = Shape.of(dims);
    dims[0] = 99;
    s.toArray()[1] = 99;
    assertThat(s).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void prependAndDropFirst() {
    Shape sample = Shape.of(28, 28, 1);
    Shape batch = sample.prepend(64);
    assertThat(batch).isEqualTo(Shape.of(64, 28, 28, 1));
    assertThat(batch.dropFirst()).isEqualTo(sample);
    assertThat(Shape.of(5).dropFirst()).isEqualTo(Shape.of());
    assertThatThrownBy(() -> Shape.of().dropFirst()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no first dimension");
    assertThatThrownBy(() -> sample.prepend(-2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 0 is negative (-2)");
  }

  @Test
  void rowMajorStrides() {
    assertThat(Shape.of(2, 3, 4).strides()).containsExactly(12, 4, 1);
    assertThat(Shape.of(7).strides()).containsExactly(1);
    assertThat(Shape.of().strides()).isEmpty();
  }

  @Test
  void equalsAndHashCodeFollowTheDimensions() {
    assertThat(Shape.of(2, 3)).isEqualTo(Shape.of(2, 3)).hasSameHashCodeAs(Shape.of(2, 3));
    assertThat(Shape.of(2, 3)).isNotEqualTo(Shape.of(3, 2)).isNotEqualTo(Shape.of(2, 3, 1)).isNotEqualTo("(2, 3)");
  }

  @Test
  void toStringIsPythonStyle() {
    assertThat(Shape.of(128, 28, 28, 1)).hasToString("(128, 28, 28, 1)");
    assertThat(Shape.of(10)).hasToString("(10,)");
    assertThat(Shape.of()).hasToString("()");
  }
}
