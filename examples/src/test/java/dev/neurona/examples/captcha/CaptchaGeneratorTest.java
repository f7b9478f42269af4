package dev.neurona.examples.captcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import dev.neurona.data.ImageDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator: determinism by seed, the look of the images, how often they segment, and the
 * cached folders. (All captcha test classes start with {@code Captcha} so that
 * {@code -Dtest='Captcha*'} runs them together.)
 */
class CaptchaGeneratorTest {
  private static CaptchaGenerator generator;

  @BeforeAll
  static void font() throws IOException {
    generator = CaptchaGenerator.withDefaultFont();
  }

  @Test
  void sameSeedGivesTheSamePngBytes() throws IOException {
    CaptchaGenerator other = new CaptchaGenerator(generator.fontFile()); // a second instance, same font file
    for (int i = 0; i < 20; i++) {
      CaptchaGenerator.Captcha a = generator.captcha(7, i);
      CaptchaGenerator.Captcha b = other.captcha(7, i);
      assertThat(b.text()).isEqualTo(a.text());
      assertThat(CaptchaGenerator.png(b.image())).as("captcha %d", i).isEqualTo(CaptchaGenerator.png(a.image()));
    }
  }

  @Test
  void differentSeedsDiffer() {
    int sameText = 0;
    for (int i = 0; i < 20; i++) {
      CaptchaGenerator.Captcha a = generator.captcha(7, i);
      CaptchaGenerator.Captcha b = generator.captcha(8, i);
      sameText += a.text().equals(b.text()) ? 1 : 0;
      assertThat(CaptchaGenerator.png(b.image())).as("captcha %d", i).isNotEqualTo(CaptchaGenerator.png(a.image()));
    }
    assertThat(sameText).isLessThanOrEqualTo(1);
  }

  @Test
  void fourSymbolsOfTheAlphabetDarkOnLight() {
    assertThat(CaptchaGenerator.ALPHABET).hasSize(32).doesNotContain("I", "O", "0", "1");
    for (int i = 0; i < 50; i++) {
      CaptchaGenerator.Captcha c = generator.captcha(1, i);
      assertThat(c.text()).hasSize(4).matches("[2-9A-HJ-NP-Z]{4}");
      BufferedImage img = c.image();
      assertThat(img.getWidth()).isEqualTo(72);
      assertThat(img.getHeight()).isEqualTo(24);
      int[] v = GrayImage.of(img).levels();
      int dark = 0;
      long sum = 0;
      for (int x : v) {
        dark += x < 64 ? 1 : 0;
        sum += x;
      }
      assertThat(dark).as("ink pixels of %s", c.text()).isBetween(80, 700);
      assertThat(sum / (double) v.length).as("mean level of %s", c.text()).isGreaterThan(190);
      assertThat(v[0]).as("corner of %s", c.text()).isEqualTo(255);
    }
  }

  @Test
  void mostCaptchasSegmentIntoFourLettersAndSomeLettersTouch() {
    LetterExtractor ex = new LetterExtractor();
    int four = 0;
    int touching = 0;
    int n = 400;
    for (int i = 0; i < n; i++) {
      LetterExtractor.Segmentation s = ex.segment(GrayImage.of(generator.captcha(3, i).image()));
      four += s.has(4) ? 1 : 0;
      List<LetterExtractor.Box> b = s.boxes();
      for (int k = 1; k < b.size(); k++) {
        if (b.get(k).x() == b.get(k - 1).x() + b.get(k - 1).width() && b.get(k).y() == b.get(k - 1).y()) {
          touching++; // the two halves of a split box
          break;
        }
      }
    }
    assertThat(four).as("captchas giving 4 regions of %d", n).isGreaterThanOrEqualTo(n * 97 / 100);
    assertThat(touching).as("captchas with two joined letters of %d", n).isBetween(n / 100, n / 5);
  }

  @Test
  void renderRejectsSymbolsOutsideTheAlphabet() {
    assertThatThrownBy(() -> generator.render("AB0D", new SplittableRandom(1)))
        .hasMessageContaining("'0'").hasMessageContaining("AB0D");
  }

