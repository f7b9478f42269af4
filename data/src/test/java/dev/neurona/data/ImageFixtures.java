package dev.neurona.data;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Small images made in memory with ImageIO, and JPEG byte surgery for the awkward variants. */
final class ImageFixtures {
  private ImageFixtures() {}

  /** Smooth colour gradients plus seeded noise: JPEG-friendly but not uniform. */
  static BufferedImage rgb(int w, int h, long seed) {
    Random rng = new Random(seed);
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = clamp(x * 255 / Math.max(1, w - 1) + rng.nextInt(21) - 10);
        int g = clamp(y * 255 / Math.max(1, h - 1) + rng.nextInt(21) - 10);
        int b = clamp(128 + (int) (100 * Math.sin((x + y) / 5.0)) + rng.nextInt(21) - 10);
        im.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return im;
  }

  /** One colour. */
  static BufferedImage solid(int w, int h, int r, int g, int b) {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        im.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return im;
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** The image in an ImageIO format ("png", "bmp", "gif"; "jpeg" at quality 0.9). */
  static byte[] encode(BufferedImage im, String format) {
    if (format.equals("jpeg")) {
      return jpeg(im, 0.9f);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(im, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format + " and " + im);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A baseline JPEG by the JDK's writer. */
  static byte[] jpeg(BufferedImage im, float quality) {
    return jpegOf(new IIOImage(im, null, null), quality);
  }

  /** A 4-component JPEG of {@code cmyk} pixels as they are (the JDK writes no Adobe marker, so plain CMYK). */
  static byte[] cmykJpeg(int w, int h, int[][] patches, float quality) {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.setPixel(x, y, patches[x * patches.length / w]);
      }
    }
    return jpegOf(new IIOImage(r, null, null), quality);
  }

  private static byte[] jpegOf(IIOImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, image, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** {@code jpeg} with a segment (marker, payload) inserted right after SOI. */
  static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(jpeg, 0, 2);
    int len = payload.length + 2;
    o.write(0xFF);
    o.write(marker);
    o.write(len >> 8);
    o.write(len);
    o.write(payload, 0, payload.length);
    o.write(jpeg, 2, jpeg.length - 2);
    return o.toByteArray();
  }

  /** An APP2 ICC_PROFILE chunk payload: the id, sequence number, chunk count, profile bytes. */
  static byte[] iccChunk(byte[] profile, int seq, int count) {
    byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    byte[] p = new byte[id.length + 2 + profile.length];
    System.arraycopy(id, 0, p, 0, id.length);
    p[id.length] = (byte) seq;
    p[id.length + 1] = (byte) count;
    System.arraycopy(profile, 0, p, id.length + 2, profile.length);
    return p;
  }

  /** A colour JPEG carrying a grey ICC profile: the JDK's {@code ImageIO.read} throws on it. */
  static byte[] withGrayProfile(byte[] jpeg) {
    return withSegment(jpeg, 0xE2, iccChunk(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData(), 1, 1));
  }

  /**
   * Two ICC chunks (of a linear-RGB profile, far from sRGB) both numbered 1 of 2: the JDK's reader
   * gives up on the file, TwelveMonkeys' reads it.
   */
  static byte[] withDuplicateIccChunks(byte[] jpeg) {
    byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    return withSegment(withSegment(jpeg, 0xE2, iccChunk(linear, 1, 2)), 0xE2, iccChunk(linear, 1, 2));
  }

  /** An APP14 Adobe segment with the given colour transform (0: none, 1: YCbCr, 2: YCCK). */
  static byte[] adobeSegment(int transform) {
    byte[] p = new byte[12];
    System.arraycopy("Adobe".getBytes(StandardCharsets.US_ASCII), 0, p, 0, 5);
    p[5] = 0;
    p[6] = 100; // version
    p[11] = (byte) transform;
    return p;
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }
}
