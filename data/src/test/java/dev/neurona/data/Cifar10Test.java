package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.TestData.TarEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 loader on synthetic batch files in the real binary format (3,073-byte records, planar RGB). */
class Cifar10Test {
  private static final int[] COUNTS = {3, 2, 4, 1, 2, 5}; // records in data_batch_1..5 and test_batch

  @TempDir Path root;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> progress = new ArrayList<>();
  private Map<String, byte[]> batches;

  @BeforeEach
  void setUp() {
    env.put("XDG_CACHE_HOME", root.resolve("xdg").toString());
    batches = new LinkedHashMap<>();
    Random rng = new Random(7);
    List<String> names = Cifar10Batches.allFiles();
    for (int f = 0; f < names.size(); f++) {
      byte[] b = new byte[COUNTS[f] * Cifar10Batches.RECORD];
      rng.nextBytes(b);
      for (int r = 0; r < COUNTS[f]; r++) {
        b[r * Cifar10Batches.RECORD] = (byte) ((f * 3 + r) % 10);
      }
      batches.put(names.get(f), b);
    }
  }

  private Cifar10.Loader loader() {
    return Cifar10.loader().environment(env::get).progress(progress::add).mirrors(List.of());
  }

  private Path writeFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : batches.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  private byte[] tarball() throws IOException {
    List<TarEntry> entries = new ArrayList<>();
    entries.add(TarEntry.file("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n".getBytes()));
    for (Map.Entry<String, byte[]> e : batches.entrySet()) {
      entries.add(TarEntry.file("cifar-10-batches-bin/" + e.getKey(), e.getValue()));
    }
    entries.add(TarEntry.file("cifar-10-batches-bin/readme.html", "<p>hi</p>".getBytes()));
    return TestData.tgz(entries, true);
  }

