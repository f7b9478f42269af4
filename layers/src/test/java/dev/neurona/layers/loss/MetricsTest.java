package dev.neurona.layers.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final Tensor PRED = Tensor.of(new float[] {
      0.1f, 0.7f, 0.2f,
      0.5f, 0.5f, 0.0f,   // tie: the first maximum (class 0) counts
      0.3f, 0.3f, 0.4f,
      0.9f, 0.05f, 0.05f}, 4, 3);

  @Test
  void sparseCategoricalAccuracyAccumulatesAndResets() {
    Metric m = new SparseCategoricalAccuracy();
    m.update(PRED, Tensor.of(new float[] {1, 0, 0, 0}, 4));
    assertThat(m.result()).isEqualTo(0.75);
    m.update(PRED, Tensor.of(new float[] {0, 1, 0, 1}, 4));
    assertThat(m.result()).isEqualTo(3.0 / 8);
    m.reset();
    assertThat(m.result()).isZero();
    assertThat(m.name()).isEqualTo("sparse_categorical_accuracy");
    assertThatThrownBy(() -> m.update(PRED, Tensor.of(new float[] {1, 0, 3, 0}, 4)))
        .hasMessageContaining("sample 2").hasMessageContaining("3.0");
  }

  @Test
  void categoricalAccuracy() {
    Metric m = new CategoricalAccuracy();
    Tensor y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 4, 3);
    m.update(PRED, y);
    assertThat(m.result()).isEqualTo(0.5);
  }

  @Test
  void binaryAccuracy() {
    Metric m = new BinaryAccuracy();
    m.update(Tensor.of(new float[] {0.2f, 0.6f, 0.5f, 0.9f}, 4, 1), Tensor.of(new float[] {0, 1, 1, 0}, 4));
    assertThat(m.result()).isEqualTo(0.5); // 0.5 is not above the threshold
  }

  @Test
  void accuracyFollowsTheLossAsInKeras() {
    assertThat(Metrics.of("accuracy", "sparse_categorical_crossentropy")).isInstanceOf(SparseCategoricalAccuracy.class);
    assertThat(Metrics.of("accuracy", "categorical_crossentropy")).isInstanceOf(CategoricalAccuracy.class);
    assertThat(Metrics.of("acc", "binary_crossentropy")).isInstanceOf(BinaryAccuracy.class);
    assertThat(Metrics.of("accuracy", "sparse_categorical_crossentropy").name()).isEqualTo("accuracy");
    assertThat(Metrics.of("categorical_accuracy", null).name()).isEqualTo("categorical_accuracy");
    assertThatThrownBy(() -> Metrics.of("accuracy", "mean_squared_error")).hasMessageContaining("mean_squared_error");
    assertThatThrownBy(() -> Metrics.of("f1", "binary_crossentropy")).hasMessageContaining("\"f1\"");
  }

  @Test
  void accuracyForALossObjectIsNamedAccuracyAndFitsTheLoss() {
    assertThat(Metrics.accuracy(new SparseCategoricalCrossentropy())).isInstanceOf(SparseCategoricalAccuracy.class)
        .extracting(Metric::name).isEqualTo("accuracy");
    assertThat(Metrics.accuracy(new CategoricalCrossentropy(true))).isInstanceOf(CategoricalAccuracy.class)
        .extracting(Metric::name).isEqualTo("accuracy");
    Metric binary = Metrics.accuracy(new BinaryCrossentropy());
    assertThat(binary).isInstanceOf(BinaryAccuracy.class).extracting(Metric::name).isEqualTo("accuracy");
    assertThat(((BinaryAccuracy) binary).threshold()).isEqualTo(0.5);
    assertThat(((BinaryAccuracy) Metrics.accuracy(new BinaryCrossentropy(true))).threshold()).isZero();
    assertThat(Metrics.accuracy(new SparseCategoricalCrossentropy())).isNotSameAs(
        Metrics.accuracy(new SparseCategoricalCrossentropy()));
    assertThatThrownBy(() -> Metrics.accuracy(new MeanSquaredError())).hasMessageContaining("mean_squared_error");
    assertThatThrownBy(() -> Metrics.accuracy(null)).hasMessageContaining("loss is null");
  }

  @Test
  void everyAccuracyCountsAcrossBatchesAndResets() {
    Tensor labels = Tensor.of(new float[] {1, 0, 0, 0}, 4);
    Tensor oneHot = Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0}, 4, 3);
    Tensor binaryPred = Tensor.of(new float[] {0.2f, 0.6f, 0.5f, 0.9f}, 4, 1);
    Tensor binaryTarget = Tensor.of(new float[] {0, 1, 1, 0}, 4);
    Metric[] metrics = {new SparseCategoricalAccuracy("a"), new CategoricalAccuracy("a"), new BinaryAccuracy("a", 0.5)};
    Tensor[][] batches = {{PRED, labels}, {PRED, oneHot}, {binaryPred, binaryTarget}};
    double[] once = {0.75, 0.75, 0.5};
    for (int i = 0; i < metrics.length; i++) {
      Metric m = metrics[i];
      assertThat(m.result()).isZero();
      m.update(batches[i][0], batches[i][1]);
      m.update(batches[i][0], batches[i][1]);
      assertThat(m.result()).isEqualTo(once[i]);
      m.reset();
      assertThat(m.result()).isZero();
      assertThat(m.name()).isEqualTo("a");
    }
  }
}
