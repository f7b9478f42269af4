package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

/** Flatten, Rescaling and the activation layers. */
class SimpleLayersTest {
  private static <L extends Layer> L built(L layer, int... inputShape) {
    layer.build(Shape.of(inputShape), 0);
    return layer;
  }

  @Test
  void flattenIsAViewBothWays() {
    Flatten f = built(new Flatten(), 7, 7, 64);
    assertThat(f.outputShape()).isEqualTo(Shape.of(3136));
    Tensor x = Tensor.uniform(Shape.of(2, 7, 7, 64), -1, 1, 1);
    Tensor y = f.forward(x, true);
    assertThat(y.shape()).isEqualTo(Shape.of(2, 3136));
    assertThat(y.data()).isSameAs(x.data());
    Tensor dx = f.backward(y);
    assertThat(dx.shape()).isEqualTo(x.shape());
    GradientCheck.create().maxPerTensor(50).checkLayer(f, x).assertPassed();
  }

  @Test
  void rescalingGradient() {
    Rescaling r = built(new Rescaling(1 / 255.0, -0.5), 3, 4);
    Tensor x = Tensor.uniform(Shape.of(2, 3, 4), 0, 255, 2);
    Tensor y = r.forward(x, false);
    assertThat(y.data()[5]).isCloseTo(x.data()[5] / 255f - 0.5f, within(1e-6f));
    GradientCheck.create().step(1.0).checkLayer(r, x).assertPassed();
    GradientCheck.create().checkLayer(built(new Rescaling(2.5), 5), Tensor.uniform(Shape.of(3, 5), -1, 1, 3)).assertPassed();
  }

  @Test
  void rescalingRejectsNonFinite() {
    assertThatThrownBy(() -> new Rescaling(Double.NaN)).hasMessageContaining("scale").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new Rescaling(1, Double.POSITIVE_INFINITY)).hasMessageContaining("offset");
    assertThat(new Rescaling(0.5)).hasToString("Rescaling(scale=0.5)");
  }

  @Test
  void activationLayerGradients() {
    Tensor x = GradientCheck.awayFromZero(4, -2f, 2f, 0.05f, 3, 5);
    for (Layer l : new Layer[] {new ReLU(), new Sigmoid(), new Tanh(), new Softmax()}) {
      built(l, 5);
      GradientCheck.create().checkLayer(l, x).assertPassed();
    }
  }

  @Test
  void softmaxRunsOverTheLastDimensionOfImages() {
    Softmax s = built(new Softmax(), 2, 2, 3);
    Tensor y = s.forward(Tensor.uniform(Shape.of(2, 2, 2, 3), -2, 2, 5), false);
    for (int r = 0; r < 8; r++) {
      assertThat(y.data()[3 * r] + y.data()[3 * r + 1] + y.data()[3 * r + 2]).isCloseTo(1f, within(1e-6f));
    }
    GradientCheck.create().checkLayer(s, Tensor.uniform(Shape.of(2, 2, 2, 3), -2, 2, 5)).assertPassed();
  }

  @Test
  void activationValues() {
    Tensor x = Tensor.of(new float[] {-1, 0, 2}, 1, 3);
    assertThat(built(new ReLU(), 3).forward(x, false).data()).containsExactly(0, 0, 2);
    assertThat(built(new Sigmoid(), 3).forward(x, false).data()[1]).isEqualTo(0.5f);
    assertThat(built(new Tanh(), 3).forward(x, false).data()[2]).isCloseTo((float) Math.tanh(2), within(1e-7f));
  }

  @Test
  void backwardFromPreActivationPassesDzThrough() {
    Softmax s = built(new Softmax(), 3);
    s.forward(Tensor.uniform(Shape.of(2, 3), -1, 1, 1), true);
    Tensor dz = Tensor.uniform(Shape.of(2, 3), -1, 1, 2);
    assertThat(s.backwardFromPreActivation(dz)).isSameAs(dz);
    assertThat(s.activation()).isEqualTo(Activation.SOFTMAX);
    assertThatThrownBy(() -> s.backwardFromPreActivation(Tensor.zeros(2, 4))).hasMessageContaining("Softmax");
  }

  @Test
  void backwardBeforeForwardIsAnError() {
    assertThatThrownBy(() -> built(new ReLU(), 3).backward(Tensor.zeros(1, 3)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ReLU").hasMessageContaining("before forward");
  }

  @Test
  void forwardBeforeBuildIsAnError() {
    assertThatThrownBy(() -> new Tanh().forward(Tensor.zeros(1, 3), false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Tanh").hasMessageContaining("not built");
  }
}
