package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void defaultsAreKeras() {
    Adam adam = new Adam();
    assertThat(adam.learningRate()).isEqualTo(0.001f);
    assertThat(adam.beta1()).isEqualTo(0.9f);
    assertThat(adam.beta2()).isEqualTo(0.999f);
    assertThat(adam.epsilon()).isEqualTo(1e-7f);
    assertThat(adam.weightDecay()).isZero();
    assertThat(adam.amsgrad()).isFalse();
    assertThat(new Adam(1e-4).learningRate()).isEqualTo(1e-4f);
  }

  @Test
  void biasCorrectionAtSteps1And2ByHand() {
    // Step 1 (g = 0.5): m = 0.05, v = 0.00025, α = lr·√0.001/0.1,
    //   Δw = α·m/(√v + ε) = lr·√0.001·0.5/(√0.001·0.5 + ε) ≈ lr (bias correction makes the first step ≈ lr·sign(g)).
    // Step 2 (g = −0.25): m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
    //   α = lr·√(1 − 0.999²)/(1 − 0.9²) = lr·√0.001999/0.19.
    double lr = 0.01;
    double eps = 1e-7;
    Parameter p = new Parameter("w", Tensor.of(new float[] {1f}, 1));
    Adam adam = new Adam(lr);
    p.grad().data()[0] = 0.5f;
    adam.step(List.of(p));
    double w1 = 1 - lr * Math.sqrt(0.001) * 0.5 / (Math.sqrt(0.001) * 0.5 + eps);
    assertThat((double) p.value().data()[0]).isCloseTo(w1, within(1e-6));
    assertThat(1 - w1).isCloseTo(lr, within(lr * 1e-5));
    p.grad().data()[0] = -0.25f;
    adam.step(List.of(p));
    double w2 = w1 - lr * Math.sqrt(0.001999) / 0.19 * 0.02 / (Math.sqrt(0.00031225) + eps);
    assertThat((double) p.value().data()[0]).isCloseTo(w2, within(1e-6));
  }

  /**
   * Adam as written in the paper (with PyTorch's bias-corrected m̂, v̂), in double precision;
   * Keras' ε is ε_paper·√(1 − β2^t), which this reference converts.
   */
  private static void referenceStep(
      double[] w, double[] m, double[] v, double[] vMax, float[] grad, int t,
      double lr, double b1, double b2, double eps, double wd, boolean amsgrad) {
    for (int i = 0; i < w.length; i++) {
      double g = grad[i];
      w[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      vMax[i] = Math.max(vMax[i], v[i]);
      double mHat = m[i] / (1 - Math.pow(b1, t));
      double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.pow(b2, t));
      double epsCorrected = eps / Math.sqrt(1 - Math.pow(b2, t));
      w[i] -= lr * mHat / (Math.sqrt(vHat) + epsCorrected);
    }
  }

  @Test
  void firstStepsMatchDoubleReference() {
    Random rng = new Random(11);
    // {lr, beta1, beta2, epsilon, weightDecay, amsgrad}
    double[][] settings = {
      {1e-3, 0.9, 0.999, 1e-7, 0, 0},
      {1e-2, 0.8, 0.99, 1e-3, 0, 0},
      {1e-2, 0.9, 0.999, 1e-7, 0.1, 0},
      {1e-2, 0.9, 0.999, 1e-7, 0, 1},
      {5e-3, 0.0, 0.9, 1e-5, 0.01, 1},
    };
    for (double[] s : settings) {
      float lr = (float) s[0];
      float b1 = (float) s[1];
      float b2 = (float) s[2];
      float eps = (float) s[3];
      float wd = (float) s[4];
      boolean amsgrad = s[5] == 1;
      Adam adam = new Adam(LearningRateSchedule.constant(lr), b1, b2, eps, wd, amsgrad);
      Parameter p = new Parameter("dense.kernel", Tensor.uniform(Shape.of(4, 3), -1, 1, rng.nextLong()));
      int n = p.size();
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = p.value().data()[i];
      }
      double[] m = new double[n];
      double[] v = new double[n];
      double[] vMax = new double[n];
      for (int t = 1; t <= 6; t++) {
        // Shrinking gradients make AMSGrad's running max differ from v.
        p.grad().fillUniform(-2f / t, 2f / t, rng);
        adam.step(List.of(p));
        referenceStep(w, m, v, vMax, p.grad().data(), t, lr, b1, b2, eps, wd, amsgrad);
        for (int i = 0; i < n; i++) {
          assertThat((double) p.value().data()[i])
              .as("settings %s step %d element %d", java.util.Arrays.toString(s), t, i)
              .isCloseTo(w[i], within(2e-6));
        }
      }
    }
  }

  @Test
  void amsgradChangesTheUpdateWhenGradientsShrink() {
    Parameter plain = new Parameter("w", Tensor.of(new float[] {0f}, 1));
    Parameter ams = new Parameter("w", Tensor.of(new float[] {0f}, 1));
    Adam a = new Adam(0.01);
    Adam b = Adam.builder().learningRate(0.01).amsgrad(true).build();
    float[] grads = {10f, 0.1f, 0.1f, 0.1f};
    for (float g : grads) {
      plain.grad().data()[0] = g;
      ams.grad().data()[0] = g;
      a.step(List.of(plain));
      b.step(List.of(ams));
    }
    // With the max of v kept, later steps are smaller: AMSGrad moves less.
    assertThat(ams.value().data()[0]).isGreaterThan(plain.value().data()[0]);
  }

  @Test
  void adamWDecaysWeightsByLrTimesWdWithZeroGradient() {
    // g = 0 ⇒ m = v = 0 and the Adam term is 0/(0 + ε) = 0: only w = w·(1 − lr·wd) remains.
    Parameter p = new Parameter("w", Tensor.of(new float[] {2f, -4f}, 2));
    Adam adamW = Adam.builder().learningRate(0.1).weightDecay(0.5).build();
    adamW.step(List.of(p));
    assertThat(p.value().data()).containsExactly(new float[] {1.9f, -3.8f}, within(1e-6f));
    adamW.step(List.of(p));
    assertThat(p.value().data()).containsExactly(new float[] {1.805f, -3.61f}, within(1e-6f));
  }

  @Test
  void minimisesAQuadratic() {
    // f(w) = ½ Σ a_i (w_i − c_i)², curvatures spread over two orders of magnitude.
    Random rng = new Random(5);
    int n = 16;
    float[] a = new float[n];
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) Math.pow(10, 2 * rng.nextDouble() - 1);
      c[i] = 4 * rng.nextFloat() - 2;
    }
    for (boolean amsgrad : new boolean[] {false, true}) {
      Parameter p = new Parameter("w", Tensor.zeros(n));
      Adam adam = Adam.builder().schedule(LearningRateSchedule.cosine(0.1, 1500, 0.0)).amsgrad(amsgrad).build();
      for (int step = 0; step < 1500; step++) {
        for (int i = 0; i < n; i++) {
          p.grad().data()[i] = a[i] * (p.value().data()[i] - c[i]);
        }
        adam.step(List.of(p));
      }
      assertThat(p.value().data()).as("amsgrad=%s", amsgrad).containsExactly(c, within(1e-3f));
    }
  }

  @Test
  void argumentsAreValidatedWithNameAndValue() {
    assertThatThrownBy(() -> new Adam(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Adam: learningRate must be > 0").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> Adam.builder().learningRate(-1).build()).hasMessageContaining("got -1.0");
    assertThatThrownBy(() -> Adam.builder().beta1(1).build()).hasMessageContaining("Adam: beta1 must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> Adam.builder().beta1(-0.1).build()).hasMessageContaining("beta1 must be in [0, 1), got -0.1");
    assertThatThrownBy(() -> Adam.builder().beta2(1.5).build()).hasMessageContaining("Adam: beta2 must be in [0, 1), got 1.5");
    assertThatThrownBy(() -> Adam.builder().epsilon(0).build()).hasMessageContaining("Adam: epsilon must be > 0").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> Adam.builder().epsilon(-1e-8).build()).hasMessageContaining("got -1.0E-8");
    assertThatThrownBy(() -> Adam.builder().epsilon(1e-50).build()).hasMessageContaining("got 1.0E-50 (0 as a float)");
    assertThatThrownBy(() -> Adam.builder().weightDecay(Double.NaN).build()).hasMessageContaining("weightDecay must be >= 0").hasMessageContaining("got NaN");
  }
}
