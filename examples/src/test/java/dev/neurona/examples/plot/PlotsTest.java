package dev.neurona.examples.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

class PlotsTest {
  /** Insertion order fixes the colours (-1 first); Map.of's iteration order differs between JDKs. */
  private static final Map<Integer, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put(-1, "left");
    NAMES.put(1, "right");
  }

  @Test
  void decisionRegionsPaintEachSideInItsClassColour() {
    double[][] points = {{-2, 0}, {2, 0}};
    XYChart chart = Plots.decisionRegions("halves", "x", "y", points, new int[] {-1, 1}, NAMES,
        p -> p[0] < 0 ? -1 : 1, 100);
    BufferedImage img = BitmapEncoder.getBufferedImage(chart);
    assertThat(img.getWidth()).isEqualTo(Plots.WIDTH);
    // The plot spans x in [-3, 3], y in [-1, 1]; these pixels are well inside each half, below the points.
    int leftColour = Plots.light(Plots.PALETTE.get(0)).getRGB();
    int rightColour = Plots.light(Plots.PALETTE.get(1)).getRGB();
    // Most of an 11×11 patch (not one pixel: cell seams and grid lines fall differently across JDKs).
    assertThat(share(img, (int) (0.3 * Plots.WIDTH), (int) (0.75 * Plots.HEIGHT), leftColour)).isGreaterThan(0.5);
    assertThat(share(img, (int) (0.8 * Plots.WIDTH), (int) (0.75 * Plots.HEIGHT), rightColour)).isGreaterThan(0.5);
    assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
  }

  /** The fraction of the 11×11 patch around (cx, cy) painted exactly {@code rgb}. */
  private static double share(BufferedImage img, int cx, int cy, int rgb) {
    int hits = 0;
    for (int y = cy - 5; y <= cy + 5; y++) {
      for (int x = cx - 5; x <= cx + 5; x++) {
        hits += img.getRGB(x, y) == rgb ? 1 : 0;
      }
    }
    return hits / 121.0;
  }

  @Test
  void decisionRegionsRejectUnknownLabels() {
    double[][] points = {{0, 0}, {1, 1}};
    assertThatThrownBy(() -> Plots.decisionRegions("t", "x", "y", points, new int[] {-1, 0}, NAMES, p -> 1, 50))
        .hasMessageContaining("labels[1] = 0 is not one of");
    assertThatThrownBy(() -> Plots.decisionRegions("t", "x", "y", points, new int[] {-1, 1}, NAMES, p -> 7, 50))
        .hasMessageContaining("the classifier returned 7");
    assertThatThrownBy(() -> Plots.decisionRegions("t", "x", "y", points, new int[] {-1}, NAMES, p -> 1, 50))
        .hasMessageContaining("got 2 and 1");
    assertThatThrownBy(() -> Plots.decisionRegions("t", "x", "y", points, new int[] {-1, 1}, NAMES, p -> 1, 5))
        .hasMessageContaining("resolution must be in 10..1000, got 5");
  }

  @Test
  void lineChartChecksValuesForTheAxis() {
    Plots.Series ok = Plots.Series.overEpochs("cost", new double[] {3, 2, 1});
    assertThat(ok.x()).containsExactly(1, 2, 3);
    assertThat(Plots.lineChart("t", "epoch", "cost", true, List.of(ok)).getSeriesMap()).containsKey("cost");
    assertThatThrownBy(() -> Plots.lineChart("t", "epoch", "cost", true,
        List.of(Plots.Series.overEpochs("zeros", List.of(1, 0)))))
        .hasMessageContaining("series 'zeros' has y[1] = 0.0; a log axis needs finite values > 0");
    assertThatThrownBy(() -> Plots.lineChart("t", "epoch", "cost", false,
        List.of(Plots.Series.overEpochs("nan", new double[] {Double.NaN}))))
        .hasMessageContaining("y[0] = NaN");
    assertThatThrownBy(() -> new Plots.Series("bad", new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("got 2 and 1");
    assertThatThrownBy(() -> Plots.lineChart("t", "x", "y", false, List.of())).hasMessageContaining("no series");
  }

  @Test
  void savePngWritesExactlyTheNamedFile(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("a/b/chart.png");
    Plots.savePng(Plots.lineChart("t", "x", "y", false, List.of(Plots.Series.overEpochs("s", new double[] {1, 2}))), file);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).isGreaterThan(1000);
    assertThat(java.util.Arrays.copyOf(bytes, 8)).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
