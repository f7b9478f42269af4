package dev.neurona.examples.captcha;

import dev.neurona.core.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;

/**
 * The captcha example's pictures, drawn with Java2D and XChart: feature-map grids (the tutorial's
 * matplotlib subplots) and, per model, a letter beside the bar chart of its class probabilities.
 */
final class CaptchaPlots {
  /** Columns of a feature-map grid (the tutorial's subplot is 6 × 6). */
  static final int GRID_COLUMNS = 6;

  /** matplotlib's default colour map, viridis, at five stops (interpolated linearly in between). */
  private static final int[][] VIRIDIS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

  private CaptchaPlots() {}

  /** One model's answer for {@link #predictions}: its name, the predicted symbol and the probabilities. */
  record Prediction(String model, String predicted, float[] probabilities) {}

  /**
   * The input letter then the first {@code count} channels of {@code maps (1, h, w, c)}, each scaled to
   * its own min..max and coloured with viridis, in a grid of {@value #GRID_COLUMNS} columns.
   */
  static Path featureMaps(GrayImage letter, Tensor maps, int count, String title, Path file) throws IOException {
    if (maps.rank() != 4 || maps.dim(0) != 1 || count < 1 || count > maps.dim(3)) {
      throw new IllegalArgumentException("CaptchaPlots.featureMaps: need (1, h, w, c) maps and 1 <= count <= c, got "
          + maps.shape() + " and " + count);
    }
    int h = maps.dim(1);
    int w = maps.dim(2);
    int c = maps.dim(3);
    int cell = 120;
    int pad = 12;
    int label = 18;
    int top = 50;
    int cells = count + 1;
    int rows = (cells + GRID_COLUMNS - 1) / GRID_COLUMNS;
    BufferedImage img = new BufferedImage(GRID_COLUMNS * (cell + pad) + pad, top + rows * (cell + label + pad) + pad,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    centered(g, title, img.getWidth() / 2, 32);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    float[] d = maps.data();
    for (int k = 0; k < cells; k++) {
      int x0 = pad + (k % GRID_COLUMNS) * (cell + pad);
      int y0 = top + (k / GRID_COLUMNS) * (cell + label + pad);
      if (k == 0) {
        drawGray(g, letter, x0, y0, cell);
        g.setColor(Color.BLACK);
        centered(g, "input", x0 + cell / 2, y0 + cell + 14);
        continue;
      }
      int ch = k - 1;
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < h * w; i++) {
        float v = d[i * c + ch];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      double span = hi > lo ? hi - lo : 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double f = (d[(y * w + x) * c + ch] - lo) / span;
          g.setColor(viridis(f));
          g.fillRect(x0 + x * cell / w, y0 + y * cell / h, (x + 1) * cell / w - x * cell / w, (y + 1) * cell / h - y * cell / h);
        }
      }
      g.setColor(Color.BLACK);
      centered(g, String.format(Locale.ROOT, "#%d  max %.2f", ch, hi), x0 + cell / 2, y0 + cell + 14);
    }
    g.dispose();
    return write(img, file);
  }

  /**
   * Under {@code heading}, one row per model: the letter, titled with the predicted symbol (green when
   * right, red when wrong), beside a bar chart of the probabilities of {@code classes}.
   */
  static Path predictions(String heading, GrayImage letter, String truth, List<Prediction> rows, List<String> classes,
      Path file) throws IOException {
    int chartW = 760;
    int chartH = 260;
    int imgSide = 180;
    int pad = 16;
    int titleH = 26;
    int top = 44;
    BufferedImage img = new BufferedImage(pad + imgSide + pad + chartW + pad, top + rows.size() * (chartH + pad),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    centered(g, heading, img.getWidth() / 2, 30);
    for (int r = 0; r < rows.size(); r++) {
      Prediction p = rows.get(r);
      if (p.probabilities().length != classes.size()) {
        throw new IllegalArgumentException("CaptchaPlots.predictions: " + p.model() + " has " + p.probabilities().length
            + " probabilities for " + classes.size() + " classes");
      }
      int y0 = top + r * (chartH + pad);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.setColor(p.predicted().equals(truth) ? new Color(0x1F5F1F) : new Color(0xB01818));
      centered(g, p.model() + ": \"" + p.predicted() + "\"", pad + imgSide / 2, y0 + 18);
      drawGray(g, letter, pad, y0 + titleH + (chartH - titleH - imgSide) / 2, imgSide);

      CategoryChart chart = new CategoryChartBuilder().width(chartW).height(chartH)
          .title(String.format(Locale.ROOT, "%s: class probabilities (true symbol %s)", p.model(), truth))
          .xAxisTitle("symbol").yAxisTitle("probability").build();
      CategoryStyler st = chart.getStyler();
      st.setLegendVisible(false);
      st.setChartBackgroundColor(Color.WHITE);
      st.setPlotBackgroundColor(Color.WHITE);
      st.setPlotGridVerticalLinesVisible(false);
      st.setYAxisMin(0.0);
      st.setYAxisMax(1.0);
      st.setYAxisDecimalPattern("0.0");
      st.setAvailableSpaceFill(0.7);
      st.setSeriesColors(new Color[] {new Color(0x1F77B4)});
      List<Double> ys = new ArrayList<>();
      for (float v : p.probabilities()) {
        ys.add((double) v);
      }
      chart.addSeries("probability", classes, ys);
      g.drawImage(BitmapEncoder.getBufferedImage(chart), pad + imgSide + pad, y0, null);
    }
    g.dispose();
    return write(img, file);
  }

  /** A level image scaled (nearest neighbour) into a {@code side × side} square, framed in grey. */
  private static void drawGray(Graphics2D g, GrayImage img, int x0, int y0, int side) {
    int w = img.width();
    int h = img.height();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = img.get(x, y);
        g.setColor(new Color(v, v, v));
        g.fillRect(x0 + x * side / w, y0 + y * side / h, (x + 1) * side / w - x * side / w, (y + 1) * side / h - y * side / h);
      }
    }
    g.setColor(new Color(170, 170, 170));
    g.drawRect(x0, y0, side, side);
  }

  static Color viridis(double f) {
    double t = Math.max(0, Math.min(1, f)) * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) t);
    double u = t - i;
    int[] a = VIRIDIS[i];
    int[] b = VIRIDIS[i + 1];
    return new Color((int) Math.round(a[0] + (b[0] - a[0]) * u), (int) Math.round(a[1] + (b[1] - a[1]) * u),
        (int) Math.round(a[2] + (b[2] - a[2]) * u));
  }

  private static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    return g;
  }

  private static void centered(Graphics2D g, String s, int cx, int baseline) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
  }

  private static Path write(BufferedImage img, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
    return file;
  }
}
