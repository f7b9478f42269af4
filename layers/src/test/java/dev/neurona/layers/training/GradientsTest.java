package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.GradientCheck;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestScale;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code Sequential.gradients}: right (finite differences, a backward pass by hand) and without side effects. */
class GradientsTest {
  private static final Tensor X = Tensor.uniform(Shape.of(4, 6, 6, 1), -1, 1, 3);
  private static final Tensor Y = Tensor.of(new float[] {0, 2, 1, 2}, 4);

  /** A small CNN with every kind of layer the library has, Dropout included. */
  private static Sequential cnn(long seed) {
    return new Sequential(seed)
        .input(6, 6, 1)
        .add(new Rescaling(2f, 0f))
        .add(new Conv2D(3, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(8, "tanh"))
        .add(new Dropout(0.3))
        .add(new Dense(3, "softmax"))
        .compile(Adam.builder().learningRate(0.01).build(), "sparse_categorical_crossentropy");
  }

  @Test
  void matchFiniteDifferencesForEveryParameterAndTheInput() {
    // Smooth models (no ReLU or pooling kinks for the difference quotient to straddle); the second
    // has the fused softmax on its first layer, whose input gradient a model normally skips.
    List<Sequential> models = List.of(
        new Sequential(5).input(6, 6, 1).add(new Conv2D(2, 3, "same", "tanh")).add(new Flatten())
            .add(new Dense(3, "softmax")).compile(new Adam(0.01), "sparse_categorical_crossentropy"),
        new Sequential(6).input(6, 6, 1).add(new Flatten()).add(new Dense(3, "softmax"))
            .compile(new Adam(0.01), "sparse_categorical_crossentropy"),
        new Sequential(7).input(6, 6, 1).add(new Flatten()).add(new Dense(4, "sigmoid")).add(new Dense(3, "softmax"))
            .compile(new Adam(0.01), "sparse_categorical_crossentropy"));
    for (Sequential m : models) {
      Tensor x = X.copy();
      Gradients g = m.gradients(x, Y);
      assertThat((double) g.loss()).isEqualTo(m.evaluate(x, Y, 4).get("loss"));
      assertThat(g.input().shape()).isEqualTo(x.shape());
      assertThat(g.parameters().keySet()).containsExactlyElementsOf(m.parameters().stream().map(Parameter::name).toList());
      List<GradientCheck.Target> targets = new ArrayList<>();
      targets.add(new GradientCheck.Target("x", x, g.input()));
      for (Parameter p : m.parameters()) {
        targets.add(new GradientCheck.Target(p.name(), p.value(), g.parameter(p.name())));
      }
      GradientCheck.create().check(() -> m.evaluate(x, Y, 4).get("loss"), targets);
    }
  }

  @Test
  void equalAForwardAndBackwardPassWrittenOutByHand() {
    Sequential m = cnn(11);
    Gradients g = m.gradients(X, Y);

    Sequential twin = cnn(11);
    List<Layer> layers = twin.layers();
    layers.forEach(l -> l.setNeedsInputGradient(true)); // as gradients() does
    Tensor h = X;
    for (Layer l : layers) {
      h = l.forward(h, false);
    }
    Tensor dz = Tensor.zeros(h.shape());
    float loss = new SparseCategoricalCrossentropy().computeFromSoftmax(h, Y, dz); // softmax fused with the loss
    Tensor d = ((HasActivation) layers.get(layers.size() - 1)).backwardFromPreActivation(dz);
    for (int i = layers.size() - 2; i >= 0; i--) {
      d = layers.get(i).backward(d);
    }

    assertThat(g.loss()).isEqualTo(loss);
    assertThat(g.input().data()).containsExactly(d.data());
    for (Parameter p : twin.parameters()) {
      assertThat(g.parameter(p.name()).data()).as(p.name()).containsExactly(p.grad().data());
    }
    assertThat(g.parameters()).containsKeys("conv2d.kernel", "conv2d.bias", "dense.kernel", "dense_1.bias");
    assertThatThrownBy(() -> g.parameter("dense_2.kernel")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dense_2.kernel'").hasMessageContaining("dense_1.kernel");
    assertThatThrownBy(() -> g.parameters().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void trainingSkipsTheInputGradientsBeforeTheFirstParametersWithTheSameResult() {
    // cnn() starts with Rescaling, then a convolution: neither needs dInput in training, so a step
    // stops after the convolution's kernel gradient. The weights after two steps are those of a
    // twin asked for every input gradient, bit for bit; gradients() asks for them all and then
    // leaves the flags as they were.
    Sequential m = cnn(31);
    List<Layer> layers = m.layers();
    assertThat(layers.stream().map(Layer::needsInputGradient).toList())
        .containsExactly(false, false, true, true, true, true, true);
    Sequential twin = cnn(31);
    twin.layers().forEach(l -> l.setNeedsInputGradient(true));
    for (int step = 0; step < 2; step++) {
      assertThat(m.trainOnBatch(X, Y)).isEqualTo(twin.trainOnBatch(X, Y));
    }
    List<Tensor> expected = twin.getWeights(), actual = m.getWeights();
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).data()).containsExactly(expected.get(i).data());
    }
    assertThat(m.gradients(X, Y).input().shape()).isEqualTo(X.shape());
    assertThat(layers.stream().map(Layer::needsInputGradient).toList())
        .containsExactly(false, false, true, true, true, true, true);
  }

  @Test
  void changeNoWeightGradientOptimizerStateOrDropoutCounter() {
    Sequential m = cnn(21);
    m.trainOnBatch(X, Y);
    m.trainOnBatch(X, Y);
    Random r = new Random(5);
    for (Parameter p : m.parameters()) {
      p.grad().fillUniform(-1, 1, r); // gradients a user is accumulating
    }
    Dropout dropout = (Dropout) m.layer("dropout");
    List<Tensor> weights = m.getWeights();
    List<Tensor> grads = new ArrayList<>();
    for (Parameter p : m.parameters()) {
      grads.add(p.grad().copy());
    }
    long iterations = m.optimizer().iterations();
    Map<String, Tensor> state = m.optimizer().state();
    long calls = dropout.callCount();

    Gradients first = m.gradients(X, Y);
    Gradients again = m.gradients(X, Y);

    assertThat(again.loss()).isEqualTo(first.loss());
    assertThat(again.input().data()).containsExactly(first.input().data());
    for (int i = 0; i < weights.size(); i++) {
      Parameter p = m.parameters().get(i);
      assertThat(p.value().data()).as(p.name()).containsExactly(weights.get(i).data());
      assertThat(p.grad().data()).as(p.name()).containsExactly(grads.get(i).data());
      assertThat(again.parameter(p.name()).data()).containsExactly(first.parameter(p.name()).data());
    }
    assertThat(m.optimizer().iterations()).isEqualTo(iterations);
    Map<String, Tensor> stateAfter = m.optimizer().state();
    assertThat(stateAfter.keySet()).isEqualTo(state.keySet());
    state.forEach((k, t) -> assertThat(stateAfter.get(k).data()).as(k).containsExactly(t.data()));
    assertThat(dropout.callCount()).isEqualTo(calls);
  }

  @Test
  void leaveTrainingToGoOnBitForBitAsIfTheyHadNotBeenAsked() {
    Sequential asked = cnn(31);
    Sequential not = cnn(31);
    for (Sequential m : List.of(asked, not)) {
      m.trainOnBatch(X, Y);
    }
    asked.gradients(X, Y);
    // Another batch size: the layers' buffers are reallocated, and again for the next train step.
    asked.gradients(Tensor.of(Arrays.copyOf(X.data(), 3 * 36), 3, 6, 6, 1), Tensor.of(new float[] {2, 1, 0}, 3));
    for (Sequential m : List.of(asked, not)) {
      m.trainOnBatch(X, Y);
      m.fit(X, Y, Fit.defaults().epochs(2).batchSize(3));
    }
    for (int i = 0; i < not.parameters().size(); i++) {
      assertThat(asked.parameters().get(i).value().data()).containsExactly(not.parameters().get(i).value().data());
    }
  }

  @Test
  void theFirstLayerSkipsItsInputGradientAgainAfterwardsAndFrozenWeightsAreListed() {
    TestLinear first = new TestLinear(3, "tanh");
    Sequential m = new Sequential(new InputLayer(2), first, new TestScale(), new TestLinear(2, "softmax"));
    m.compile(new Fixtures.Sgd(0.1f), new Fixtures.CrossEntropy(true));
    Tensor[] d = Fixtures.blobs(6, 1);
    Gradients g = m.gradients(d[0], d[1]);
    assertThat(first.needsInputGradient()).isFalse();
    assertThat(g.input().shape()).isEqualTo(Shape.of(6, 2));
    assertThat(g.parameters()).containsKey("test_scale.scale"); // not trainable, listed all the same
  }

  @Test
  void needACompiledModelAndMatchingData() {
    Sequential m = new Sequential(new InputLayer(2), new TestLinear(2, "softmax"));
    assertThatThrownBy(() -> m.gradients(Tensor.zeros(3, 2), Tensor.zeros(3))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gradients").hasMessageContaining("not compiled");
    m.compile(new Fixtures.Sgd(0.1f), new Fixtures.CrossEntropy(false));
    assertThatThrownBy(() -> m.gradients(Tensor.zeros(3, 5), Tensor.zeros(3))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gradients").hasMessageContaining("(5,)").hasMessageContaining("(2,)");
    assertThatThrownBy(() -> m.gradients(Tensor.zeros(3, 2), Tensor.zeros(4))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x has 3 samples");
  }
}
