package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import java.util.List;
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
  void layersWithNoParametersBeforeThemSkipTheirInputGradient() {
    // Known once built: added before the input shape, flagged when input() builds them.
    TestFlatten flatten = new TestFlatten();
    TestLinear a = new TestLinear(3, "relu");
    TestFlatten between = new TestFlatten();
    TestLinear b = new TestLinear(2, "softmax");
    Sequential m = new Sequential().add(flatten).add(a).add(between).add(b);
    m.input(2, 2);
    assertThat(List.of(flatten.needsInputGradient(), a.needsInputGradient(), between.needsInputGradient(),
        b.needsInputGradient())).containsExactly(false, false, true, true);
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
  void predictBuildsFromTheDataWhenNoInputWasDeclared() {
    Sequential m = new Sequential(new TestLinear(2, "softmax"));
    Tensor p = m.predict(Tensor.zeros(3, 5));
    assertThat(p.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(m.inputShape()).isEqualTo(Shape.of(5));
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

  @Test
  void addingNullIsRefused() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    assertThatThrownBy(() -> m.add(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null layer");
  }
}
