package dev.neurona.examples.captcha;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An 8-bit grayscale image (0 = black, 255 = white), row-major: the one image type of the captcha
 * pipeline, with the few OpenCV operations the tutorial uses ({@code cvtColor(BGR2GRAY)},
 * {@code copyMakeBorder(BORDER_REPLICATE)}, slicing) and PNG input/output.
 *
 * <p>Instances are mutable only through {@link #set}; the pipeline treats them as values.
 */
public final class GrayImage {
  private final int width;
  private final int height;
  private final byte[] pixels;

  /** A {@code width × height} image filled with {@code value} (0..255). */
  public GrayImage(int width, int height, int value) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("GrayImage: size must be positive, got " + width + "×" + height);
    }
    checkValue(value);
    this.width = width;
    this.height = height;
    this.pixels = new byte[width * height];
    Arrays.fill(pixels, (byte) value);
  }

  /** An image over {@code rows[y][x]} values 0..255 (copied); handy for crafted test images. */
  public static GrayImage of(int[][] rows) {
    if (rows == null || rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("GrayImage.of: rows must be a non-empty rectangle");
    }
    GrayImage g = new GrayImage(rows[0].length, rows.length, 0);
    for (int y = 0; y < rows.length; y++) {
      if (rows[y].length != g.width) {
        throw new IllegalArgumentException("GrayImage.of: row " + y + " has " + rows[y].length + " values, row 0 has " + g.width);
      }
      for (int x = 0; x < g.width; x++) {
        g.set(x, y, rows[y][x]);
      }
    }
    return g;
  }

  /**
   * The gray levels of {@code img}: a single-band gray image is read as is; colour images are converted
   * with OpenCV's {@code BGR2GRAY} weights, {@code round(0.299 R + 0.587 G + 0.114 B)} in fixed point.
   */
  public static GrayImage of(BufferedImage img) {
    GrayImage g = new GrayImage(img.getWidth(), img.getHeight(), 0);
    Raster r = img.getRaster();
    // getRGB on a gray image goes through a colour-space conversion that changes the levels, so a
    // plain gray image is read from its raster.
    boolean plainGray = r.getNumBands() == 1 && img.getColorModel() instanceof ComponentColorModel
        && r.getSampleModel().getSampleSize(0) == 8;
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        int v;
        if (plainGray) {
          v = r.getSample(x, y, 0);
        } else {
          int rgb = img.getRGB(x, y);
          int red = (rgb >> 16) & 0xFF;
          int green = (rgb >> 8) & 0xFF;
          int blue = rgb & 0xFF;
          v = (red * 4899 + green * 9617 + blue * 1868 + 8192) >> 14; // OpenCV's fixed-point weights
        }
        g.pixels[y * g.width + x] = (byte) v;
      }
    }
    return g;
  }

  /** Reads a PNG (or any format ImageIO knows) as gray levels; the error names the file. */
  public static GrayImage read(Path file) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read image " + file + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IOException("cannot read image " + file + ": not a PNG/JPEG/GIF/BMP file ImageIO can decode");
    }
    return of(img);
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** The level (0..255) at column {@code x}, row {@code y}. */
  public int get(int x, int y) {
    checkInside(x, y);
    return pixels[y * width + x] & 0xFF;
  }

  /** Sets the level (0..255) at column {@code x}, row {@code y}. */
  public void set(int x, int y, int value) {
    checkInside(x, y);
    checkValue(value);
    pixels[y * width + x] = (byte) value;
  }

  /** The levels as a row-major copy, 0..255 per pixel. */
  public int[] levels() {
    int[] v = new int[pixels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = pixels[i] & 0xFF;
    }
    return v;
  }

  /** The levels as row-major bytes (a copy), the layout of an (h, w, 1) uint8 sample. */
  public byte[] bytes() {
    return pixels.clone();
  }

  /**
   * The rectangle {@code [x, x+w) × [y, y+h)} clipped to the image, as NumPy's {@code img[y:y+h, x:x+w]}
   * clips (negative starts are clipped to 0 here, not counted from the end).
   */
  public GrayImage crop(int x, int y, int w, int h) {
    int x0 = Math.max(0, x);
    int y0 = Math.max(0, y);
    int x1 = Math.min(width, x + w);
    int y1 = Math.min(height, y + h);
    if (x1 <= x0 || y1 <= y0) {
      throw new IllegalArgumentException("GrayImage.crop: (" + x + ", " + y + ", " + w + "×" + h + ") is outside the "
          + width + "×" + height + " image");
    }
    GrayImage c = new GrayImage(x1 - x0, y1 - y0, 0);
    for (int yy = y0; yy < y1; yy++) {
      System.arraycopy(pixels, yy * width + x0, c.pixels, (yy - y0) * c.width, c.width);
    }
    return c;
  }

  /** OpenCV's {@code copyMakeBorder(..., BORDER_REPLICATE)}: pads by repeating the edge pixels. */
  public GrayImage padReplicate(int top, int bottom, int left, int right) {
    if (top < 0 || bottom < 0 || left < 0 || right < 0) {
      throw new IllegalArgumentException("GrayImage.padReplicate: borders must be >= 0, got top " + top + ", bottom "
          + bottom + ", left " + left + ", right " + right);
    }
    GrayImage p = new GrayImage(width + left + right, height + top + bottom, 0);
    for (int y = 0; y < p.height; y++) {
      int sy = Math.min(height - 1, Math.max(0, y - top));
      for (int x = 0; x < p.width; x++) {
        int sx = Math.min(width - 1, Math.max(0, x - left));
        p.pixels[y * p.width + x] = pixels[sy * width + sx];
      }
    }
    return p;
  }

  /** A {@code TYPE_BYTE_GRAY} image with these levels. */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setDataElements(0, 0, width, height, pixels.clone());
    return img;
  }

  /** Writes the image as an 8-bit gray PNG, creating parent folders. */
  public void writePng(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(toBufferedImage(), "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
  }

  private void checkInside(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException("GrayImage: (" + x + ", " + y + ") is outside the " + width + "×" + height + " image");
    }
  }

  private static void checkValue(int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException("GrayImage: a level must be in 0..255, got " + value);
    }
  }

  /** {@code GrayImage 20×20}. */
  @Override
  public String toString() {
    return "GrayImage " + width + "×" + height;
  }
}
