package dev.neurona.examples.captcha;

import dev.neurona.core.SplitMix;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws captchas in the style of the WordPress plugin "Really Simple CAPTCHA", whose images the
 * tutorial breaks: four symbols from {@link #ALPHABET}, black on white, {@value #WIDTH}×{@value #HEIGHT}
 * pixels. As the plugin does, the first symbol starts at x = 6 ± 2, each symbol gets its own rotation
 * (±{@code maxRotation} degrees about its base point) and baseline (18 ± 2), and the pen advances by a
 * fixed step, so neighbours sometimes touch. The plugin picks one of four Gentium faces per symbol; this
 * generator uses one TrueType font from a file ({@link CaptchaFont}), scaled so that the letters have
 * about the plugin's width.
 *
 * <p>Everything random comes from the seed: {@link #captcha(long, int)} gives the same image for the
 * same seed and index, and {@link #png} encodes it to the same bytes (fixed rendering hints, no PNG
 * metadata). Instances are immutable and safe to share between threads.
 */
public final class CaptchaGenerator {
  /** The 32 symbols: digits 2–9 and the letters A–Z without I and O (as the plugin). */
  public static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  /** Symbols per captcha. */
  public static final int LENGTH = 4;
  /** Image width in pixels. */
  public static final int WIDTH = 72;
  /** Image height in pixels. */
  public static final int HEIGHT = 24;

  /**
   * How the symbols are placed. The plugin's values are {@code advance 15}, {@code baseX 6},
   * {@code baseY 18}, {@code jitter 2}, {@code maxRotation 12}, with Gentium at 14 pt.
   *
   * @param fontSize font size in pixels
   * @param widthScale horizontal scale of the glyphs (1 = the font's own shapes)
   * @param advance pixels from one symbol's base point to the next
   * @param baseX x of the first base point (before jitter)
   * @param baseY baseline y (before jitter)
   * @param jitter the base points move by a whole number of pixels in {@code [-jitter, jitter]}
   * @param maxRotation each symbol turns by a whole number of degrees in {@code [-maxRotation, maxRotation]}
   */
  public record Style(float fontSize, float widthScale, int advance, int baseX, int baseY, int jitter, int maxRotation) {
    /** The style used by default: the plugin's layout with DejaVu Sans Bold narrowed to Gentium's width. */
    public static final Style DEFAULT = new Style(17.5f, 0.85f, 15, 6, 18, 2, 12);

    /** Checks the values. */
    public Style {
      if (!(fontSize >= 4 && fontSize <= 64) || !(widthScale > 0.2 && widthScale <= 2) || advance < 1 || jitter < 0
          || maxRotation < 0 || maxRotation > 90) {
        throw new IllegalArgumentException("CaptchaGenerator.Style: out of range: " + fontSize + ", " + widthScale + ", "
            + advance + ", " + jitter + ", " + maxRotation);
      }
    }
  }

  /** A captcha: its text and its image. */
  public record Captcha(String text, BufferedImage image) {}

  private final Font font;
  private final Path fontFile;
  private final Style style;

  /** A generator drawing with the TrueType font in {@code fontFile} and the {@link Style#DEFAULT} layout. */
  public CaptchaGenerator(Path fontFile) throws IOException {
    this(fontFile, Style.DEFAULT);
  }

  /** A generator drawing with the TrueType font in {@code fontFile} and {@code style}. */
  public CaptchaGenerator(Path fontFile, Style style) throws IOException {
    this.fontFile = fontFile;
    this.style = style;
    Font base = CaptchaFont.load(fontFile);
    this.font = base.deriveFont(AffineTransform.getScaleInstance(style.widthScale(), 1)).deriveFont(style.fontSize());
  }

  /** A generator with the font {@link CaptchaFont#find()} picks. */
  public static CaptchaGenerator withDefaultFont() throws IOException {
    return new CaptchaGenerator(CaptchaFont.find());
  }

  /** The font file the symbols are drawn with. */
  public Path fontFile() {
    return fontFile;
  }

  /** The layout. */
  public Style style() {
    return style;
  }

  /**
   * Captcha number {@code index} of the set drawn from {@code seed}: its text and image come from a
   * random stream that depends only on {@code (seed, index)}, so captchas can be drawn in any order or
   * in parallel.
   */
  public Captcha captcha(long seed, int index) {
    SplittableRandom rng = new SplittableRandom(SplitMix.mix(seed) ^ SplitMix.mix(index + 0x9E3779B97F4A7C15L));
    String text = randomText(rng);
    return new Captcha(text, render(text, rng));
  }

  /** {@value #LENGTH} symbols drawn uniformly from {@link #ALPHABET}. */
  public static String randomText(SplittableRandom rng) {
    char[] c = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      c[i] = ALPHABET.charAt(rng.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }

  /**
   * Draws {@code text} (symbols of {@link #ALPHABET}) with the placement drawn from {@code rng}: the
   * plugin's loop, {@code x = baseX ± jitter}, then per symbol a rotation, a baseline
   * {@code baseY ± jitter}, and {@code x += advance}.
   */
  public BufferedImage render(String text, SplittableRandom rng) {
    for (int i = 0; i < text.length(); i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        throw new IllegalArgumentException("CaptchaGenerator.render: '" + text.charAt(i) + "' in '" + text
            + "' is not one of " + ALPHABET);
      }
    }
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.BLACK);
      g.setFont(font);
      int x = style.baseX() + between(rng, style.jitter());
      AffineTransform identity = g.getTransform();
      for (int i = 0; i < text.length(); i++) {
        double angle = Math.toRadians(between(rng, style.maxRotation()));
        int y = style.baseY() + between(rng, style.jitter());
        g.setTransform(identity);
        g.rotate(-angle, x, y); // counter-clockwise for a positive angle, as GD's imagettftext
        g.drawString(String.valueOf(text.charAt(i)), x, y);
        x += style.advance();
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The image as PNG bytes: the same pixels always give the same bytes. */
  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a captcha as PNG", e);
    }
    return out.toByteArray();
  }

  private static int between(SplittableRandom rng, int r) {
    return r == 0 ? 0 : rng.nextInt(-r, r + 1);
  }

  /** {@code CaptchaGenerator(DejaVuSans-Bold.ttf, Style[...])}. */
  @Override
  public String toString() {
    return "CaptchaGenerator(" + fontFile.getFileName() + ", " + style + ")";
  }
}
