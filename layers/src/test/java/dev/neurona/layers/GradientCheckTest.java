package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.init.Constant;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.MeanSquaredError;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes a correct backward and catches a wrong one, naming the tensor. */
class GradientCheckTest {
  /** y = x², with a backward that is correct or off by a factor. */
  static final class Square extends Layer {
    private final float factor;
    private Tensor input;
    private Tensor output;

    Square(float factor) {
      this.factor = factor;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
      checkInput(x);
      input = x;
      output = Tensor.zeros(x.shape());
      for (int i = 0; i < x.size(); i++) {
        output.data()[i] = x.data()[i] * x.data()[i];
      }
      return output;
    }

    @Override
    public Tensor backward(Tensor dOut) {
      checkGradient(dOut, output);
      if (!needsInputGradient) {
        return null;
      }
      Tensor d = Tensor.zeros(dOut.shape());
      for (int i = 0; i < d.size(); i++) {
        d.data()[i] = factor * 2 * input.data()[i] * dOut.data()[i];
      }
      return d;
    }
  }

  /** y = x ⊙ w for a weight w (features); the weight gradient is scaled by {@code weightFactor} (1 = correct). */
  static final class Scale extends Layer {
    private final float weightFactor;
    private Parameter w;
    private Tensor input;
    private Tensor output;

    Scale(float weightFactor) {
      this.weightFactor = weightFactor;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    protected void onBuild(Shape inputShape, long seed) {
      w = addWeight("w", Tensor.uniform(inputShape, 0.5f, 1.5f, seed));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
      checkInput(x);
      input = x;
      output = Tensor.zeros(x.shape());
      int f = w.size();
      for (int i = 0; i < x.size(); i++) {
        output.data()[i] = x.data()[i] * w.value().data()[i % f];
      }
      return output;
    }

    @Override
    public Tensor backward(Tensor dOut) {
      checkGradient(dOut, output);
      int f = w.size();
      Tensor d = Tensor.zeros(dOut.shape());
      for (int i = 0; i < d.size(); i++) {
        d.data()[i] = dOut.data()[i] * w.value().data()[i % f];
        w.grad().data()[i % f] += weightFactor * dOut.data()[i] * input.data()[i];
      }
      return d;
    }
  }

  private static Tensor input(int... dims) {
    return Tensor.uniform(Shape.of(dims), -1, 1, 7);
  }

  @Test
  void passesACorrectBackward() {
    Square layer = new Square(1f);
    layer.build(Shape.of(5), 1);
    GradientCheck.Report r = GradientCheck.create().checkLayer(layer, input(3, 5)).assertPassed();
    assertThat(r.passed()).isTrue();
    assertThat(r.maxRelError()).isLessThan(1e-3);
    assertThat(r.maxAbsError()).isLessThan(1e-3);
    assertThat(r.of("input").checked()).isEqualTo(15);
  }

  @Test
  void catchesAWrongBackwardAndNamesTheTensor() {
    Square layer = new Square(1.05f);
    layer.build(Shape.of(5), 1);
    assertThatThrownBy(() -> GradientCheck.create().checkLayer(layer, input(3, 5)).assertPassed())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("gradient check failed (step 1.0e-02, tolerance 1.0e-02, floor 1.0e-02)")
        .hasMessageContaining("FAILED input: worst element");
  }

  @Test
  void reportsAFailureWithoutThrowing() {
    Square layer = new Square(1.05f);
    layer.build(Shape.of(5), 1);
    GradientCheck.Report r = GradientCheck.create().checkLayer(layer, input(3, 5));
    assertThat(r.passed()).isFalse();
    GradientCheck.TensorCheck t = r.of("input");
    assertThat(t.passed(r.tolerance())).isFalse();
    assertThat(t.maxRelError()).isCloseTo(0.05 / 1.05, within(2e-3));
    assertThat(t.analytic()).isCloseTo(1.05 * t.numeric(), within(1e-3));
    assertThat(t.worstIndex()).isBetween(0, 14);
    assertThat(r.toString()).startsWith("gradient check failed").contains("FAILED input: worst element " + t.worstIndex());
  }

  @Test
  void checksEveryParameterAndNamesTheWrongOne() {
    Scale good = new Scale(1f);
    good.name("scale");
    good.build(Shape.of(4), 3);
    GradientCheck.Report ok = GradientCheck.create().checkLayer(good, input(3, 4)).assertPassed();
    assertThat(ok.tensors()).extracting(GradientCheck.TensorCheck::name).containsExactly("input", "scale.w");
    assertThat(ok.toString()).startsWith("gradient check passed").contains("ok     scale.w: worst element");

    Scale bad = new Scale(0.9f);
    bad.name("scale");
    bad.build(Shape.of(4), 3);
    GradientCheck.Report r = GradientCheck.create().checkLayer(bad, input(3, 4));
    assertThat(r.of("input").passed(r.tolerance())).isTrue();
    assertThat(r.of("scale.w").passed(r.tolerance())).isFalse();
    assertThat(r.of("scale.w").maxAbsError()).isGreaterThan(1e-2);
    assertThatThrownBy(r::assertPassed).hasMessageContaining("ok     input").hasMessageContaining("FAILED scale.w");
  }

