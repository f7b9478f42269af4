package dev.neurona.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * CIFAR-10 (Krizhevsky, 2009): 50,000 training and 10,000 test colour images, 32×32×3 uint8 (NHWC),
 * in 10 classes ({@link #CLASS_NAMES}), read from the binary version's batch files.
 *
 * <p>{@code Cifar10.load(dir)} — or {@link #loader()}, configured, then {@link Loader#load()} — looks for
 * the data in each of these directories in turn: the data directory given ({@code DIR/cifar10}, then
 * {@code DIR}), {@code $NEURONA_DATA} (the same way), then the cache
 * ({@code $XDG_CACHE_HOME/neurona/cifar10} or {@code ~/.cache/neurona/cifar10}). In a directory it
 * takes the extracted folder {@code cifar-10-batches-bin/}, the six batch files
 * ({@code data_batch_1.bin} … {@code data_batch_5.bin}, {@code test_batch.bin}) in the directory
 * itself, or the tarball {@code cifar-10-binary.tar.gz}, read without extracting it.
 *
 * <p>When the data is nowhere it downloads the tarball (170 MB) over HTTPS from
 * {@code https://www.cs.toronto.edu/~kriz/} into the cache, checking its size and SHA-256, as
 * {@link DatasetLoader} does for MNIST (proxies, timeouts, resume of a {@code .part} file); not with
 * {@link Loader#fetch(boolean) fetch(false)} or {@code NEURONA_OFFLINE=1}. With
 * {@link Loader#fallback(boolean) fallback(false)} a directory the user named must hold the data.
 * Silent unless a {@link Loader#progress(Consumer) progress listener} is set. When the data cannot be
 * had, {@link Loader#load()} throws a {@link DatasetUnavailableException} saying where it looked, why the
 * download failed and how to get the files by hand.
 *
 * <p>The training set is the five training batches in order; labels are in [0, 10).
 */
public final class Cifar10 {
  /** The class names, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** The binary tarball as its author publishes it (size and SHA-256 from TensorFlow Datasets' url_checksums/cifar10.txt). */
  static final HttpDownloader.RemoteFile TARBALL = new HttpDownloader.RemoteFile(Cifar10Batches.TARBALL, 170_052_171L,
      "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
  /** Where the tarball is published. */
  static final List<URI> MIRRORS = List.of(URI.create("https://www.cs.toronto.edu/~kriz/"));
  private static final String NAME = "cifar10";

  private Cifar10() {}

  /** A loader with the default search path, cache and download; configure it, then call {@link Loader#load()}. */
  public static Loader loader() {
    return new Loader();
  }

  /** Loads CIFAR-10 from the default places (downloading it if needed). */
  public static TrainTest load() throws IOException {
    return loader().load();
  }

  /** Loads CIFAR-10, looking in {@code dataDir} first ({@code null}: not given), downloading it if needed. */
  public static TrainTest load(Path dataDir) throws IOException {
    return loader().dataDir(dataDir).load();
  }

  /** Finds, downloads and reads CIFAR-10: see {@link Cifar10} for where it looks and what it does. */
  public static final class Loader {
    private Path dataDir;
    private Path cacheDir;
    private Function<String, String> env = System::getenv;
    private Consumer<String> progress = message -> {};
    private boolean fetch = true;
    private boolean fallback = true;
    private List<URI> mirrors = MIRRORS;
    private HttpDownloader.RemoteFile tarball = TARBALL;
    private Duration connectTimeout = HttpDownloader.CONNECT_TIMEOUT;
    private Duration readTimeout = HttpDownloader.READ_TIMEOUT;

    private Loader() {}

    /** An explicit data directory searched first ({@code null}: none). */
    public Loader dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The cache directory, replacing the XDG default ({@code null}: the default). */
    public Loader cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** Where environment variables are read from ({@code System::getenv} by default). */
    public Loader environment(Function<String, String> env) {
      this.env = Objects.requireNonNull(env, "environment");
      return this;
    }

    /** Receives one line per step of a download (and the place finally read); silent by default. */
    public Loader progress(Consumer<String> listener) {
      this.progress = Objects.requireNonNull(listener, "progress");
      return this;
    }

    /** Whether missing data may be downloaded (default {@code true}); {@code false} stays off the network. */
    public Loader fetch(boolean allowed) {
      this.fetch = allowed;
      return this;
    }

    /**
     * Whether the search may go on past a directory the user named (the data directory, else
     * {@code NEURONA_DATA}) that lacks the data, to the cache and the download (default {@code true});
     * see {@link DatasetLoader#fallback(boolean)}.
     */
    public Loader fallback(boolean allowed) {
      this.fallback = allowed;
      return this;
    }

    /** Replaces the mirrors the tarball is downloaded from (base URLs ending in {@code /}); empty: no download. */
    public Loader mirrors(List<URI> baseUrls) {
      this.mirrors = DatasetLoader.checkMirrors(baseUrls);
      return this;
    }

    /** The expected tarball and the timeouts (tests use a small synthetic tarball and short timeouts). */
    Loader download(HttpDownloader.RemoteFile file, Duration connect, Duration read) {
      this.tarball = file;
      this.connectTimeout = connect;
      this.readTimeout = read;
      return this;
    }

    /** The cache directory in effect: the one set, else {@code $XDG_CACHE_HOME} or {@code ~/.cache}, plus {@code neurona/cifar10}. */
    public Path cacheDirectory() {
      if (cacheDir != null) {
        return cacheDir;
      }
      String xdg = env.apply("XDG_CACHE_HOME");
      Path base = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()
          ? Paths.get(xdg)
          : Paths.get(System.getProperty("user.home"), ".cache");
      return base.resolve("neurona").resolve(NAME);
    }

    /** Finds (or downloads) the data and reads the training and test sets. */
    public TrainTest load() throws IOException {
      Path found = locate();
      progress.accept("CIFAR-10: reading " + found);
      return Files.isDirectory(found)
          ? Cifar10Batches.readFolder(found, CLASS_NAMES)
          : Cifar10Batches.readTarball(found, CLASS_NAMES);
    }

    /**
     * The batch folder or tarball that {@link #load()} reads: the first found (see the class
     * comment), else the tarball after a successful download.
     *
     * @throws DatasetUnavailableException when the data is nowhere and cannot be downloaded
     */
    public Path locate() throws IOException {
      List<String> searched = new ArrayList<>();
      List<Path> bases = new ArrayList<>();
      String envDir = env.apply(DatasetLoader.ENV_DATA);
      boolean envSet = envDir != null && !envDir.isBlank();
      if (dataDir != null) {
        bases.add(dataDir);
      } else {
        searched.add("no data directory given (--data DIR in the examples, dataDir(DIR) in code)");
      }
      if (envSet && (fallback || dataDir == null)) {
        bases.add(Paths.get(envDir));
      } else if (!envSet) {
        searched.add(DatasetLoader.ENV_DATA + " is not set");
      }
      boolean named = !bases.isEmpty();
      for (Path base : bases) {
        for (Path dir : List.of(base.resolve(NAME), base)) {
          Path hit = find(dir, searched);
          if (hit != null) {
            return hit;
          }
        }
      }
      if (named && !fallback) {
        throw new DatasetUnavailableException("CIFAR-10 is not in the directory you named, " + bases.get(0) + ".\n"
            + "  Expected " + what() + ", in DIR/" + NAME + " or DIR itself; found:\n    "
            + String.join("\n    ", searched.subList(searched.size() - 2, searched.size()))
            + "\n  A directory you name must hold the data: nothing is downloaded and the cache (" + cacheDirectory()
            + ") is not used instead.\n  To get the data: " + manualSteps(cacheDirectory()), null);
      }
      Path cache = cacheDirectory();
      Path hit = find(cache, searched);
      if (hit != null) {
        return hit;
      }
      if (!fetch) {
        throw unavailable(searched, "automatic download is switched off (fetch(false))", null);
      }
      if (DatasetLoader.offline(env)) {
        throw unavailable(searched, DatasetLoader.ENV_OFFLINE + "=" + env.apply(DatasetLoader.ENV_OFFLINE)
            + " is set: nothing is downloaded", null);
      }
      if (mirrors.isEmpty()) {
        throw unavailable(searched, "no mirrors to download from (mirrors(List.of()))", null);
      }
      progress.accept("CIFAR-10: not found locally; downloading " + tarball.name() + " (" + HttpDownloader.megabytes(tarball.size())
          + ") from " + HttpsFetcher.hosts(mirrors) + " into " + cache);
      boolean created = !Files.exists(cache);
      Path target = cache.resolve(Cifar10Batches.TARBALL);
      try {
        Files.createDirectories(cache);
        new HttpDownloader(connectTimeout, readTimeout, m -> progress.accept("CIFAR-10: " + m))
            .download(mirrors, tarball, cache, target);
      } catch (IOException e) {
        if (created && isEmptyDirectory(cache)) {
          Files.deleteIfExists(cache);
        }
        throw unavailable(searched, e.getMessage(), e);
      }
      progress.accept("CIFAR-10: verified " + tarball.name() + " (size and SHA-256), cached in " + cache);
      return target;
    }

    /** The folder, the directory itself or the tarball in {@code dir}, or null (what was there is added to {@code searched}). */
    private static Path find(Path dir, List<String> searched) {
      if (!Files.isDirectory(dir)) {
        searched.add(dir + ": " + (Files.exists(dir) ? "is not a directory" : "does not exist"));
        return null;
      }
      Path folder = dir.resolve(Cifar10Batches.FOLDER);
      if (Files.isDirectory(folder) && missing(folder).isEmpty()) {
        return folder;
      }
      List<String> here = missing(dir);
      if (here.isEmpty()) {
        return dir;
      }
      Path tgz = dir.resolve(Cifar10Batches.TARBALL);
      if (Files.isRegularFile(tgz)) {
        return tgz;
      }
      String status;
      if (Files.isDirectory(folder)) {
        status = Cifar10Batches.FOLDER + "/ lacks " + String.join(", ", missing(folder));
      } else if (here.size() < Cifar10Batches.allFiles().size()) {
        status = "lacks " + String.join(", ", here);
      } else {
        status = "has neither " + Cifar10Batches.FOLDER + "/, nor the batch files, nor " + Cifar10Batches.TARBALL;
      }
      searched.add(dir + ": " + status);
      return null;
    }

    private static List<String> missing(Path dir) {
      List<String> missing = new ArrayList<>();
      for (String f : Cifar10Batches.allFiles()) {
        if (!Files.isRegularFile(dir.resolve(f))) {
          missing.add(f);
        }
      }
      return missing;
    }

    private static String what() {
      return Cifar10Batches.FOLDER + "/ (data_batch_1.bin ... data_batch_5.bin, test_batch.bin), those six files, or "
          + Cifar10Batches.TARBALL;
    }

    private String manualSteps(Path cache) {
      URI from = (mirrors.isEmpty() ? MIRRORS : mirrors).get(0).resolve(tarball.name());
      return "mkdir -p '" + cache + "' && curl -fL -o '" + cache.resolve(tarball.name()) + "' " + from
          + "   (" + HttpDownloader.megabytes(tarball.size()) + ", SHA-256 " + tarball.sha256() + ")";
    }

    private DatasetUnavailableException unavailable(List<String> searched, String why, Throwable cause) {
      StringBuilder sb = new StringBuilder("CIFAR-10 is not available: it was not found and could not be downloaded.\n");
      sb.append("  Needed: ").append(what());
      sb.append("\n  Searched:");
      for (String s : searched) {
        sb.append("\n    ").append(s);
      }
      sb.append("\n  Automatic download: ").append(why);
      sb.append("\n  To provide the data yourself, either:");
      sb.append("\n    - put it in a directory DIR (or DIR/").append(NAME).append(") and pass --data DIR to the examples, call")
          .append(" dataDir(DIR) on the loader, or set ").append(DatasetLoader.ENV_DATA).append("=DIR; or");
      sb.append("\n    - download it by hand into the cache: ").append(manualSteps(cacheDirectory()));
      return new DatasetUnavailableException(sb.toString(), cause);
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        return false;
      }
      try (java.util.stream.Stream<Path> s = Files.list(dir)) {
        return s.findAny().isEmpty();
      }
    }
  }
}
