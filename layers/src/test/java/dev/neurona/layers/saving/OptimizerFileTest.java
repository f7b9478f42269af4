package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.loss.SparseCategoricalAccuracy;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.Optimizer;
import dev.neurona.optim.SGD;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optimizer saved with a model: training resumes exactly, and bad optimizer entries are named. */
class OptimizerFileTest {
  @TempDir
  Path dir;

  /** A small CNN without dropout, so that a resumed run sees the same batches as an uninterrupted one. */
  private static Sequential cnn(Optimizer optimizer) {
    return new Sequential(8)
        .input(8, 8, 1)
        .add(new Conv2D(4, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(3, "softmax"))
        .compile(optimizer, new SparseCategoricalCrossentropy(), new SparseCategoricalAccuracy("accuracy"));
  }

  private static List<float[]> weights(Sequential m) {
    List<float[]> w = new ArrayList<>();
    for (Parameter p : m.parameters()) {
      w.add(p.value().data().clone());
    }
    return w;
  }

  @Test
  void trainingResumedFromAFileMatchesUninterruptedTrainingBitForBit() throws IOException {
    Tensor[] data = Fixtures.bars(48, 5);
    for (Optimizer optimizer : List.of(Adam.builder().learningRate(0.01).amsgrad(true).build(),
        SGD.builder().learningRate(0.05).momentum(0.9).build())) {
      Sequential model = cnn(optimizer);
      for (int step = 0; step < 3; step++) {
        model.trainOnBatch(data[0], data[1]);
      }
      Path file = dir.resolve(optimizer.name() + ".zip");
      model.save(file);

      Sequential resumed = Sequential.load(file);
      Optimizer restored = resumed.optimizer();
      assertThat(restored).isNotNull();
      assertThat(restored.config()).isEqualTo(optimizer.config());
      assertThat(restored.iterations()).isEqualTo(3);
      resumed.compile(restored, new SparseCategoricalCrossentropy(), new SparseCategoricalAccuracy("accuracy"));
      // The same file with a fresh optimizer: what resuming without the state would give.
      Sequential fresh = Sequential.load(file);
      fresh.compile(Optimizer.fromConfig(optimizer.config()), new SparseCategoricalCrossentropy());

      for (int step = 0; step < 3; step++) {
        model.trainOnBatch(data[0], data[1]);
        resumed.trainOnBatch(data[0], data[1]);
        fresh.trainOnBatch(data[0], data[1]);
      }
      List<float[]> expected = weights(model);
      List<float[]> got = weights(resumed);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(got.get(i)).as("%s, parameter %d", optimizer.name(), i).containsExactly(expected.get(i));
      }
      assertThat(Arrays.equals(weights(fresh).get(0), expected.get(0))).as("a fresh optimizer diverges").isFalse();
    }
  }

  @Test
  void aLoadedModelSavedAgainBeforeAnyStepKeepsItsOptimizerState() throws IOException {
    Tensor[] data = Fixtures.bars(24, 4);
    Sequential model = cnn(Adam.builder().learningRate(0.01).build());
    for (int step = 0; step < 2; step++) {
      model.trainOnBatch(data[0], data[1]);
    }
    Path first = dir.resolve("first.zip");
    model.save(first);
    Path second = dir.resolve("second.zip");
    Sequential.load(first).save(second);
    Sequential resumed = Sequential.load(second);
    resumed.compile(resumed.optimizer(), new SparseCategoricalCrossentropy());
    for (int step = 0; step < 2; step++) {
      model.trainOnBatch(data[0], data[1]);
      resumed.trainOnBatch(data[0], data[1]);
    }
    List<float[]> expected = weights(model);
    List<float[]> got = weights(resumed);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(got.get(i)).as("parameter %d", i).containsExactly(expected.get(i));
    }
  }

  @Test
  void aModelWithoutStepsOrWithoutAnOptimizerSavesAndLoads() throws IOException {
    Sequential never = cnn(new Adam(0.01));
    Path f = dir.resolve("never.zip");
    never.save(f);
    Sequential r = Sequential.load(f);
    assertThat(r.optimizer().iterations()).isZero();
    assertThat(r.optimizer().state()).isEmpty();
    assertThat(ModelFileTest.readZip(f)).containsKeys("optimizer.json", "optimizer.safetensors");

    Sequential plain = new Sequential(3).input(4).add(new Dense(2));
    Path g = dir.resolve("plain.zip");
    plain.save(g);
    assertThat(ModelFileTest.readZip(g)).doesNotContainKeys("optimizer.json", "optimizer.safetensors");
    assertThat(Sequential.load(g).optimizer()).isNull();
  }

  @Test
  void badOptimizerEntriesAreNamed() throws IOException {
    assertThatThrownBy(() -> Sequential.load(rewrite("optimizer.json", s -> s.replace("\"iterations\": 2", "\"iterations\": -2"))))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("optimizer.json")
        .hasMessageContaining("'iterations' must be >= 0, got -2");
    assertThatThrownBy(() -> Sequential.load(rewrite("optimizer.json", s -> s.replace("\"adam\"", "\"rmsprop\""))))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("unknown optimizer name 'rmsprop'");
    assertThatThrownBy(() -> Sequential.load(rewrite("optimizer.json", s -> s.replace("conv2d.kernel/m", "conv9.kernel/m"))))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("\"conv9.kernel/m\"")
        .hasMessageContaining("not '<parameter>/<slot>' for a parameter of the model");
    assertThatThrownBy(() -> Sequential.load(rewrite("optimizer.json", s -> s.replace("conv2d.kernel/m", "conv2d.kernel/q"))))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("optimizer.safetensors")
        .hasMessageContaining("missing [conv2d.kernel/q]");
    assertThatThrownBy(() -> Sequential.load(rewriteBytes("optimizer.safetensors", b -> Arrays.copyOf(b, b.length - 4))))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("optimizer.safetensors");
    Map<String, byte[]> entries = ModelFileTest.readZip(saved());
    entries.remove("optimizer.safetensors");
    Path missing = dir.resolve("missing.zip");
    ModelFileTest.writeZip(missing, entries);
    assertThatThrownBy(() -> Sequential.load(missing)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing entry optimizer.safetensors");
  }

  private int counter;

  private Path saved() throws IOException {
    Tensor[] data = Fixtures.bars(12, 3);
    Sequential m = cnn(new Adam(0.01));
    m.trainOnBatch(data[0], data[1]);
    m.trainOnBatch(data[0], data[1]);
    Path f = dir.resolve("saved" + counter++ + ".zip");
    m.save(f);
    return f;
  }

  private Path rewrite(String entry, UnaryOperator<String> edit) throws IOException {
    return rewriteBytes(entry, b -> edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  private Path rewriteBytes(String entry, UnaryOperator<byte[]> edit) throws IOException {
    Map<String, byte[]> entries = ModelFileTest.readZip(saved());
    entries.put(entry, edit.apply(entries.get(entry)));
    Path out = dir.resolve("edited" + counter++ + ".zip");
    ModelFileTest.writeZip(out, entries);
    return out;
  }
}
