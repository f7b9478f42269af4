package dev.neurona.examples.captcha;

import dev.neurona.data.ImageDataset;
import dev.neurona.data.ImageFolder;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The tutorial's folders on disk, built once and reused:
 *
 * <ul>
 *   <li>{@link #captchas}: {@code <root>/<seed>-<count>/} holds the generated captchas, each named by
 *       its text ({@code 2A2X.png}; a repeated text gets a suffix: {@code 2A2X_2.png});</li>
 *   <li>{@link #letters}: {@code <root>/<seed>-<count>-letters/<symbol>/000001.png …} holds the letters
 *       {@link LetterExtractor} cut from them, already scaled to the network's input with
 *       {@link LetterExtractor#resizeToFit}, one folder per symbol;</li>
 *   <li>{@link #loadLetters} reads those folders back with the data module's {@link ImageFolder}, as
 *       any class-per-folder image tree.</li>
 * </ul>
 *
 * <p>Each folder is written under a temporary name and renamed into place once complete, with a
 * small {@code .properties} stamp saying how it was made (font, layout, counts). A complete folder
 * whose stamp matches is reused; one that does not match (another font, an older extractor) is
 * rebuilt. Methods never print; they return what they did.
 */
public final class CaptchaFolders {
  /** Bumped when the extraction changes, so that cached letters are cut again (2: letters stored scaled to size). */
  static final String EXTRACTOR_VERSION = "2";
  private static final String CAPTCHA_STAMP = "captchas.properties";
  private static final String LETTER_STAMP = "letters.properties";

  private CaptchaFolders() {}

  /** What {@link #captchas} did: the folder, and whether it was already complete. */
  public record Generated(Path dir, int count, boolean reused) {}

  /** What {@link #letters} did: how many captchas gave four letters, how many were rejected. */
  public record Extracted(Path dir, int captchas, int accepted, int rejected, int letters, boolean reused) {}

  /** The text a captcha file is named after: {@code 2A2X.png} and {@code 2A2X_2.png} both give {@code 2A2X}. */
  public static String textOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    int us = stem.indexOf('_');
    return us < 0 ? stem : stem.substring(0, us);
  }

  /**
   * Makes sure {@code <root>/<seed>-<count>/} holds the {@code count} captchas {@code generator} draws
   * from {@code seed}, generating them (in parallel) when the folder is missing or was made differently.
   */
  public static Generated captchas(CaptchaGenerator generator, long seed, int count, Path root) throws IOException {
    if (count < 1) {
      throw new IllegalArgumentException("CaptchaFolders.captchas: count must be >= 1, got " + count);
    }
    Path dir = root.resolve(seed + "-" + count);
    Properties want = new Properties();
    want.setProperty("generator", "1");
    want.setProperty("font", generator.fontFile().toAbsolutePath().toString());
    want.setProperty("style", generator.style().toString());
    want.setProperty("seed", Long.toString(seed));
    want.setProperty("count", Integer.toString(count));
    if (stampMatches(dir.resolve(CAPTCHA_STAMP), want)) {
      return new Generated(dir, count, true);
    }
    Files.createDirectories(root);
    Path tmp = Files.createTempDirectory(root, dir.getFileName() + ".partial-");
    try {
      byte[][] png = new byte[count][];
      String[] text = new String[count];
      IntStream.range(0, count).parallel().forEach(i -> {
        CaptchaGenerator.Captcha c = generator.captcha(seed, i);
        text[i] = c.text();
        png[i] = CaptchaGenerator.png(c.image());
      });
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < count; i++) {
        int k = seen.merge(text[i], 1, Integer::sum);
        Files.write(tmp.resolve(text[i] + (k == 1 ? "" : "_" + k) + ".png"), png[i]);
      }
      writeStamp(tmp.resolve(CAPTCHA_STAMP), want);
      replace(tmp, dir);
    } finally {
      deleteTree(tmp);
    }
    return new Generated(dir, count, false);
  }

  /**
   * Makes sure {@code <captchaDir>-letters/} holds the letters of every captcha in {@code captchaDir}
   * that segments into exactly four regions, each scaled to {@code size × size} by
   * {@link LetterExtractor#resizeToFit}, one folder per symbol; rebuilds it when missing or stale.
   */
  public static Extracted letters(Path captchaDir, LetterExtractor extractor, int size) throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("CaptchaFolders.letters: size must be >= 1, got " + size);
    }
    Path dir = captchaDir.resolveSibling(captchaDir.getFileName() + "-letters");
    Properties captchaStamp = readStamp(captchaDir.resolve(CAPTCHA_STAMP));
    Properties want = new Properties();
    want.setProperty("extractor", EXTRACTOR_VERSION);
    want.setProperty("size", Integer.toString(size));
    want.setProperty("captchas", captchaStamp == null ? "?" : captchaStamp.getProperty("generator") + " "
        + captchaStamp.getProperty("font") + " " + captchaStamp.getProperty("style") + " "
        + captchaStamp.getProperty("seed") + " " + captchaStamp.getProperty("count"));
    Properties have = readStamp(dir.resolve(LETTER_STAMP));
    if (have != null && stampMatches(dir.resolve(LETTER_STAMP), want)) {
      return new Extracted(dir, intOf(have, "total"), intOf(have, "accepted"), intOf(have, "rejected"),
          intOf(have, "letters"), true);
    }
    List<Path> files = pngs(captchaDir);
    List<List<GrayImage>> cut = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      cut.add(null);
    }
    try {
      IntStream.range(0, files.size()).parallel().forEach(i -> {
        try {
          cut.set(i, extractor.letters(GrayImage.read(files.get(i)), CaptchaGenerator.LENGTH));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
    try {
      Map<String, Integer> perSymbol = new HashMap<>();
      List<GrayImage> images = new ArrayList<>();
      List<Path> targets = new ArrayList<>();
      int accepted = 0;
      for (int i = 0; i < files.size(); i++) {
        List<GrayImage> letters = cut.get(i);
        String text = textOf(files.get(i));
        if (letters == null || text.length() != letters.size()) {
          continue;
        }
        accepted++;
        for (int k = 0; k < letters.size(); k++) {
          String symbol = String.valueOf(text.charAt(k));
          int n = perSymbol.merge(symbol, 1, Integer::sum);
          images.add(LetterExtractor.resizeToFit(letters.get(k), size, size));
          targets.add(tmp.resolve(symbol).resolve(String.format("%06d.png", n)));
        }
      }
      for (String symbol : perSymbol.keySet()) {
        Files.createDirectories(tmp.resolve(symbol));
      }
      IntStream.range(0, images.size()).parallel().forEach(i -> {
        try {
          images.get(i).writePng(targets.get(i));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      Properties stamp = new Properties();
      stamp.putAll(want);
      stamp.setProperty("total", Integer.toString(files.size()));
      stamp.setProperty("accepted", Integer.toString(accepted));
      stamp.setProperty("rejected", Integer.toString(files.size() - accepted));
      stamp.setProperty("letters", Integer.toString(images.size()));
      writeStamp(tmp.resolve(LETTER_STAMP), stamp);
      replace(tmp, dir);
      return new Extracted(dir, files.size(), accepted, files.size() - accepted, images.size(), false);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Reads the letter folders written by {@link #letters} with {@link ImageFolder}: gray, {@code size ×
   * size}, not shuffled, so in folder order then file-name order; the folder names are the class
   * names. The letters are stored at that size, so the bilinear resize of {@code ImageFolder} changes
   * no pixel: the bytes are those {@link LetterExtractor#resizeToFit} gave.
   */
  public static ImageDataset loadLetters(Path dir, int size) throws IOException {
    ImageFolder folder = ImageFolder.load(dir, ImageFolder.Options.defaults().imageSize(size, size)
        .colorMode(ImageFolder.ColorMode.GRAYSCALE).shuffle(false));
    return folder.train();
  }

  /** The {@code *.png} files directly in {@code dir}, sorted by name. */
  static List<Path> pngs(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.png")) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new IOException("cannot list " + dir + ": " + e, e);
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  private static boolean stampMatches(Path stamp, Properties want) throws IOException {
    Properties have = readStamp(stamp);
    if (have == null) {
      return false;
    }
    for (String k : want.stringPropertyNames()) {
      if (!want.getProperty(k).equals(have.getProperty(k))) {
        return false;
      }
    }
    return true;
  }

  private static Properties readStamp(Path stamp) throws IOException {
    if (!Files.isRegularFile(stamp)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(stamp, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  private static void writeStamp(Path stamp, Properties p) throws IOException {
    try (Writer w = Files.newBufferedWriter(stamp, StandardCharsets.UTF_8)) {
      p.store(w, "written by Neurona's captcha example; the folder is reused while this matches");
    }
  }

  private static int intOf(Properties p, String key) throws IOException {
    try {
      return Integer.parseInt(p.getProperty(key, ""));
    } catch (NumberFormatException e) {
      throw new IOException("stamp has no whole number '" + key + "': " + p, e);
    }
  }

  /**
   * Moves the complete folder {@code tmp} to {@code dir}; an existing {@code dir} (stale or partial) is
   * deleted first, but only if it holds nothing but what these methods write (PNGs, symbol folders of
   * PNGs, the stamp), so a mistyped {@code --data} never deletes anything else.
   */
  private static void replace(Path tmp, Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String n = p.getFileName().toString();
          boolean ours = p.equals(dir) || n.endsWith(".png") || n.endsWith(".properties")
              || (Files.isDirectory(p) && p.getParent().equals(dir) && n.length() == 1);
          if (!ours) {
            throw new IOException("will not replace " + dir + ": it holds " + p + ", which the captcha example did not write");
          }
        }
      }
      deleteTree(dir);
    }
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }
}
