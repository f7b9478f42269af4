package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.init.Constant;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole small network chained by hand — conv → relu → pool → flatten → dense → softmax with
 * cross-entropy — checked end to end: the input and every parameter, through both the plain and
 * the fused softmax backward.
 */
class NetworkGradientTest {
  private final Conv2D conv = new Conv2D(3, 3, "same", null);
  private final ReLU relu = new ReLU();
  private final MaxPool2D pool = new MaxPool2D(2);
  private final Flatten flatten = new Flatten();
  private final Dense dense = new Dense(4).biasInitializer(new Constant(0.1));
  private final Softmax softmax = new Softmax();
  private final Layer[] layers = {conv, relu, pool, flatten, dense, softmax};
  private final SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
  private final Tensor x = Tensor.uniform(Shape.of(2, 6, 6, 1), -1, 1, 21);
  private final Tensor labels = Tensor.of(new float[] {1, 3}, 2);

  NetworkGradientTest() {
    Shape s = Shape.of(6, 6, 1);
    long seed = 100;
    for (Layer l : layers) {
      l.build(s, seed++);
      s = l.outputShape();
    }
    assertThat(s).isEqualTo(Shape.of(4));
  }

  private Tensor forward() {
    Tensor h = x;
    for (Layer l : layers) {
      h = l.forward(h, true);
    }
    return h;
  }

  private List<GradientCheck.Target> targets(Tensor dX) {
    List<GradientCheck.Target> t = new ArrayList<>();
    t.add(new GradientCheck.Target("input", x, dX));
    for (Layer l : layers) {
      for (Parameter p : l.parameters()) {
        t.add(new GradientCheck.Target(p.name(), p.value(), p.grad()));
      }
    }
    return t;
  }

  private void zeroGrads() {
    for (Layer l : layers) {
      for (Parameter p : l.parameters()) {
        p.zeroGrad();
      }
    }
  }

  // Step 2e-3: small enough that no ReLU input or pooling pair crosses over (1e-2 does, for this seed);
  // floor 3e-2: the float32 loss then carries ~1e-4 of noise in each difference quotient.

  @Test
  void plainChainRule() {
    zeroGrads();
    Tensor probs = forward();
    Tensor g = Tensor.zeros(probs.shape());
    loss.compute(probs, labels, g);
    for (int i = layers.length - 1; i >= 0; i--) {
      g = layers[i].backward(g);
    }
    GradientCheck.Report r = GradientCheck.create().step(2e-3).floor(3e-2)
        .check(() -> loss.compute(forward(), labels, null), targets(g)).assertPassed();
    assertThat(r.tensors()).hasSize(5);
    assertThat(r.maxRelError()).isLessThan(5e-3);
  }

  @Test
  void fusedSoftmaxCrossEntropy() {
    zeroGrads();
    Tensor probs = forward();
    Tensor dLogits = Tensor.zeros(probs.shape());
    loss.computeFromSoftmax(probs, labels, dLogits);
    Tensor g = softmax.backwardFromPreActivation(dLogits);
    for (int i = layers.length - 2; i >= 0; i--) {
      g = layers[i].backward(g);
    }
    GradientCheck.create().step(2e-3).floor(3e-2).check(() -> loss.compute(forward(), labels, null), targets(g))
        .assertPassed();
  }
}
