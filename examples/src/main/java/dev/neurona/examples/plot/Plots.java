package dev.neurona.examples.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Small, general charts for the examples, written as PNG files: line charts of per-epoch histories
 * (optionally on a log y axis) and 2-D decision-region plots drawn with XChart, several charts side
 * by side, and a confusion-matrix heatmap drawn with Java2D. Everything renders off-screen; loading
 * this class turns on {@code java.awt.headless} unless it was set explicitly.
 *
 * <pre>{@code
 * XYChart c = Plots.lineChart("Perceptron", "Epoch", "Errors", false,
 *     List.of(Plots.Series.overEpochs("errors", p.errors())));
 * Plots.savePng(c, Path.of("out/iris/perceptron_errors.png"));
 * }</pre>
 */
public final class Plots {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Chart width in pixels. */
  public static final int WIDTH = 800;
  /** Chart height in pixels. */
  public static final int HEIGHT = 560;

  /** Class colours (the tutorial's red, blue, light green, grey, cyan), then series colours. */
  public static final List<Color> PALETTE = List.of(
      new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x7F7F7F),
      new Color(0x17BECF), new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B));

  private static final List<Marker> CLASS_MARKERS = List.of(
      SeriesMarkers.SQUARE, SeriesMarkers.CROSS, SeriesMarkers.CIRCLE, SeriesMarkers.TRIANGLE_UP,
      SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.DIAMOND, SeriesMarkers.PLUS, SeriesMarkers.OVAL);

  private Plots() {}

  /** A named line: {@code y[i]} over {@code x[i]}. */
  public record Series(String name, double[] x, double[] y) {
    /** Checks that the name is set and x, y are non-empty and of equal length. */
    public Series {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("Plots.Series: name is blank");
      }
      if (x == null || y == null || x.length != y.length || x.length == 0) {
        throw new IllegalArgumentException("Plots.Series '" + name + "': x and y must be non-empty and of equal length, got "
            + (x == null ? "null" : x.length) + " and " + (y == null ? "null" : y.length));
      }
    }

    /** {@code y} over epochs 1, 2, …, n. */
    public static Series overEpochs(String name, double[] y) {
      double[] x = new double[y == null ? 0 : y.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i + 1;
      }
      return new Series(name, x, y);
    }

    /** {@code y} (e.g. a {@code List<Integer>} history) over epochs 1, 2, …, n. */
    public static Series overEpochs(String name, List<? extends Number> y) {
      return overEpochs(name, y.stream().mapToDouble(Number::doubleValue).toArray());
    }
  }

  /**
   * A line chart with circle markers, one line per series. With {@code logY} the y axis is
   * logarithmic; every y value must then be finite and {@code > 0}.
   */
  public static XYChart lineChart(String title, String xLabel, String yLabel, boolean logY, List<Series> series) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("Plots.lineChart '" + title + "': no series");
    }
    XYChart chart = newChart(title, xLabel, yLabel);
    XYStyler st = chart.getStyler();
    st.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    st.setLegendPosition(LegendPosition.InsideNE);
    st.setMarkerSize(7);
    st.setYAxisLogarithmic(logY);
    boolean integerX = true;
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      for (int i = 0; i < s.y().length; i++) {
        double v = s.y()[i];
        if (!Double.isFinite(v) || (logY && !(v > 0))) {
          throw new IllegalArgumentException("Plots.lineChart '" + title + "': series '" + s.name() + "' has y[" + i + "] = "
              + v + (logY ? "; a log axis needs finite values > 0" : "; values must be finite"));
        }
      }
      for (double x : s.x()) {
        integerX &= x == Math.rint(x);
      }
      XYSeries xs = chart.addSeries(s.name(), s.x(), s.y());
      Color c = PALETTE.get(k % PALETTE.size());
      xs.setLineColor(c);
      xs.setMarkerColor(c);
      xs.setMarker(SeriesMarkers.CIRCLE);
    }
    if (integerX) {
      st.setXAxisDecimalPattern("0");
    }
    if (logY) {
      // XChart labels every decade of a log axis (it ignores a tick-label function there) and draws a
      // grid line at every 1..9 × 10^k: over many decades that grid is a blur, so it is dropped.
      st.setYAxisDecimalPattern("0E0");
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Series s : series) {
        for (double v : s.y()) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      st.setPlotGridHorizontalLinesVisible(Math.log10(hi / lo) <= 6);
    }
    return chart;
  }

  /**
   * Decision regions of a 2-D classifier with the labelled points on top. The plane around the points
   * (their range plus a margin of 1 on each side) is cut into {@code resolution × resolution} cells;
   * each cell is painted a light shade of the colour of {@code classifier}'s label for its centre.
   * Points are then drawn per class with the class's colour and marker.
   *
   * @param points (n, 2) coordinates: x then y
   * @param labels (n,) each point's class label, a key of {@code classNames}
   * @param classNames label → legend name, in the order that picks colours and markers (use a
   *     {@link java.util.LinkedHashMap} or {@link Map#of} with care for order)
   * @param classifier maps a point {x, y} to a label in {@code classNames}
   * @param resolution cells per axis, 10..1000
   */
  public static XYChart decisionRegions(String title, String xLabel, String yLabel, double[][] points, int[] labels,
      Map<Integer, String> classNames, ToIntFunction<double[]> classifier, int resolution) {
    String where = "Plots.decisionRegions '" + title + "'";
    if (points == null || labels == null || points.length == 0 || points.length != labels.length) {
      throw new IllegalArgumentException(where + ": points and labels must be non-empty and of equal length, got "
          + (points == null ? "null" : points.length) + " and " + (labels == null ? "null" : labels.length));
    }
    if (resolution < 10 || resolution > 1000) {
      throw new IllegalArgumentException(where + ": resolution must be in 10..1000, got " + resolution);
    }
    List<Integer> classes = new ArrayList<>(classNames.keySet());
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < points.length; i++) {
      if (points[i] == null || points[i].length != 2 || !Double.isFinite(points[i][0]) || !Double.isFinite(points[i][1])) {
        throw new IllegalArgumentException(where + ": points[" + i + "] must be two finite coordinates");
      }
      if (!classNames.containsKey(labels[i])) {
        throw new IllegalArgumentException(where + ": labels[" + i + "] = " + labels[i] + " is not one of " + classNames.keySet());
      }
      xMin = Math.min(xMin, points[i][0]);
      xMax = Math.max(xMax, points[i][0]);
      yMin = Math.min(yMin, points[i][1]);
      yMax = Math.max(yMax, points[i][1]);
    }
    xMin -= 1;
    xMax += 1;
    yMin -= 1;
    yMax += 1;

    // Classify the centre of every cell, grouping cell centres by predicted class.
    List<List<double[]>> cells = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) {
      cells.add(new ArrayList<>());
    }
    double dx = (xMax - xMin) / resolution;
    double dy = (yMax - yMin) / resolution;
    for (int r = 0; r < resolution; r++) {
      for (int c = 0; c < resolution; c++) {
        double[] p = {xMin + (c + 0.5) * dx, yMin + (r + 0.5) * dy};
        int label = classifier.applyAsInt(p);
        int k = classes.indexOf(label);
        if (k < 0) {
          throw new IllegalArgumentException(where + ": the classifier returned " + label + " at (" + p[0] + ", " + p[1]
              + "), which is not one of " + classNames.keySet());
        }
        cells.get(k).add(p);
      }
    }

    XYChart chart = newChart(title, xLabel, yLabel);
    XYStyler st = chart.getStyler();
    st.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    st.setLegendPosition(LegendPosition.InsideNW);
    st.setMarkerSize(8);
    st.setPlotContentSize(1.0); // the regions fill the plot area edge to edge
    st.setXAxisMin(xMin);
    st.setXAxisMax(xMax);
    st.setYAxisMin(yMin);
    st.setYAxisMax(yMax);
    st.setPlotGridLinesVisible(false);
    // A cell is at most WIDTH/resolution pixels wide (the plot area is narrower than the chart); one
    // extra pixel makes neighbours overlap so no background shows through between them.
    Marker cell = new Cell((int) Math.ceil((double) WIDTH / resolution) + 1, (int) Math.ceil((double) HEIGHT / resolution) + 1);
    for (int k = 0; k < classes.size(); k++) {
      List<double[]> ps = cells.get(k);
      if (ps.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries("region " + classNames.get(classes.get(k)),
          ps.stream().mapToDouble(p -> p[0]).toArray(), ps.stream().mapToDouble(p -> p[1]).toArray());
      s.setMarker(cell);
      s.setMarkerColor(light(PALETTE.get(k % PALETTE.size())));
      s.setShowInLegend(false);
    }
    for (int k = 0; k < classes.size(); k++) {
      List<double[]> ps = new ArrayList<>();
      for (int i = 0; i < points.length; i++) {
        if (labels[i] == classes.get(k)) {
          ps.add(points[i]);
        }
      }
      if (ps.isEmpty()) {
        continue;
      }
      XYSeries s = chart.addSeries(classNames.get(classes.get(k)),
          ps.stream().mapToDouble(p -> p[0]).toArray(), ps.stream().mapToDouble(p -> p[1]).toArray());
      s.setMarker(CLASS_MARKERS.get(k % CLASS_MARKERS.size()));
      s.setMarkerColor(PALETTE.get(k % PALETTE.size()));
    }
    return chart;
  }

  /** Writes {@code chart} as a PNG to {@code file} (exactly that name), creating parent folders; returns the file. */
  public static Path savePng(Chart<?, ?> chart, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }

  /**
   * Writes {@code charts} side by side, left to right, as one PNG (matplotlib's {@code subplot(1, n, i)}),
   * creating parent folders; returns the file. Each chart keeps its own size; the image is as tall as
   * the tallest.
   */
  public static Path savePngSideBySide(List<? extends Chart<?, ?>> charts, Path file) throws IOException {
    if (charts == null || charts.isEmpty()) {
      throw new IllegalArgumentException("Plots.savePngSideBySide: no charts to write to " + file);
    }
    List<BufferedImage> images = new ArrayList<>();
    int width = 0;
    int height = 0;
    for (Chart<?, ?> c : charts) {
      BufferedImage img = BitmapEncoder.getBufferedImage(c);
      images.add(img);
      width += img.getWidth();
      height = Math.max(height, img.getHeight());
    }
    BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int x = 0;
    for (BufferedImage img : images) {
      g.drawImage(img, x, 0, null);
      x += img.getWidth();
    }
    g.dispose();
    return savePng(all, file);
  }

  /**
   * A confusion-matrix heatmap of {@code confusion[true][predicted]}, drawn with Java2D: counts in the
   * cells, the diagonal in blues and the errors in reds (colour on a log scale), true classes down the
   * left, predictions along the bottom. Returns the file written.
   */
  public static Path confusionMatrix(int[][] confusion, List<String> classNames, String title, Path file) throws IOException {
    int k = confusion.length;
    if (k == 0 || classNames.size() != k) {
      throw new IllegalArgumentException("Plots.confusionMatrix '" + title + "': " + k + " rows but " + classNames.size()
          + " class names " + classNames);
    }
    int cell = 56, left = 130, top = 70, right = 30, bottom = 120;
    int w = left + k * cell + right, h = top + k * cell + bottom;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int max = 1;
    for (int[] row : confusion) {
      for (int v : row) {
        max = Math.max(max, v);
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    centered(g, title, w / 2, 35);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        int v = confusion[t][p];
        double f = v == 0 ? 0 : Math.log1p(v) / Math.log1p(max);
        Color c = t == p ? blend(new Color(235, 242, 250), new Color(8, 48, 107), f)
            : blend(new Color(255, 245, 240), new Color(165, 15, 21), f);
        int x = left + p * cell, y = top + t * cell;
        g.setColor(c);
        g.fillRect(x, y, cell, cell);
        g.setColor(new Color(200, 200, 200));
        g.drawRect(x, y, cell, cell);
        g.setColor(f > 0.55 ? Color.WHITE : Color.BLACK);
        centered(g, Integer.toString(v), x + cell / 2, y + cell / 2 + 5);
      }
    }
    g.setColor(Color.BLACK);
    for (int i = 0; i < k; i++) {
      String name = classNames.get(i);
      FontMetrics fm = g.getFontMetrics();
      g.drawString(name, left - 8 - fm.stringWidth(name), top + i * cell + cell / 2 + 5);
      Graphics2D r = (Graphics2D) g.create();
      r.translate(left + i * cell + cell / 2 + 5, top + k * cell + 8);
      r.rotate(Math.PI / 2);
      r.drawString(name, 0, 0);
      r.dispose();
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    centered(g, "predicted", left + k * cell / 2, h - 12);
    Graphics2D r = (Graphics2D) g.create();
    r.translate(20, top + k * cell / 2);
    r.rotate(-Math.PI / 2);
    centered(r, "true", 0, 0);
    r.dispose();
    g.dispose();
    return savePng(img, file);
  }

  /** Writes {@code image} as a PNG to {@code file}, creating parent folders; returns the file. */
  public static Path savePng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
    return file;
  }

  /** Draws {@code s} centred on {@code cx} with its baseline at {@code baseline}. */
  public static void centered(Graphics2D g, String s, int cx, int baseline) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
  }

  private static Color blend(Color a, Color b, double f) {
    return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * f),
        (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * f),
        (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * f));
  }

  /** A white-backed chart of the default size with titles set. */
  private static XYChart newChart(String title, String xLabel, String yLabel) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    XYStyler st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(Color.DARK_GRAY);
    st.setLegendBorderColor(Color.LIGHT_GRAY);
    st.setPlotGridLinesColor(new Color(0xE0E0E0));
    return chart;
  }

  /** {@code c} blended 30/70 with white: an opaque pastel for region fills. */
  static Color light(Color c) {
    return new Color((int) Math.round(0.3 * c.getRed() + 0.7 * 255), (int) Math.round(0.3 * c.getGreen() + 0.7 * 255),
        (int) Math.round(0.3 * c.getBlue() + 0.7 * 255));
  }

  /** A filled w×h-pixel rectangle centred on the point: one cell of a decision-region grid. */
  private static final class Cell extends Marker {
    private final int w;
    private final int h;

    Cell(int w, int h) {
      this.w = w;
      this.h = h;
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int markerSize) {
      g.fill(new Rectangle2D.Double(x - w / 2.0, y - h / 2.0, w, h));
    }
  }
}
