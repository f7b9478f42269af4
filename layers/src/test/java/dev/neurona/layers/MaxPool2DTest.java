package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.Padding;
import dev.neurona.core.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

class MaxPool2DTest {
  /** A seeded input whose values are distinct and at least {@code 0.05} apart, so a ±1e-2 step never changes a winner. */
  static Tensor distinct(long seed, int... dims) {
    Tensor t = Tensor.zeros(dims);
    int n = t.size();
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(seed));
    for (int i = 0; i < n; i++) {
      t.data()[order.get(i)] = -1f + 0.05f * i;
    }
    return t;
  }

  private static MaxPool2D built(MaxPool2D p, int... inputShape) {
    p.build(Shape.of(inputShape), 0);
    return p;
  }

  @Test
  void pool2x2() {
    MaxPool2D p = built(new MaxPool2D(2), 4, 6, 2);
    assertThat(p.outputShape()).isEqualTo(Shape.of(2, 3, 2));
    GradientCheck.create().checkLayer(p, distinct(1, 2, 4, 6, 2)).assertPassed();
  }

  @Test
  void pool3x3Stride2Overlapping() {
    MaxPool2D p = built(new MaxPool2D(3, 2, "valid"), 7, 7, 1);
    assertThat(p.outputShape()).isEqualTo(Shape.of(3, 3, 1));
    GradientCheck.create().checkLayer(p, distinct(2, 2, 7, 7, 1)).assertPassed();
  }

  @Test
  void samePadding() {
    MaxPool2D p = built(new MaxPool2D(2, 2, "same"), 5, 5, 2);
    assertThat(p.outputShape()).isEqualTo(Shape.of(3, 3, 2));
    GradientCheck.create().checkLayer(p, distinct(3, 1, 5, 5, 2)).assertPassed();
  }

  @Test
  void samePaddingNeverPicksAPaddedZero() {
    MaxPool2D p = built(new MaxPool2D(2, 2, "same"), 3, 3, 1);
    Tensor x = Tensor.full(Shape.of(1, 3, 3, 1), -5f);
    Tensor y = p.forward(x, false);
    assertThat(y.data()).containsOnly(-5f);
  }

  @Test
  void rectangularWindowsAndStrides() {
    MaxPool2D p = built(new MaxPool2D(new int[] {2, 3}, new int[] {1, 3}, "valid"), 4, 6, 1);
    assertThat(p.outputShape()).isEqualTo(Shape.of(3, 2, 1));
    GradientCheck.create().checkLayer(p, distinct(4, 2, 4, 6, 1)).assertPassed();
  }

  @Test
  void tiesSendTheGradientToTheFirstMaximum() {
    // One 4x4 image, 2x2 windows: every window holds equal maxima in several places.
    float[] v = {
        1, 1, 0, 3,
        1, 1, 3, 3,
        2, 0, 5, 1,
        0, 2, 5, 5};
    MaxPool2D p = built(new MaxPool2D(2), 4, 4, 1);
    Tensor y = p.forward(Tensor.of(v, 1, 4, 4, 1), true);
    assertThat(y.data()).containsExactly(1, 3, 2, 5);
    Tensor dx = p.backward(Tensor.of(new float[] {10, 20, 30, 40}, 1, 2, 2, 1));
    // First maximum in row-major window order: (0,0), (0,3), (2,0), (2,2).
    float[] expected = new float[16];
    expected[0] = 10;
    expected[3] = 20;
    expected[8] = 30;
    expected[10] = 40;
    assertThat(dx.data()).containsExactly(expected);
  }

  @Test
  void tiesAcrossOverlappingWindowsAccumulate() {
    // 3x3 windows, stride 1 on a 4x4 image with a single large value at (1,1): all four windows pick it.
    Tensor x = Tensor.zeros(1, 4, 4, 1);
    x.set(9f, 0, 1, 1, 0);
    MaxPool2D p = built(new MaxPool2D(3, 1, "valid"), 4, 4, 1);
    p.forward(x, true);
    Tensor dx = p.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1));
    assertThat(dx.get(0, 1, 1, 0)).isEqualTo(10f);
    assertThat(dx.get(0, 0, 0, 0)).isZero();
  }

  @Test
  void backwardOverwritesThePreviousBatch() {
    MaxPool2D p = built(new MaxPool2D(2), 2, 2, 1);
    Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1);
    p.forward(x, true);
    p.backward(Tensor.of(new float[] {1}, 1, 1, 1, 1));
    p.forward(x, true);
    assertThat(p.backward(Tensor.of(new float[] {1}, 1, 1, 1, 1)).data()).containsExactly(0, 0, 0, 1);
  }

  @Test
  void sameResultsForAnyThreadCount() {
    int before = dev.neurona.core.Parallel.threads();
    try {
      float[][] y = new float[2][];
      float[][] dx = new float[2][];
      for (int t = 1; t <= 2; t++) {
        dev.neurona.core.Parallel.setThreads(t);
        MaxPool2D p = built(new MaxPool2D(3, 2, "same"), 9, 9, 3);
        Tensor x = Tensor.uniform(Shape.of(16, 9, 9, 3), -1, 1, 6);
        y[t - 1] = p.forward(x, true).data().clone();
        dx[t - 1] = p.backward(Tensor.uniform(p.outputShape().prepend(16), -1, 1, 7)).data().clone();
      }
      assertThat(y[1]).isEqualTo(y[0]);
      assertThat(dx[1]).isEqualTo(dx[0]);
    } finally {
      dev.neurona.core.Parallel.setThreads(before);
    }
  }

  @Test
  void mnistShapes() {
    assertThat(built(new MaxPool2D(2), 28, 28, 32).outputShape()).isEqualTo(Shape.of(14, 14, 32));
    assertThat(built(new MaxPool2D(2), 14, 14, 64).outputShape()).isEqualTo(Shape.of(7, 7, 64));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new MaxPool2D(0)).hasMessageContaining("pool_size").hasMessageContaining("[0, 0]");
    assertThatThrownBy(() -> new MaxPool2D(2, 2, "full")).hasMessageContaining("MaxPool2D").hasMessageContaining("\"full\"");
    assertThatThrownBy(() -> new MaxPool2D(2).build(Shape.of(10), 0)).hasMessageContaining("MaxPool2D").hasMessageContaining("(10,)");
  }

  @Test
  void toStringShowsNonDefaults() {
    assertThat(new MaxPool2D()).hasToString("MaxPool2D()");
    assertThat(new MaxPool2D(3)).hasToString("MaxPool2D(pool_size=[3, 3])");
    assertThat(new MaxPool2D(3, 2, "same")).hasToString("MaxPool2D(pool_size=[3, 3], strides=[2, 2], padding=same)");
  }

  @Test
  void enumStringAndSetterFormsBuildTheSameLayer() {
    MaxPool2D[] forms = {
        new MaxPool2D(3, 2, Padding.SAME),
        new MaxPool2D(3, 2, "same"),
        new MaxPool2D(3).strides(2).padding(Padding.SAME),
        new MaxPool2D(3).strides(2, 2).padding("Same"),
        new MaxPool2D(new int[] {3, 3}, new int[] {2, 2}, Padding.SAME),
        new MaxPool2D(new int[] {3, 3}, null, Padding.SAME).strides(2)};
    Tensor x = Tensor.uniform(Shape.of(2, 7, 6, 2), -1, 1, 4);
    MaxPool2D first = built(forms[0], 7, 6, 2);
    float[] y = first.forward(x, false).data().clone();
    for (MaxPool2D p : forms) {
      built(p, 7, 6, 2);
      assertThat(p.padding()).isEqualTo(Padding.SAME);
      assertThat(p.config()).isEqualTo(first.config());
      assertThat(p.forward(x, false).data()).isEqualTo(y);
    }
    assertThat(forms[2]).hasToString("MaxPool2D(pool_size=[3, 3], strides=[2, 2], padding=same)");
  }

  @Test
  void namedSettersValidateAndOnlyWorkBeforeBuild() {
    assertThat(new MaxPool2D(2).padding()).isEqualTo(Padding.VALID);
    assertThatThrownBy(() -> new MaxPool2D(2).strides(0)).hasMessageContaining("MaxPool2D").hasMessageContaining("strides")
        .hasMessageContaining("[0, 0]");
    assertThatThrownBy(() -> new MaxPool2D(2).padding("full")).hasMessageContaining("MaxPool2D").hasMessageContaining("\"full\"");
    assertThatThrownBy(() -> new MaxPool2D(2).padding((Padding) null)).hasMessageContaining("MaxPool2D: padding is null");
    assertThatThrownBy(() -> new MaxPool2D(2, 2, (Padding) null)).hasMessageContaining("MaxPool2D: padding is null");
    MaxPool2D p = built(new MaxPool2D(2), 4, 4, 1);
    assertThatThrownBy(() -> p.strides(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("strides");
    assertThatThrownBy(() -> p.padding(Padding.SAME)).isInstanceOf(IllegalStateException.class).hasMessageContaining("padding");
    assertThatThrownBy(() -> p.padding("same")).isInstanceOf(IllegalStateException.class);
  }

  /** The plain-loop reference named in backward's Javadoc: ScalarKernels' max-pool loops, image by image. */
  @Test
  void matchesTheScalarReferenceKernels() {
    MaxPool2D p = built(new MaxPool2D(3, 2, Padding.SAME), 7, 6, 2);
    Tensor x = distinct(5, 3, 7, 6, 2);
    Tensor y = p.forward(x, true);
    Tensor dOut = Tensor.uniform(y.shape(), -1, 1, 6);
    Tensor dX = p.backward(dOut);
    ConvGeometry g = ConvGeometry.of(7, 6, 2, 3, 3, 2, 2, Padding.SAME, 2);
    int inSize = g.inSize();
    int outSize = g.outSize();
    float[] yRef = new float[y.size()];
    int[] argmax = new int[y.size()];
    float[] dXRef = new float[x.size()];
    for (int b = 0; b < 3; b++) {
      ScalarKernels.INSTANCE.maxPoolForward(g, x.data(), b * inSize, yRef, b * outSize, argmax, b * outSize);
      ScalarKernels.INSTANCE.maxPoolBackward(dOut.data(), b * outSize, argmax, b * outSize, outSize, dXRef, b * inSize);
    }
    assertThat(y.data()).containsExactly(yRef);
    assertThat(dX.data()).containsExactly(dXRef);
  }
}
