package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestScale;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialTest {

  @Test
  void namesLayersKerasStyleAndBuildsThemWhenTheInputShapeIsKnown() {
    Sequential m = new Sequential(new InputLayer(2, 3), new TestFlatten(), new TestLinear(4, "relu"),
        new TestLinear(3, null), new TestLinear(2, "softmax"));
    assertThat(m.layers()).extracting(l -> l.name())
        .containsExactly("test_flatten", "test_linear", "test_linear_1", "test_linear_2");
    assertThat(m.layers()).allMatch(l -> l.isBuilt());
    assertThat(m.inputShape()).isEqualTo(Shape.of(2, 3));
    assertThat(m.outputShape()).isEqualTo(Shape.of(2));
    assertThat(m.parameters()).extracting(p -> p.name()).containsExactly("test_linear.kernel", "test_linear.bias",
        "test_linear_1.kernel", "test_linear_1.bias", "test_linear_2.kernel", "test_linear_2.bias");
  }

  @Test
  void snakeCaseFollowsKeras() {
    assertThat(Sequential.snakeCase("Conv2D")).isEqualTo("conv2d");
    assertThat(Sequential.snakeCase("MaxPool2D")).isEqualTo("max_pool2d");
    assertThat(Sequential.snakeCase("Dense")).isEqualTo("dense");
    assertThat(Sequential.snakeCase("BatchNormalization")).isEqualTo("batch_normalization");
  }

  @Test
  void layersAddedBeforeTheInputAreBuiltWhenItIsDeclared() {
    Sequential m = new Sequential();
    TestLinear a = new TestLinear(3, "relu");
    m.add(a);
    assertThat(a.isBuilt()).isFalse();
    m.input(5);
    assertThat(a.isBuilt()).isTrue();
    assertThat(a.inputShape()).isEqualTo(Shape.of(5));
  }

  @Test
  void onlyTheFirstLayerSkipsItsInputGradient() {
    TestLinear a = new TestLinear(3, "relu");
    TestLinear b = new TestLinear(2, "softmax");
    new Sequential(new InputLayer(4), a, b);
    assertThat(a.needsInputGradient()).isFalse();
    assertThat(b.needsInputGradient()).isTrue();
  }

  @Test
  void userNamesAreKeptAndDuplicatesRejected() {
    Sequential m = new Sequential().input(2);
    m.add(new TestLinear(2, null).name("test_linear"));
    m.add(new TestLinear(2, null)); // auto name skips the taken one
    assertThat(m.layers().get(1).name()).isEqualTo("test_linear_1");
    assertThatThrownBy(() -> m.add(new TestLinear(2, null).name("test_linear_1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate layer name 'test_linear_1'");
    assertThat(m.layers()).hasSize(2);
  }

  @Test
  void aLayerThatDoesNotFitIsNotAdded() {
    Sequential m = new Sequential().input(2, 2);
    assertThatThrownBy(() -> m.add(new TestLinear(3, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 2)");
    assertThat(m.layers()).isEmpty();
    m.add(new TestFlatten()).add(new TestLinear(3, null));
    assertThat(m.layers()).extracting(l -> l.name()).containsExactly("test_flatten", "test_linear");
  }

  @Test
  void builtLayersCannotBeSharedAndSeedIsFixedOnceBuilt() {
    TestLinear a = new TestLinear(2, null);
    Sequential m = new Sequential().input(2).add(a);
    assertThatThrownBy(() -> new Sequential().input(2).add(a))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already built");
    assertThatThrownBy(() -> m.seed(7)).isInstanceOf(IllegalStateException.class).hasMessageContaining("seed");
    assertThatThrownBy(() -> m.input(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2,)");
  }

  @Test
  void summaryIsAKerasStyleTableWithTotals() {
    Sequential m = new Sequential(new InputLayer(4), new TestLinear(8, "relu"), new TestScale(),
        new TestLinear(3, "softmax"));
    String s = m.summary();
    String expected = String.join("\n",
        "Model: \"sequential\"",
        "_________________________________________________________________",
        " Layer (type)                Output Shape                 Param #",
        "=================================================================",
        " test_linear (TestLinear)    (None, 8)                         40",
        "_________________________________________________________________",
        " test_scale (TestScale)      (None, 8)                          8",
        "_________________________________________________________________",
        " test_linear_1 (TestLinear)  (None, 3)                         27",
        "=================================================================",
        "Total params: 75 (300.00 B)",
        "Trainable params: 67 (268.00 B)",
        "Non-trainable params: 8 (32.00 B)",
        "");
    assertThat(s).isEqualTo(expected);
    assertThat(m.countParams()).isEqualTo(75);
  }

  @Test
  void summaryShowsImageShapesWithNoneAndSizesInKerasUnits() {
    Sequential m = new Sequential(new InputLayer(28, 28, 32), new TestFlatten(), new TestLinear(128, "relu"));
    String s = m.summary();
    assertThat(s).contains("(None, 25088)").contains("3,211,392");
    assertThat(Sequential.batchShape(Shape.of(28, 28, 32))).isEqualTo("(None, 28, 28, 32)");
    assertThat(Sequential.countWithSize(3_274_634)).isEqualTo("3,274,634 (12.49 MB)");
    assertThat(Sequential.countWithSize(0)).isEqualTo("0 (0.00 B)");
    assertThat(Sequential.countWithSize(34_826)).isEqualTo("34,826 (136.04 KB)");
  }

  @Test
  void summaryBeforeTheInputShapeIsKnownSaysHowToFixIt() {
    Sequential m = new Sequential().add(new TestLinear(2, null));
    assertThatThrownBy(m::summary).isInstanceOf(IllegalStateException.class).hasMessageContaining("input(...)");
  }

  @Test
  void predictAndPredictClassesAgreeAndHandleASmallerLastBatch() {
    Sequential m = new Sequential(3L, new InputLayer(2), new TestLinear(4, "tanh"), new TestLinear(3, "softmax"));
    Tensor x = Fixtures.blobs(10, 1)[0];
    Tensor all = m.predict(x, 10);
    Tensor batched = m.predict(x, 4); // 4 + 4 + 2
    assertThat(batched.shape()).isEqualTo(Shape.of(10, 3));
    assertThat(batched.data()).containsExactly(all.data());
    int[] classes = m.predictClasses(x);
    for (int i = 0; i < 10; i++) {
      float[] row = {all.get(i, 0), all.get(i, 1), all.get(i, 2)};
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = row[c] > row[best] ? c : best;
      }
      assertThat(classes[i]).isEqualTo(best);
      assertThat(row[0] + row[1] + row[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void predictBuildsFromTheDataWhenNoInputWasDeclared() {
    Sequential m = new Sequential(new TestLinear(2, "softmax"));
    Tensor p = m.predict(Tensor.zeros(3, 5));
    assertThat(p.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(m.inputShape()).isEqualTo(Shape.of(5));
  }

  @Test
  void evaluateReturnsLossAndMetricsMatchingAHandComputation() {
    Sequential m = Fixtures.smallNet(5, 0.1f);
    Tensor[] d = Fixtures.blobs(37, 2);
    Map<String, Double> r = m.evaluate(d[0], d[1], 8);
    assertThat(r.keySet()).containsExactly("loss", "accuracy");
    Tensor p = m.predict(d[0]);
    double loss = 0;
    int correct = 0;
    int[] cls = m.predictClasses(d[0]);
    for (int i = 0; i < 37; i++) {
      int y = (int) d[1].data()[i];
      loss -= Math.log(p.get(i, y));
      correct += cls[i] == y ? 1 : 0;
    }
    assertThat(r.get("loss")).isCloseTo(loss / 37, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(r.get("accuracy")).isEqualTo(correct / 37.0);
  }

  @Test
  void badInputsGiveClearErrors() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    Tensor x = Tensor.zeros(10, 2);
    Tensor y = Tensor.zeros(10);
    assertThatThrownBy(() -> m.fit(Tensor.zeros(0, 2), Tensor.zeros(0), Fit.epochs(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no samples");
    assertThatThrownBy(() -> m.fit(x, Tensor.zeros(9), Fit.epochs(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has 10 samples").hasMessageContaining("9");
    assertThatThrownBy(() -> m.fit(Tensor.zeros(10, 3), y, Fit.epochs(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples of shape (3,)").hasMessageContaining("input shape is (2,)");
    assertThatThrownBy(() -> m.predict(Tensor.zeros(4, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 1)").hasMessageContaining("(2,)");
    assertThatThrownBy(() -> Fit.epochs(1).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be >= 1, got 0");
    assertThatThrownBy(() -> Fit.epochs(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> Fit.epochs(1).validationSplit(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit");
    assertThatThrownBy(() -> m.predict(x, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> m.evaluate(x, y, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> m.fit(x, y, Fit.epochs(1).validationSplit(0.95)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit 0.95 of 10 samples leaves 0");
    assertThatThrownBy(() -> m.add(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null layer");
  }

  @Test
  void fitAndEvaluateBeforeCompileSayCompile() {
    Sequential m = new Sequential(new InputLayer(2), new TestLinear(2, "softmax"));
    assertThatThrownBy(() -> m.fit(Tensor.zeros(4, 2), Tensor.zeros(4)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not compiled").hasMessageContaining("compile(");
    assertThatThrownBy(() -> m.evaluate(Tensor.zeros(4, 2), Tensor.zeros(4)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not compiled");
    assertThatThrownBy(() -> m.compile(new Fixtures.Sgd(0.1f), new Fixtures.CrossEntropy(true),
        new Fixtures.Accuracy(), new Fixtures.Accuracy()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'accuracy'");
  }

  @Test
  void getAndSetWeightsRoundTripAndCheckShapes() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    List<Tensor> w = m.getWeights();
    Tensor before = m.predict(Fixtures.xorX());
    m.parameters().get(0).value().fill(0.3f);
    m.setWeights(w);
    assertThat(m.predict(Fixtures.xorX()).data()).containsExactly(before.data());
    w.set(0, Tensor.zeros(3, 3));
    assertThatThrownBy(() -> m.setWeights(w)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_linear.kernel").hasMessageContaining("(3, 3)");
  }
}