  /** Every pixel and label of {@code t} against the records it came from. */
  private void assertMatchesBatches(TrainTest t) {
    assertThat(t.train().size()).isEqualTo(3 + 2 + 4 + 1 + 2);
    assertThat(t.test().size()).isEqualTo(5);
    assertThat(t.train().sampleShape().toArray()).containsExactly(32, 32, 3);
    assertThat(t.train().classNames()).isEqualTo(Cifar10.CLASS_NAMES).containsExactly("airplane", "automobile", "bird",
        "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    assertThat(t.train().name()).isEqualTo("cifar10/train");
    int sample = 0;
    List<String> names = Cifar10Batches.allFiles();
    for (int f = 0; f < names.size(); f++) {
      ImageDataset d = f < 5 ? t.train() : t.test();
      if (f == 5) {
        sample = 0;
      }
      byte[] b = batches.get(names.get(f));
      for (int r = 0; r < COUNTS[f]; r++, sample++) {
        int rec = r * Cifar10Batches.RECORD;
        assertThat(d.label(sample)).isEqualTo(b[rec]);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            for (int c = 0; c < 3; c++) {
              int planar = b[rec + 1 + c * 1024 + y * 32 + x] & 0xFF;
              if (d.pixel(sample, y, x, c) != planar) {
                throw new AssertionError(names.get(f) + " record " + r + " (y " + y + ", x " + x + ", c " + c + "): "
                    + d.pixel(sample, y, x, c) + " != " + planar);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void readsTheExtractedFolderTheBareFilesAndTheTarballAlike() throws Exception {
    Path data = root.resolve("data");
    writeFolder(data.resolve("cifar-10-batches-bin"));
    assertMatchesBatches(loader().dataDir(data).load());
    assertThat(progress).containsExactly("CIFAR-10: reading " + data.resolve("cifar-10-batches-bin"));

    Path bare = writeFolder(root.resolve("bare"));
    assertMatchesBatches(loader().dataDir(bare).load());

    Path tgzDir = Files.createDirectories(root.resolve("t/cifar10"));
    Files.write(tgzDir.resolve("cifar-10-binary.tar.gz"), tarball());
    assertThat(loader().dataDir(root.resolve("t")).locate()).isEqualTo(tgzDir.resolve("cifar-10-binary.tar.gz"));
    assertMatchesBatches(loader().dataDir(root.resolve("t")).load());

    env.put("NEURONA_DATA", bare.toString());
    assertMatchesBatches(loader().load());
    assertThat(loader().locate()).isEqualTo(bare);
  }

  @Test
  void aShortFileIsReportedWithItsNameAndTheOffsetOfTheCutRecord() throws Exception {
    Path dir = writeFolder(root.resolve("d"));
    byte[] b = batches.get("data_batch_3.bin");
    Files.write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(b, b.length - 1000));
    assertThatThrownBy(() -> loader().dataDir(dir).load()).isInstanceOf(IOException.class)
        .hasMessage(dir.resolve("data_batch_3.bin") + " is " + (b.length - 1000) + " bytes: not a whole number of 3073-byte"
            + " records (1 label byte + 32x32x3 pixels); the record at byte offset 9219 has only 2073 bytes");
    Files.write(dir.resolve("data_batch_3.bin"), new byte[0]);
    assertThatThrownBy(() -> loader().dataDir(dir).load())
        .hasMessageStartingWith(dir.resolve("data_batch_3.bin") + " is 0 bytes: not a whole number");
  }

  @Test
  void aLabelAboveNineIsReportedWithItsByteOffset() throws Exception {
    batches.get("test_batch.bin")[2 * Cifar10Batches.RECORD] = 10;
    Path dir = writeFolder(root.resolve("d"));
    assertThatThrownBy(() -> loader().dataDir(dir).load())
        .hasMessage(dir.resolve("test_batch.bin") + ": the label at byte offset 6146 (record 2) is 10, not in [0, 10):"
            + " this is not a CIFAR-10 batch file, or it is damaged");
    Path t = Files.createDirectories(root.resolve("t"));
    Files.write(t.resolve("cifar-10-binary.tar.gz"), tarball());
    assertThatThrownBy(() -> loader().dataDir(t).load())
        .hasMessageContaining(t.resolve("cifar-10-binary.tar.gz") + ": cifar-10-batches-bin/test_batch.bin: the label at"
            + " byte offset 6146 (record 2) is 10");
  }

  @Test
  void aTarballCutShortOrWithoutABatchIsReported() throws Exception {
    Path t = Files.createDirectories(root.resolve("t"));
    byte[] tgz = tarball();
    byte[] tar = TestData.gunzipForTest(tgz);
    Files.write(t.resolve("cifar-10-binary.tar.gz"), TestData.gzip(Arrays.copyOf(tar, 512 * 3 + 2000)));
    assertThatThrownBy(() -> loader().dataDir(t).load())
        .hasMessageContaining("tarball " + t.resolve("cifar-10-binary.tar.gz") + " is truncated");
    batches.remove("data_batch_4.bin");
    Files.write(t.resolve("cifar-10-binary.tar.gz"), tarball());
    assertThatThrownBy(() -> loader().dataDir(t).load())
        .hasMessage(t.resolve("cifar-10-binary.tar.gz") + " is not CIFAR-10's binary tarball: it has no"
            + " cifar-10-batches-bin/data_batch_4.bin");
  }

  @Test
  void aNamedDirectoryWithoutTheDataIsAnErrorWithoutFallbackAndSaysHowToGetIt() throws Exception {
    Path partial = writeFolder(root.resolve("p/cifar-10-batches-bin"));
    Files.delete(partial.resolve("test_batch.bin"));
    Path named = root.resolve("p");
    writeFolder(root.resolve("xdg/neurona/cifar10")); // in the cache, but not looked at
    assertThatThrownBy(() -> loader().dataDir(named).fallback(false).load())
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("CIFAR-10 is not in the directory you named, " + named)
        .hasMessageContaining(named + ": cifar-10-batches-bin/ lacks test_batch.bin")
        .hasMessageContaining(named.resolve("cifar10") + ": does not exist")
        .hasMessageContaining("curl -fL -o '" + root.resolve("xdg/neurona/cifar10/cifar-10-binary.tar.gz")
            + "' https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    // With fallback (the default) the cache is used.
    assertThat(loader().dataDir(named).locate()).isEqualTo(root.resolve("xdg/neurona/cifar10"));
  }

  @Test
  void downloadsTheTarballIntoTheCacheOnceAndStaysOfflineWhenAsked() throws Exception {
    byte[] tgz = tarball();
    HttpDownloader.RemoteFile file = new HttpDownloader.RemoteFile("cifar-10-binary.tar.gz", tgz.length, TestData.sha256(tgz));
    try (LocalMirror mirror = new LocalMirror()) {
      mirror.put("/kriz/cifar-10-binary.tar.gz", tgz);
      URI base = mirror.base("kriz");
      Cifar10.Loader l = Cifar10.loader().environment(env::get).progress(progress::add).mirrors(List.of(base))
          .download(file, Duration.ofSeconds(5), Duration.ofSeconds(5));
      env.put("NEURONA_OFFLINE", "1");
      assertThatThrownBy(l::load).isInstanceOf(DatasetUnavailableException.class)
          .hasMessageContaining("Automatic download: NEURONA_OFFLINE=1 is set: nothing is downloaded")
          .hasMessageContaining(root.resolve("xdg/neurona/cifar10") + ": does not exist");
      assertThat(mirror.requests).isEmpty();
      env.remove("NEURONA_OFFLINE");

      assertMatchesBatches(l.load());
      Path cached = root.resolve("xdg/neurona/cifar10/cifar-10-binary.tar.gz");
      assertThat(Files.readAllBytes(cached)).isEqualTo(tgz);
      assertThat(progress).contains("CIFAR-10: verified cifar-10-binary.tar.gz (size and SHA-256), cached in "
          + cached.getParent(), "CIFAR-10: reading " + cached);
      assertMatchesBatches(l.load());
      assertThat(mirror.requests).hasSize(1);

      // A damaged download is refused and nothing is left in the cache.
      Files.delete(cached);
      Files.delete(cached.getParent());
      byte[] bad = tgz.clone();
      bad[100] ^= 1;
      mirror.put("/kriz/cifar-10-binary.tar.gz", bad);
      assertThatThrownBy(l::load).isInstanceOf(DatasetUnavailableException.class)
          .hasMessageContaining("Automatic download: could not download cifar-10-binary.tar.gz from any mirror:\n      "
              + base + "cifar-10-binary.tar.gz: the download has SHA-256 " + TestData.sha256(bad));
      assertThat(cached.getParent()).doesNotExist();
    }
  }

  @Test
  void theRealTarballIsPinned() {
    assertThat(Cifar10.TARBALL.size()).isEqualTo(170_052_171L);
    assertThat(Cifar10.TARBALL.sha256()).isEqualTo("c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd");
    assertThat(Cifar10.loader().environment(env::get).cacheDirectory()).isEqualTo(root.resolve("xdg/neurona/cifar10"));
  }
}