  @Test
  void leavesTheAnalyticGradientInTheParameters() {
    Dense d = new Dense(3, Activation.TANH).biasInitializer(new Constant(0.1));
    d.build(Shape.of(4), 5);
    Tensor x = input(2, 4);
    GradientCheck.create().checkLayer(d, x).assertPassed();
    Tensor afterCheck = d.kernel().grad().copy();
    d.kernel().zeroGrad();
    d.forward(x, true);
    d.backward(Tensor.uniform(Shape.of(2, 3), -1f, 1f, 1234));
    assertThat(afterCheck.data()).isEqualTo(d.kernel().grad().data());
  }

  @Test
  void samplesAtMostTheRequestedElements() {
    Square layer = new Square(1f);
    layer.build(Shape.of(50), 1);
    GradientCheck.Report r = GradientCheck.create().maxPerTensor(7).checkLayer(layer, input(2, 50));
    assertThat(r.of("input").checked()).isEqualTo(7);
  }

  @Test
  void theSameSeedGivesTheSameReport() {
    Square layer = new Square(1.02f);
    layer.build(Shape.of(50), 1);
    Tensor x = input(2, 50);
    GradientCheck.Report a = GradientCheck.create().seed(9).maxPerTensor(5).checkLayer(layer, x);
    GradientCheck.Report b = GradientCheck.create().seed(9).maxPerTensor(5).checkLayer(layer, x);
    assertThat(b).isEqualTo(a);
    assertThat(a.step()).isEqualTo(1e-2);
    assertThat(a.floor()).isEqualTo(1e-2);
  }

  @Test
  void buildsAnUnbuiltLayerForTheInputsShape() {
    Dense d = new Dense(3, Activation.SIGMOID);
    GradientCheck.create().checkLayer(d, input(2, 6)).assertPassed();
    assertThat(d.isBuilt()).isTrue();
    assertThat(d.inputShape()).isEqualTo(Shape.of(6));
  }

  @Test
  void restoresTheInputGradientFlag() {
    Square layer = new Square(1f);
    layer.build(Shape.of(5), 1);
    layer.setNeedsInputGradient(false);
    GradientCheck.create().checkLayer(layer, input(2, 5)).assertPassed();
    layer.forward(input(2, 5), true);
    assertThat(layer.backward(Tensor.zeros(2, 5))).isNull();
  }

  @Test
  void trainingFlagAndHookReachEveryForwardPass() {
    Dropout d = new Dropout(0.5);
    d.build(Shape.of(6), 3);
    Tensor x = input(2, 6);
    // At inference dropout is the identity, so the check passes without rewinding the mask.
    GradientCheck.create().training(false).checkLayer(d, x).assertPassed();
    // In training each pass draws a new mask unless the hook rewinds it: 1 + 2·12 + 1 forward passes.
    AtomicInteger passes = new AtomicInteger();
    GradientCheck.create().beforeForward(() -> {
      passes.incrementAndGet();
      d.callCount(0);
    }).checkLayer(d, x).assertPassed();
    assertThat(passes.get()).isEqualTo(26);
    assertThat(GradientCheck.create().checkLayer(d, x).passed()).isFalse();
  }

  @Test
  void checksALoss() {
    Tensor p = Tensor.uniform(Shape.of(3, 2), -1, 1, 1);
    Tensor y = Tensor.uniform(Shape.of(3, 2), -1, 1, 2);
    GradientCheck.Report r = GradientCheck.create().checkLoss(new MeanSquaredError(), p, y).assertPassed();
    assertThat(r.tensors()).extracting(GradientCheck.TensorCheck::name).containsExactly("predictions");

    Loss halfGradient = new Loss() {
      @Override
      public String name() {
        return "half";
      }

      @Override
      public float compute(Tensor predictions, Tensor targets, Tensor grad) {
        float l = new MeanSquaredError().compute(predictions, targets, grad);
        if (grad != null) {
          for (int i = 0; i < grad.size(); i++) {
            grad.data()[i] *= 0.5f;
          }
        }
        return l;
      }
    };
    assertThatThrownBy(() -> GradientCheck.create().checkLoss(halfGradient, p, y).assertPassed())
        .hasMessageContaining("FAILED predictions");
  }

