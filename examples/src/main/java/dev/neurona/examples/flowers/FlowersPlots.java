package dev.neurona.examples.flowers;

import dev.neurona.core.Tensor;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.Images;
import dev.neurona.examples.plot.Plots;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomZoom;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The tutorial's pictures: training curves, a grid of photos, a grid of augmented versions of one photo. */
final class FlowersPlots {
  /** Grid cells are at least this many pixels wide, so that small test images stay visible. */
  private static final int MIN_CELL = 150;

  private FlowersPlots() {}

  /**
   * The tutorial's figure: training and validation accuracy on the left, loss on the right, from
   * every epoch's values by name (a {@code History}'s {@code asMap()}, or the history file of a resumed run).
   */
  static Path training(Map<String, List<Double>> history, Path file) throws IOException {
    XYChart accuracy = Plots.lineChart("Training and Validation Accuracy", "Epoch", "accuracy", false, List.of(
        Plots.Series.overEpochs("Training Accuracy", history.get("accuracy")),
        Plots.Series.overEpochs("Validation Accuracy", history.get("val_accuracy"))));
    XYChart loss = Plots.lineChart("Training and Validation Loss", "Epoch", "loss", false, List.of(
        Plots.Series.overEpochs("Training Loss", history.get("loss")),
        Plots.Series.overEpochs("Validation Loss", history.get("val_loss"))));
    // Below the plot: the curves go anywhere (validation loss climbs as the plain model overfits).
    accuracy.getStyler().setLegendPosition(LegendPosition.OutsideS);
    loss.getStyler().setLegendPosition(LegendPosition.OutsideS);
    return Plots.savePngSideBySide(List.of(accuracy, loss), file);
  }

  /** The first (up to) nine samples of {@code data}, each titled with its class name (the tutorial's first figure). */
  static Path photos(ImageDataset data, Path file) throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < Math.min(9, data.size()); i++) {
      images.add(Images.toImage(data, i));
      captions.add(data.classNames().get(data.label(i)));
    }
    return grid(images, captions, "Training photos", file);
  }

  /**
   * Nine augmentations of sample {@code index} of {@code data}: the three augmentation layers of
   * {@link FlowersModels#augmentation} (built with {@code seed}, as in the augmented model) run in
   * training mode, their call counters set to 0, 1, …, 8 — what the first nine training steps do to
   * the first photo of their batch.
   */
  static Path augmented(ImageDataset data, int index, long seed, Path file) throws IOException {
    Sequential augmentation = FlowersModels.augmentation(seed, data.height(), data.width());
    Tensor photo = data.newBatchX(1);
    data.fillBatch(new int[] {index}, 0, 1, photo, data.newBatchY(1));
    Pixels255.toRaw(photo);
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int call = 0; call < 9; call++) {
      Tensor t = photo;
      for (Layer layer : augmentation.layers()) {
        setCallCount(layer, call);
        t = layer.forward(t, true);
      }
      images.add(Images.toImage(t, 255f));
      captions.add("call " + call);
    }
    return grid(images, captions, "Augmented: " + data.classNames().get(data.label(index)), file);
  }

  private static void setCallCount(Layer layer, long call) {
    if (layer instanceof RandomFlip) {
      ((RandomFlip) layer).callCount(call);
    } else if (layer instanceof RandomRotation) {
      ((RandomRotation) layer).callCount(call);
    } else if (layer instanceof RandomZoom) {
      ((RandomZoom) layer).callCount(call);
    } else {
      throw new IllegalStateException("not an augmentation layer: " + layer);
    }
  }

  /** Images in rows of three, each scaled to one cell with its caption above, under a title. */
  static Path grid(List<BufferedImage> images, List<String> captions, String title, Path file) throws IOException {
    int cols = 3;
    int rows = Math.max(1, (images.size() + cols - 1) / cols);
    int imgW = images.isEmpty() ? MIN_CELL : images.get(0).getWidth();
    int imgH = images.isEmpty() ? MIN_CELL : images.get(0).getHeight();
    double scale = Math.max(1.0, (double) MIN_CELL / imgW);
    int cellW = (int) Math.round(imgW * scale);
    int cellH = (int) Math.round(imgH * scale);
    int pad = 12, caption = 22, top = 44;
    int width = pad + cols * (cellW + pad);
    int height = top + rows * (caption + cellH + pad);
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    Plots.centered(g, title, width / 2, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    for (int i = 0; i < images.size(); i++) {
      int x = pad + (i % cols) * (cellW + pad);
      int y = top + (i / cols) * (caption + cellH + pad);
      Plots.centered(g, captions.get(i), x + cellW / 2, y + caption - 6);
      g.drawImage(images.get(i), x, y + caption, cellW, cellH, null);
    }
    g.dispose();
    return Plots.savePng(canvas, file);
  }
}
