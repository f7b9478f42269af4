package dev.neurona.examples.mnist;

import dev.neurona.data.ImageDataset;
import dev.neurona.examples.plot.Plots;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** The two MNIST pictures drawn with Java2D: a confusion-matrix heatmap and a grid of misclassified digits. */
final class MnistPlots {
  private MnistPlots() {}

  /** A heatmap of {@code confusion[true][predicted]} with counts in the cells (log-scaled colour): {@link Plots#confusionMatrix}. */
  static Path confusionMatrix(int[][] confusion, List<String> classNames, String title, Path file) throws IOException {
    return Plots.confusionMatrix(confusion, classNames, title, file);
  }

  /**
   * Up to {@code max} misclassified test images, each labelled {@code predicted/true}
   * (in red when wrong — which they all are here).
   */
  static Path misclassified(ImageDataset test, int[] predicted, int max, List<String> classNames, Path file) throws IOException {
    int cols = 10, scale = 3, size = 28 * scale, pad = 6, label = 20;
    int count = 0;
    int[] wrong = new int[Math.min(max, test.size())];
    for (int i = 0; i < test.size() && count < wrong.length; i++) {
      if (predicted[i] != test.label(i)) {
        wrong[count++] = i;
      }
    }
    int rows = Math.max(1, (count + cols - 1) / cols);
    int cellW = size + pad, cellH = size + label + pad;
    int top = 50;
    BufferedImage img = new BufferedImage(cols * cellW + pad, top + rows * cellH + pad, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(img);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    centered(g, count == 0 ? "No misclassified test images" : "Misclassified test images (predicted / true)", img.getWidth() / 2, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int n = 0; n < count; n++) {
      int i = wrong[n];
      int x0 = pad + (n % cols) * cellW, y0 = top + (n / cols) * cellH;
      for (int y = 0; y < test.height(); y++) {
        for (int x = 0; x < test.width(); x++) {
          int v = 255 - test.pixel(i, y, x, 0);
          g.setColor(new Color(v, v, v));
          g.fillRect(x0 + x * scale, y0 + y * scale, scale, scale);
        }
      }
      g.setColor(new Color(190, 190, 190));
      g.drawRect(x0, y0, size, size);
      g.setColor(new Color(180, 20, 20));
      centered(g, classNames.get(predicted[i]) + " / " + classNames.get(test.label(i)), x0 + size / 2, y0 + size + 15);
    }
    g.dispose();
    return write(img, file);
  }

  private static Graphics2D canvas(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setStroke(new BasicStroke(1f));
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
