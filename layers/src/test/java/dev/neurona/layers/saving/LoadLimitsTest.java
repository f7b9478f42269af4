package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading checks every size before allocating: hostile or damaged files end in a
 * {@link ModelFormatException} naming the file and the entry, never in an OutOfMemoryError, an
 * IllegalArgumentException or a bare EOFException.
 */
class LoadLimitsTest {
  @TempDir
  Path dir;

  private Path saved(Sequential m, String name) throws IOException {
    Path f = dir.resolve(name);
    m.save(f);
    return f;
  }

  @Test
  void aSmallFileDeclaringAHugeDenseFailsBeforeAnyWeightIsAllocated() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    // 4 x 500,000,000 floats = 8 GB: building the layer would be an OutOfMemoryError at any test heap.
    Path f = SavedModels.editJson(src, dir.resolve("huge.zip"), "config.json",
        c -> SavedModels.layerConfig(c, 0).put("units", 500_000_000L));
    assertThat(Files.size(f)).isLessThan(4096);
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": model.safetensors: layer 'dense' (Dense) of config.json creates weight"
            + " 'dense.kernel' of shape (4, 500000000) (2000000000 floats), but the file's tensor has shape (4, 3)");
    // Past 2^31 elements: the shape itself is refused.
    Path g = SavedModels.editJson(src, dir.resolve("huger.zip"), "config.json",
        c -> SavedModels.layerConfig(c, 0).put("units", 2_000_000_000L));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(g + ": config.json: cannot rebuild the model").hasMessageContaining("2^31");
  }

  @Test
  void everyWeightShapeALayerDeclaresIsWhatItsBuildCreates() {
    Shape image = Shape.of(9, 7, 3);
    List<Object[]> cases = List.of(new Object[] {new Dense(5), Shape.of(6)},
        new Object[] {new Dense(5).useBias(false), Shape.of(6)},
        new Object[] {new Conv2D(4, 3, "same", "relu"), image},
        new Object[] {new Conv2D(2, new int[] {2, 3}, new int[] {2, 1}, "valid", "linear").useBias(false), image});
    for (Object[] c : cases) {
      Layer l = (Layer) c[0];
      Shape in = (Shape) c[1];
      Map<String, Shape> declared = l.weightShapes(in);
      l.name("x").build(in, 1);
      Map<String, Shape> built = new LinkedHashMap<>();
      for (Parameter p : l.parameters()) {
        built.put(p.name().substring("x.".length()), p.shape());
      }
      assertThat(declared).as("%s", l).containsExactlyEntriesOf(built);
    }
    assertThatThrownBy(() -> new Dense(5).weightShapes(Shape.of(2, 3))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Flatten");
  }

  @Test
  void aConfigThatInflatesTo100MbFailsAfterReadingAtMostTheCap() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    Map<String, byte[]> entries = ModelFileTest.readZip(src);
    byte[] cfg = entries.get("config.json");
    Path bomb = dir.resolve("bomb.zip");
    try (OutputStream os = Files.newOutputStream(bomb); ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("metadata.json"));
      zip.write(entries.get("metadata.json"));
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write(cfg, 0, cfg.length - 2);
      byte[] spaces = new byte[1 << 20];
      Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 100; i++) {
        zip.write(spaces);
      }
      zip.write(cfg, cfg.length - 2, 2);
      zip.putNextEntry(new ZipEntry("model.safetensors"));
      zip.write(entries.get("model.safetensors"));
      zip.closeEntry();
    }
    assertThat(Files.size(bomb)).isLessThan(200_000);
    assertThatThrownBy(() -> Sequential.load(bomb)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(bomb + ": config.json is 104858") // the size the zip records
        .hasMessageContaining("more than the 4194304");

    // The same entry with its recorded size rewritten to look small: inflating stops at the cap.
    byte[] b = Files.readAllBytes(bomb);
    setCentralDirectorySize(b, "config.json", cfg.length);
    Path liar = Files.write(dir.resolve("liar.zip"), b);
    long start = System.nanoTime();
    assertThatThrownBy(() -> Sequential.load(liar)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(liar + ": config.json inflates to more than the 4194304 bytes");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(5);
  }

  /** Sets the uncompressed size the central directory records for {@code name}. */
  private static void setCentralDirectorySize(byte[] zip, String name, int size) {
    ByteBuffer bb = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 + n.length <= zip.length; i++) {
      if (bb.getInt(i) == 0x02014b50 && (bb.getShort(i + 28) & 0xFFFF) == n.length
          && Arrays.equals(Arrays.copyOfRange(zip, i + 46, i + 46 + n.length), n)) {
        bb.putInt(i + 24, size);
        return;
      }
    }
    throw new AssertionError("no central directory entry " + name);
  }

  @Test
  void aTensorEntryClaimingMoreThanItsBytesCanHoldIsRejectedUpFront() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    byte[] b = Files.readAllBytes(src);
    // model.safetensors is stored: a recorded size beyond the file's length cannot be true.
    setCentralDirectorySize(b, "model.safetensors", 1 << 30);
    Path f = Files.write(dir.resolve("big-claim.zip"), b);
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": model.safetensors: the zip says the entry inflates to 1073741824 bytes");
  }

  @Test
  void anOverflowingShapeIsAModelFormatExceptionNotAnIllegalArgumentException() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    Path f = SavedModels.editBytes(src, dir.resolve("overflow.zip"), "model.safetensors",
        b -> SavedModels.withHeader(b, h -> h.replace("\"shape\":[4,3]", "\"shape\":[2147483647,2147483647]")));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": model.safetensors: tensor 'dense.kernel'").hasMessageContaining("2^31");
    Path g = SavedModels.editBytes(src, dir.resolve("long.zip"), "model.safetensors",
        b -> SavedModels.withHeader(b, h -> h.replace("\"shape\":[4,3]", "\"shape\":[4294967296,1]")));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("must be a list of non-negative integers");
    Path h = SavedModels.editBytes(src, dir.resolve("header.zip"), "model.safetensors", b -> {
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MIN_VALUE);
      return b;
    });
    assertThatThrownBy(() -> Sequential.load(h)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("header length -9223372036854775808");
  }

  @Test
  void aZipCutAnywhereFailsNamingTheFileAndWhereItStops() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    byte[] b = Files.readAllBytes(src);
    int namedEntries = 0;
    for (int cut = 0; cut < b.length; cut += 7) {
      Path f = Files.write(dir.resolve("cut" + cut + ".zip"), Arrays.copyOf(b, cut));
      try {
        Sequential.load(f);
        throw new AssertionError("a file cut at " + cut + " of " + b.length + " bytes loaded");
      } catch (ModelFormatException e) {
        assertThat(e.getMessage()).contains(f.toString());
        namedEntries += e.getMessage().contains(" entry ") ? 1 : 0;
      }
    }
    assertThat(namedEntries).isGreaterThan(b.length / 7 / 2);
    int inWeights = indexOf(b, "model.safetensors".getBytes(StandardCharsets.UTF_8)) + 100;
    Path f = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(b, inWeights));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": not a Neurona model file: not a readable zip")
        .hasMessageContaining("is truncated or corrupt inside entry model.safetensors");
  }

  @Test
  void nanOrInfiniteWeightsAndOptimizerStateAreRejectedNamingTheTensor() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    Path nan = SavedModels.setFloat(src, dir.resolve("nan.zip"), "model.safetensors", 13, Float.NaN);
    assertThatThrownBy(() -> Sequential.load(nan)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(nan + ": model.safetensors: tensor 'dense.bias' holds NaN at index 1 of 3");
    Path inf = SavedModels.setFloat(src, dir.resolve("inf.zip"), "optimizer.safetensors", 0, Float.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> Sequential.load(inf)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(inf + ": optimizer.safetensors: tensor 'dense.bias/m' holds -Infinity at index 0 of 3");
  }

  @Test
  void optimizerStateIsCheckedAgainstTheHeaderBeforeItIsAllocated() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    Path twice = SavedModels.editJson(src, dir.resolve("twice.zip"), "optimizer.json", o -> {
      @SuppressWarnings("unchecked")
      List<Object> state = (List<Object>) o.get("state");
      state.add(state.get(0));
    });
    assertThatThrownBy(() -> Sequential.load(twice)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(twice + ": optimizer.json: state tensor \"dense.bias/m\" is listed twice");
    Path notThere = SavedModels.editJson(src, dir.resolve("absent.zip"), "optimizer.json", o -> {
      @SuppressWarnings("unchecked")
      List<Object> state = (List<Object>) o.get("state");
      state.add("dense.kernel/extra");
    });
    assertThatThrownBy(() -> Sequential.load(notThere)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(notThere + ": optimizer.safetensors: tensors do not match")
        .hasMessageContaining("missing [dense.kernel/extra]");
  }

  @Test
  void jsonNumbersBeyondTheirRangeAreErrorsNotInfinitiesOrWrappedValues() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    Path f = SavedModels.editBytes(src, dir.resolve("e999.zip"), "optimizer.json",
        b -> new String(b, StandardCharsets.UTF_8).replaceFirst("\"epsilon\": [0-9.E-]+", "\"epsilon\": 1e999")
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": optimizer.json is not valid").hasMessageContaining("number 1e999 is out of range");
    Path g = SavedModels.editBytes(src, dir.resolve("seed.zip"), "config.json",
        b -> new String(b, StandardCharsets.UTF_8).replaceFirst("\"seed\": 1", "\"seed\": 99999999999999999999")
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Sequential.load(g)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("integer 99999999999999999999 does not fit in 64 bits");
  }

  @Test
  void aTruncatedOrCorruptDeflatedEntryNamesTheEntry() throws IOException {
    Path src = saved(SavedModels.small(), "small.zip");
    byte[] b = Files.readAllBytes(src);
    // Corrupt the deflated bytes of config.json (the second entry): the zip's directory is intact.
    int at = indexOf(b, "config.json".getBytes(StandardCharsets.UTF_8)) + "config.json".length() + 10;
    for (int i = at; i < at + 40; i++) {
      b[i] = (byte) 0xFF;
    }
    Path f = Files.write(dir.resolve("deflate.zip"), b);
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": config.json");
  }

  @Test
  void aCompressedTensorEntryIsInflatedToItsEndBeforeItsTensorsAreAllocated() throws IOException {
    Path src = saved(SavedModels.everyLayer(), "every.zip");
    Path deflated = dir.resolve("deflated.zip");
    ModelFileTest.writeZip(deflated, ModelFileTest.readZip(src)); // every entry deflated
    assertThat(Sequential.load(deflated).countParams()).isEqualTo(SavedModels.everyLayer().countParams());
    byte[] b = Files.readAllBytes(deflated);
    int at = indexOf(b, "model.safetensors".getBytes(StandardCharsets.UTF_8)) + 400; // past the header
    for (int i = at; i < at + 64; i++) {
      b[i] ^= 0x55;
    }
    Path f = Files.write(dir.resolve("corrupt-deflated.zip"), b);
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(f + ": model.safetensors is truncated or corrupt");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void anySafetensorsEntryCanBeReadWholeThroughTheSameChecks() throws IOException {
    Sequential m = SavedModels.small();
    Path f = saved(m, "small.zip");
    try (ModelZip zip = ModelZip.open(f)) {
      Map<String, Tensor> weights = zip.tensors("model.safetensors");
      assertThat(weights.keySet()).containsExactlyInAnyOrder("dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias");
      for (Parameter p : m.parameters()) {
        assertThat(weights.get(p.name()).data()).containsExactly(p.value().data());
      }
      assertThat(zip.json("metadata.json")).containsEntry("format", "neurona.sequential");
      assertThat(zip.has("optimizer.json")).isTrue();
      assertThat(zip.has("training_state.json")).isFalse();
      assertThatThrownBy(() -> zip.json("training_state.json")).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("missing entry training_state.json");
    }
  }

  @Test
  void aDirectoryOrAMissingFileIsNamed() {
    assertThatThrownBy(() -> Sequential.load(dir)).isInstanceOf(java.nio.file.FileSystemException.class)
        .hasMessageContaining(dir.toString()).hasMessageContaining("is a directory, not a model file");
    Path absent = dir.resolve("absent.zip");
    assertThatThrownBy(() -> Sequential.load(absent)).isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining(absent.toString());
  }
}
