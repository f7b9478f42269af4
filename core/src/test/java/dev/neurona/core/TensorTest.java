package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void zerosAndWrap() {
    Tensor z = Tensor.zeros(2, 3);
    assertThat(z.shape()).isEqualTo(Shape.of(2, 3));
    assertThat(z.rank()).isEqualTo(2);
    assertThat(z.size()).isEqualTo(6);
    assertThat(z.dim(-1)).isEqualTo(3);
    assertThat(z.data()).containsOnly(0f);
    float[] d = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(d, 3, 2);
    assertThat(t.data()).isSameAs(d);
    assertThat(t.get(2, 1)).isEqualTo(6f);
  }

  @Test
  void wrapRejectsWrongLengthAndNull() {
    assertThatThrownBy(() -> Tensor.of(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.of: data has 5 elements but shape (2, 3) needs 6");
    assertThatThrownBy(() -> Tensor.of(null, 2, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.of: data is null");
    assertThatThrownBy(() -> Tensor.of(new float[1], (Shape) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.of: shape is null");
    assertThatThrownBy(() -> Tensor.zeros((Shape) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.zeros: shape is null");
  }

  @Test
  void reshapeIsAViewSharingData() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor v = t.reshape(3, 2);
    assertThat(v.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(v.data()).isSameAs(t.data());
    v.set(42f, 2, 1);
    assertThat(t.get(1, 2)).isEqualTo(42f);
    t.set(-1f, 0, 0);
    assertThat(v.get(0, 0)).isEqualTo(-1f);
    assertThat(t.shape()).isEqualTo(Shape.of(2, 3)); // the original keeps its shape
    assertThat(t.reshape(Shape.of(6)).data()).isSameAs(t.data());
  }

  @Test
  void reshapeInfersOneMinusOne() {
    Tensor t = Tensor.zeros(4, 6, 2);
    assertThat(t.reshape(-1).shape()).isEqualTo(Shape.of(48));
    assertThat(t.reshape(4, -1).shape()).isEqualTo(Shape.of(4, 12));
    assertThat(t.reshape(-1, 3, 2).shape()).isEqualTo(Shape.of(8, 3, 2));
    assertThat(Tensor.zeros(0, 3).reshape(-1, 3).shape()).isEqualTo(Shape.of(0, 3));
  }

  @Test
  void badReshapesSayWhy() {
    Tensor t = Tensor.zeros(2, 3);
    assertThatThrownBy(() -> t.reshape(4, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.reshape: cannot view (2, 3) (6 elements) as (4, 2) (8 elements)");
    assertThatThrownBy(() -> t.reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.reshape[-1, -1]: more than one -1");
    assertThatThrownBy(() -> t.reshape(4, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.reshape[4, -1]: cannot infer -1 for 6 elements of (2, 3)");
    assertThatThrownBy(() -> Tensor.zeros(0, 3).reshape(0, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot infer -1");
    assertThatThrownBy(() -> t.reshape(-2, -3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 0 is negative (-2)");
    assertThatThrownBy(() -> t.reshape(-3, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 0 is negative (-3)");
    assertThatThrownBy(() -> t.reshape((Shape) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor.reshape: shape is null");
  }

  @Test
  void offsetsAreRowMajor() {
    Tensor t = Tensor.zeros(2, 3, 4);
    assertThat(t.offset(0, 0, 0)).isZero();
    assertThat(t.offset(1, 2, 3)).isEqualTo(23);
    assertThat(t.offset(1, 0, 2)).isEqualTo(14);
    t.set(7f, 1, 0, 2);
    assertThat(t.data()[14]).isEqualTo(7f);
  }

  @Test
  void offsetsOutOfBoundsNameIndexAndDimension() {
    Tensor t = Tensor.zeros(2, 3);
    assertThatThrownBy(() -> t.get(0, 3)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Tensor(2, 3): index [0, 3] is out of bounds in dimension 1 (size 3)");
    assertThatThrownBy(() -> t.set(1f, -1, 0)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("Tensor(2, 3): index [-1, 0] is out of bounds in dimension 0 (size 2)");
    assertThatThrownBy(() -> t.offset(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor(2, 3): index [1] has 1 coordinates, expected 2");
  }

  @Test
  void copiesAreDeepAndCopyFromChecksShape() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor c = t.copy();
    c.set(9f, 0, 0);
    assertThat(t.get(0, 0)).isEqualTo(1f);
    Tensor dst = Tensor.zeros(2, 2).copyFrom(t);
    assertThat(dst.data()).containsExactly(1, 2, 3, 4);
    assertThatThrownBy(() -> Tensor.zeros(4).copyFrom(t)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("copyFrom source has shape (2, 2), expected (4,)");
    assertThatThrownBy(() -> Tensor.requireShape("labels", null, Shape.of(3))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labels is null (expected shape (3,))");
  }

  @Test
  void fillsAreSeededAndInRange() {
    assertThat(Tensor.full(Shape.of(3), 2.5f).data()).containsExactly(2.5f, 2.5f, 2.5f);
    Tensor a = Tensor.uniform(Shape.of(1000), -0.5f, 0.5f, 42);
    Tensor b = Tensor.uniform(Shape.of(1000), -0.5f, 0.5f, 42);
    assertThat(a.data()).containsExactly(b.data());
    for (float v : a.data()) {
      assertThat(v).isGreaterThanOrEqualTo(-0.5f).isLessThan(0.5f);
    }
    Tensor n = Tensor.zeros(20000).fillNormal(3f, 2f, new Random(7));
    double mean = 0;
    for (float v : n.data()) {
      mean += v;
    }
    mean /= n.size();
    double var = 0;
    for (float v : n.data()) {
      var += (v - mean) * (v - mean);
    }
    var /= n.size();
    assertThat(mean).isBetween(2.95, 3.05);
    assertThat(Math.sqrt(var)).isBetween(1.95, 2.05);
  }

  @Test
  void toStringShowsShapeAndFirstValues() {
    assertThat(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)).hasToString("Tensor(2, 3) [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]");
    assertThat(Tensor.zeros(10)).hasToString("Tensor(10,) [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, … (2 more)]");
    assertThat(Tensor.zeros(0, 4)).hasToString("Tensor(0, 4) []");
  }
}
