package dev.neurona.examples.flowers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.data.ImageDataset;

/**
 * An image data set as Keras' {@code image_dataset_from_directory} yields it: pixels as floats in
 * 0..255, not in [0, 1] as {@link ImageDataset#fillBatch} gives them. The tutorial's models scale
 * them themselves ({@code Rescaling(1/255)}), so a saved model takes raw pixels, as the Keras model does.
 */
final class Pixels255 implements DataSource {
  private final ImageDataset data;

  Pixels255(ImageDataset data) {
    this.data = data;
  }

  /** The wrapped data set. */
  ImageDataset data() {
    return data;
  }

  @Override
  public int size() {
    return data.size();
  }

  @Override
  public Shape sampleShape() {
    return data.sampleShape();
  }

  @Override
  public Shape targetShape() {
    return data.targetShape();
  }

  /** As {@link ImageDataset#fillBatch(int[], int, int, Tensor, Tensor)}, with x back in 0..255. */
  @Override
  public void fill(int[] indices, int from, int to, Tensor x, Tensor y) {
    data.fillBatch(indices, from, to, x, y);
    toRaw(x);
  }

  /**
   * Turns a tensor of {@code v / 255f} values (as {@link ImageDataset} and
   * {@link dev.neurona.data.Images#load} give) back into the pixel values {@code v}, in place:
   * rounding makes them exact.
   */
  static Tensor toRaw(Tensor x) {
    float[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.round(d[i] * 255f);
    }
    return x;
  }
}
