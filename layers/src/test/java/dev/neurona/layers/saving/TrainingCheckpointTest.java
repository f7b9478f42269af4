package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.TrainingState;
import dev.neurona.layers.training.TrainingState.CallbackState;
import dev.neurona.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCheckpointTest {
  @TempDir Path tmp;
  private Sequential model;
  private Path dir;

  @BeforeEach
  void setUp() throws Exception {
    model = new Sequential(3).input(4).add(new Dense(5, "relu")).add(new Dropout(0.5)).add(new Dense(2, "softmax"));
    model.compile(new Adam(0.01), "sparse_categorical_crossentropy");
    model.trainOnBatch(Tensor.of(new float[] {1, 2, 3, 4, 4, 3, 2, 1}, 2, 4), Tensor.of(new float[] {0, 1}, 2));
    dir = Files.createDirectory(tmp.resolve("b"));
  }

  private static TrainingState state(Map<String, Object> values) {
    return new TrainingState(3, 8, false, 2, true, -77L, 120, 32, 30, Map.of("dropout", 12L),
        List.of(new CallbackState("x.Cb", values), new CallbackState("x.Other", Map.of())));
  }

  @Test
  void everyValueReadsBackBitForBit() throws Exception {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("wait", 2L);
    v.put("small", 7);
    v.put("best", 0.1 + 0.2);
    v.put("nan", Double.NaN);
    v.put("inf", Double.NEGATIVE_INFINITY);
    v.put("f", 0.1f);
    v.put("flag", true);
    v.put("w", Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE}, 3));
    TrainingCheckpoint.write(dir, model, state(v));

    TrainingCheckpoint.Contents c = TrainingCheckpoint.read(dir);
    TrainingState s = c.state();
    assertThat(s.epoch()).isEqualTo(3);
    assertThat(s.epochs()).isEqualTo(8);
    assertThat(s.fitCount()).isEqualTo(2);
    assertThat(s.shuffleSeed()).isEqualTo(-77L);
    assertThat(s.seededLayers()).containsExactly(Map.entry("dropout", 12L));
    assertThat(s.callbacks()).extracting(CallbackState::type).containsExactly("x.Cb", "x.Other");
    Map<String, Object> back = s.callbacks().get(0).values();
    assertThat(back).containsEntry("wait", 2L).containsEntry("small", 7L).containsEntry("best", 0.1 + 0.2)
        .containsEntry("inf", Double.NEGATIVE_INFINITY).containsEntry("f", (double) 0.1f).containsEntry("flag", true);
    assertThat((Double) back.get("nan")).isNaN();
    assertThat(((Tensor) back.get("w")).data()).containsExactly(1.5f, -0f, Float.MIN_VALUE);
    assertThat(Float.floatToRawIntBits(((Tensor) back.get("w")).data()[1])).isEqualTo(Float.floatToRawIntBits(-0f));
    assertThat(c.model().optimizer().iterations()).isEqualTo(1);
    assertThat(c.model().getWeights().get(0).data()).containsExactly(model.getWeights().get(0).data());
  }

  @Test
  void valuesTheFormatCannotHoldAreRefusedBeforeWriting() {
    assertThatThrownBy(() -> TrainingCheckpoint.write(dir, model, state(Map.of("name", "adam"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callback 0 (x.Cb) has state 'name' = adam (java.lang.String)");
    assertThatThrownBy(() -> TrainingCheckpoint.write(dir, model, state(Map.of("a/b", 1L))))
        .hasMessageContaining("keys must be non-blank and free of '/'");
    assertThat(dir).isEmptyDirectory();
  }

  /** Rewrites training.json through {@code edit} and expects reading to fail with {@code message}. */
  private void expectBroken(UnaryOperator<String> edit, String message) throws Exception {
    expectBroken(edit, TrainingCheckpoint.STATE, message);
  }

  /** The same, with the message naming the file {@code named}. */
  private void expectBroken(UnaryOperator<String> edit, String named, String message) throws Exception {
    Path json = dir.resolve(TrainingCheckpoint.STATE);
    String good = Files.readString(json);
    Files.writeString(json, edit.apply(good));
    try {
      assertThatThrownBy(() -> TrainingCheckpoint.read(dir)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(dir.resolve(named).toString()).hasMessageContaining(message);
    } finally {
      Files.writeString(json, good);
    }
  }

  @Test
  void readingIsStrict() throws Exception {
    TrainingCheckpoint.write(dir, model, state(Map.of("best", 0.5, "w", Tensor.of(new float[] {1, 2}, 2))));
    expectBroken(s -> s.replace("\"stopped\"", "\"stopped_\""), "missing [stopped] unknown [stopped_]");
    expectBroken(s -> s.replace("\"epoch\": 3", "\"epoch\": 9"), "\"epoch\" must be in [0, 8], got 9");
    expectBroken(s -> s.replace("\"epoch\": 3", "\"epoch\": \"3\""), "\"epoch\" must be an integer, got the string");
    expectBroken(s -> s.replace("\"format_version\": 1", "\"format_version\": 2"), "format_version 2 is not supported");
    expectBroken(s -> s.replace("\"best\": 0.5", "\"best\": 1"), "numbers.best must be a number with a decimal point");
    expectBroken(s -> s.replace("\"best\": 0.5", "\"best\": \"Inf\""), "numbers.best must be a number");
    expectBroken(s -> s.replace("\"dropout\": 12", "\"dropout\": -1"), "\"dropout\" must be in [0,");
    expectBroken(s -> s.replace("\"booleans\": {}", "\"booleans\": {\"best\": true}"), "\"best\" appears in two sections");
    // The tensors listed must be exactly those in callbacks.safetensors, with their shapes.
    expectBroken(s -> s.replace("\"w\": [2]", "\"w\": [3]"), TrainingCheckpoint.TENSORS, "tensor '0/w' has shape (2,)");
    expectBroken(s -> s.replace("\"tensors\": {\n        \"w\": [2]\n      }", "\"tensors\": {}"),
        TrainingCheckpoint.TENSORS, "unexpected [0/w]");
    expectBroken(s -> s.replace("\"type\": \"x.Other\"", "\"type\": \"x.Other\", \"extra\": 1"), "unknown [extra]");
    expectBroken(s -> s.substring(0, s.length() / 2), "not valid JSON");
    Files.delete(dir.resolve(TrainingCheckpoint.TENSORS));
    assertThatThrownBy(() -> TrainingCheckpoint.read(dir)).hasMessageContaining("has no callbacks.safetensors");
  }
}
