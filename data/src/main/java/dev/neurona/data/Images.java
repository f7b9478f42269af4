package dev.neurona.data;

import dev.neurona.core.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Single images in and out of tensors, with exactly the preprocessing of {@link ImageFolder}: to
 * classify a new photo as the model's training data was prepared, or to look at a sample.
 *
 * <pre>{@code
 * ImageFolder.Options opts = ImageFolder.Options.defaults().imageSize(180, 180);
 * Tensor x = Images.load(Path.of("rose.jpg"), opts);          // (1, 180, 180, 3) in [0, 1]
 * BufferedImage seen = Images.toImage(x, 1f);                 // what the model sees
 * BufferedImage sample = Images.toImage(flowers.train(), 0);  // a data-set sample
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Images {
  private Images() {}

  /**
   * Decodes an image file (JPEG, PNG, GIF or BMP, recognised by content) and preprocesses it as
   * {@link ImageFolder#load(Path, ImageFolder.Options)} would (crop, colour mode, bilinear resize,
   * uint8 rounding): a (1, h, w, c) tensor in [0, 1] equal to the data-set sample
   * {@link ImageDataset#fillBatch} gives for that file. Only the size, colour mode and crop options apply.
   *
   * @throws ImageFormatException naming the file if it cannot be decoded
   */
  public static Tensor load(Path file, ImageFolder.Options options) throws IOException {
    Objects.requireNonNull(file, "Images.load: file is null");
    Objects.requireNonNull(options, "Images.load: options is null");
    return toTensor(ImageDecoder.decode(Files.readAllBytes(file), file), options);
  }

  /**
   * As {@link #load(Path, ImageFolder.Options)} for a file's whole content read elsewhere (a Hadoop
   * file system, an archive, the network): the same decoder and preprocessing, so the same bytes
   * give the same tensor, bit for bit. {@code name} (e.g. the file's URI) only names it in errors.
   *
   * @throws ImageFormatException naming {@code name} if the bytes cannot be decoded
   */
  public static Tensor decode(byte[] content, String name, ImageFolder.Options options) throws ImageFormatException {
    Objects.requireNonNull(content, "Images.decode: content is null");
    Objects.requireNonNull(options, "Images.decode: options is null");
    ImageDecoder.Decoded decoded;
    try {
      decoded = ImageDecoder.decode(content, null);
    } catch (ImageFormatException e) { // the same reason and causes, named by name instead of a Path
      ImageFormatException named = new ImageFormatException(name, e.reason(), e.getCause());
      for (Throwable s : e.getSuppressed()) {
        named.addSuppressed(s);
      }
      throw named;
    }
    return toTensor(decoded, options);
  }

  /**
   * As {@link #load(Path, ImageFolder.Options)} for an image already in memory: its samples are taken
   * as they are (grey and RGB rasters without colour conversion, palettes expanded; other colour
   * spaces converted to sRGB).
   */
  public static Tensor toTensor(BufferedImage image, ImageFolder.Options options) {
    Objects.requireNonNull(image, "Images.toTensor: image is null");
    Objects.requireNonNull(options, "Images.toTensor: options is null");
    return toTensor(ImageDecoder.fromBufferedImage(image, false), options);
  }

  private static Tensor toTensor(ImageDecoder.Decoded decoded, ImageFolder.Options options) {
    int h = options.imageHeight();
    int w = options.imageWidth();
    int c = options.colorMode().channels();
    byte[] sample = new byte[h * w * c];
    ImagePreprocessing.toSample(decoded, h, w, c, options.cropToAspectRatio(), sample, 0);
    float[] x = new float[sample.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (sample[i] & 0xFF) / 255f; // as ImageDataset.fillBatch
    }
    return Tensor.of(x, 1, h, w, c);
  }

  /**
   * An image of a tensor (h, w, c) or (1, h, w, c) with c = 1 (grey), 3 (RGB) or 4 (RGBA), whose
   * values run from 0 to {@code maxValue} (1 for [0, 1] tensors, 255 for [0, 255]); values are scaled
   * to 0..255, rounded and clamped. Grey gives {@link BufferedImage#TYPE_BYTE_GRAY}, RGB
   * {@link BufferedImage#TYPE_3BYTE_BGR}, RGBA {@link BufferedImage#TYPE_4BYTE_ABGR}.
   *
   * @throws IllegalArgumentException on another shape or a {@code maxValue} that is not positive
   */
  public static BufferedImage toImage(Tensor t, float maxValue) {
    Objects.requireNonNull(t, "Images.toImage: tensor is null");
    if (!(maxValue > 0) || Float.isInfinite(maxValue)) {
      throw new IllegalArgumentException("Images.toImage: maxValue must be positive and finite (1 or 255), got " + maxValue);
    }
    boolean batched = t.rank() == 4 && t.dim(0) == 1;
    if (!(t.rank() == 3 || batched)) {
      throw new IllegalArgumentException("Images.toImage: expected a tensor (h, w, c) or (1, h, w, c), got shape " + t.shape());
    }
    int h = t.dim(batched ? 1 : 0);
    int w = t.dim(batched ? 2 : 1);
    int c = t.dim(batched ? 3 : 2);
    if (c != 1 && c != 3 && c != 4) {
      throw new IllegalArgumentException("Images.toImage: expected 1, 3 or 4 channels, got " + c + " (shape " + t.shape() + ")");
    }
    byte[] px = new byte[h * w * c];
    float[] d = t.data();
    float scale = 255f / maxValue;
    for (int i = 0; i < px.length; i++) {
      float v = d[i] * scale;
      px[i] = (byte) (v >= 255f ? 255 : v > 0 ? Math.round(v) : 0); // NaN → 0
    }
    return toImage(px, 0, h, w, c);
  }

  /** Sample {@code i} of a data set as an image (its stored uint8 pixels, unchanged). */
  public static BufferedImage toImage(ImageDataset data, int i) {
    Objects.requireNonNull(data, "Images.toImage: data is null");
    int h = data.height();
    int w = data.width();
    int c = data.channels();
    if (c != 1 && c != 3 && c != 4) {
      throw new IllegalArgumentException("Images.toImage: " + data + " has " + c + " channels; expected 1, 3 or 4");
    }
    byte[] px = new byte[h * w * c];
    int o = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          px[o++] = (byte) data.pixel(i, y, x, ch);
        }
      }
    }
    return toImage(px, 0, h, w, c);
  }

  /** An image of interleaved uint8 samples (h, w, c), c = 1, 3 or 4. */
  private static BufferedImage toImage(byte[] px, int offset, int h, int w, int c) {
    int type = c == 1 ? BufferedImage.TYPE_BYTE_GRAY : c == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_4BYTE_ABGR;
    BufferedImage image = new BufferedImage(w, h, type);
    // setPixels takes bands in the colour model's order (R, G, B, A) whatever the byte layout.
    int[] row = new int[w * c];
    for (int y = 0; y < h; y++) {
      for (int k = 0; k < row.length; k++) {
        row[k] = px[offset + y * w * c + k] & 0xFF;
      }
      image.getRaster().setPixels(0, y, w, 1, row);
    }
    return image;
  }
}
