package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.loss.SparseCategoricalAccuracy;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.optim.Adam;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model with the real layers: the MNIST tutorial's parameter count, learning, save/load, threads. */
class RealLayersModelTest {

  /** The TensorFlow MNIST tutorial network. */
  static Sequential mnistCnn(long seed) {
    return new Sequential(seed)
        .input(28, 28, 1)
        .add(new Conv2D(32, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
  }

  /** A small CNN for 8×8 single-channel images. */
  static Sequential smallCnn(long seed) {
    return new Sequential(seed)
        .input(8, 8, 1)
        .add(new Rescaling(1f / 2f, 0f))
        .add(new Conv2D(4, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(16, "relu"))
        .add(new Dropout(0.2))
        .add(new Dense(3, "softmax"))
        .compile(new Adam(0.01), new SparseCategoricalCrossentropy(), new SparseCategoricalAccuracy("accuracy"));
  }

  @Test
  void mnistTutorialModelHasKerasParameterCount() {
    Sequential model = mnistCnn(1);
    assertThat(model.countParams()).isEqualTo(3_274_634L);
    String summary = model.summary();
    assertThat(summary).contains("(None, 7, 7, 64)", "(None, 3136)", "3,212,288", "Total params: 3,274,634");
  }

  @Test
  void smallCnnLearnsBarsToFullAccuracy() {
    Tensor[] train = Fixtures.bars(300, 1);
    Tensor[] test = Fixtures.bars(90, 2);
    Sequential model = smallCnn(3);
    History h = model.fit(train[0], train[1], Fit.defaults().epochs(15).batchSize(16).seed(4));
    assertThat(h.last("loss")).isLessThan(h.get("loss").get(0));
    assertThat(model.evaluate(test[0], test[1]).get("accuracy")).isEqualTo(1.0);
  }

  @Test
  void trainOnBatchLowersTheLossOnAFixedBatch() {
    Tensor[] data = Fixtures.bars(32, 5);
    Sequential model = smallCnn(6);
    float first = model.trainOnBatch(data[0], data[1]);
    float last = first;
    for (int i = 0; i < 40; i++) {
      last = model.trainOnBatch(data[0], data[1]);
    }
    assertThat(last).isLessThan(first * 0.5f);
    assertThatThrownBy(() -> model.trainOnBatch(Tensor.zeros(4, 8, 9, 1), Tensor.zeros(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(8, 9, 1)")
        .hasMessageContaining("(8, 8, 1)");
  }

  @Test
  void saveAndLoadGiveBitIdenticalPredictions(@TempDir Path dir) throws Exception {
    Tensor[] data = Fixtures.bars(60, 7);
    Sequential model = smallCnn(8);
    model.fit(data[0], data[1], Fit.defaults().epochs(2).batchSize(16));
    Path file = dir.resolve("cnn.zip");
    model.save(file);
    Sequential loaded = Sequential.load(file);
    assertThat(loaded.summary()).isEqualTo(model.summary());
    assertThat(loaded.predict(data[0]).data()).isEqualTo(model.predict(data[0]).data());
  }

  @Test
  void trainingIsBitIdenticalForOneAndTwoThreads() {
    Tensor[] data = Fixtures.bars(96, 9);
    int before = Parallel.threads();
    try {
      java.util.List<java.util.List<float[]>> weights = new java.util.ArrayList<>();
      for (int t = 1; t <= 2; t++) {
        Parallel.setThreads(t);
        Sequential model = smallCnn(10);
        model.fit(data[0], data[1], Fit.defaults().epochs(2).batchSize(32).seed(11));
        java.util.List<float[]> w = new java.util.ArrayList<>();
        model.parameters().forEach(p -> w.add(p.value().data().clone()));
        weights.add(w);
      }
      assertThat(weights.get(1)).hasSize(weights.get(0).size());
      for (int i = 0; i < weights.get(0).size(); i++) {
        assertThat(weights.get(1).get(i)).as("parameter %d", i).isEqualTo(weights.get(0).get(i));
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * predict over several batches packs the large Dense kernel once per call: every sample gets the
   * bits it gets alone, and a kernel changed by hand between two calls is seen by the second.
   */
  @Test
  void predictOverSeveralBatchesGivesEachSampleItsOwnBitsAndSeesChangedWeights() {
    Sequential model = new Sequential(4)
        .input(12, 12, 2)
        .add(new Conv2D(8, 3, "same", "relu"))
        .add(new Flatten())
        .add(new Dense(40, "relu")) // 1152·40 floats: packed once per call
        .add(new Dense(5, "softmax"));
    Tensor x = Tensor.uniform(dev.neurona.core.Shape.of(11, 12, 12, 2), 0, 1, 9);
    int in = 12 * 12 * 2;
    float[][] alone = new float[11][];
    for (int i = 0; i < 11; i++) {
      alone[i] = model.predict(java.util.Arrays.copyOfRange(x.data(), i * in, (i + 1) * in));
    }
    Tensor batched = model.predict(x, 4);
    for (int i = 0; i < 11; i++) {
      assertThat(java.util.Arrays.copyOfRange(batched.data(), i * 5, (i + 1) * 5)).as("sample %d", i).containsExactly(alone[i]);
    }

    ((Dense) model.layer("dense")).kernel().value().data()[3] += 1f;
    float[] changed = model.predict(java.util.Arrays.copyOfRange(x.data(), 0, in));
    assertThat(changed).isNotEqualTo(alone[0]);
    assertThat(java.util.Arrays.copyOfRange(model.predict(x, 4).data(), 0, 5)).containsExactly(changed);
  }
}
