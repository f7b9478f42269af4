package dev.neurona.data;

import static dev.neurona.data.ImageFixtures.adobeSegment;
import static dev.neurona.data.ImageFixtures.encode;
import static dev.neurona.data.ImageFixtures.jpeg;
import static dev.neurona.data.ImageFixtures.rgb;
import static dev.neurona.data.ImageFixtures.withSegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private static final Path FILE = Path.of("dir", "x.img");

  private static ImageDecoder.Decoded decode(byte[] bytes) throws Exception {
    return ImageDecoder.decode(bytes, FILE);
  }

  /** The raster's samples as bytes, band-interleaved, in the colour model's band order. */
  private static byte[] samples(BufferedImage im) {
    Raster r = im.getRaster();
    int[] px = r.getPixels(0, 0, im.getWidth(), im.getHeight(), (int[]) null);
    byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      b[i] = (byte) px[i];
    }
    return b;
  }

  private static int at(ImageDecoder.Decoded d, int x, int y, int band) {
    return d.samples()[(y * d.width() + x) * d.bands() + band] & 0xFF;
  }

  @Test
  void losslessFormatsGiveTheirSamplesUnchanged() throws Exception {
    BufferedImage im = rgb(37, 23, 1);
    for (String format : new String[] {"png", "bmp"}) {
      ImageDecoder.Decoded d = decode(encode(im, format));
      assertThat(new int[] {d.width(), d.height(), d.bands()}).as(format).containsExactly(37, 23, 3);
      assertThat(d.samples()).as(format).isEqualTo(samples(im));
      assertThat(d.fallback()).isFalse();
    }
  }

  @Test
  void greyStaysRawGreyWithoutGammaConversion() throws Exception {
    // Java2D's grey colour space is linear: getRGB() would turn 128 into ~186. The decoder must not.
    BufferedImage grey = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = grey.getRaster();
    for (int i = 0; i < 20; i++) {
      r.setSample(i % 5, i / 5, 0, i * 13);
    }
    ImageDecoder.Decoded d = decode(encode(grey, "png"));
    assertThat(d.bands()).isEqualTo(1);
    assertThat(at(d, 3, 2, 0)).isEqualTo(13 * 13);
    assertThat(d.samples()).isEqualTo(samples(grey));

    ImageDecoder.Decoded j = decode(jpeg(grey, 1f));
    assertThat(j.bands()).isEqualTo(1);
    assertThat(Math.abs(at(j, 3, 2, 0) - 169)).isLessThanOrEqualTo(3);
  }

  @Test
  void alphaSixteenBitLowBitAndPaletteImages() throws Exception {
    BufferedImage rgba = new BufferedImage(3, 2, BufferedImage.TYPE_4BYTE_ABGR);
    rgba.setRGB(1, 1, 0x80_20_40_60);
    ImageDecoder.Decoded a = decode(encode(rgba, "png"));
    assertThat(a.bands()).isEqualTo(4);
    assertThat(new int[] {at(a, 1, 1, 0), at(a, 1, 1, 1), at(a, 1, 1, 2), at(a, 1, 1, 3)}).containsExactly(0x20, 0x40, 0x60, 0x80);

    BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(1, 0, 0, 0xABCD);
    ImageDecoder.Decoded s = decode(encode(g16, "png"));
    assertThat(s.bands()).isEqualTo(1);
    assertThat(at(s, 1, 0, 0)).isEqualTo(0xAB); // the high byte, as libpng's strip_16

    BufferedImage bits = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
    bits.getRaster().setSample(1, 0, 0, 1);
    ImageDecoder.Decoded b = decode(encode(bits, "png"));
    int[] row = new int[3];
    for (int x = 0; x < 3; x++) {
      row[x] = at(b, x, 0, 0);
    }
    assertThat(row).containsExactly(0, 255, 0);

    byte[] red = {10, (byte) 200, 30};
    byte[] green = {20, 100, (byte) 250};
    byte[] blue = {30, 50, 0};
    BufferedImage indexed = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, red, green, blue));
    indexed.getRaster().setSample(2, 1, 0, 1);
    indexed.getRaster().setSample(3, 2, 0, 2);
    for (String format : new String[] {"png"}) {
      ImageDecoder.Decoded p = decode(encode(indexed, format));
      assertThat(p.bands()).as(format).isEqualTo(3);
      assertThat(new int[] {at(p, 2, 1, 0), at(p, 2, 1, 1), at(p, 2, 1, 2)}).as(format).containsExactly(200, 100, 50);
      assertThat(new int[] {at(p, 3, 2, 0), at(p, 3, 2, 1), at(p, 3, 2, 2)}).as(format).containsExactly(30, 250, 0);
      assertThat(new int[] {at(p, 0, 0, 0), at(p, 0, 0, 1), at(p, 0, 0, 2)}).as(format).containsExactly(10, 20, 30);
    }
    // GIF and BMP: the JDK's writers rework small palettes, so compare with the palette lookup of what they wrote.
    for (String format : new String[] {"gif", "bmp"}) {
      byte[] bytes = encode(indexedNoise(), format);
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(back.getColorModel()).as(format).isInstanceOf(IndexColorModel.class);
      ImageDecoder.Decoded g = decode(bytes);
      assertThat(g.bands()).isEqualTo(3);
      for (int y = 0; y < back.getHeight(); y++) {
        for (int x = 0; x < back.getWidth(); x++) {
          int argb = back.getRGB(x, y); // palette images: a lookup, no colour conversion
          assertThat(new int[] {at(g, x, y, 0), at(g, x, y, 1), at(g, x, y, 2)}).as(format)
              .containsExactly((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
        }
      }
    }
  }

  @Test
  void jpegMatchesTheJdkDecoderWhereThereIsNoProfile() throws Exception {
    byte[] bytes = jpeg(rgb(61, 45, 2), 0.85f);
    ImageDecoder.Decoded d = decode(bytes);
    BufferedImage jdk = readWithJdkJpeg(bytes);
    assertThat(d.bands()).isEqualTo(3);
    assertThat(d.fallback()).isFalse();
    // Same libjpeg YCbCr→RGB tables, so the very same bytes.
    assertThat(d.samples()).isEqualTo(samples(jdk));
  }

  @Test
  void libjpegFixedPointColourConversion() throws Exception {
    // A YCbCr pixel the JDK's native conversion turns into (166, 127, 84).
    WritableRaster r = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 1, 1, 3, null);
    r.setPixel(0, 0, new int[] {134, 100, 151});
    ImageDecoder.JpegHeader jfif = new ImageDecoder.JpegHeader(3, new int[] {1, 2, 3}, true, false, -1);
    ImageDecoder.Decoded d = ImageDecoder.fromJpegRaster(r, jfif, false);
    assertThat(new int[] {at(d, 0, 0, 0), at(d, 0, 0, 1), at(d, 0, 0, 2)}).containsExactly(166, 127, 84);
    // libjpeg's colour-space rules
    assertThat(jfif.color()).isEqualTo(ImageDecoder.JpegColor.YCBCR);
    assertThat(new ImageDecoder.JpegHeader(3, new int[] {'R', 'G', 'B'}, false, false, -1).color()).isEqualTo(ImageDecoder.JpegColor.RGB);
    assertThat(new ImageDecoder.JpegHeader(3, new int[] {1, 2, 3}, false, true, 0).color()).isEqualTo(ImageDecoder.JpegColor.RGB);
    assertThat(new ImageDecoder.JpegHeader(4, new int[] {1, 2, 3, 4}, false, true, 2).color()).isEqualTo(ImageDecoder.JpegColor.YCCK);
    assertThat(new ImageDecoder.JpegHeader(4, new int[] {1, 2, 3, 4}, false, false, -1).color()).isEqualTo(ImageDecoder.JpegColor.CMYK);
    assertThat(new ImageDecoder.JpegHeader(2, new int[] {1, 2}, false, false, -1).color()).isNull();
  }

  @Test
  void greyIccProfileOnColourDataIsIgnoredAsTensorFlowDoes() throws Exception {
    byte[] plain = jpeg(rgb(32, 24, 3), 0.9f);
    byte[] odd = ImageFixtures.withGrayProfile(plain);
    // The JDK's read() colour-manages and fails on this file ("Numbers of source Raster bands and
    // source color space components do not match"), as on two of the flower photos.
    assertThatThrownBy(() -> readWithJdkJpeg(odd)).isInstanceOf(IllegalArgumentException.class);
    ImageDecoder.Decoded d = decode(odd);
    assertThat(d.fallback()).isFalse();
    assertThat(d.samples()).isEqualTo(decode(plain).samples());
  }

  @Test
  void jpegTheJdkCannotReadGoesToTheFallbackReader() throws Exception {
    byte[] plain = jpeg(rgb(40, 16, 4), 0.9f);
    byte[] broken = ImageFixtures.withDuplicateIccChunks(plain);
    assertThatThrownBy(() -> readWithJdkJpeg(broken)).hasMessageContaining("icc profile");
    ImageDecoder.Decoded d = decode(broken);
    assertThat(d.fallback()).isTrue();
    // TwelveMonkeys' raster with our conversion: the very pixels of the primary path, profile ignored.
    assertThat(d.samples()).isEqualTo(decode(plain).samples());
  }

  @Test
  void fallbackReaderIsRegisteredWhenImageIoDidNotFindIt() throws Exception {
    IIORegistry registry = IIORegistry.getDefaultInstance();
    ImageReaderSpi registered = registry.getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class);
    assertThat(registered).as("found by ImageIO's class-path scan").isNotNull();
    registry.deregisterServiceProvider(registered, ImageReaderSpi.class);
    try {
      assertThat(registry.getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class)).isNull();
      ImageDecoder.Decoded d = decode(ImageFixtures.withDuplicateIccChunks(jpeg(rgb(8, 8, 5), 0.9f)));
      assertThat(d.fallback()).isTrue();
      assertThat(registry.getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class)).isNotNull();
    } finally {
      if (registry.getServiceProviderByClass(com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class) == null) {
        registry.registerServiceProvider(registered, ImageReaderSpi.class);
      }
    }
  }

  /** CMYK values of four patches (c, m, y, k) and the RGB TensorFlow computes from them. */
  private static final int[][] CMYK = {{0, 203, 217, 55}, {221, 69, 0, 35}, {0, 30, 194, 5}, {0, 0, 0, 165}};

  private static int[] tfRgb(int[] cmyk) {
    int k = cmyk[3];
    return new int[] {(255 - k) * (255 - cmyk[0]) / 255, (255 - k) * (255 - cmyk[1]) / 255, (255 - k) * (255 - cmyk[2]) / 255};
  }

  private static void assertPatches(ImageDecoder.Decoded d, int[][] expected, int tolerance) {
    assertThat(d.bands()).isEqualTo(3);
    for (int p = 0; p < expected.length; p++) {
      int x = p * d.width() / expected.length + d.width() / expected.length / 2;
      for (int c = 0; c < 3; c++) {
        assertThat(Math.abs(at(d, x, d.height() / 2, c) - expected[p][c]))
            .as("patch %d channel %d: got %d, expected %d", p, c, at(d, x, d.height() / 2, c), expected[p][c])
            .isLessThanOrEqualTo(tolerance);
      }
    }
  }

  @Test
  void cmykJpegsComeOutWithTheirColours() throws Exception {
    int[][] expected = new int[CMYK.length][];
    for (int p = 0; p < CMYK.length; p++) {
      expected[p] = tfRgb(CMYK[p]); // (200, 40, 29), (29, 160, 220), (250, 220, 59), (90, 90, 90)
    }
    // Plain CMYK (no Adobe marker): the JDK's read() throws "Unsupported Image Type" on these.
    byte[] plain = ImageFixtures.cmykJpeg(64, 16, CMYK, 0.95f);
    assertThat(ImageDecoder.parseJpegHeader(plain).color()).isEqualTo(ImageDecoder.JpegColor.CMYK);
    assertPatches(decode(plain), expected, 3);

    // Adobe CMYK stores the values inverted (Photoshop's way).
    int[][] inverted = new int[CMYK.length][4];
    for (int p = 0; p < CMYK.length; p++) {
      for (int c = 0; c < 4; c++) {
        inverted[p][c] = 255 - CMYK[p][c];
      }
    }
    byte[] adobe = withSegment(ImageFixtures.cmykJpeg(64, 16, inverted, 0.95f), 0xEE, adobeSegment(0));
    ImageDecoder.JpegHeader h = ImageDecoder.parseJpegHeader(adobe);
    assertThat(h.adobe()).isTrue();
    assertThat(h.color()).isEqualTo(ImageDecoder.JpegColor.CMYK);
    assertPatches(decode(adobe), expected, 3);
  }

  @Test
  void ycckJpegFromImageMagickMatchesImageMagicksOwnColours() throws Exception {
    // ycck-adobe.jpg: four 16×16 patches rgb(200,40,30), rgb(30,160,220), rgb(250,220,60), rgb(90,90,90),
    // written by ImageMagick 6.9.11 `convert src.png -colorspace CMYK -sampling-factor 1x1 -quality 95`
    // (an Adobe YCCK JPEG). ImageMagick reads it back as (200, 40.8, 29.8), (29.3, 159.6, 219.1),
    // (250, 219.6, 59.8), (90, 90, 90).
    byte[] bytes;
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream("ycck-adobe.jpg")) {
      bytes = in.readAllBytes();
    }
    assertThat(ImageDecoder.parseJpegHeader(bytes).color()).isEqualTo(ImageDecoder.JpegColor.YCCK);
    ImageDecoder.Decoded d = decode(bytes);
    assertThat(d.fallback()).isFalse();
    assertPatches(d, new int[][] {{200, 41, 30}, {29, 160, 219}, {250, 220, 60}, {90, 90, 90}}, 1);
    assertPatches(d, new int[][] {{200, 40, 30}, {30, 160, 220}, {250, 220, 60}, {90, 90, 90}}, 2);
  }

  @Test
  void emptyTextAndTruncatedFilesAreClearErrors() throws Exception {
    assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(ImageFormatException.class)
        .hasMessage(FILE + ": empty file (0 bytes)");
    assertThatThrownBy(() -> decode("hello, world\n".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(FILE + ": not a JPEG, PNG, GIF or BMP image: it starts with 68 65 6c 6c 6f 2c 20 77 (\"hello, w\") …, 13 bytes");

    byte[] full = jpeg(rgb(160, 120, 6), 0.95f);
    ImageFormatException e = (ImageFormatException) org.assertj.core.api.Assertions.catchThrowable(
        () -> decode(Arrays.copyOf(full, full.length * 6 / 10)));
    assertThat(e.file()).isEqualTo(FILE);
    // The JDK words it "Truncated File - Missing EOI marker"; TensorFlow refuses such files too.
    assertThat(e.reason()).startsWith("damaged JPEG data: truncated (");
    assertThatThrownBy(() -> decode(Arrays.copyOf(full, 40))).isInstanceOf(ImageFormatException.class)
        .hasMessageContaining(FILE + ": not a readable JPEG image (the JDK's reader: no frame header (SOF) before the first scan;");

    for (String format : new String[] {"png", "bmp", "gif"}) {
      byte[] ok = encode(format.equals("gif") ? indexedNoise() : rgb(64, 48, 7), format);
      assertThatThrownBy(() -> decode(Arrays.copyOf(ok, ok.length / 2))).as(format)
          .isInstanceOf(ImageFormatException.class)
          .hasMessageStartingWith(FILE + ": not a readable " + format.toUpperCase() + " image (");
    }
  }

  private static BufferedImage indexedNoise() {
    BufferedImage im = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
    java.util.Random rng = new java.util.Random(8);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        im.getRaster().setSample(x, y, 0, rng.nextInt(256));
      }
    }
    return im;
  }

  /** The JDK's own JPEG reader, bypassing TwelveMonkeys (which ImageIO would otherwise prefer). */
  private static BufferedImage readWithJdkJpeg(byte[] bytes) throws Exception {
    ImageReaderSpi spi = null;
    for (java.util.Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true); it.hasNext(); ) {
      ImageReaderSpi s = it.next();
      if (s.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi")) {
        spi = s;
      }
    }
    assertThat(spi).isNotNull();
    ImageReader reader = spi.createReaderInstance();
    try {
      reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
      return reader.read(0);
    } finally {
      reader.dispose();
    }
  }

  @Test
  void imageIoStillReadsEverythingAfterwards() throws Exception {
    // The decoder registers nothing besides the fallback reader: plain ImageIO keeps working.
    assertThat(ImageIO.read(new ByteArrayInputStream(encode(rgb(4, 4, 9), "png"))).getWidth()).isEqualTo(4);
  }
}