  @Test
  void checksTensorsChainedByHand() {
    // L = Σ a·b: dL/da = b, dL/db = a; the gradient given for b is wrong.
    Tensor a = Tensor.uniform(Shape.of(4), -1, 1, 1);
    Tensor b = Tensor.uniform(Shape.of(4), -1, 1, 2);
    Tensor wrong = Tensor.full(Shape.of(4), 3f);
    GradientCheck.Report r = GradientCheck.create().check(() -> {
      double s = 0;
      for (int i = 0; i < 4; i++) {
        s += (double) a.data()[i] * b.data()[i];
      }
      return s;
    }, List.of(new GradientCheck.Target("a", a, b), new GradientCheck.Target("b", b, wrong)));
    assertThat(r.of("a").passed(r.tolerance())).isTrue();
    assertThat(r.of("b").passed(r.tolerance())).isFalse();
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aNaNGradientFails() {
    Tensor a = Tensor.uniform(Shape.of(3), -1, 1, 1);
    Tensor nan = Tensor.full(Shape.of(3), Float.NaN);
    GradientCheck.Report r = GradientCheck.create().check(() -> a.data()[0] + a.data()[1] + a.data()[2],
        List.of(new GradientCheck.Target("a", a, nan)));
    assertThat(r.passed()).isFalse();
    assertThat(r.maxRelError()).isNaN();
    assertThat(r.maxAbsError()).isNaN();
  }

  @Test
  void aTargetCopiesItsGradientAndChecksShapes() {
    Tensor v = Tensor.zeros(3);
    Tensor g = Tensor.full(Shape.of(3), 1f);
    GradientCheck.Target t = new GradientCheck.Target("v", v, g);
    g.data()[0] = 5f;
    assertThat(t.analytic().data()[0]).isEqualTo(1f);
    assertThatThrownBy(() -> new GradientCheck.Target("v", v, Tensor.zeros(4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'v'").hasMessageContaining("(4,)")
        .hasMessageContaining("(3,)");
    assertThatThrownBy(() -> new GradientCheck.Target(null, v, g)).hasMessageContaining("name=null");
  }

  @Test
  void rejectsBadSettingsNamingTheArgumentAndValue() {
    GradientCheck c = GradientCheck.create();
    assertThatThrownBy(() -> c.step(0)).hasMessageContaining("step must be > 0").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> c.step(Double.NaN)).hasMessageContaining("step").hasMessageContaining("NaN");
    assertThatThrownBy(() -> c.tolerance(-1)).hasMessageContaining("tolerance").hasMessageContaining("-1.0");
    assertThatThrownBy(() -> c.floor(Double.POSITIVE_INFINITY)).hasMessageContaining("floor").hasMessageContaining("Infinity");
    assertThatThrownBy(() -> c.maxPerTensor(0)).hasMessageContaining("maxPerTensor must be >= 1, got 0");
    assertThatThrownBy(() -> c.beforeForward(null)).hasMessageContaining("beforeForward");
    assertThatThrownBy(() -> c.checkLayer(null, Tensor.zeros(1, 2))).hasMessageContaining("layer is null");
    assertThatThrownBy(() -> c.checkLayer(new Dense(2).name("d1"), null))
        .hasMessageContaining("Dense 'd1'").hasMessageContaining("input must be a batch").hasMessageContaining("null");
    assertThatThrownBy(() -> c.checkLoss(null, Tensor.zeros(1, 2), Tensor.zeros(1, 2))).hasMessageContaining("loss is null");
    assertThatThrownBy(() -> c.check(null, List.of())).hasMessageContaining("loss is null");
    assertThatThrownBy(() -> c.check(() -> 0, null)).hasMessageContaining("targets are null");
  }

  @Test
  void ofNamesTheTensorsThatWereChecked() {
    Square layer = new Square(1f);
    layer.build(Shape.of(2), 1);
    GradientCheck.Report r = GradientCheck.create().checkLayer(layer, input(1, 2));
    assertThatThrownBy(() -> r.of("kernel")).hasMessageContaining("'kernel'").hasMessageContaining("[input]");
  }

  @Test
  void awayFromZeroKeepsEveryValueAtLeastTheGapFromZero() {
    Tensor t = GradientCheck.awayFromZero(3, -1f, 1f, 0.05f, 4, 25);
    assertThat(t.shape()).isEqualTo(Shape.of(4, 25));
    for (float v : t.data()) {
      assertThat(Math.abs(v)).isGreaterThanOrEqualTo(0.05f).isLessThan(1.05f);
    }
    assertThat(GradientCheck.awayFromZero(3, -1f, 1f, 0.05f, 4, 25).data()).isEqualTo(t.data());
  }
}
