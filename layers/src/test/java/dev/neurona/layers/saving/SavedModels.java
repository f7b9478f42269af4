package dev.neurona.layers.saving;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.ReLU;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Sigmoid;
import dev.neurona.layers.Softmax;
import dev.neurona.layers.Tanh;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.preprocessing.RandomContrast;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomTranslation;
import dev.neurona.layers.preprocessing.RandomZoom;
import dev.neurona.optim.Adam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Saved models for the loading tests, and surgery on their zip entries. */
final class SavedModels {
  private SavedModels() {}

  /** A model with every built-in layer type but InputLayer (declared by the input shape), one Adam step taken. */
  static Sequential everyLayer() {
    Sequential m = new Sequential(5)
        .input(8, 8, 3)
        .add(new RandomFlip("horizontal"))
        .add(new RandomRotation(0.1))
        .add(new RandomZoom(0.1, -0.1))
        .add(new RandomTranslation(0.1, 0.1))
        .add(new RandomContrast(0.2))
        .add(new Rescaling(1 / 255.0, -0.5))
        .add(new Conv2D(4, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Dropout(0.25))
        .add(new ReLU())
        .add(new Flatten())
        .add(new Dense(6, "tanh"))
        .add(new Sigmoid())
        .add(new Tanh())
        .add(new Dense(3))
        .add(new Softmax());
    m.compile(new Adam(0.01), "sparse_categorical_crossentropy");
    Tensor x = Tensor.uniform(dev.neurona.core.Shape.of(4, 8, 8, 3), 0f, 255f, 3);
    m.trainOnBatch(x, Tensor.of(new float[] {0, 1, 2, 1}, 4));
    return m;
  }

  /** A small Dense model with an Adam step: {@code dense} (4 → 3, relu), {@code dense_1} (3 → 2, softmax). */
  static Sequential small() {
    Sequential m = new Sequential(1).input(4).add(new Dense(3, "relu")).add(new Dense(2, "softmax"));
    m.compile(new Adam(0.01), "sparse_categorical_crossentropy");
    m.trainOnBatch(Tensor.of(new float[] {1, 2, 3, 4, 4, 3, 2, 1}, 2, 4), Tensor.of(new float[] {0, 1}, 2));
    return m;
  }

  /** Writes {@code src} to {@code out} with entry {@code entry} replaced by {@code edit} of its bytes. */
  static Path editBytes(Path src, Path out, String entry, UnaryOperator<byte[]> edit) throws IOException {
    Map<String, byte[]> entries = ModelFileTest.readZip(src);
    entries.put(entry, edit.apply(entries.get(entry)));
    ModelFileTest.writeZip(out, entries);
    return out;
  }

  /** Writes {@code src} to {@code out} with the JSON object of {@code entry} changed in place by {@code edit}. */
  static Path editJson(Path src, Path out, String entry, Consumer<Map<String, Object>> edit) throws IOException {
    return editBytes(src, out, entry, b -> {
      Map<String, Object> json = Json.parseObject(new String(b, StandardCharsets.UTF_8));
      edit.accept(json);
      return Json.writePretty(json).getBytes(StandardCharsets.UTF_8);
    });
  }

  /** Writes {@code src} to {@code out} with float {@code index} of the data of safetensors {@code entry} set to {@code value}. */
  static Path setFloat(Path src, Path out, String entry, int index, float value) throws IOException {
    return editBytes(src, out, entry, b -> {
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      bb.putFloat((int) (8 + bb.getLong(0) + 4L * index), value);
      return b;
    });
  }

  /** Replaces the JSON header of safetensors bytes, keeping the data after it. */
  static byte[] withHeader(byte[] b, UnaryOperator<String> edit) {
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) bb.getLong(0);
    byte[] h = edit.apply(new String(b, 8, n, StandardCharsets.UTF_8).trim()).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + h.length + b.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(h.length).put(h).put(b, 8 + n, b.length - 8 - n);
    return out.array();
  }

  /** The layer entries of a parsed {@code config.json}. */
  @SuppressWarnings("unchecked")
  static java.util.List<Map<String, Object>> layers(Map<String, Object> config) {
    return (java.util.List<Map<String, Object>>) config.get("layers");
  }

  /** The {@code config} object of layer entry {@code i}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> layerConfig(Map<String, Object> config, int i) {
    return (Map<String, Object>) layers(config).get(i).get("config");
  }
}
