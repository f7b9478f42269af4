package dev.neurona.layers.saving;

import dev.neurona.layers.Dense;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.LearningRateSchedule;
import dev.neurona.optim.SGD;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the seed inputs of {@link ModelFileFuzzTest} into {@code src/test/resources}: a few valid
 * model files and a few that are nearly valid. Not part of the build; run it after a format change:
 * {@code mvn -pl layers test -Dtest=ModelFileFuzzSeeds -Dneurona.writeFuzzSeeds=true}.
 */
@EnabledIfSystemProperty(named = "neurona.writeFuzzSeeds", matches = "true")
class ModelFileFuzzSeeds {
  private static final Path INPUTS = Path.of("src/test/resources/dev/neurona/layers/saving/ModelFileFuzzTestInputs");

  @TempDir
  Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void writeSeeds() throws IOException {
    Path small = save(SavedModels.small(), "small.zip");
    Path every = save(SavedModels.everyLayer(), "every-layer.zip");
    Sequential sgd = new Sequential(2).input(3).add(new Dense(2, "sigmoid"));
    sgd.compile(SGD.builder().schedule(LearningRateSchedule.exponential(0.1, 10, 0.5, false).withWarmup(3))
        .momentum(0.9).nesterov(true).build(), "binary_crossentropy");
    Path schedule = save(sgd, "sgd-schedule-no-steps.zip");
    Path plain = save(new Sequential(3).input(2, 2).add(new dev.neurona.layers.Flatten()).add(new Dense(1)), "no-optimizer.zip");
    Path named = save(new Sequential(4).input(3).add(new Dense(3, "softmax")).classNames(java.util.List.of("a", "b", "c"))
        .metadata("note", "saved with class names"), "class-names.zip");
    Path nan = SavedModels.setFloat(small, dir.resolve("nan-weight.zip"), "model.safetensors", 2, Float.NaN);
    Path huge = SavedModels.editJson(small, dir.resolve("huge-dense.zip"), "config.json",
        c -> SavedModels.layerConfig(c, 0).put("units", 500_000_000L));
    Path typo = SavedModels.editJson(small, dir.resolve("typo-key.zip"), "config.json",
        c -> SavedModels.layerConfig(c, 1).put("activatoin", "softmax"));
    Path epsilon = SavedModels.editJson(small, dir.resolve("epsilon-1e300.zip"), "optimizer.json",
        o -> ((Map<String, Object>) o.get("config")).put("epsilon", 1e300));

    Path raw = Files.createDirectories(INPUTS.resolve("loadRawBytes"));
    for (Path p : new Path[] {small, every, schedule, plain, named, nan, huge}) {
      Files.copy(p, raw.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] b = Files.readAllBytes(small);
    Files.write(raw.resolve("small-cut-in-half.zip"), Arrays.copyOf(b, b.length / 2));

    Path entries = Files.createDirectories(INPUTS.resolve("loadZipOfEntries"));
    for (Path p : new Path[] {small, every, schedule, plain, named, nan, huge, typo, epsilon}) {
      Files.write(entries.resolve(p.getFileName().toString().replace(".zip", ".entries")), asEntries(p));
    }
  }

  private Path save(Sequential m, String name) throws IOException {
    Path f = dir.resolve(name);
    m.save(f);
    return f;
  }

  /** A model file in {@link ModelFileFuzzTest#entries}' form, safetensors headers as editable JSON lines. */
  private static byte[] asEntries(Path zip) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean first = true;
    for (Map.Entry<String, byte[]> e : ModelFileTest.readZip(zip).entrySet()) {
      out.writeBytes(((first ? "" : "\n") + "@@ " + e.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
      first = false;
      byte[] c = e.getValue();
      if (e.getKey().endsWith(".safetensors")) {
        int n = (int) ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        out.writeBytes(new String(c, 8, n, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.write(c, 8 + n, c.length - 8 - n);
      } else {
        out.writeBytes(c);
      }
    }
    return out.toByteArray();
  }
}
