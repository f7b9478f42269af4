package dev.neurona.examples.cifar10;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.DatasetUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cifar10 example's wiring on a tiny synthetic CIFAR-10 (real binary format, 8 images per
 * training batch, 10 test images): one epoch runs, prints what the tutorial prints and writes its files;
 * without the data it says how to get it. The full training needs the real 170 MB download.
 */
class Cifar10ExampleTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
  private final Map<String, String> env = new HashMap<>();

  private String printed() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Six batch files of 3,073-byte records: label, then 32×32 red, green, blue planes (each class a colour). */
  private Path syntheticCifar(Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
    Random rng = new Random(3);
    List<String> files = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin");
    for (String f : files) {
      int n = f.startsWith("test") ? 10 : 8;
      byte[] b = new byte[n * 3073];
      for (int r = 0; r < n; r++) {
        int label = rng.nextInt(10);
        b[r * 3073] = (byte) label;
        for (int p = 0; p < 3072; p++) {
          b[r * 3073 + 1 + p] = (byte) (25 * label + rng.nextInt(20));
        }
      }
      Files.write(folder.resolve(f), b);
    }
    return dir;
  }

  @Test
  void oneEpochOnATinySetPrintsTheTutorialsOutputAndWritesItsFiles() throws Exception {
    Path data = syntheticCifar(tmp.resolve("data"));
    Path out = tmp.resolve("out");
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    int code = Cifar10Example.run(new String[] {"--data", data.toString(), "--out", out.toString(), "--epochs", "1",
        "--batch-size", "8"}, ps, ps, env::get);
    String text = printed();
    assertThat(code).as(text).isZero();
    assertThat(text).contains("data: CIFAR-10: reading " + data.resolve("cifar-10-batches-bin"),
        "data: 40 training, 10 test images of (32, 32, 3)",
        "class names: [airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck]",
        "Total params: 122,570", "Epoch 1/1", "val_accuracy", "macro avg");
    Matcher m = Pattern.compile("(?m)^model: (.*model\\.zip), (\\d+\\.\\d) MB \\(0\\.5 MB of weights; the rest is the"
        + " optimizer's state, to resume training\\)$").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    double mb = Files.size(out.resolve("model.zip")) / 1e6;
    assertThat(m.group(2)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", mb));
    assertThat(mb).as("weights + Adam's two moments: 3 x 122,570 floats").isBetween(1.47, 1.50);
    assertThat(text).containsPattern("(?m)^test accuracy: 0\\.\\d{4} \\(\\d+/10\\)$");
    for (String f : new String[] {"model.zip", "history.csv", "classification_report.txt", "accuracy.png"}) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
    }
    assertThat(Files.readString(out.resolve("history.csv"))).startsWith("epoch,loss,accuracy,val_loss,val_accuracy");
  }

  @Test
  void withoutTheDataItSaysHowToGetIt() throws Exception {
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    env.put("NEURONA_OFFLINE", "1");
    String[] args = {"--out", tmp.resolve("o").toString()};
    assertThatThrownBy(() -> Cifar10Example.run(args, ps, ps, env::get))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("CIFAR-10 is not available")
        .hasMessageContaining("--data DIR")
        .hasMessageContaining("curl -fL -o '" + tmp.resolve("cache/neurona/cifar10/cifar-10-binary.tar.gz")
            + "' https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    Path missing = tmp.resolve("nowhere");
    assertThatThrownBy(() -> Cifar10Example.run(new String[] {"--data", missing.toString()}, ps, ps, env::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--data " + missing + ": no such directory");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    env.remove("NEURONA_OFFLINE");
    assertThatThrownBy(() -> Cifar10Example.run(new String[] {"--data", empty.toString(), "--out", tmp.resolve("o").toString()},
        ps, ps, env::get))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("CIFAR-10 is not in the directory you named, " + empty)
        .hasMessageContaining("nothing is downloaded");
    assertThat(printed()).doesNotContain("Epoch");
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> Cifar10Example.parse(new String[] {"--epochs", "0"})).hasMessageContaining("--epochs")
        .hasMessageContaining("'0'");
    assertThatThrownBy(() -> Cifar10Example.parse(new String[] {"--model", "x"})).hasMessageContaining("unknown option --model");
    assertThatThrownBy(() -> Cifar10Example.parse(new String[] {"--lr"})).hasMessageContaining("--lr needs a value");
    assertThat(Cifar10Example.parse(new String[] {"--help"})).isNull();
    Cifar10Example.Options o = Cifar10Example.parse(new String[0]);
    assertThat(o.epochs).isEqualTo(10);
    assertThat(o.batchSize).isEqualTo(32);
    assertThat(Cifar10Example.usage()).contains("--data DIR", "NEURONA_OFFLINE=1");
  }
}
