package dev.neurona.examples.captcha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.examples.captcha.LetterExtractor.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The segmentation on crafted images: white 72×24 captchas with black rectangles for letters. Boxes
 * are in the coordinates of the image with its 8-pixel border. Also {@link LetterExtractor#resizeToFit}
 * against hand-computed results.
 */
class CaptchaLetterExtractorTest {
  private final LetterExtractor ex = new LetterExtractor();

  private static GrayImage blank() {
    return new GrayImage(72, 24, 255);
  }

  private static void rect(GrayImage g, int x, int y, int w, int h) {
    for (int yy = y; yy < y + h; yy++) {
      for (int xx = x; xx < x + w; xx++) {
        g.set(xx, yy, 0);
      }
    }
  }

  @Test
  void fourSeparateLettersSortedLeftToRight() {
    GrayImage g = blank();
    rect(g, 50, 5, 8, 12); // drawn out of order: the result is sorted by x
    rect(g, 4, 6, 9, 13);
    rect(g, 36, 4, 7, 14);
    rect(g, 20, 5, 10, 12);
    LetterExtractor.Segmentation s = ex.segment(g);
    assertThat(s.boxes()).containsExactly(new Box(12, 14, 9, 13), new Box(28, 13, 10, 12), new Box(44, 12, 7, 14),
        new Box(58, 13, 8, 12));
    List<GrayImage> letters = s.letters();
    assertThat(letters).hasSize(4);
    assertThat(letters.get(0).width()).isEqualTo(9 + 4); // 2-pixel margin on each side
    assertThat(letters.get(0).height()).isEqualTo(13 + 4);
    assertThat(letters.get(0).get(0, 0)).isEqualTo(255);
    assertThat(letters.get(0).get(2, 2)).isEqualTo(0);
  }

  @Test
  void twoTouchingLettersAreSplitIntoHalves() {
    GrayImage g = blank();
    rect(g, 4, 6, 9, 12);
    rect(g, 20, 6, 15, 12); // 15 × 12: w/h = 1.25, not above the ratio: one letter
    rect(g, 40, 5, 9, 12); // two letters joined by a bar: 9 + 3 + 9 = 21 wide, 12 tall
    rect(g, 49, 10, 3, 2);
    rect(g, 52, 5, 9, 12);
    LetterExtractor.Segmentation s = ex.segment(g);
    assertThat(s.boxes()).containsExactly(new Box(12, 14, 9, 12), new Box(28, 14, 15, 12), new Box(48, 13, 10, 12),
        new Box(58, 13, 10, 12));
    assertThat(ex.letters(g, 4)).hasSize(4);
  }

  @Test
  void aSpeckCountsAsARegionSoTheCaptchaIsRejected() {
    GrayImage g = blank();
    rect(g, 4, 6, 9, 12);
    rect(g, 20, 6, 9, 12);
    rect(g, 36, 6, 9, 12);
    rect(g, 52, 6, 9, 12);
    assertThat(ex.letters(g, 4)).hasSize(4);
    g.set(66, 2, 0); // one stray dark pixel, as the tutorial (every outer contour counts)
    assertThat(ex.segment(g).boxes()).hasSize(5);
    assertThat(ex.letters(g, 4)).isNull();
  }

  @Test
  void tooFewRegionsAreRejected() {
    GrayImage g = blank();
    rect(g, 4, 6, 9, 12);
    rect(g, 20, 6, 9, 12);
    rect(g, 36, 6, 9, 12);
    assertThat(ex.segment(g).boxes()).hasSize(3);
    assertThat(ex.letters(g, 4)).isNull();
    assertThat(ex.segment(blank()).boxes()).isEmpty();
  }

  @Test
  void aBlobInsideALettersHoleHasNoOuterContour() {
    GrayImage g = blank();
    rect(g, 4, 6, 10, 12); // a ring: a 10×12 frame 2 pixels thick with a dot in its hole
    for (int y = 8; y < 16; y++) {
      for (int x = 6; x < 12; x++) {
        g.set(x, y, 255);
      }
    }
    g.set(9, 11, 0);
    rect(g, 20, 6, 9, 12);
    rect(g, 36, 6, 9, 12);
    rect(g, 52, 6, 9, 12);
    assertThat(ex.segment(g).boxes()).hasSize(4).first().isEqualTo(new Box(12, 14, 10, 12));
  }

  @Test
  void diagonalNeighboursAreOneBlob() {
    GrayImage g = blank();
    rect(g, 10, 10, 2, 2);
    rect(g, 12, 12, 2, 2); // touches the first only at a corner: 8-connected
    assertThat(ex.segment(g).boxes()).containsExactly(new Box(18, 18, 4, 4));
  }

  @Test
  void otsuSplitsTwoLevels() {
    GrayImage g = blank();
    rect(g, 0, 0, 30, 24);
    for (int x = 30; x < 40; x++) {
      g.set(x, 0, 128);
    }
    int t = LetterExtractor.otsuThreshold(g);
    assertThat(t).isGreaterThanOrEqualTo(0).isLessThan(255);
    assertThat(LetterExtractor.otsuThreshold(new GrayImage(5, 5, 200))).isZero();
    // 0 and 255 only: OpenCV's answer is the first level that separates them, 0.
    GrayImage two = blank();
    rect(two, 0, 0, 10, 10);
    assertThat(LetterExtractor.otsuThreshold(two)).isZero();
  }

  @Test
  void resizeToFitAWideImageScalesItsWidthAndPadsRowsByReplication() {
    // 10 wide, 5 tall, row y at level 50·y: scaled to 20×10 (bilinear, ×2), then 5 rows replicated above and below.
    int[][] rows = new int[5][10];
    for (int y = 0; y < 5; y++) {
      java.util.Arrays.fill(rows[y], 50 * y);
    }
    GrayImage r = LetterExtractor.resizeToFit(GrayImage.of(rows), 20, 20);
    assertThat(r.width()).isEqualTo(20);
    assertThat(r.height()).isEqualTo(20);
    int[] expected = {0, 0, 0, 0, 0, 0, 13, 38, 63, 88, 113, 138, 163, 188, 200, 200, 200, 200, 200, 200};
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        assertThat(r.get(x, y)).as("(%d, %d)", x, y).isEqualTo(expected[y]);
      }
    }
  }

  @Test
  void resizeToFitATallImagePadsColumns() {
    // 5 wide, 10 tall, column x at level 40·x: height already 20 after ×2; 5 columns each side replicated.
    int[][] rows = new int[10][5];
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 5; x++) {
        rows[y][x] = 40 * x;
      }
    }
    GrayImage r = LetterExtractor.resizeToFit(GrayImage.of(rows), 20, 20);
    int[] expected = {0, 0, 0, 0, 0, 0, 10, 30, 50, 70, 90, 110, 130, 150, 160, 160, 160, 160, 160, 160};
    for (int x = 0; x < 20; x++) {
      assertThat(r.get(x, 7)).as("column %d", x).isEqualTo(expected[x]);
    }
  }

  @Test
  void resizeToFitAveragesWhenShrinking() {
    // 40×40: 2×2 blocks alternate 0 / 200, so halving gives a one-pixel checkerboard of 0 / 200 ...
    int[][] blocks = new int[40][40];
    int[][] pixels = new int[40][40];
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        blocks[y][x] = ((x / 2) + (y / 2)) % 2 == 0 ? 0 : 200;
        pixels[y][x] = (x + y) % 2 == 0 ? 0 : 200;
      }
    }
    GrayImage b = LetterExtractor.resizeToFit(GrayImage.of(blocks), 20, 20);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        assertThat(b.get(x, y)).isEqualTo((x + y) % 2 == 0 ? 0 : 200);
      }
    }
    // ... and a one-pixel checkerboard averages to flat 100.
    GrayImage p = LetterExtractor.resizeToFit(GrayImage.of(pixels), 20, 20);
    assertThat(p.levels()).containsOnly(100);
  }

  @Test
  void resizeToFitWithOddPaddingEndsExactlyAtTheTargetSize() {
    GrayImage r = LetterExtractor.resizeToFit(new GrayImage(13, 4, 90), 20, 20); // 20×6 content, pad 7 + 7 = 20
    assertThat(r.width()).isEqualTo(20);
    assertThat(r.height()).isEqualTo(20);
    assertThat(r.levels()).containsOnly(90);
    GrayImage q = LetterExtractor.resizeToFit(new GrayImage(7, 15, 30), 20, 20); // 9×20 content, pad 5 + 5 = 19 → 20
    assertThat(q.width()).isEqualTo(20);
    assertThat(q.levels()).containsOnly(30);
  }
}
