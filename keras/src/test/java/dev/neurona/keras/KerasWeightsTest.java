package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.model.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weights-only files into models built in Java: matched strictly, all or nothing. */
class KerasWeightsTest {
  /** Keras' MNIST CNN as the fixture has it (Dense(128) shrunk to Dense(8)), built in Java. */
  static Sequential kerasMnist(int dense) {
    return new Sequential()
        .input(28, 28, 1)
        .add(new Conv2D(32, 4, "valid", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(dense, "relu"))
        .add(new Dense(10, "softmax"));
  }

  @Test
  void weightsFileLoadsIntoAModelBuiltInJava() throws Exception {
    Sequential model = kerasMnist(8);
    KerasModels.loadWeights(model, Fixtures.file("keras_mnist.weights.h5"));
    Tensor got = model.predict(Fixtures.inputs("keras_mnist"));
    assertThat(Fixtures.maxRelativeDifference(got, Fixtures.outputs("keras_mnist"), 1e-6)).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void weightsOfAKerasArchiveLoadToo() throws Exception {
    Sequential model = kerasMnist(8);
    KerasModels.loadWeights(model, Fixtures.file("keras_mnist.keras"));
    assertThat(model.predict(Fixtures.inputs("keras_mnist")).data())
        .isEqualTo(KerasModels.load(Fixtures.file("keras_mnist.keras")).predict(Fixtures.inputs("keras_mnist")).data());
  }

  @Test
  void legacyFilesMatchLayersByName() throws Exception {
    assertThatThrownBy(() -> KerasModels.loadWeights(kerasMnist(8), Fixtures.file("keras_mnist.h5")))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("layer 'conv2d' (Conv2D) has 2 weight tensors [(4, 4, 1, 32), (32,)] but the file has 0"
            + " (no group 'conv2d'; legacy files match layers by name, and its layers are [conv2d_2, max_pooling2d_2,"
            + " flatten_1, dense_2, dense_3])");
    Sequential named = kerasMnist(8);
    Sequential renamed = new Sequential().input(28, 28, 1);
    String[] names = {"conv2d_2", "max_pooling2d_2", "flatten_1", "dense_2", "dense_3"};
    for (int i = 0; i < names.length; i++) {
      renamed.add(copyOf(named.layers().get(i)).name(names[i]));
    }
    KerasModels.loadWeights(renamed, Fixtures.file("keras_mnist.h5"));
    assertThat(renamed.predict(Fixtures.inputs("keras_mnist")).data())
        .isEqualTo(KerasModels.load(Fixtures.file("keras_mnist.h5")).predict(Fixtures.inputs("keras_mnist")).data());
  }

  private static dev.neurona.layers.Layer copyOf(dev.neurona.layers.Layer l) {
    return dev.neurona.layers.saving.LayerRegistry.standard().create(l.getClass().getSimpleName().equals("MaxPool2D")
        ? "MaxPool2D" : l.getClass().getSimpleName(), l.config());
  }

  @Test
  void shapeMismatchNamesLayerAndBothShapesAndChangesNothing() throws Exception {
    Sequential model = kerasMnist(16);
    List<Tensor> before = model.getWeights();
    assertThatThrownBy(() -> KerasModels.loadWeights(model, Fixtures.file("keras_mnist.weights.h5")))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("keras_mnist.weights.h5")
        .hasMessageContaining("layer 'dense' (Dense)")
        .hasMessageContaining("(4608, 8) in the file")
        .hasMessageContaining("the model expects (4608, 16)");
    List<Tensor> after = model.getWeights();
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).data()).isEqualTo(before.get(i).data());
    }
  }

  @Test
  void missingAndExtraLayersAreErrors() {
    Sequential fewer = new Sequential().input(28, 28, 1).add(new Conv2D(32, 4, "valid", "relu")).add(new MaxPool2D(2))
        .add(new Flatten()).add(new Dense(8, "relu"));
    assertThatThrownBy(() -> KerasModels.loadWeights(fewer, Fixtures.file("keras_mnist.weights.h5")))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("weights under layers/dense_1")
        .hasMessageContaining("for which the model has no layer");
    Sequential more = kerasMnist(8).add(new Dense(3));
    assertThatThrownBy(() -> KerasModels.loadWeights(more, Fixtures.file("keras_mnist.weights.h5")))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("layer 'dense_2' (Dense) has 2 weight tensors [(10, 3), (3,)] but the file has 0");
  }

  @Test
  void weightsFileIsNotAModel() {
    assertThatThrownBy(() -> KerasModels.load(Fixtures.file("keras_mnist.weights.h5")))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("weights-only file");
  }
}
