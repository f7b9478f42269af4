package dev.neurona.data;

import dev.neurona.core.Parallel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keras' {@code image_dataset_from_directory}, Java-shaped: a folder with one sub-folder per class
 * becomes labelled in-memory {@link ImageDataset}s (uint8, NHWC), split into training and validation
 * subsets exactly as Keras splits them.
 *
 * <pre>{@code
 * ImageFolder flowers = ImageFolder.load(Path.of("flower_photos"),
 *     ImageFolder.Options.defaults().imageSize(180, 180).validationSplit(0.2).seed(123));
 * flowers.classNames();   // [daisy, dandelion, roses, sunflowers, tulips]
 * flowers.train();        // ImageDataset 'flower_photos/train' (1292 × (180, 180, 3), 5 classes)
 * flowers.validation();   // the other int(0.2 × 1615) = 323 photos
 * }</pre>
 *
 * <p><b>Files.</b> Class names are the sub-folder names sorted alphabetically (by code unit, as
 * Python sorts them); label {@code k} is {@code classNames().get(k)}. Every file under a class
 * folder, sub-folders included, whose name ends in {@code .bmp}, {@code .gif}, {@code .jpeg},
 * {@code .jpg} or {@code .png} (any case) is an image of that class; files and folders whose names
 * start with a dot are ignored, and so are other files and the files directly in the root (e.g. a
 * {@code LICENSE.txt}): {@link #ignoredFiles()} lists them. The format is then recognised from the
 * file's content.
 *
 * <p><b>Split.</b> As Keras: the file list (classes in order, files sorted within each folder) is
 * shuffled with numpy's {@code RandomState(seed).shuffle}, and the last
 * {@code int(validationSplit · n)} files are the validation subset. The same seed therefore gives
 * the same two disjoint subsets in separate loads (Subset.TRAINING in one, Subset.VALIDATION in
 * another) — and the very files Keras would put there. Each subset keeps the shuffled order.
 *
 * <p><b>Pixels.</b> Each image is decoded to the file's own samples, as TensorFlow's decoders give
 * them: no colour management (embedded ICC profiles are ignored), CMYK and YCCK JPEGs converted with
 * TensorFlow's formula, a GIF's first frame. It is then optionally centre-cropped to the target aspect
 * ratio (Keras' {@code smart_resize} box), converted to the colour mode and resized with
 * {@code tf.image.resize(method="bilinear", antialias=False)} (half-pixel centres, in float), and
 * finally rounded to the nearest uint8. Keras yields those floats unrounded; keeping bytes takes 4×
 * less memory (157 MB instead of 628 MB for 1,615 photos at 180 × 180 × 3) and moves each value by
 * at most 0.5 of 255. {@link Images#load(Path, Options)} does exactly the same to one file. Decoding
 * runs on the library's threads ({@link Parallel}); every result goes to its own index, so the data
 * sets are byte-identical for any thread count.
 *
 * <p><b>JPEG readers.</b> The JDK's decoder reads every JPEG it can; the files it cannot (broken ICC
 * chunks, lossless JPEG, …) go to TwelveMonkeys' reader, with the same pixel conversion, and are
 * listed in {@link #fallbackDecoded()}.
 *
 * <p><b>Bad files.</b> By default the first file that cannot be decoded stops the load with an
 * {@link ImageFormatException} naming it; a folder problem (missing root, no class folders, a class
 * folder without images) is an {@link ImageFolderException}. With
 * {@link Options#skipBadFiles(boolean) skipBadFiles(true)} undecodable files and empty class folders
 * are left out and listed in {@link #skipped()} with the reason, and one WARNING with their count is
 * logged ({@code System.Logger} {@code dev.neurona.data.ImageFolder}). Nothing is dropped silently.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ImageFolder {
  /** The file name endings taken as images (Keras' allow-list), compared ignoring case. */
  public static final List<String> IMAGE_EXTENSIONS = List.of(".bmp", ".gif", ".jpeg", ".jpg", ".png");

  private static final System.Logger LOG = System.getLogger(ImageFolder.class.getName());

  /** How the pixels of each sample are stored. */
  public enum ColorMode {
    /** Red, green, blue: 3 channels (grey images are repeated, alpha is dropped). Keras' default. */
    RGB(3),
    /** One channel: grey images as they are, colour ones with weights 0.2989, 0.5870, 0.1140 (as {@code tf.image.rgb_to_grayscale}). */
    GRAYSCALE(1),
    /** Red, green, blue, alpha: 4 channels (alpha 255 where the file has none). */
    RGBA(4);

    private final int channels;

    ColorMode(int channels) {
      this.channels = channels;
    }

    /** The number of channels: 3, 1 or 4. */
    public int channels() {
      return channels;
    }
  }

  /** Which part of a split to load, when {@link Options#validationSplit(double)} is set. */
  public enum Subset {
    /** The first {@code n − int(validationSplit · n)} shuffled files. */
    TRAINING,
    /** The last {@code int(validationSplit · n)} shuffled files. */
    VALIDATION,
    /** Both subsets, from one reading of the folder (the default). */
    BOTH
  }

  /** A file (or class folder) left out by {@link Options#skipBadFiles(boolean) skipBadFiles(true)}, and why. */
  public record SkippedFile(Path file, String reason) {
    /** {@code file: reason}. */
    @Override
    public String toString() {
      return file + ": " + reason;
    }
  }

  /** Receives the progress of a long load, on the thread that called {@code load}. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * {@code done} of {@code total} image files have been decoded; called after every few files and
     * once at the end ({@code done == total}).
     */
    void progress(int done, int total);
  }

  /**
   * How to load an image folder. Immutable: every setter returns a new {@code Options}; start from
   * {@link #defaults()}. Defaults are Keras': 256 × 256, RGB, no validation split, shuffled, no crop;
   * and bad files are errors.
   */
  public static final class Options {
    private static final Options DEFAULTS = new Options(256, 256, ColorMode.RGB, 0.0, Subset.BOTH, false, 0L, true, false, false);

    private final int height;
    private final int width;
    private final ColorMode colorMode;
    private final double validationSplit;
    private final Subset subset;
    private final boolean hasSeed;
    private final long seed;
    private final boolean shuffle;
    private final boolean cropToAspectRatio;
    private final boolean skipBadFiles;

    private Options(int height, int width, ColorMode colorMode, double validationSplit, Subset subset, boolean hasSeed, long seed,
        boolean shuffle, boolean cropToAspectRatio, boolean skipBadFiles) {
      this.height = height;
      this.width = width;
      this.colorMode = colorMode;
      this.validationSplit = validationSplit;
      this.subset = subset;
      this.hasSeed = hasSeed;
      this.seed = seed;
      this.shuffle = shuffle;
      this.cropToAspectRatio = cropToAspectRatio;
      this.skipBadFiles = skipBadFiles;
    }

    /** Keras' defaults: 256 × 256 RGB, no split, shuffled with a random seed, no crop, bad files are errors. */
    public static Options defaults() {
      return DEFAULTS;
    }

    /** Every image is resized to {@code height × width} pixels (Keras' {@code image_size=(height, width)}). */
    public Options imageSize(int height, int width) {
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("ImageFolder.Options.imageSize: height and width must be >= 1, got (" + height + ", " + width + ")");
      }
      if ((long) height * width * 4 > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("ImageFolder.Options.imageSize: (" + height + ", " + width + ") is too large for one sample");
      }
      return new Options(height, width, colorMode, validationSplit, subset, hasSeed, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /** How pixels are stored: {@link ColorMode#RGB} (default), {@link ColorMode#GRAYSCALE} or {@link ColorMode#RGBA}. */
    public Options colorMode(ColorMode mode) {
      Objects.requireNonNull(mode, "ImageFolder.Options.colorMode: mode is null");
      return new Options(height, width, mode, validationSplit, subset, hasSeed, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /**
     * The fraction of files kept for validation, in [0, 1); 0 (default) means no split. A split needs
     * a {@link #seed(long) seed} unless {@link #shuffle(boolean) shuffling} is off (as in Keras).
     */
    public Options validationSplit(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("ImageFolder.Options.validationSplit: fraction must be in [0, 1), got " + fraction);
      }
      return new Options(height, width, colorMode, fraction, subset, hasSeed, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /** Which subset(s) to load when there is a validation split (default {@link Subset#BOTH}). */
    public Options subset(Subset which) {
      Objects.requireNonNull(which, "ImageFolder.Options.subset: which is null");
      return new Options(height, width, colorMode, validationSplit, which, hasSeed, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /** The shuffling seed, as numpy's {@code RandomState(seed)}: 0 ≤ seed ≤ 2^32 − 1. */
    public Options seed(long seed) {
      if (seed < 0 || seed > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("ImageFolder.Options.seed: seed must be in [0, 2^32 - 1] (numpy's RandomState range), got " + seed);
      }
      return new Options(height, width, colorMode, validationSplit, subset, true, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /** Whether the file list is shuffled (default {@code true}); unshuffled, files are in class and name order. */
    public Options shuffle(boolean on) {
      return new Options(height, width, colorMode, validationSplit, subset, hasSeed, seed, on, cropToAspectRatio, skipBadFiles);
    }

    /**
     * Whether each image is first centre-cropped to the target aspect ratio, so that resizing does not
     * distort it (Keras' {@code crop_to_aspect_ratio=True}); default {@code false}.
     */
    public Options cropToAspectRatio(boolean on) {
      return new Options(height, width, colorMode, validationSplit, subset, hasSeed, seed, shuffle, on, skipBadFiles);
    }

    /** Whether undecodable files are skipped and reported instead of failing the load (default {@code false}). */
    public Options skipBadFiles(boolean on) {
      return new Options(height, width, colorMode, validationSplit, subset, hasSeed, seed, shuffle, cropToAspectRatio, on);
    }

    /** The target height. */
    public int imageHeight() {
      return height;
    }

    /** The target width. */
    public int imageWidth() {
      return width;
    }

    /** The colour mode. */
    public ColorMode colorMode() {
      return colorMode;
    }

    /** The validation fraction (0: no split). */
    public double validationSplit() {
      return validationSplit;
    }

    /** The subset(s) loaded when splitting. */
    public Subset subset() {
      return subset;
    }

    /** The seed, if one was set. */
    public OptionalLong seed() {
      return hasSeed ? OptionalLong.of(seed) : OptionalLong.empty();
    }

    /** Whether the file list is shuffled. */
    public boolean shuffle() {
      return shuffle;
    }

    /** Whether images are centre-cropped to the target aspect ratio. */
    public boolean cropToAspectRatio() {
      return cropToAspectRatio;
    }

    /** Whether bad files are skipped. */
    public boolean skipBadFiles() {
      return skipBadFiles;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Options)) {
        return false;
      }
      Options x = (Options) o;
      return height == x.height && width == x.width && colorMode == x.colorMode
          && Double.compare(validationSplit, x.validationSplit) == 0 && subset == x.subset && hasSeed == x.hasSeed
          && seed == x.seed && shuffle == x.shuffle && cropToAspectRatio == x.cropToAspectRatio && skipBadFiles == x.skipBadFiles;
    }

    @Override
    public int hashCode() {
      return Objects.hash(height, width, colorMode, validationSplit, subset, hasSeed, seed, shuffle, cropToAspectRatio, skipBadFiles);
    }

    /** E.g. {@code Options[imageSize=(180, 180), RGB, validationSplit=0.2, subset=BOTH, seed=123, shuffle, …]}. */
    @Override
    public String toString() {
      return "Options[imageSize=(" + height + ", " + width + "), " + colorMode + ", validationSplit=" + validationSplit
          + ", subset=" + subset + ", seed=" + (hasSeed ? Long.toString(seed) : "none") + ", shuffle=" + shuffle
          + ", cropToAspectRatio=" + cropToAspectRatio + ", skipBadFiles=" + skipBadFiles + "]";
    }
  }

  private final Path root;
  private final Options options;
  private final long seed;
  private final List<String> classNames;
  private final int fileCount;
  private final ImageDataset train;
  private final ImageDataset validation;
  private final List<Path> trainFiles;
  private final List<Path> validationFiles;
  private final List<SkippedFile> skipped;
  private final List<Path> fallbackDecoded;
  private final List<Path> ignoredFiles;

  private ImageFolder(Path root, Options options, long seed, List<String> classNames, int fileCount, ImageDataset train,
      ImageDataset validation, List<Path> trainFiles, List<Path> validationFiles, List<SkippedFile> skipped,
      List<Path> fallbackDecoded, List<Path> ignoredFiles) {
    this.root = root;
    this.options = options;
    this.seed = seed;
    this.classNames = classNames;
    this.fileCount = fileCount;
    this.train = train;
    this.validation = validation;
    this.trainFiles = trainFiles;
    this.validationFiles = validationFiles;
    this.skipped = skipped;
    this.fallbackDecoded = fallbackDecoded;
    this.ignoredFiles = ignoredFiles;
  }

  /** Loads {@code root} with the {@link Options#defaults() defaults} (256 × 256 RGB, no split). */
  public static ImageFolder load(Path root) throws IOException {
    return load(root, Options.defaults(), (done, total) -> { });
  }

  /**
   * Loads {@code root} (one sub-folder per class) as described in the class comment.
   *
   * @throws ImageFolderException if the root is missing, has no class folders, or a class folder has no images
   *     (the last only without {@code skipBadFiles})
   * @throws ImageFormatException naming the first file (in list order) that cannot be decoded, unless
   *     {@code skipBadFiles} is on
   * @throws IllegalArgumentException if a validation split is asked with shuffling but without a seed,
   *     or leaves a subset empty
   */
  public static ImageFolder load(Path root, Options options) throws IOException {
    return load(root, options, (done, total) -> { });
  }

  /**
   * As {@link #load(Path, Options)}, telling {@code progress} how many files have been decoded
   * (on the calling thread, every few files). For example:
   * <pre>{@code
   * ImageFolder.load(root, options, (done, total) -> System.err.printf("\rdecoded %d/%d", done, total));
   * }</pre>
   */
  public static ImageFolder load(Path root, Options options, ProgressListener progress) throws IOException {
    Objects.requireNonNull(root, "ImageFolder.load: root is null");
    Objects.requireNonNull(options, "ImageFolder.load: options is null");
    Objects.requireNonNull(progress, "ImageFolder.load: progress is null");
    List<SkippedFile> skipped = new ArrayList<>();
    List<Path> ignored = new ArrayList<>();
    Listing listing = list(root, options.skipBadFiles(), skipped, ignored);
    int n = listing.files.size();

    // Keras: shuffle the whole list with RandomState(seed), then the last int(split · n) are validation.
    double split = options.validationSplit();
    if (split > 0 && options.shuffle() && options.seed().isEmpty()) {
      throw new IllegalArgumentException("ImageFolder " + root + ": validationSplit " + split + " with shuffling needs a seed "
          + "(Options.seed(…)), so that separate loads of the training and validation subsets do not overlap");
    }
    long seed = options.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong(1_000_000)); // Keras: randint(1e6)
    int[] order = fileOrder(n, options.shuffle(), seed);
    int nVal = validationCount("ImageFolder " + root, n, split);
    boolean wantTrain = split == 0 || options.subset() != Subset.VALIDATION;
    boolean wantVal = split > 0 && options.subset() != Subset.TRAINING;
    int[] trainOrder = wantTrain ? Arrays.copyOfRange(order, 0, n - nVal) : new int[0];
    int[] valOrder = wantVal ? Arrays.copyOfRange(order, n - nVal, n) : new int[0];

    Decoding decoding = new Decoding(listing, options, trainOrder, valOrder, progress);
    decoding.run();

    String base = root.getFileName() == null ? root.toString() : root.getFileName().toString();
    List<String> names = Collections.unmodifiableList(listing.classNames);
    ImageDataset trainSet = null;
    ImageDataset valSet = null;
    List<Path> trainFiles = List.of();
    List<Path> valFiles = List.of();
    List<Path> fallback = new ArrayList<>();
    for (int part = 0; part < 2; part++) {
      int[] partOrder = part == 0 ? trainOrder : valOrder;
      if (part == 0 ? !wantTrain : !wantVal) {
        continue;
      }
      byte[] pixels = decoding.pixels[part];
      int sample = decoding.sampleSize;
      List<Path> files = new ArrayList<>(partOrder.length);
      int[] labels = new int[partOrder.length];
      int kept = 0;
      for (int i = 0; i < partOrder.length; i++) {
        int job = part == 0 ? i : trainOrder.length + i;
        Path file = listing.files.get(partOrder[i]);
        ImageFormatException failure = decoding.failures[job];
        if (failure != null) {
          skipped.add(new SkippedFile(file, failure.reason()));
          continue;
        }
        if (decoding.fallback[job]) {
          fallback.add(file);
        }
        if (kept != i) { // close the gap left by skipped files
          System.arraycopy(pixels, i * sample, pixels, kept * sample, sample);
        }
        labels[kept] = listing.labels[partOrder[i]];
        files.add(file);
        kept++;
      }
      if (kept != partOrder.length) {
        pixels = Arrays.copyOf(pixels, kept * sample);
        labels = Arrays.copyOf(labels, kept);
      }
      String name = base + (split == 0 ? "" : part == 0 ? "/train" : "/validation");
      ImageDataset set = ImageDataset.ofOwned(name, pixels, labels, options.imageHeight(), options.imageWidth(),
          options.colorMode().channels(), names);
      if (part == 0) {
        trainSet = set;
        trainFiles = Collections.unmodifiableList(files);
      } else {
        valSet = set;
        valFiles = Collections.unmodifiableList(files);
      }
    }
    if (!skipped.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Math.min(5, skipped.size()); i++) {
        sb.append(i == 0 ? "" : "; ").append(skipped.get(i));
      }
      LOG.log(System.Logger.Level.WARNING, "ImageFolder " + root + ": skipped " + skipped.size() + " of " + n
          + " image files/folders that could not be used (ImageFolder.skipped() lists them): " + sb
          + (skipped.size() > 5 ? "; …" : ""));
    }
    return new ImageFolder(root, options, seed, names, n, trainSet, valSet, trainFiles, valFiles,
        List.copyOf(skipped), List.copyOf(fallback), List.copyOf(ignored));
  }

  /**
   * Which of the listed image files {@link #load(Path, Options) load} puts in a subset, in the
   * subset's order: with the files numbered {@code 0 … fileCount − 1} as {@code load} lists them
   * (classes in order, each class folder's files in walk order; see the class comment), the numbers
   * of subset {@code which}'s samples, first sample first. For loaders that list and read the folder
   * themselves (e.g. on a Hadoop file system) and must give the very samples {@code load} gives.
   * Without a validation split, {@link Subset#TRAINING} is every file.
   *
   * @param fileCount the number of image files listed
   * @param options the split, seed and shuffle options ({@code subset()} is not consulted)
   * @param which {@link Subset#TRAINING} or {@link Subset#VALIDATION}
   * @throws IllegalArgumentException if shuffling without a seed (the order would differ on every
   *     call), for {@link Subset#BOTH}, for VALIDATION without a split, or if the split leaves a
   *     subset empty
   */
  public static int[] subsetOrder(int fileCount, Options options, Subset which) {
    Objects.requireNonNull(options, "ImageFolder.subsetOrder: options is null");
    Objects.requireNonNull(which, "ImageFolder.subsetOrder: which is null");
    if (fileCount < 0) {
      throw new IllegalArgumentException("ImageFolder.subsetOrder: fileCount must be >= 0, got " + fileCount);
    }
    if (which == Subset.BOTH) {
      throw new IllegalArgumentException("ImageFolder.subsetOrder: which must be TRAINING or VALIDATION, got BOTH");
    }
    if (options.shuffle() && options.seed().isEmpty()) {
      throw new IllegalArgumentException("ImageFolder.subsetOrder: shuffling needs a seed (Options.seed(…)) to give the "
          + "same order every time; or turn it off with Options.shuffle(false)");
    }
    double split = options.validationSplit();
    if (which == Subset.VALIDATION && split == 0) {
      throw new IllegalArgumentException("ImageFolder.subsetOrder: no VALIDATION subset without a validation split "
          + "(Options.validationSplit(…) is 0)");
    }
    int[] order = fileOrder(fileCount, options.shuffle(), options.seed().orElse(0L));
    int nVal = validationCount("ImageFolder.subsetOrder", fileCount, split);
    return which == Subset.TRAINING ? Arrays.copyOfRange(order, 0, fileCount - nVal)
        : Arrays.copyOfRange(order, fileCount - nVal, fileCount);
  }

  /** {@code 0 … n − 1}, shuffled with numpy's {@code RandomState(seed)} if {@code shuffle}. */
  private static int[] fileOrder(int n, boolean shuffle, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      new NumpyRandomState(seed).shuffle(order);
    }
    return order;
  }

  /** Keras' {@code int(split · n)} validation files; an error (starting with {@code who}) if a subset would be empty. */
  private static int validationCount(String who, int n, double split) {
    int nVal = split > 0 ? (int) (split * n) : 0;
    if (split > 0 && (nVal == 0 || nVal == n)) {
      throw new IllegalArgumentException(who + ": validationSplit " + split + " of " + n + " files leaves "
          + (nVal == 0 ? "no validation files (int(" + split + " × " + n + ") = 0)" : "no training files"));
    }
    return nVal;
  }

  // ---------------------------------------------------------------------------------------------
  // Listing

  /** The class names and every image file in Keras' order (class by class), with its label. */
  private static final class Listing {
    final List<String> classNames = new ArrayList<>();
    final List<Path> files = new ArrayList<>();
    int[] labels;
  }

  private static Listing list(Path root, boolean skipBad, List<SkippedFile> skipped, List<Path> ignored) throws IOException {
    if (!Files.exists(root)) {
      throw new ImageFolderException("image folder " + root.toAbsolutePath() + " does not exist");
    }
    if (!Files.isDirectory(root)) {
      throw new ImageFolderException("image folder " + root.toAbsolutePath() + " is not a directory (expected a directory with one sub-folder per class)");
    }
    Listing listing = new Listing();
    List<Path> rootFiles = new ArrayList<>();
    for (Path p : sortedEntries(root)) {
      if (Files.isDirectory(p) && !isHidden(p)) {
        listing.classNames.add(p.getFileName().toString());
      } else {
        rootFiles.add(p);
      }
    }
    ignored.addAll(rootFiles);
    if (listing.classNames.isEmpty()) {
      throw new ImageFolderException("image folder " + root.toAbsolutePath() + " has no class folders: expected one sub-folder per class "
          + "holding its images, found " + (rootFiles.isEmpty() ? "nothing" : rootFiles.size() + " other entries: " + names(rootFiles)));
    }
    List<Integer> labels = new ArrayList<>();
    for (int k = 0; k < listing.classNames.size(); k++) {
      Path dir = root.resolve(listing.classNames.get(k));
      List<Path> images = new ArrayList<>();
      List<Path> others = new ArrayList<>();
      walk(dir, images, others);
      ignored.addAll(others);
      if (images.isEmpty()) {
        String why = "class folder has no images (" + String.join(", ", IMAGE_EXTENSIONS) + ")"
            + (others.isEmpty() ? "" : "; found " + others.size() + " other files: " + names(others));
        if (!skipBad) {
          throw new ImageFolderException(dir.toAbsolutePath() + ": " + why);
        }
        skipped.add(new SkippedFile(dir, why + "; class '" + listing.classNames.get(k) + "' is kept with no samples"));
      }
      for (Path f : images) {
        listing.files.add(f);
        labels.add(k);
      }
    }
    if (listing.files.isEmpty()) {
      throw new ImageFolderException("image folder " + root.toAbsolutePath() + " has no images in any of its "
          + listing.classNames.size() + " class folders " + listing.classNames);
    }
    listing.labels = labels.stream().mapToInt(Integer::intValue).toArray();
    return listing;
  }

  /**
   * Keras' walk of a class folder ({@code sorted(os.walk(dir))}): folders in path order, each one's
   * files sorted by name; image files by extension, hidden files and folders ignored; symbolic links
   * to folders are not followed (Keras' {@code follow_links=False}).
   */
  private static void walk(Path classDir, List<Path> images, List<Path> others) throws IOException {
    List<Path> dirs = new ArrayList<>();
    collectDirs(classDir, dirs);
    dirs.sort((a, b) -> a.toString().compareTo(b.toString()));
    for (Path dir : dirs) {
      for (Path p : sortedEntries(dir)) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          if (isHidden(p)) {
            others.add(p); // not descended into
          }
          continue;
        }
        if (Files.isDirectory(p)) {
          others.add(p); // a link to a folder: not followed
        } else if (isHidden(p) || !isImageName(p.getFileName().toString())) {
          others.add(p);
        } else {
          images.add(p);
        }
      }
    }
  }

  private static void collectDirs(Path dir, List<Path> out) throws IOException {
    out.add(dir);
    for (Path p : sortedEntries(dir)) {
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !isHidden(p)) {
        collectDirs(p, out);
      }
    }
  }

  /** The entries of {@code dir} sorted by name (by UTF-16 code unit, Python's order outside the supplementary planes). */
  private static List<Path> sortedEntries(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        entries.add(p);
      }
    }
    entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return entries;
  }

  private static boolean isHidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  /**
   * Whether a file name ends in one of {@link #IMAGE_EXTENSIONS}, ignoring case: the files
   * {@link #load} reads; for loaders that list a folder themselves with its rules.
   */
  public static boolean isImageName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String ext : IMAGE_EXTENSIONS) {
      if (lower.endsWith(ext)) {
        return true;
      }
    }
    return false;
  }

  private static String names(List<Path> paths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(5, paths.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(paths.get(i).getFileName());
    }
    return sb + (paths.size() > 5 ? ", …" : "");
  }

  // ---------------------------------------------------------------------------------------------
  // Decoding

  /**
   * Decodes the training files then the validation files ("jobs") in parallel chunks; each job
   * writes only its own sample slot, failure and fallback flag, so any thread count gives the same
   * bytes. Between chunks the calling thread reports progress and, unless bad files are skipped,
   * stops at the first failure.
   */
  private static final class Decoding {
    final Listing listing;
    final Options options;
    final int[][] orders;
    final ProgressListener progress;
    final int sampleSize;
    final byte[][] pixels;
    final ImageFormatException[] failures;
    final boolean[] fallback;

    Decoding(Listing listing, Options options, int[] trainOrder, int[] valOrder, ProgressListener progress) {
      this.listing = listing;
      this.options = options;
      this.orders = new int[][] {trainOrder, valOrder};
      this.progress = progress;
      this.sampleSize = options.imageHeight() * options.imageWidth() * options.colorMode().channels();
      this.pixels = new byte[][] {new byte[Math.multiplyExact(trainOrder.length, sampleSize)],
          new byte[Math.multiplyExact(valOrder.length, sampleSize)]};
      int jobs = trainOrder.length + valOrder.length;
      this.failures = new ImageFormatException[jobs];
      this.fallback = new boolean[jobs];
    }

    void run() throws ImageFormatException {
      int jobs = failures.length;
      int chunk = 8 * Math.max(1, Parallel.threads());
      for (int start = 0; start < jobs; start += chunk) {
        int from = start;
        int end = Math.min(jobs, start + chunk);
        Parallel.forRange(end - from, 1, (a, b) -> {
          for (int j = from + a; j < from + b; j++) {
            decode(j);
          }
        });
        progress.progress(end, jobs);
        if (!options.skipBadFiles()) {
          for (int j = from; j < end; j++) {
            if (failures[j] != null) {
              throw failures[j];
            }
          }
        }
      }
    }

    private void decode(int job) {
      int part = job < orders[0].length ? 0 : 1;
      int index = part == 0 ? job : job - orders[0].length;
      Path file = listing.files.get(orders[part][index]);
      try {
        ImageDecoder.Decoded image = ImageDecoder.decode(Files.readAllBytes(file), file);
        ImagePreprocessing.toSample(image, options.imageHeight(), options.imageWidth(), options.colorMode().channels(),
            options.cropToAspectRatio(), pixels[part], index * sampleSize);
        fallback[job] = image.fallback();
      } catch (ImageFormatException e) {
        failures[job] = e;
      } catch (IOException e) {
        failures[job] = new ImageFormatException(file, "could not be read: " + e, e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Results

  /** The folder that was loaded. */
  public Path root() {
    return root;
  }

  /** The options it was loaded with. */
  public Options options() {
    return options;
  }

  /** The seed the file list was shuffled with: the one given, else the one drawn (as Keras draws one). */
  public long seed() {
    return seed;
  }

  /** The class names, sorted; label {@code k} is {@code classNames().get(k)}. */
  public List<String> classNames() {
    return classNames;
  }

  /** How many image files the class folders hold (Keras' "Found N files belonging to K classes"). */
  public int fileCount() {
    return fileCount;
  }

  /**
   * The training subset, or every image when there is no validation split.
   *
   * @throws IllegalStateException if only the validation subset was loaded
   */
  public ImageDataset train() {
    if (train == null) {
      throw new IllegalStateException("ImageFolder " + root + ": only the validation subset was loaded (subset " + options.subset() + ")");
    }
    return train;
  }

  /**
   * The validation subset.
   *
   * @throws IllegalStateException if there is no validation split or only the training subset was loaded
   */
  public ImageDataset validation() {
    if (validation == null) {
      throw new IllegalStateException("ImageFolder " + root + ": no validation subset was loaded ("
          + (options.validationSplit() == 0 ? "validationSplit is 0" : "subset " + options.subset()) + ")");
    }
    return validation;
  }

  /** Whether {@link #train()} is available. */
  public boolean hasTrain() {
    return train != null;
  }

  /** Whether {@link #validation()} is available. */
  public boolean hasValidation() {
    return validation != null;
  }

  /** The file of each training sample: sample {@code i} of {@link #train()} came from {@code trainFiles().get(i)}. */
  public List<Path> trainFiles() {
    return trainFiles;
  }

  /** The file of each validation sample, as {@link #trainFiles()}. */
  public List<Path> validationFiles() {
    return validationFiles;
  }

  /** The files (and empty class folders) left out by {@code skipBadFiles(true)}, with the reason; empty otherwise. */
  public List<SkippedFile> skipped() {
    return skipped;
  }

  /**
   * The JPEG files the JDK's decoder could not read and the fallback decoder (TwelveMonkeys) did, in
   * data-set order (training, then validation).
   */
  public List<Path> fallbackDecoded() {
    return fallbackDecoded;
  }

  /**
   * Files that are not taken as images: those directly in the root, hidden files and folders, files
   * with other extensions, and links to folders inside class folders.
   */
  public List<Path> ignoredFiles() {
    return ignoredFiles;
  }

  /** E.g. {@code ImageFolder flower_photos: 1615 files, 5 classes [daisy, …]; train 1292, validation 323 of (180, 180, 3); 0 skipped}. */
  @Override
  public String toString() {
    return "ImageFolder " + root + ": " + fileCount + " files, " + classNames.size() + " classes " + classNames
        + (train == null ? "" : "; train " + train.size()) + (validation == null ? "" : "; validation " + validation.size())
        + " of (" + options.imageHeight() + ", " + options.imageWidth() + ", " + options.colorMode().channels() + "); "
        + skipped.size() + " skipped, " + fallbackDecoded.size() + " by the fallback decoder";
  }
}
