package dev.neurona.examples.captcha;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The TrueType font the captchas are drawn with, loaded from a file so that the same seed gives the
 * same pixels: a logical font such as {@code SansSerif} maps to whatever the system has.
 *
 * <p>{@link #find()} looks for DejaVu Sans Bold at its usual paths, then searches the usual font
 * folders for it or, failing that, for another bold sans TrueType font ({@link #PREFERRED} in order).
 * A different font draws different captchas (still deterministic on that machine); the file used is
 * recorded with the generated captchas.
 */
public final class CaptchaFont {
  /** File names tried, best first: DejaVu Sans Bold, then common bold sans faces. */
  public static final List<String> PREFERRED = List.of(
      "DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "FreeSansBold.ttf", "NotoSans-Bold.ttf", "Arial Bold.ttf",
      "arialbd.ttf", "DejaVuSansCondensed-Bold.ttf");

  /** Where DejaVu Sans Bold usually is (Debian/Ubuntu, Fedora, Arch, Homebrew, macOS user fonts). */
  static final List<String> USUAL_PATHS = List.of(
      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
      "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
      "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
      "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
      "/usr/local/share/fonts/DejaVuSans-Bold.ttf",
      "/opt/homebrew/share/fonts/DejaVuSans-Bold.ttf");

  private CaptchaFont() {}

  /** Folders searched (recursively) when no usual path holds the font. */
  static List<Path> searchRoots() {
    List<Path> roots = new ArrayList<>();
    String home = System.getProperty("user.home", "");
    for (String r : new String[] {"/usr/share/fonts", "/usr/local/share/fonts", home + "/.fonts",
        home + "/.local/share/fonts", "/Library/Fonts", "/System/Library/Fonts", home + "/Library/Fonts",
        "C:\\Windows\\Fonts", System.getProperty("java.home", "") + "/lib/fonts"}) {
      if (!r.isEmpty()) {
        roots.add(Path.of(r));
      }
    }
    return roots;
  }

  /** The font in {@code file} (TrueType); the error names the file. */
  public static Font load(Path file) throws IOException {
    try {
      return Font.createFont(Font.TRUETYPE_FONT, file.toFile());
    } catch (FontFormatException e) {
      throw new IOException("font " + file + " is not a usable TrueType font: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read font " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The font file to use: the first of {@link #USUAL_PATHS} that loads, else the first file named as in
   * {@link #PREFERRED} (in that order) found under {@link #searchRoots()} that loads.
   *
   * @throws IOException naming every path and file name looked for when none is usable
   */
  public static Path find() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String p : USUAL_PATHS) {
      Path f = Path.of(p);
      if (usable(f, problems)) {
        return f;
      }
    }
    List<Path> roots = searchRoots();
    List<Path> found = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(Files::isRegularFile).forEach(found::add);
      } catch (IOException | UncheckedIOException e) {
        problems.add(root + ": " + e.getMessage());
      }
    }
    for (String name : PREFERRED) {
      for (Path f : found) {
        if (f.getFileName().toString().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
            && usable(f, problems)) {
          return f;
        }
      }
    }
    throw new IOException("no usable TrueType font for the captchas: looked for " + USUAL_PATHS
        + ", then for files named " + PREFERRED + " under " + roots
        + (problems.isEmpty() ? "" : "; problems: " + problems)
        + ". Install DejaVu (e.g. apt-get install fonts-dejavu-core) or pass --font FILE.ttf");
  }

  private static boolean usable(Path f, List<String> problems) {
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try {
      load(f);
      return true;
    } catch (IOException e) {
      problems.add(e.getMessage());
      return false;
    }
  }
}
