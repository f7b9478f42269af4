package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SGDTest {
  private static Parameter scalar(String name, float w) {
    return new Parameter(name, Tensor.of(new float[] {w}, 1));
  }

  @Test
  void plainStepIsMinusLearningRateTimesGradient() {
    Parameter p = new Parameter("w", Tensor.of(new float[] {1f, -2f, 0.5f}, 3));
    p.grad().data()[0] = 0.5f;
    p.grad().data()[1] = -1f;
    p.grad().data()[2] = 0f;
    new SGD(0.1).step(List.of(p));
    assertThat(p.value().data()).containsExactly(new float[] {0.95f, -1.9f, 0.5f}, within(1e-7f));
  }

  @Test
  void momentumByHand() {
    // w=1, g=0.5 each step, lr=0.1, μ=0.9:
    // step 1: v = −0.05, w = 0.95; step 2: v = 0.9·(−0.05) − 0.05 = −0.095, w = 0.855.
    Parameter p = scalar("w", 1f);
    SGD sgd = new SGD(0.1, 0.9);
    p.grad().data()[0] = 0.5f;
    sgd.step(List.of(p));
    assertThat(p.value().data()[0]).isCloseTo(0.95f, within(1e-7f));
    sgd.step(List.of(p));
    assertThat(p.value().data()[0]).isCloseTo(0.855f, within(1e-7f));
  }

  @Test
  void nesterovByHand() {
    // step 1: v = −0.05, w += 0.9·(−0.05) − 0.05 = −0.095 → 0.905;
    // step 2: v = −0.095, w += 0.9·(−0.095) − 0.05 = −0.1355 → 0.7695.
    Parameter p = scalar("w", 1f);
    SGD sgd = SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build();
    p.grad().data()[0] = 0.5f;
    sgd.step(List.of(p));
    assertThat(p.value().data()[0]).isCloseTo(0.905f, within(1e-7f));
    sgd.step(List.of(p));
    assertThat(p.value().data()[0]).isCloseTo(0.7695f, within(1e-7f));
  }

  @Test
  void weightDecayIsL2AddedToTheGradient() {
    // g = 0.5 + 0.1·2 = 0.7; w = 2 − 0.1·0.7 = 1.93.
    Parameter p = scalar("w", 2f);
    p.grad().data()[0] = 0.5f;
    SGD.builder().learningRate(0.1).weightDecay(0.1).build().step(List.of(p));
    assertThat(p.value().data()[0]).isCloseTo(1.93f, within(1e-7f));
  }

  /** Keras' SGD in double precision, with L2 weight decay. */
  private static void referenceStep(double[] w, double[] v, float[] grad, double lr, double mu, boolean nesterov, double wd) {
    for (int i = 0; i < w.length; i++) {
      double g = grad[i] + wd * w[i];
      if (mu == 0) {
        w[i] -= lr * g;
        continue;
      }
      v[i] = mu * v[i] - lr * g;
      w[i] += nesterov ? mu * v[i] - lr * g : v[i];
    }
  }

  @Test
  void firstStepsMatchDoubleReference() {
    Random rng = new Random(7);
    double[][] settings = {{0, 0, 0}, {0.9, 0, 0}, {0.9, 1, 0}, {0.5, 0, 1e-2}, {0.99, 1, 5e-2}, {0, 0, 0.1}};
    for (double[] s : settings) {
      float mu = (float) s[0];
      boolean nesterov = s[1] == 1;
      float wd = (float) s[2];
      float lr = 0.05f;
      SGD sgd = new SGD(LearningRateSchedule.constant(lr), mu, nesterov, wd);
      Parameter p = new Parameter("layer.kernel", Tensor.uniform(dev.neurona.core.Shape.of(3, 5), -1, 1, rng.nextLong()));
      double[] w = new double[15];
      for (int i = 0; i < 15; i++) {
        w[i] = p.value().data()[i];
      }
      double[] v = new double[15];
      for (int step = 0; step < 5; step++) {
        p.grad().fillUniform(-2, 2, rng);
        sgd.step(List.of(p));
        referenceStep(w, v, p.grad().data(), lr, mu, nesterov, wd);
        for (int i = 0; i < 15; i++) {
          assertThat((double) p.value().data()[i])
              .as("μ=%s nesterov=%s wd=%s step %d element %d", mu, nesterov, wd, step, i)
              .isCloseTo(w[i], within(1e-6));
        }
      }
      assertThat(sgd.iterations()).isEqualTo(5);
    }
  }

  @Test
  void stepUsesTheScheduleRateOfEachIteration() {
    LearningRateSchedule schedule = LearningRateSchedule.step(0.1, 2, 0.5);
    SGD sgd = SGD.builder().schedule(schedule).build();
    Parameter p = scalar("w", 0f);
    p.grad().data()[0] = 1f;
    double expected = 0;
    for (long k = 0; k < 6; k++) {
      assertThat(sgd.learningRate()).isEqualTo(schedule.rate(k));
      sgd.step(List.of(p));
      expected -= schedule.rate(k);
      assertThat((double) p.value().data()[0]).isCloseTo(expected, within(1e-7));
    }
    assertThat(sgd.learningRate()).isEqualTo(0.0125f);
  }

  @Test
  void momentumMinimisesAQuadratic() {
    // f(w) = ½ Σ a_i (w_i − c_i)², ∇f = a_i (w_i − c_i); curvature a in [0.5, 2].
    Random rng = new Random(3);
    int n = 20;
    float[] a = new float[n];
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = 0.5f + 1.5f * rng.nextFloat();
      c[i] = 4 * rng.nextFloat() - 2;
    }
    for (boolean nesterov : new boolean[] {false, true}) {
      Parameter p = new Parameter("w", Tensor.zeros(n));
      SGD sgd = SGD.builder().learningRate(0.05).momentum(0.9).nesterov(nesterov).build();
      for (int step = 0; step < 400; step++) {
        for (int i = 0; i < n; i++) {
          p.grad().data()[i] = a[i] * (p.value().data()[i] - c[i]);
        }
        sgd.step(List.of(p));
      }
      assertThat(p.value().data()).as("nesterov=%s", nesterov).containsExactly(c, within(1e-4f));
    }
  }

  @Test
  void argumentsAreValidatedWithNameAndValue() {
    assertThatThrownBy(() -> new SGD(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SGD: learningRate must be > 0").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> new SGD(-0.01)).hasMessageContaining("got -0.01");
    assertThatThrownBy(() -> new SGD(0.1, 1.0)).hasMessageContaining("SGD: momentum must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> new SGD(0.1, -0.1)).hasMessageContaining("momentum must be in [0, 1), got -0.1");
    assertThatThrownBy(() -> SGD.builder().weightDecay(-1e-4).build())
        .hasMessageContaining("SGD: weightDecay must be >= 0").hasMessageContaining("got -1.0E-4");
    assertThatThrownBy(() -> SGD.builder().nesterov(true).build())
        .hasMessageContaining("nesterov=true needs momentum > 0, got momentum 0.0");
    assertThatThrownBy(() -> SGD.builder().schedule(null)).hasMessageContaining("schedule is null");
  }
}
