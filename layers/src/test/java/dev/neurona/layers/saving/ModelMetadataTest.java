package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.Dense;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class names and metadata saved in {@code metadata.json}: round trips, old files, and strict loading. */
class ModelMetadataTest {
  @TempDir
  Path dir;

  private static Sequential classifier(int classes) {
    return new Sequential(3L, new InputLayer(4), new TestLinear(classes, "softmax"));
  }

  @Test
  void classNamesAndMetadataRoundTrip() throws IOException {
    Sequential m = classifier(5).classNames(List.of("daisy", "dandelion", "roses", "sunflowers", "tulips"))
        .metadata("preprocessing", "pixels 0..255, \"rescaled\" by the model\nsecond line")
        .metadata("label.encoder", "{\"type\": \"LabelBinarizer\"}")
        .metadata("free.key_1", "wert: ü, 漢字, \u0001");
    Path f = dir.resolve("m.zip");
    m.save(f);
    Map<String, byte[]> entries = ModelFileTest.readZip(f);
    Map<String, Object> meta = Json.parseObject(new String(entries.get("metadata.json"), StandardCharsets.UTF_8));
    assertThat(meta.get("class_names")).isEqualTo(List.of("daisy", "dandelion", "roses", "sunflowers", "tulips"));
    Sequential r = Sequential.load(f);
    assertThat(r.classNames()).containsExactly("daisy", "dandelion", "roses", "sunflowers", "tulips");
    assertThat(r.metadata()).isEqualTo(m.metadata());
    assertThat(r.metadata()).containsOnlyKeys("preprocessing", "label.encoder", "free.key_1");
    assertThat(r.metadata("preprocessing")).isEqualTo("pixels 0..255, \"rescaled\" by the model\nsecond line");
    assertThat(r.metadata("missing")).isNull();
  }

  @Test
  void aModelWithoutThemWritesNeitherKeyAndOldFilesLoad() throws IOException {
    Sequential m = classifier(3);
    Path f = dir.resolve("plain.zip");
    m.save(f);
    Map<String, Object> meta = Json.parseObject(new String(ModelFileTest.readZip(f).get("metadata.json"),
        StandardCharsets.UTF_8));
    // Exactly what every file before this feature held: such a file loads, with no names and no metadata.
    assertThat(meta).containsOnlyKeys("format", "format_version", "library", "library_version", "date_saved",
        "parameter_count");
    Sequential r = Sequential.load(f);
    assertThat(r.classNames()).isEmpty();
    assertThat(r.metadata()).isEmpty();
  }

  @Test
  void aSingleUnitTakesTwoNamesAndAnEmptyListRemovesThem() throws IOException {
    Sequential m = classifier(1).classNames(List.of("cat", "dog"));
    Path f = dir.resolve("binary.zip");
    m.save(f);
    assertThat(Sequential.load(f).classNames()).containsExactly("cat", "dog");
    m.classNames(List.of()).metadata("a", "1").metadata("a", null);
    assertThat(m.classNames()).isEmpty();
    assertThat(m.metadata()).isEmpty();
  }

  @Test
  void badNamesAndKeysAreRefusedWhenSet() {
    Sequential m = classifier(3);
    assertThatThrownBy(() -> m.classNames(List.of("a", "b"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 names for the output shape (3,): expected 3");
    assertThatThrownBy(() -> m.classNames(List.of("a", "b", "a"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("class 'a' is named twice (2 and 0)");
    assertThatThrownBy(() -> m.classNames(List.of("a", "", "c"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("class 1 must have 1 to 1024 characters, got an empty name");
    assertThatThrownBy(() -> m.classNames(Collections.nCopies(1, "x".repeat(1025))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1025 characters");
    assertThatThrownBy(() -> m.classNames(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.metadata("white space", "v")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key must be 1 to 128 of A-Z a-z 0-9 _ . -, got 'white space'");
    assertThatThrownBy(() -> m.metadata("", "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> m.metadata("big", "v".repeat(Sequential.MAX_METADATA_CHARS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("262147 characters, more than the 262144");
    Sequential n = classifier(3);
    for (int i = 0; i < Sequential.MAX_METADATA_ENTRIES; i++) {
      n.metadata("k" + i, "");
    }
    assertThatThrownBy(() -> n.metadata("one.more", "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the most entries allowed, 1024");
    n.metadata("k0", "replacing an entry is fine");
    assertThat(m.classNames()).isEmpty();
    assertThat(m.metadata()).isEmpty();
  }

  @Test
  void namesSetBeforeTheLayersAreCheckedWhenSaved() {
    Sequential m = new Sequential().classNames(List.of("a", "b", "c")).input(4).add(new Dense(4));
    assertThatThrownBy(() -> m.save(dir.resolve("never.zip"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("its 3 class names do not fit the output shape (4,) (expected 4)");
    assertThat(dir.resolve("never.zip")).doesNotExist();
  }

  @Test
  void loadingIsStrict() throws IOException {
    assertRefused(s -> s.replace("\"parameter_count\"", "\"colour\": \"red\", \"parameter_count\""),
        "metadata.json has unknown key \"colour\" (value the string \"red\")", "LoadOptions.lenient()");
    assertRefused(s -> s.replace("\"class_names\": [", "\"class_names\": [\"x\", "),
        "metadata.json: \"class_names\": Sequential 'sequential'.classNames: 4 names for the output shape (3,)");
    assertRefused(s -> s.replace("\"b\"", "\"a\""), "class 'a' is named twice");
    assertRefused(s -> s.replace("\"b\"", "7"), "\"class_names\" must be a list of strings, but item 1 is long 7");
    assertRefused(s -> s.replaceAll("\"class_names\": \\[[^]]*]", "\"class_names\": \"a b c\""),
        "\"class_names\" must be a list of strings, got the string \"a b c\"");
    assertRefused(s -> s.replace("\"v\"", "[]"), "\"user_metadata\": entry \"k\" must be a string, got a list");
    assertRefused(s -> s.replace("\"k\":", "\"bad key\":"), "key must be 1 to 128 of A-Z a-z 0-9 _ . -, got 'bad key'");
    assertRefused(s -> s.replace("\"v\"", "\"" + "v".repeat(Sequential.MAX_METADATA_CHARS) + "\""),
        "more than the 262144 a model file takes");
    String unknown = edited(s -> s.replace("\"parameter_count\"", "\"colour\": \"red\", \"parameter_count\""));
    Sequential r = Sequential.load(dir.resolve(unknown), ModelFile.LoadOptions.lenient());
    assertThat(r.classNames()).containsExactly("a", "b", "c");
  }

  private int counter;

  private String edited(UnaryOperator<String> edit) throws IOException {
    Path f = dir.resolve("orig" + counter + ".zip");
    classifier(3).classNames(List.of("a", "b", "c")).metadata("k", "v").save(f);
    Map<String, byte[]> entries = ModelFileTest.readZip(f);
    String before = new String(entries.get("metadata.json"), StandardCharsets.UTF_8);
    String after = edit.apply(before);
    assertThat(after).as("the edit changed metadata.json").isNotEqualTo(before);
    entries.put("metadata.json", after.getBytes(StandardCharsets.UTF_8));
    String name = "edited" + counter++ + ".zip";
    ModelFileTest.writeZip(dir.resolve(name), entries);
    return name;
  }

  private void assertRefused(UnaryOperator<String> edit, String... message) throws IOException {
    Path f = dir.resolve(edited(edit));
    List<String> parts = new ArrayList<>(List.of(message));
    parts.add(f.toString());
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContainingAll(parts.toArray(new String[0]));
  }
}
