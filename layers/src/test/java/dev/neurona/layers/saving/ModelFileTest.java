package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestNoFromConfig;
import dev.neurona.layers.TestScale;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir
  Path dir;

  private static Sequential trained() {
    Sequential m = new Sequential(7L, new InputLayer(2, 1), new TestFlatten(), new TestLinear(6, "tanh"),
        new TestScale(), new TestLinear(2, "softmax").name("head"));
    m.name("blobs");
    m.compile(new Fixtures.Sgd(0.2f), new Fixtures.CrossEntropy(true), new Fixtures.Accuracy());
    Tensor[] d = Fixtures.blobs(40, 3);
    m.fit(d[0].reshape(40, 2, 1), d[1], Fit.defaults().epochs(3).batchSize(8));
    return m;
  }

  private static Tensor probe() {
    return Fixtures.blobs(25, 9)[0].reshape(25, 2, 1);
  }

  @Test
  void saveThenLoadGivesBitIdenticalPredictions() throws IOException {
    Sequential m = trained();
    Path f = dir.resolve("model.zip");
    m.save(f);
    Sequential r = Sequential.load(f);
    assertThat(r.name()).isEqualTo("blobs");
    assertThat(r.seed()).isEqualTo(7L);
    assertThat(r.summary()).isEqualTo(m.summary());
    assertThat(r.layers()).extracting(Layer::toString).containsExactlyElementsOf(
        m.layers().stream().map(Layer::toString).toList());
    assertThat(r.layer("test_scale").parameters().get(0).trainable()).isFalse();
    assertThat(r.predict(probe()).data()).containsExactly(m.predict(probe()).data());
    // A reloaded model trains on after compile.
    r.compile(new Fixtures.Sgd(0.2f), new Fixtures.CrossEntropy(true), new Fixtures.Accuracy());
    Tensor[] d = Fixtures.blobs(40, 3);
    assertThat(r.evaluate(d[0].reshape(40, 2, 1), d[1])).isEqualTo(m.evaluate(d[0].reshape(40, 2, 1), d[1]));
  }

  @Test
  void theZipHoldsReadableJsonAndASafetensorsFileNumpyCouldRead() throws IOException {
    Sequential m = trained();
    Path f = dir.resolve("m.zip");
    m.save(f);
    Map<String, byte[]> entries = readZip(f);
    assertThat(entries.keySet()).containsExactly("metadata.json", "config.json", "model.safetensors");

    Map<String, Object> meta = Json.parseObject(new String(entries.get("metadata.json"), StandardCharsets.UTF_8));
    assertThat(meta).containsEntry("format", "neurona.sequential").containsEntry("format_version", 1L)
        .containsEntry("parameter_count", m.countParams()).containsKeys("library_version", "date_saved");

    Map<String, Object> config = Json.parseObject(new String(entries.get("config.json"), StandardCharsets.UTF_8));
    assertThat(config.get("input_shape")).isEqualTo(List.of(2L, 1L));
    List<?> layers = (List<?>) config.get("layers");
    assertThat(layers).hasSize(4);
    Map<?, ?> head = (Map<?, ?>) layers.get(3);
    assertThat(head.get("type")).isEqualTo("TestLinear");
    assertThat(head.get("name")).isEqualTo("head");
    assertThat(head.get("module")).isEqualTo("dev.neurona.layers");
    assertThat(head.get("config")).isEqualTo(Map.of("units", 2L, "activation", "softmax"));

    // safetensors: u64 LE header length, JSON header, LE float32 data at the given offsets.
    ByteBuffer st = ByteBuffer.wrap(entries.get("model.safetensors")).order(ByteOrder.LITTLE_ENDIAN);
    long n = st.getLong(0);
    assertThat(n % 8).isZero();
    Map<String, Object> header = Json.parseObject(new String(st.array(), 8, (int) n, StandardCharsets.UTF_8).trim());
    assertThat(header).containsKey("__metadata__");
    assertThat(header.keySet()).hasSize(m.parameters().size() + 1);
    for (Parameter p : m.parameters()) {
      Map<?, ?> t = (Map<?, ?>) header.get(p.name());
      assertThat(t.get("dtype")).isEqualTo("F32");
      List<?> shape = (List<?>) t.get("shape");
      assertThat(shape.stream().mapToInt(o -> ((Long) o).intValue()).toArray()).containsExactly(p.shape().toArray());
      long begin = (Long) ((List<?>) t.get("data_offsets")).get(0);
      float[] values = new float[p.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = st.getFloat((int) (8 + n + begin + 4L * i));
      }
      assertThat(values).containsExactly(p.value().data());
    }
    assertThat(st.capacity()).isEqualTo(8 + n + 4 * m.countParams());
  }

  @Test
  void savingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path f = dir.resolve("m.zip");
    Files.writeString(f, "old contents");
    trained().save(f);
    assertThat(Sequential.load(f).layers()).hasSize(4);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("m.zip");
    }
  }

  @Test
  void aFailedSaveLeavesNothingBehind() throws IOException {
    Sequential m = trained();
    Path missing = dir.resolve("no-such-dir").resolve("m.zip");
    assertThatThrownBy(() -> m.save(missing)).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no-such-dir").hasMessageContaining("does not exist");
    assertThat(Files.exists(missing.getParent())).isFalse();

    // The target is a non-empty directory: the move fails after the zip was written.
    Path target = dir.resolve("taken");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "x");
    assertThatThrownBy(() -> m.save(target)).isInstanceOf(IOException.class);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("taken");
    }
    assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("x");

    // A layer that load() could not re-create fails the save before anything is written.
    Sequential odd = new Sequential(new InputLayer(2), new TestNoFromConfig());
    Path f = dir.resolve("odd.zip");
    assertThatThrownBy(() -> odd.save(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_no_from_config").hasMessageContaining("fromConfig");
    assertThat(Files.exists(f)).isFalse();
  }

  @Test
  void notAZipOrATruncatedFileFailsCleanly() throws IOException {
    Path f = dir.resolve("m.zip");
    trained().save(f);
    byte[] bytes = Files.readAllBytes(f);
    Path half = dir.resolve("half.zip");
    Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> Sequential.load(half)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("half.zip").hasMessageContaining("not a readable zip");
    Path junk = dir.resolve("junk.zip");
    Files.writeString(junk, "{\"this\": \"is not a zip\"}");
    assertThatThrownBy(() -> Sequential.load(junk)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("junk.zip");
    assertThatThrownBy(() -> Sequential.load(dir.resolve("absent.zip"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("absent.zip");
  }

  @Test
  void wrongOrMissingFormatVersionIsRejected() throws IOException {
    Path f = rewrite("metadata.json", s -> s.replace("\"format_version\": 1", "\"format_version\": 2"));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f.getFileName().toString()).hasMessageContaining("format_version 2")
        .hasMessageContaining("reads format_version 1");
    Path g = rewrite("metadata.json", s -> s.replace("\"format_version\": 1,", ""));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("no integer format_version");
  }

  @Test
  void missingEntriesAndBadJsonAreNamed() throws IOException {
    Path f = dir.resolve("m.zip");
    trained().save(f);
    Map<String, byte[]> entries = readZip(f);
    entries.remove("config.json");
    Path noConfig = dir.resolve("noconfig.zip");
    writeZip(noConfig, entries);
    assertThatThrownBy(() -> Sequential.load(noConfig)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("noconfig.zip").hasMessageContaining("missing entry config.json");

    Path bad = rewrite("config.json", s -> s.substring(0, s.length() / 2));
    assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("config.json is not valid").hasMessageContaining("malformed JSON");
  }

  @Test
  void unknownLayerTypesAndBadConfigsAreNamed() throws IOException {
    Path f = rewrite("config.json", s -> s.replace("\"class_name\": \"TestScale\"", "\"class_name\": \"NoSuchLayer\""));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("layer 2 'test_scale'").hasMessageContaining("unknown layer type 'NoSuchLayer'");
    Path g = rewrite("config.json", s -> s.replace("\"class_name\": \"TestScale\"", "\"class_name\": \"Sequential\"")
        .replace("\"module\": \"dev.neurona.layers\",\n      \"class_name\": \"Sequential\"",
            "\"module\": \"dev.neurona.layers.model\",\n      \"class_name\": \"Sequential\""));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("is not a Layer");
    Path h = rewrite("config.json", s -> s.replace("\"units\": 6", "\"units\": -6"));
    assertThatThrownBy(() -> Sequential.load(h)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'test_linear'").hasMessageContaining("units must be >= 1, got -6");
    Path i = rewrite("config.json", s -> s.replace("\"class_name\": \"TestScale\"", "\"class_name\": \"java.lang.Runtime\""));
    assertThatThrownBy(() -> Sequential.load(i)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not a Java class name");
  }

  @Test
  void entriesThatNameOnlyTheirRegisteredTypeLoadToo() throws IOException {
    Path f = rewrite("config.json", s -> s.replaceAll("\"module\": \"[a-z.]+\",\\s*\"class_name\": \"\\w+\",\\s*", ""));
    assertThat(new String(readZip(f).get("config.json"), StandardCharsets.UTF_8)).doesNotContain("\"module\"", "\"class_name\": \"Test")
        .contains("\"type\": \"TestScale\"");
    Sequential r = Sequential.load(f);
    assertThat(r.summary()).isEqualTo(trained().summary());
    assertThat(r.predict(probe()).data()).containsExactly(trained().predict(probe()).data());
    Path g = rewrite("config.json", s -> s.replaceAll("\"module\": \"[a-z.]+\",\\s*\"class_name\": \"\\w+\",\\s*", "")
        .replace("\"type\": \"TestScale\"", "\"type\": \"java.lang.Runtime\""));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(g.toString()).hasMessageContaining("layer 2 'test_scale'")
        .hasMessageContaining("unknown layer type 'java.lang.Runtime'");
  }

  @Test
  void aRegistryOfYourOwnSavesAndLoadsLayersTheStandardOneDoesNotKnow() throws IOException {
    LayerRegistry mine = LayerRegistry.builtIn().register("Identity", TestNoFromConfig.class, c -> new TestNoFromConfig());
    Sequential m = new Sequential(new InputLayer(2), new TestNoFromConfig(), new Dense(3, "relu"));
    Path f = dir.resolve("mine.zip");
    ModelFile.save(m, f, mine);
    Sequential r = ModelFile.load(f, mine);
    assertThat(r.layers().get(0)).isExactlyInstanceOf(TestNoFromConfig.class);
    assertThat(r.predict(probe().reshape(25, 2)).data()).containsExactly(m.predict(probe().reshape(25, 2)).data());
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("mine.zip").hasMessageContaining("layer 0 'test_no_from_config'")
        .hasMessageContaining("unknown layer type 'TestNoFromConfig'");
  }

  @Test
  void headerLengthPastTheEndIsRejectedBeforeReading() throws IOException {
    Path f = rewriteBytes("model.safetensors", b -> {
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
      return b;
    });
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model.safetensors").hasMessageContaining("header length 1099511627776 runs past the end");
  }

  @Test
  void truncatedWeightsAreRejected() throws IOException {
    Path f = rewriteBytes("model.safetensors", b -> Arrays.copyOf(b, b.length - 4));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'head.bias'").hasMessageContaining("past the end");
    Path g = rewriteBytes("model.safetensors", b -> Arrays.copyOf(b, 5));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void headerMismatchesAreNamed() throws IOException {
    Path dtype = rewriteHeader(h -> h.replaceFirst("\"F32\"", "\"F16\""));
    assertThatThrownBy(() -> Sequential.load(dtype)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("dtype the string \"F16\"").hasMessageContaining("only \"F32\"");
    Path shape = rewriteHeader(h -> h.replace("\"shape\":[6,2]", "\"shape\":[2,6]"));
    assertThatThrownBy(() -> Sequential.load(shape)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'head.kernel'").hasMessageContaining("shape (2, 6)").hasMessageContaining("(6, 2)");
    Path renamed = rewriteHeader(h -> h.replace("\"head.bias\"", "\"head.bias2\""));
    assertThatThrownBy(() -> Sequential.load(renamed)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing [head.bias]").hasMessageContaining("unexpected [head.bias2]");
    Path overlap = rewriteHeader(h -> h.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[4,"));
    assertThatThrownBy(() -> Sequential.load(overlap)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("data_offsets");
  }

  @Test
  void corruptedBytesAnywhereGiveAModelFormatExceptionOrAModel() throws IOException {
    Path f = dir.resolve("m.zip");
    trained().save(f);
    byte[] good = Files.readAllBytes(f);
    java.util.Random r = new java.util.Random(1);
    int failures = 0;
    for (int trial = 0; trial < 80; trial++) {
      byte[] bad = good.clone();
      int at = r.nextInt(bad.length);
      bad[at] = (byte) (bad[at] ^ (1 + r.nextInt(255)));
      Path g = dir.resolve("bad" + trial + ".zip");
      Files.write(g, bad);
      try {
        Sequential.load(g); // a flip in a field nothing reads (e.g. a timestamp) still loads
      } catch (ModelFormatException e) {
        assertThat(e.getMessage()).contains(g.toString());
        failures++;
      }
    }
    assertThat(failures).isGreaterThan(60);
  }

  @Test
  void aFlippedBitInTheWeightsFailsTheChecksum() throws IOException {
    Path f = dir.resolve("m.zip");
    trained().save(f);
    byte[] b = Files.readAllBytes(f);
    // The weights entry is stored: its last float sits just before the central directory.
    int cd = -1;
    for (int i = b.length - 22; i >= 0 && cd < 0; i--) {
      if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 1 && b[i + 3] == 2) {
        cd = i;
      }
    }
    int first = cd;
    for (int i = cd; i >= 0; i--) {
      if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 1 && b[i + 3] == 2) {
        first = i;
      }
    }
    b[first - 2] ^= 0x10;
    Path g = dir.resolve("flipped.zip");
    Files.write(g, b);
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("flipped.zip").hasMessageContaining("CRC-32");
  }

  // ---------------------------------------------------------------- zip surgery

  private Path rewrite(String entry, UnaryOperator<String> edit) throws IOException {
    return rewriteBytes(entry, b -> edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  /** Edits the safetensors JSON header, keeping the length field right (padding with spaces). */
  private Path rewriteHeader(UnaryOperator<String> edit) throws IOException {
    return rewriteBytes("model.safetensors", b -> {
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int n = (int) bb.getLong(0);
      String h = edit.apply(new String(b, 8, n, StandardCharsets.UTF_8).trim());
      byte[] hb = h.getBytes(StandardCharsets.UTF_8);
      int padded = (hb.length + 7) / 8 * 8;
      ByteBuffer out = ByteBuffer.allocate(8 + padded + b.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
      out.putLong(padded).put(hb);
      for (int i = hb.length; i < padded; i++) {
        out.put((byte) ' ');
      }
      out.put(b, 8 + n, b.length - 8 - n);
      return out.array();
    });
  }

  private int counter;

  private Path rewriteBytes(String entry, UnaryOperator<byte[]> edit) throws IOException {
    Path f = dir.resolve("orig" + counter + ".zip");
    trained().save(f);
    Map<String, byte[]> entries = readZip(f);
    entries.put(entry, edit.apply(entries.get(entry)));
    Path out = dir.resolve("edited" + counter++ + ".zip");
    writeZip(out, entries);
    return out;
  }

  static Map<String, byte[]> readZip(Path f) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(f); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        zip.transferTo(b);
        m.put(e.getName(), b.toByteArray());
      }
    }
    return m;
  }

  static void writeZip(Path f, Map<String, byte[]> entries) throws IOException {
    try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  @Test
  void weightsAloneGoToSafetensorsAndComeBackOnlyIntoAModelTheyFit() throws IOException {
    Sequential m = trained();
    Path file = dir.resolve("w.safetensors");
    m.saveWeights(file);
    byte[] bytes = Files.readAllBytes(file);
    long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8)).contains("\"head.kernel\"");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).containsExactly(file); // no temporary file left behind
    }

    Sequential fresh = new Sequential(99L, new InputLayer(2, 1), new TestFlatten(), new TestLinear(6, "tanh"),
        new TestScale(), new TestLinear(2, "softmax").name("head"));
    fresh.name("blobs");
    fresh.loadWeights(file);
    assertThat(fresh.predict(probe()).data()).containsExactly(m.predict(probe()).data());

    Sequential other = new Sequential(1L, new InputLayer(2, 1), new TestFlatten(), new TestLinear(5, "tanh"),
        new TestScale(), new TestLinear(2, "softmax").name("head"));
    float[] before = other.getWeights().get(0).data();
    assertThatThrownBy(() -> other.loadWeights(file)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("has shape");
    assertThat(other.getWeights().get(0).data()).containsExactly(before);

    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
    float[] kept = fresh.getWeights().get(2).data();
    assertThatThrownBy(() -> fresh.loadWeights(cut)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(cut.toString());
    assertThat(fresh.getWeights().get(2).data()).containsExactly(kept);
    assertThatThrownBy(() -> fresh.loadWeights(dir.resolve("none"))).isInstanceOf(NoSuchFileException.class);
  }
}
