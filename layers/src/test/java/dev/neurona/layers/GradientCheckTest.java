package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
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
      Tensor d = Tensor.zeros(dOut.shape());
      for (int i = 0; i < d.size(); i++) {
        d.data()[i] = factor * 2 * input.data()[i] * dOut.data()[i];
      }
      return d;
    }
  }

  @Test
  void passesACorrectBackward() {
    Square layer = new Square(1f);
    layer.build(Shape.of(5), 1);
    GradientCheck.Report r = GradientCheck.create().checkLayer(layer, Tensor.uniform(Shape.of(3, 5), -1, 1, 7));
    assertThat(r.maxError()).isLessThan(1e-3);
    assertThat(r.of("input").checked()).isEqualTo(15);
  }

  @Test
  void catchesAWrongBackwardAndNamesTheTensor() {
    Square layer = new Square(1.05f);
    layer.build(Shape.of(5), 1);
    assertThatThrownBy(() -> GradientCheck.create().checkLayer(layer, Tensor.uniform(Shape.of(3, 5), -1, 1, 7)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("FAILED input: worst element");
  }

  @Test
  void samplesAtMostTheRequestedElements() {
    Square layer = new Square(1f);
    layer.build(Shape.of(50), 1);
    GradientCheck.Report r = GradientCheck.create().maxPerTensor(7)
        .checkLayer(layer, Tensor.uniform(Shape.of(2, 50), -1, 1, 7));
    assertThat(r.of("input").checked()).isEqualTo(7);
  }
}
