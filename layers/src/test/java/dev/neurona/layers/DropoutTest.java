package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {
  private static Dropout built(double rate, long seed, int... shape) {
    Dropout d = new Dropout(rate);
    d.build(Shape.of(shape), seed);
    return d;
  }

  @Test
  void keepsAboutOneMinusRateAndScalesThem() {
    Dropout d = built(0.3, 7, 1000);
    Tensor x = Tensor.full(Shape.of(20, 1000), 1f);
    Tensor y = d.forward(x, true);
    int kept = 0;
    for (float v : y.data()) {
      if (v != 0f) {
        assertThat(v).isCloseTo(1f / 0.7f, within(1e-6f));
        kept++;
      }
    }
    // 20000 Bernoulli(0.7) draws: sd ≈ 65, so ±400 is over 6 sd.
    assertThat(kept).isBetween(14000 - 400, 14000 + 400);
  }

  @Test
  void identityAtInference() {
    Dropout d = built(0.5, 7, 10);
    Tensor x = Tensor.uniform(Shape.of(3, 10), -1, 1, 1);
    assertThat(d.forward(x, false)).isSameAs(x);
    Tensor g = Tensor.uniform(Shape.of(3, 10), -1, 1, 2);
    assertThat(d.backward(g)).isSameAs(g);
    assertThat(d.callCount()).isZero();
  }

  @Test
  void masksAreTheSequentialGeneratorsForAnyThreadCount() {
    // Drawn in parallel ranges, element by element from the generator's state formula: the same mask as
    // new SplittableRandom(seed·γ + call).nextDouble() in order, on this JDK, with 1 and 2 threads.
    int n = 3 * 40_000 + 17;
    Tensor x = Tensor.full(Shape.of(1, n), 1f);
    int before = dev.neurona.core.Parallel.threads();
    try {
      for (int threads : new int[] {1, 2}) {
        dev.neurona.core.Parallel.setThreads(threads);
        Dropout d = built(0.3, 5, n);
        d.forward(x, true);
        float[] mask = d.forward(x, true).data(); // the second call: call counter 1
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5 * 0x9E3779B97F4A7C15L + 1);
        for (int i = 0; i < n; i++) {
          float expected = rng.nextDouble() < 0.3 ? 0f : (float) (1.0 / 0.7);
          if (mask[i] != expected) {
            throw new AssertionError(threads + " threads, element " + i + ": " + mask[i] + ", expected " + expected);
          }
        }
      }
    } finally {
      dev.neurona.core.Parallel.setThreads(before);
    }
  }

  @Test
  void sameSeedSameMasksNewMaskEachCall() {
    Dropout a = built(0.5, 11, 64);
    Dropout b = built(0.5, 11, 64);
    Tensor x = Tensor.full(Shape.of(4, 64), 1f);
    float[] a1 = a.forward(x, true).data().clone();
    float[] a2 = a.forward(x, true).data().clone();
    float[] b1 = b.forward(x, true).data().clone();
    assertThat(a1).isEqualTo(b1);
    assertThat(a1).isNotEqualTo(a2);
    a.callCount(1);
    assertThat(a.forward(x, true).data()).isEqualTo(a2);
    Dropout c = built(0.5, 12, 64);
    assertThat(c.forward(x, true).data()).isNotEqualTo(a1);
  }

  @Test
  void gradientWithTheMaskHeldFixed() {
    Dropout d = built(0.4, 3, 4, 5);
    Tensor x = Tensor.uniform(Shape.of(2, 4, 5), -1, 1, 4);
    GradientCheck.create().beforeForward(() -> d.callCount(0)).checkLayer(d, x).assertPassed();
    // The backward is exactly dOut ⊙ mask.
    d.callCount(0);
    d.forward(x, true);
    Tensor g = Tensor.uniform(Shape.of(2, 4, 5), -1, 1, 5);
    Tensor dx = d.backward(g);
    for (int i = 0; i < g.size(); i++) {
      assertThat(dx.data()[i]).isEqualTo(g.data()[i] * d.mask().data()[i]);
    }
  }

  @Test
  void rejectsRatesOutsideZeroToOne() {
    assertThatThrownBy(() -> new Dropout(1.0)).hasMessageContaining("rate must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new Dropout(-0.1)).hasMessageContaining("rate").hasMessageContaining("-0.1");
    assertThatThrownBy(() -> new Dropout(Double.NaN)).hasMessageContaining("NaN");
    assertThat(new Dropout(0.0)).hasToString("Dropout(rate=0.0)");
  }
}
