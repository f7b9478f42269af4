package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.SGD;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Models trained and saved by Keras 3.15 predict in Neurona as in Keras. */
class KerasImportTest {
  @ParameterizedTest(name = "{0}.{1}")
  @CsvSource({
      "mnist99, keras", "keras_mnist, keras", "keras_mnist, h5", "captcha, h5", "flowers, keras", "misc, keras",
      "misc, h5"})
  void predictionsEqualKeras(String name, String kind) throws Exception {
    Sequential model = KerasModels.load(Fixtures.file(name + "." + kind));
    Tensor got = model.predict(Fixtures.inputs(name));
    double rel = Fixtures.maxRelativeDifference(got, Fixtures.outputs(name), 1e-6);
    if (Boolean.getBoolean("neurona.keras.verbose")) {
      System.err.printf("%s.%s: max relative difference %.3g%n", name, kind, rel);
    }
    assertThat(rel).as("%s.%s: max relative difference to Keras", name, kind).isLessThanOrEqualTo(1e-5);
  }

  @Test
  void trainingConfigurationIsRestored() throws Exception {
    Sequential flowers = KerasModels.load(Fixtures.file("flowers.keras"));
    assertThat(flowers.optimizer()).isInstanceOf(Adam.class);
    assertThat(flowers.optimizer().iterations()).isEqualTo(2);
    assertThat(flowers.optimizer().state()).isNotEmpty();
    assertThat(flowers.loss().name()).isEqualTo("sparse_categorical_crossentropy");

    Sequential captcha = KerasModels.load(Fixtures.file("captcha.h5"));
    assertThat(captcha.optimizer()).isInstanceOf(SGD.class);
    SGD sgd = (SGD) captcha.optimizer();
    assertThat(sgd.nesterov()).isTrue();
    assertThat(sgd.momentum()).isEqualTo(0.9f);
    assertThat(sgd.iterations()).isEqualTo(2);
    assertThat(captcha.metrics()).extracting(m -> m.name()).containsExactly("accuracy");
  }
  /**
   * Keras' Adam with AMSGrad keeps a velocity_hat per weight after the momentum/velocity pairs:
   * restored, one more step in Neurona on Keras' batch gives Keras' next outputs.
   */
  @Test
  void amsgradStateIsRestoredAndTrainingContinuesAsInKeras() throws Exception {
    Sequential model = KerasModels.load(Fixtures.file("amsgrad.keras"));
    assertThat(((Adam) model.optimizer()).amsgrad()).isTrue();
    assertThat(model.optimizer().iterations()).isEqualTo(3);
    assertThat(model.optimizer().state().keySet()).filteredOn(k -> k.endsWith("/vhat")).hasSize(4);
    Tensor xs = Fixtures.inputs("amsgrad");
    assertThat(Fixtures.maxRelativeDifference(model.predict(xs), Fixtures.outputs("amsgrad"), 1e-6)).isLessThan(1e-5);
    model.trainOnBatch(Fixtures.npy(Fixtures.file("amsgrad.step_x.npy")), Fixtures.npy(Fixtures.file("amsgrad.step_y.npy")));
    Tensor after = Fixtures.npy(Fixtures.file("amsgrad.after_step.npy"));
    assertThat(Fixtures.maxRelativeDifference(model.predict(xs), after, 1e-6)).isLessThan(1e-5);
  }
}
