package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weights-only files and models saved without their optimizer: sizes for the MNIST tutorial network,
 * round trips, and the strictness of {@code loadWeights} (names, shapes, dtype, values; the model
 * unchanged after a bad file).
 */
class WeightsFileTest {
  @TempDir Path dir;

  /** The TensorFlow "Deep MNIST" network of the README and the mnist example, compiled with Adam. */
  private static Sequential mnistCnn(long seed) {
    Sequential m = new Sequential(seed)
        .input(28, 28, 1)
        .add(new Conv2D(32, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
    return m.compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
  }

  private static Tensor images(int n, long seed) {
    Tensor x = Tensor.zeros(n, 28, 28, 1);
    Random r = new Random(seed);
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextFloat();
    }
    return x;
  }

  @Test
  void theMnistNetworksWeightsAloneAreAbout13MbAndAFullSaveWithAdamAbout39() throws IOException {
    Sequential m = mnistCnn(1);
    Tensor y = Tensor.zeros(2);
    y.data()[1] = 3;
    m.trainOnBatch(images(2, 5), y); // Adam now has its two moments per weight
    long params = m.countParams();
    assertThat(params).isEqualTo(3_274_634L);

    Path weights = dir.resolve("mnist.weights.safetensors");
    Path full = dir.resolve("mnist.zip");
    Path lean = dir.resolve("mnist-no-optimizer.zip");
    m.saveWeights(weights);
    m.save(full);
    m.save(lean, ModelFile.SaveOptions.defaults().includeOptimizer(false));

    long floatBytes = 4 * params; // 13,098,536
    assertThat(Files.size(weights)).isBetween(floatBytes, floatBytes + 4_096);
    assertThat(Files.size(lean)).isBetween(floatBytes, floatBytes + 16_384);
    assertThat(Files.size(full)).isBetween(3 * floatBytes, 3 * floatBytes + 32_768);
    try (ZipFile z = new ZipFile(lean.toFile())) {
      assertThat(z.stream().map(e -> e.getName()).toList())
          .containsExactly("metadata.json", "config.json", "model.safetensors");
    }

    // Each file predicts as the model does; the lean one loads without an optimizer.
    Tensor probe = images(3, 9);
    float[] expected = m.predict(probe).data();
    Sequential fromLean = Sequential.load(lean);
    assertThat(fromLean.optimizer()).isNull();
    assertThat(fromLean.predict(probe).data()).containsExactly(expected);
    assertThat(Sequential.load(full).optimizer()).isInstanceOf(Adam.class);
    Sequential fresh = mnistCnn(2);
    assertThat(fresh.predict(probe).data()).isNotEqualTo(expected);
    fresh.loadWeights(weights);
    assertThat(fresh.predict(probe).data()).containsExactly(expected);
  }

  @Test
  void saveOptionsReadLikeKeras() {
    ModelFile.SaveOptions d = ModelFile.SaveOptions.defaults();
    assertThat(d.includesOptimizer()).isTrue();
    assertThat(d.includeOptimizer(false).includesOptimizer()).isFalse();
    assertThat(d.includeOptimizer(true)).isSameAs(d);
    assertThat(d.includeOptimizer(false)).hasToString("SaveOptions.defaults().includeOptimizer(false)");
    assertThatThrownBy(() -> ModelFile.save(mnistCnn(1), dir.resolve("x.zip"), LayerRegistry.standard(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options=null");
  }

  /** A small dense network: quick, and its parameters are easy to name. */
  private static Sequential small(long seed, int hidden) {
    return new Sequential(seed).input(4).add(new Dense(hidden, "relu")).add(new Dense(3));
  }

  /** A safetensors file written by hand: each tensor as (name, dtype, shape, raw bytes). */
  private static byte[] safetensors(Object[]... tensors) {
    StringBuilder h = new StringBuilder("{");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Object[] t : tensors) {
      byte[] bytes = (byte[]) t[3];
      int[] shape = (int[]) t[2];
      StringBuilder s = new StringBuilder();
      for (int d : shape) {
        s.append(s.length() == 0 ? "" : ",").append(d);
      }
      h.append(h.length() == 1 ? "" : ",").append('"').append(t[0]).append("\":{\"dtype\":\"").append(t[1])
          .append("\",\"shape\":[").append(s).append("],\"data_offsets\":[").append(data.size()).append(',')
          .append(data.size() + bytes.length).append("]}");
      data.writeBytes(bytes);
    }
    byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).put(data.toByteArray());
    return b.array();
  }

  private static byte[] floats(int n, float value) {
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(value);
    }
    return b.array();
  }

  /** The model's parameters as hand-written tensors (all {@code value}), with {@code edit} applied to one of them. */
  private static Object[][] tensorsOf(Sequential m, float value) {
    List<Parameter> ps = m.parameters();
    Object[][] t = new Object[ps.size()][];
    for (int i = 0; i < ps.size(); i++) {
      Parameter p = ps.get(i);
      t[i] = new Object[] {p.name(), "F32", p.shape().toArray(), floats(p.size(), value)};
    }
    return t;
  }

  @Test
  void loadWeightsChecksNamesShapesDtypeAndValuesAndChangesNothingOnABadFile() throws IOException {
    Sequential m = small(1, 5);
    List<Parameter> ps = m.parameters();
    assertThat(ps).extracting(Parameter::name).containsExactly("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias");
    List<Tensor> before = m.getWeights();
    Path f = dir.resolve("w.safetensors");

    // A hand-written file that fits loads.
    Files.write(f, safetensors(tensorsOf(m, 0.25f)));
    m.loadWeights(f);
    assertThat(m.getWeights().get(2).data()).containsOnly(0.25f);
    m.setWeights(before);

    Object[][] missing = tensorsOf(m, 1f);
    Files.write(f, safetensors(missing[0], missing[1], missing[2]));
    assertBadAndUnchanged(m, f, before, "tensors do not match the parameters of Sequential", "missing [dense_1.bias]");

    Object[][] renamed = tensorsOf(m, 1f);
    renamed[3][0] = "head.bias";
    Files.write(f, safetensors(renamed));
    assertBadAndUnchanged(m, f, before, "missing [dense_1.bias]", "unexpected [head.bias]");

    Object[][] extra = tensorsOf(m, 1f);
    Files.write(f, safetensors(extra[0], extra[1], extra[2], extra[3], new Object[] {"dense_2.bias", "F32", new int[] {3},
        floats(3, 1f)}));
    assertBadAndUnchanged(m, f, before, "unexpected [dense_2.bias]");

    Object[][] f64 = tensorsOf(m, 1f);
    f64[1] = new Object[] {"dense.bias", "F64", new int[] {5}, new byte[40]};
    Files.write(f, safetensors(f64));
    assertBadAndUnchanged(m, f, before, "dense.bias", "F64");

    Object[][] nan = tensorsOf(m, 1f);
    nan[2][3] = floats(15, Float.NaN);
    Files.write(f, safetensors(nan));
    assertBadAndUnchanged(m, f, before, "tensor 'dense_1.kernel' holds NaN at index 0");

    // The weights of a network with another hidden width: a shape mismatch naming the tensor.
    small(3, 6).saveWeights(f);
    assertBadAndUnchanged(m, f, before, "tensor 'dense.kernel' has shape (4, 6) but the model's parameter has shape (4, 5)");
  }

  private static void assertBadAndUnchanged(Sequential m, Path f, List<Tensor> before, String... messageParts) {
    var thrown = assertThatThrownBy(() -> m.loadWeights(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f.toString());
    for (String part : messageParts) {
      thrown.hasMessageContaining(part);
    }
    List<Tensor> after = m.getWeights();
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i).data()).as("weight %d", i).containsExactly(before.get(i).data());
    }
  }

  @Test
  void loadWeightsNeedsABuiltModelAndCannotRunInsideAPrediction() throws IOException {
    Path f = dir.resolve("w.safetensors");
    Sequential m = small(1, 5);
    m.saveWeights(f);
    Sequential unbuilt = new Sequential(1).add(new Dense(5, "relu")).add(new Dense(3));
    assertThatThrownBy(() -> unbuilt.loadWeights(f)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loadWeights: the model has no weights yet");
    m.weightsLock().readLock().lock();
    try {
      assertThatThrownBy(() -> m.loadWeights(f)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds the read lock of weightsLock()");
    } finally {
      m.weightsLock().readLock().unlock();
    }
  }
}
