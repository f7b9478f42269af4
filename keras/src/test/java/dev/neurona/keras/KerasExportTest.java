package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Sigmoid;
import dev.neurona.layers.classic.Classic;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Neurona → {@code .keras} → Neurona gives the same bits. That Keras itself loads these files and
 * predicts as before is checked by {@code keras_fixtures.py check} on the files this test leaves in
 * the directory named by {@code -Dneurona.keras.exportDir} (see the module's README section).
 */
class KerasExportTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mnist99.keras", "keras_mnist.h5", "captcha.h5", "flowers.keras", "misc.keras"})
  void kerasModelsRoundTripBitIdentical(String fixture) throws Exception {
    Sequential original = KerasModels.load(Fixtures.file(fixture));
    String name = fixture.substring(0, fixture.indexOf('.'));
    Path file = dir.resolve(name + ".keras");
    KerasModels.save(original, file);
    Sequential copy = KerasModels.load(file);
    assertSame(original, copy);
    Tensor x = Fixtures.inputs(name);
    assertThat(copy.predict(x).data()).isEqualTo(original.predict(x).data());
    String export = System.getProperty("neurona.keras.exportDir");
    if (export != null) {
      Files.createDirectories(Path.of(export));
      Files.copy(file, Path.of(export, name + ".keras"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void neuronaModelTrainedInJavaRoundTrips() throws Exception {
    Sequential model = new Sequential(7)
        .input(8, 8, 2)
        .add(new Conv2D(3, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Sigmoid())
        .add(new Flatten())
        .add(new Dense(4, "softmax"));
    model.compile(new Adam(LearningRateSchedule.exponential(1e-2, 10, 0.5, true)), "sparse_categorical_crossentropy",
        "accuracy");
    Tensor x = Tensor.zeros(6, 8, 8, 2);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) Math.sin(i * 0.37);
    }
    Tensor y = Tensor.zeros(6);
    for (int i = 0; i < 6; i++) {
      y.data()[i] = i % 4;
    }
    model.trainOnBatch(x, y);
    model.trainOnBatch(x, y);
    Path file = dir.resolve("java.keras");
    KerasModels.save(model, file);
    String export = System.getProperty("neurona.keras.exportDir");
    if (export != null) {
      Files.createDirectories(Path.of(export));
      Files.copy(file, Path.of(export, "java.keras"), StandardCopyOption.REPLACE_EXISTING);
    }
    Sequential copy = KerasModels.load(file);
    assertSame(model, copy);
    assertThat(copy.optimizer().config()).isEqualTo(model.optimizer().config());
    assertThat(copy.optimizer().iterations()).isEqualTo(2);
    Map<String, Tensor> a = model.optimizer().state();
    Map<String, Tensor> b = copy.optimizer().state();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet()) {
      assertThat(b.get(k).data()).as(k).isEqualTo(a.get(k).data());
    }
    // Training goes on identically.
    assertThat(copy.trainOnBatch(x, y)).isEqualTo(model.trainOnBatch(x, y));
    assertThat(copy.predict(x).data()).isEqualTo(model.predict(x).data());
  }

  @Test
  void amsgradStateRoundTrips() throws Exception {
    Sequential model = new Sequential(11).input(5).add(new Dense(3, "relu")).add(new Dense(2, "softmax"));
    model.compile(Adam.builder().learningRate(1e-2).amsgrad(true).build(), "sparse_categorical_crossentropy");
    Tensor x = Tensor.zeros(4, 5);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = (float) Math.cos(i * 0.61);
    }
    Tensor y = Tensor.zeros(4);
    for (int i = 0; i < 4; i++) {
      y.data()[i] = i % 2;
    }
    for (int step = 0; step < 3; step++) {
      model.trainOnBatch(x, y);
    }
    Path file = dir.resolve("amsgrad.keras");
    KerasModels.save(model, file);
    Sequential copy = KerasModels.load(file);
    Map<String, Tensor> a = model.optimizer().state();
    Map<String, Tensor> b = copy.optimizer().state();
    assertThat(a.keySet()).anyMatch(k -> k.endsWith("/vhat"));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String k : a.keySet()) {
      assertThat(b.get(k).data()).as(k).isEqualTo(a.get(k).data());
    }
    assertThat(copy.trainOnBatch(x, y)).isEqualTo(model.trainOnBatch(x, y));
    assertThat(copy.predict(x).data()).isEqualTo(model.predict(x).data());
  }

  @Test
  void loadAlsoReadsNeuronaZips() throws Exception {
    Sequential original = KerasModels.load(Fixtures.file("misc.keras"));
    Path zip = dir.resolve("misc.zip");
    original.save(zip);
    assertThat(KerasModels.detect(zip)).isEqualTo(KerasModels.Format.NEURONA);
    assertSame(original, KerasModels.load(zip));
    assertThat(KerasModels.describe(zip)).contains("Neurona model (zip)").contains("Optimizer SGD(learning_rate=0.02, momentum=0.5").contains("step 2")
        .doesNotContain("Class names");
    original.classNames(List.of("a", "b", "c", "d", "e")).metadata("dataset", "misc fixture");
    original.save(zip);
    assertThat(KerasModels.describe(zip)).contains("Class names (5): a, b, c, d, e").contains("dataset = misc fixture");
  }

  /** A layer of the user's own, which Keras does not know. */
  static final class Identity extends Layer {
    @Override
    public Shape computeOutputShape(Shape inputShape) {
      return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
      return x;
    }

    @Override
    public Tensor backward(Tensor dOut) {
      return dOut;
    }
  }

  @Test
  void layersWithoutKerasEquivalentAreRefused() {
    Sequential model = new Sequential().input(4).add(new Dense(2)).add(new Identity());
    assertThatThrownBy(() -> KerasModels.save(model, dir.resolve("p.keras")))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageContaining("layer 'identity' (dev.neurona.keras.KerasExportTest$Identity) has no Keras equivalent");
    assertThat(dir.resolve("p.keras")).doesNotExist();
  }

  @Test
  void aModelCompiledWithoutKerasEquivalentIsSavedUncompiled() throws Exception {
    Sequential perceptron = Classic.perceptron(2, 0.1);
    try (LogCapture log = new LogCapture()) {
      KerasModels.save(perceptron, dir.resolve("p.keras"));
      assertThat(log.messages()).containsExactly("WARNING " + dir.resolve("p.keras")
          + ": saved without the training configuration: loss perceptron_criterion has no Keras equivalent");
    }
    Sequential copy = KerasModels.load(dir.resolve("p.keras"));
    assertThat(copy.optimizer()).isNull();
    assertSame(perceptron, copy);
  }

  static void assertSame(Sequential a, Sequential b) {
    assertThat(b.inputShape()).isEqualTo(a.inputShape());
    List<Layer> la = a.layers();
    List<Layer> lb = b.layers();
    assertThat(lb).hasSameSizeAs(la);
    for (int i = 0; i < la.size(); i++) {
      assertThat(lb.get(i).getClass()).isEqualTo(la.get(i).getClass());
      assertThat(lb.get(i).name()).isEqualTo(la.get(i).name());
      assertThat(lb.get(i).config()).isEqualTo(la.get(i).config());
    }
    List<Parameter> pa = a.parameters();
    List<Parameter> pb = b.parameters();
    assertThat(pb).hasSameSizeAs(pa);
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pb.get(i).name()).isEqualTo(pa.get(i).name());
      assertThat(pb.get(i).value().data()).as(pa.get(i).name()).isEqualTo(pa.get(i).value().data());
      assertThat(pb.get(i).trainable()).isEqualTo(pa.get(i).trainable());
    }
  }
}
