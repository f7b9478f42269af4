package dev.neurona.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, GIF and BMP files into their raw 8-bit samples, the way TensorFlow's decoders
 * (and so Keras' {@code image_dataset_from_directory}) see them: <b>no colour management</b> —
 * embedded ICC profiles and gamma chunks are ignored, grey stays grey, alpha is kept as a band.
 *
 * <p><b>JPEG.</b> The JDK's reader decodes the stream with libjpeg ({@code readRaster}: the
 * components as stored, before any colour conversion), and the colour transform libjpeg would
 * choose (from the JFIF and Adobe markers and the component ids) is applied here with libjpeg's
 * own fixed-point YCbCr→RGB tables; CMYK and YCCK become RGB with TensorFlow's formula
 * ({@code r = k·c/255} for Adobe's inverted CMYK, {@code (255−k)(255−c)/255} otherwise). Reading
 * the raster also sidesteps the JDK's {@code read()}, which converts images with an embedded
 * profile to sRGB (a visible colour shift for camera profiles) and throws on a grey profile
 * attached to colour data. When the JDK's reader cannot decode a file (an unsupported process
 * such as lossless JPEG, broken metadata), TwelveMonkeys' reader is tried the same way (its raster,
 * our conversion: the same pixels), then, if that fails too, with its own {@code read()}, which
 * converts an embedded ICC profile to sRGB; the result says so ({@link Decoded#fallback()}). A
 * stream that ends early is an error, not a half-grey picture.
 *
 * <p><b>PNG, GIF, BMP.</b> The JDK's readers; 16-bit samples keep their high byte (as libpng's
 * {@code png_set_strip_16}), 1/2/4-bit grey is scaled to 0..255, palettes are expanded, a GIF gives
 * its first frame.
 *
 * <p>Stateless and thread-safe: every call creates its own reader.
 */
final class ImageDecoder {
  /**
   * A decoded image: {@code height × width} pixels of {@code bands} interleaved bytes, row-major —
   * 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. {@code fallback}: decoded by the fallback JPEG reader.
   */
  record Decoded(int width, int height, int bands, byte[] samples, boolean fallback) {
    Decoded {
      if ((long) width * height * bands != samples.length) {
        throw new IllegalArgumentException("decoded image " + width + "×" + height + "×" + bands + " has " + samples.length + " samples");
      }
    }
  }

  /** The JDK's own JPEG reader's provider class; any other reader is used only as the fallback. */
  private static final String JDK_JPEG_SPI = "com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi";

  private ImageDecoder() {}

  /** The image formats by their first bytes. */
  enum Format {
    JPEG("JPEG"), PNG("PNG"), GIF("GIF"), BMP("BMP");

    final String imageIoName;

    Format(String imageIoName) {
      this.imageIoName = imageIoName;
    }
  }

  /** The format announced by the first bytes, or {@code null}. */
  static Format sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return Format.JPEG;
    }
    if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
      return Format.PNG;
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      return Format.GIF;
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return Format.BMP;
    }
    return null;
  }

  /**
   * Decodes a whole file's bytes ({@code file} only names it in errors).
   *
   * @throws ImageFormatException naming the file: empty, not an image, truncated, undecodable
   */
  static Decoded decode(byte[] bytes, Path file) throws ImageFormatException {
    if (bytes.length == 0) {
      throw new ImageFormatException(file, "empty file (0 bytes)");
    }
    Format format = sniff(bytes);
    if (format == null) {
      throw new ImageFormatException(file, "not a JPEG, PNG, GIF or BMP image: it starts with " + describeStart(bytes));
    }
    try {
      if (format == Format.JPEG) {
        return decodeJpeg(bytes, file);
      }
      return fromBufferedImage(readWithImageIo(firstReader(format), bytes, file), false);
    } catch (ImageFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO's readers report damaged data with IIOException, and sometimes with an
      // ArrayIndexOutOfBounds or IllegalArgument from deep inside: either way the file is bad.
      throw new ImageFormatException(file, "not a readable " + format.imageIoName + " image (" + describe(e) + ")", e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // JPEG

  /** libjpeg's colour spaces of a JPEG stream. */
  enum JpegColor { GRAY, YCBCR, RGB, CMYK, YCCK }

  /** What the headers say: the number and ids of the components, and the JFIF and Adobe markers. */
  record JpegHeader(int components, int[] componentIds, boolean jfif, boolean adobe, int adobeTransform) {
    /** The colour space libjpeg assumes ({@code jdapimin.c}, {@code default_decompress_parms}), or {@code null}. */
    JpegColor color() {
      switch (components) {
        case 1:
          return JpegColor.GRAY;
        case 3:
          if (jfif) {
            return JpegColor.YCBCR;
          }
          if (adobe) {
            return adobeTransform == 0 ? JpegColor.RGB : JpegColor.YCBCR;
          }
          if (componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B') {
            return JpegColor.RGB;
          }
          return JpegColor.YCBCR;
        case 4:
          return adobe && adobeTransform == 0 ? JpegColor.CMYK : adobe ? JpegColor.YCCK : JpegColor.CMYK;
        default:
          return null;
      }
    }
  }

  /** Walks the markers up to the first scan; {@code null} if no frame header comes before it. */
  static JpegHeader parseJpegHeader(byte[] b) {
    boolean jfif = false;
    boolean adobe = false;
    int transform = -1;
    int pos = 2; // after SOI
    while (pos + 4 <= b.length) {
      if ((b[pos] & 0xFF) != 0xFF) {
        return null; // not at a marker: damaged header
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        pos++;
        continue;
      }
      pos += 2;
      if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return null; // EOI or SOS before any SOF
      }
      int len = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
      if (len < 2 || pos + len > b.length) {
        return null;
      }
      int data = pos + 2;
      int dataLen = len - 2;
      if (marker == 0xE0 && dataLen >= 14 && startsWith(b, data, "JFIF\0")) {
        jfif = true;
      } else if (marker == 0xEE && dataLen >= 12 && startsWith(b, data, "Adobe")) {
        adobe = true;
        transform = b[data + 11] & 0xFF;
      } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && dataLen >= 6) {
        int n = b[data + 5] & 0xFF;
        if (dataLen < 6 + 3 * n) {
          return null;
        }
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
          ids[i] = b[data + 6 + 3 * i] & 0xFF;
        }
        return new JpegHeader(n, ids, jfif, adobe, transform); // markers after SOF do not change the colour space
      }
      pos += len;
    }
    return null;
  }

  private static boolean startsWith(byte[] b, int at, String ascii) {
    byte[] s = ascii.getBytes(StandardCharsets.US_ASCII);
    if (at + s.length > b.length) {
      return false;
    }
    for (int i = 0; i < s.length; i++) {
      if (b[at + i] != s[i]) {
        return false;
      }
    }
    return true;
  }

  /** Damaged data found by a reader that would not be mended by the fallback reader (e.g. a truncated stream). */
  private static final class DamagedData extends IOException {
    private static final long serialVersionUID = 1L;

    DamagedData(String message) {
      super(message);
    }
  }

  private static Decoded decodeJpeg(byte[] bytes, Path file) throws IOException {
    JpegHeader header = parseJpegHeader(bytes);
    ImageReaderSpi jdk = jdkJpegSpi();
    Exception jdkFailure;
    if (jdk == null) {
      jdkFailure = new IOException("this JDK has no JPEG reader of its own");
    } else if (header == null) {
      jdkFailure = new IOException("no frame header (SOF) before the first scan");
    } else if (header.color() == null) {
      jdkFailure = new IOException(header.components() + " colour components: not grey, YCbCr/RGB or CMYK/YCCK");
    } else {
      try {
        return fromJpegRaster(readJpegRaster(jdk, bytes), header, false);
      } catch (DamagedData e) {
        throw new ImageFormatException(file, "damaged JPEG data: " + e.getMessage(), e);
      } catch (IOException | RuntimeException e) {
        jdkFailure = e;
      }
    }
    ImageReaderSpi fallback = fallbackJpegSpi();
    if (fallback == null) {
      throw new ImageFormatException(file, "not a readable JPEG image (the JDK's reader: " + describe(jdkFailure)
          + "; no fallback reader: TwelveMonkeys' imageio-jpeg is not on the class path)", jdkFailure);
    }
    try {
      if (header != null && header.color() != null) {
        try { // TwelveMonkeys' raster too is the components as stored: the same pixels as the JDK path
          return fromJpegRaster(readJpegRaster(fallback, bytes), header, true);
        } catch (DamagedData e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          jdkFailure.addSuppressed(e); // then its read(), below
        }
      }
      // Last resort: TwelveMonkeys' own colour handling (it converts embedded ICC profiles to sRGB).
      BufferedImage image = readWithImageIo(fallback.createReaderInstance(), bytes, file);
      return fromBufferedImage(image, true);
    } catch (DamagedData e) {
      throw new ImageFormatException(file, "damaged JPEG data: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      ImageFormatException failure = new ImageFormatException(file, "not a readable JPEG image (the JDK's reader: "
          + describe(jdkFailure) + "; the fallback reader: " + describe(e) + ")", jdkFailure);
      failure.addSuppressed(e);
      throw failure;
    }
  }

  /** The reader's raster: the components as stored, without colour conversion; a truncated stream is an error. */
  private static Raster readJpegRaster(ImageReaderSpi spi, byte[] bytes) throws IOException {
    ImageReader reader = spi.createReaderInstance();
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      Raster raster = reader.readRaster(0, null);
      checkWarnings(warnings);
      return raster;
    } finally {
      reader.dispose();
    }
  }

  /**
   * libjpeg reports a stream that ends early only as a warning ("Premature end of JPEG file") and
   * fills the rest with grey; TensorFlow refuses such files, and so do we. Other warnings
   * (e.g. extraneous bytes before a marker) leave a usable image, as in libjpeg.
   */
  private static void checkWarnings(List<String> warnings) throws DamagedData {
    for (String w : warnings) {
      String lower = w.toLowerCase(Locale.ROOT);
      if (lower.contains("premature end") || lower.contains("truncat")) {
        throw new DamagedData("truncated (" + w + ")");
      }
    }
  }

  // libjpeg's YCbCr→RGB tables (jdcolor.c): 16-bit fixed point, rounded the same way.
  private static final int SCALEBITS = 16;
  private static final int ONE_HALF = 1 << (SCALEBITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private static int fix(double x) {
    return (int) (x * (1L << SCALEBITS) + 0.5);
  }

  private static int clamp255(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /** The raw components as RGB (or grey) bytes, with libjpeg's and TensorFlow's conversions. */
  static Decoded fromJpegRaster(Raster raster, JpegHeader header, boolean fallback) throws IOException {
    JpegColor color = header.color();
    int w = raster.getWidth();
    int h = raster.getHeight();
    int in = raster.getNumBands();
    if (in != header.components() || raster.getTransferType() != DataBuffer.TYPE_BYTE) {
      throw new IOException("the decoded raster has " + in + " bands of type " + raster.getTransferType()
          + ", the header announces " + header.components() + " 8-bit components");
    }
    int out = color == JpegColor.GRAY ? 1 : 3;
    byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), out)];
    byte[] row = new byte[w * in];
    for (int y = 0; y < h; y++) {
      raster.getDataElements(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      int o = y * w * out;
      switch (color) {
        case GRAY:
        case RGB:
          System.arraycopy(row, 0, px, o, w * in);
          break;
        case YCBCR:
          for (int x = 0; x < w; x++) {
            int yy = row[3 * x] & 0xFF;
            int cb = row[3 * x + 1] & 0xFF;
            int cr = row[3 * x + 2] & 0xFF;
            px[o++] = (byte) clamp255(yy + CR_R[cr]);
            px[o++] = (byte) clamp255(yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
            px[o++] = (byte) clamp255(yy + CB_B[cb]);
          }
          break;
        case CMYK:
        case YCCK:
          for (int x = 0; x < w; x++) {
            int c = row[4 * x] & 0xFF;
            int m = row[4 * x + 1] & 0xFF;
            int ye = row[4 * x + 2] & 0xFF;
            int k = row[4 * x + 3] & 0xFF;
            if (color == JpegColor.YCCK) { // libjpeg's ycck_cmyk_convert: YCbCr→RGB, then C = 255 − R, …
              int cb = m;
              int cr = ye;
              int yy = c;
              c = 255 - clamp255(yy + CR_R[cr]);
              m = 255 - clamp255(yy + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
              ye = 255 - clamp255(yy + CB_B[cb]);
            }
            if (header.adobe()) { // Adobe writes CMYK inverted
              px[o++] = (byte) (k * c / 255);
              px[o++] = (byte) (k * m / 255);
              px[o++] = (byte) (k * ye / 255);
            } else {
              px[o++] = (byte) ((255 - k) * (255 - c) / 255);
              px[o++] = (byte) ((255 - k) * (255 - m) / 255);
              px[o++] = (byte) ((255 - k) * (255 - ye) / 255);
            }
          }
          break;
        default:
          throw new IllegalStateException("unhandled JPEG colour space " + color);
      }
    }
    return new Decoded(w, h, out, px, fallback);
  }

  /** The JDK's JPEG reader provider, or {@code null} on a JDK without it. */
  private static ImageReaderSpi jdkJpegSpi() {
    Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
        spi -> spi.getClass().getName().equals(JDK_JPEG_SPI), false);
    return it.hasNext() ? it.next() : null;
  }

  /**
   * TwelveMonkeys' JPEG reader provider, registered with ImageIO if its class-path scan missed it
   * (ImageIO scans once, at first use, with the class loader of the moment: a jar added later, or
   * loaded by a plugin or application-server class loader, is not seen). Registering it lets it find
   * the JDK reader it delegates most decoding to; that is why it is not simply instantiated.
   * {@code null} if the jar was left off the class path (the Maven dependency excluded).
   */
  static ImageReaderSpi fallbackJpegSpi() {
    try {
      IIORegistry registry = IIORegistry.getDefaultInstance();
      ImageReaderSpi spi = registry.getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class);
      if (spi == null) {
        spi = new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi();
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
      }
      return spi;
    } catch (LinkageError e) { // NoClassDefFoundError: decode what the JDK can, and say why the rest fails
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Other formats, and any BufferedImage

  /** The first reader ImageIO has for the format (the JDK's for PNG, GIF and BMP). */
  private static ImageReader firstReader(Format format) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
    if (!readers.hasNext()) {
      throw new IOException("no ImageIO reader for " + format.imageIoName);
    }
    return readers.next();
  }

  /** Reads the first image with {@code reader}, which is disposed of afterwards. */
  private static BufferedImage readWithImageIo(ImageReader reader, byte[] bytes, Path file) throws IOException {
    List<String> warnings = new ArrayList<>();
    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
    try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      BufferedImage image = reader.read(0);
      checkWarnings(warnings);
      if (image == null) {
        throw new IOException("the reader returned no image");
      }
      return image;
    } finally {
      reader.dispose();
    }
  }

  /**
   * The raw 8-bit samples of any {@link BufferedImage}: grey and RGB component images (whatever
   * their ICC profile) and palette images without colour conversion; other colour spaces (CMYK,
   * Lab, …) through Java2D's conversion to sRGB.
   */
  static Decoded fromBufferedImage(BufferedImage image, boolean fallback) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    Raster r = image.getRaster();
    int csType = cm.getColorSpace().getType();
    if (cm instanceof IndexColorModel) {
      IndexColorModel icm = (IndexColorModel) cm;
      int bands = icm.hasAlpha() ? 4 : 3;
      byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), bands)];
      int[] idx = new int[w];
      int o = 0;
      for (int y = 0; y < h; y++) {
        r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, idx);
        for (int x = 0; x < w; x++) {
          int argb = icm.getRGB(idx[x]);
          px[o++] = (byte) (argb >> 16);
          px[o++] = (byte) (argb >> 8);
          px[o++] = (byte) argb;
          if (bands == 4) {
            px[o++] = (byte) (argb >>> 24);
          }
        }
      }
      return new Decoded(w, h, bands, px, fallback);
    }
    if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()
        && (csType == ColorSpace.TYPE_GRAY || csType == ColorSpace.TYPE_RGB)
        && r.getTransferType() != DataBuffer.TYPE_FLOAT && r.getTransferType() != DataBuffer.TYPE_DOUBLE) {
      int bands = cm.getNumComponents(); // colour components (1 or 3), then alpha
      int[] bits = cm.getComponentSize();
      byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), bands)];
      int[] row = new int[w * bands];
      int o = 0;
      for (int y = 0; y < h; y++) {
        r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
        for (int i = 0; i < row.length; i++) {
          px[o++] = (byte) to8Bits(row[i], bits[i % bands]);
        }
      }
      return new Decoded(w, h, bands, px, fallback);
    }
    // DirectColorModel sRGB (packed ints, 565, …): getRGB only unpacks. Anything else: Java2D converts to sRGB.
    boolean alpha = cm.hasAlpha();
    int bands = alpha ? 4 : 3;
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] px = new byte[Math.multiplyExact(Math.multiplyExact(w, h), bands)];
    int o = 0;
    for (int v : argb) {
      px[o++] = (byte) (v >> 16);
      px[o++] = (byte) (v >> 8);
      px[o++] = (byte) v;
      if (alpha) {
        px[o++] = (byte) (v >>> 24);
      }
    }
    return new Decoded(w, h, bands, px, fallback);
  }

  /** A sample of {@code bits} bits as 0..255: high byte of wider samples, scaled up from narrower ones. */
  private static int to8Bits(int v, int bits) {
    if (bits == 8) {
      return v;
    }
    if (bits > 8) {
      return v >>> (bits - 8);
    }
    int max = (1 << bits) - 1;
    return (v * 255 + max / 2) / max; // exact for 1, 2, 4 bits (libpng's bit replication)
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  /** The first bytes as hex and as text, for "not an image" messages. */
  static String describeStart(byte[] b) {
    int n = Math.min(8, b.length);
    StringBuilder hex = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int v = b[i] & 0xFF;
      hex.append(i == 0 ? "" : " ").append(String.format("%02x", v));
      text.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
    }
    return hex + " (\"" + text + "\")" + (b.length > n ? " …, " : ", ") + b.length + " bytes";
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
