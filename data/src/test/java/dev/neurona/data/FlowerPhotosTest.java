package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TensorFlow flowers photos (a 1,615-photo, 5-class copy), where they are shared: next to the
 * project root ({@code ../shared/data/flower_photos}, as on CI), or in {@code /work/shared/data}.
 * Skipped when absent. Decodes every photo (a few seconds on 2 cores).
 */
class FlowerPhotosTest {
  static Path flowers() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("neurona.flowers");
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("data/pom.xml")) && Files.isRegularFile(d.resolve("core/pom.xml")) && d.getParent() != null) {
        candidates.add(d.getParent().resolve("shared/data/flower_photos")); // the project root's sibling
        break;
      }
    }
    candidates.add(Path.of("/work/shared/data/flower_photos"));
    for (Path c : candidates) {
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return null;
  }

  private static List<String> names(Path root, List<Path> files) {
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      out.add(root.relativize(f).toString().replace('\\', '/'));
    }
    return out;
  }

  @Test
  void everyPhotoLoadsAndTheSplitIsKeras() throws Exception {
    Path root = flowers();
    assumeTrue(root != null, "flower_photos not found next to the project root or in /work/shared/data");
    ImageFolder f = ImageFolder.load(root, ImageFolder.Options.defaults().imageSize(32, 32).validationSplit(0.2).seed(123));
    assertThat(f.classNames()).containsExactly("daisy", "dandelion", "roses", "sunflowers", "tulips");
    assertThat(f.fileCount()).isEqualTo(1615);
    assertThat(f.train().size()).isEqualTo(1292);
    assertThat(f.validation().size()).isEqualTo(323); // int(0.2 · 1615)
    assertThat(f.skipped()).isEmpty();
    // The two photos whose grey ICC profile makes the JDK's read() throw are decoded without the fallback.
    assertThat(f.fallbackDecoded()).isEmpty();
    assertThat(names(root, f.ignoredFiles())).containsExactly("LICENSE.txt");
    // Keras' split (index_directory + np.random.RandomState(123).shuffle, computed with numpy on this folder).
    List<String> train = names(root, f.trainFiles());
    List<String> val = names(root, f.validationFiles());
    assertThat(train.subList(0, 3)).containsExactly(
        "dandelion/2521827947_9d237779bb_n.jpg", "roses/22982871191_ec61e36939_n.jpg", "roses/16100313047_c2e23cbb3d_n.jpg");
    assertThat(train.get(1291)).isEqualTo("tulips/17295127995_62eff434fe_n.jpg");
    assertThat(val.subList(0, 3)).containsExactly(
        "sunflowers/17148843706_df148301ac_n.jpg", "sunflowers/5027895361_ace3b731e5_n.jpg", "tulips/4353419275_79d3904074_n.jpg");
    assertThat(val.get(322)).isEqualTo("tulips/5635348214_a4e2b19ffe.jpg");
  }
}