  @Test
  void foldersAreNamedByTextAndReusedWhenComplete(@TempDir Path root) throws IOException {
    CaptchaFolders.Generated g = CaptchaFolders.captchas(generator, 5, 40, root);
    assertThat(g.reused()).isFalse();
    assertThat(g.dir()).isEqualTo(root.resolve("5-40"));
    List<Path> files = CaptchaFolders.pngs(g.dir());
    assertThat(files).hasSize(40);
    for (int i = 0; i < 40; i++) {
      String text = generator.captcha(5, i).text();
      assertThat(files.stream().map(CaptchaFolders::textOf)).contains(text);
    }
    assertThat(CaptchaFolders.textOf(Path.of("x/2A2X.png"))).isEqualTo("2A2X");
    assertThat(CaptchaFolders.textOf(Path.of("2A2X_2.png"))).isEqualTo("2A2X");
    byte[] first = Files.readAllBytes(files.get(0));
    assertThat(CaptchaFolders.captchas(generator, 5, 40, root).reused()).isTrue();
    assertThat(Files.readAllBytes(files.get(0))).isEqualTo(first);
    try (Stream<Path> s = Files.list(root)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("5-40"); // no partial folder left
    }

    CaptchaFolders.Extracted e = CaptchaFolders.letters(g.dir(), new LetterExtractor(), 20);
    assertThat(e.captchas()).isEqualTo(40);
    assertThat(e.accepted() + e.rejected()).isEqualTo(40);
    assertThat(e.letters()).isEqualTo(4 * e.accepted());
    ImageDataset letters = CaptchaFolders.loadLetters(e.dir(), 20);
    assertThat(letters.size()).isEqualTo(e.letters());
    assertThat(letters.sampleShape()).isEqualTo(dev.neurona.core.Shape.of(20, 20, 1));
    assertThat(CaptchaFolders.letters(g.dir(), new LetterExtractor(), 20).reused()).isTrue();
    assertThat(CaptchaFolders.letters(g.dir(), new LetterExtractor(), 16).reused()).as("another size: cut again").isFalse();
  }

  /**
   * The letters read through ImageFolder are, in order, label and byte, what the example's own loader
   * gave before (each cut letter scaled by resizeToFit, symbol folders in name order, letters in the
   * order of their captchas): so the 75/25 split and the trained models are the same as before.
   */
  @Test
  void theImageFolderLoadGivesTheLettersTheOwnLoaderGave(@TempDir Path root) throws IOException {
    CaptchaFolders.Generated g = CaptchaFolders.captchas(generator, 8, 30, root);
    LetterExtractor extractor = new LetterExtractor();
    java.util.TreeMap<String, List<byte[]>> bySymbol = new java.util.TreeMap<>();
    for (Path f : CaptchaFolders.pngs(g.dir())) {
      List<GrayImage> cut = extractor.letters(GrayImage.read(f), CaptchaGenerator.LENGTH);
      String text = CaptchaFolders.textOf(f);
      if (cut == null || cut.size() != text.length()) {
        continue;
      }
      for (int k = 0; k < cut.size(); k++) {
        bySymbol.computeIfAbsent(String.valueOf(text.charAt(k)), s -> new java.util.ArrayList<>())
            .add(LetterExtractor.resizeToFit(cut.get(k), 20, 20).bytes());
      }
    }
    ImageDataset letters = CaptchaFolders.loadLetters(CaptchaFolders.letters(g.dir(), extractor, 20).dir(), 20);
    int i = 0;
    for (java.util.Map.Entry<String, List<byte[]>> e : bySymbol.entrySet()) {
      for (byte[] expected : e.getValue()) {
        assertThat(letters.classNames().get(letters.label(i))).isEqualTo(e.getKey());
        byte[] got = new byte[400];
        for (int y = 0; y < 20; y++) {
          for (int x = 0; x < 20; x++) {
            got[y * 20 + x] = (byte) letters.pixel(i, y, x, 0);
          }
        }
        assertThat(got).as("letter %d (%s)", i, e.getKey()).isEqualTo(expected);
        i++;
      }
    }
    assertThat(i).isEqualTo(letters.size()).isGreaterThan(80);
  }

  @Test
  void aFileThatIsNoFontIsNamed(@TempDir Path dir) throws IOException {
    Path bogus = Files.writeString(dir.resolve("bogus.ttf"), "not a font");
    assertThatThrownBy(() -> new CaptchaGenerator(bogus)).isInstanceOf(IOException.class)
        .hasMessageContaining(bogus.toString());
  }
}
