package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void readsHandBuiltImagesAndLabels() throws IOException {
    byte[] px = TestData.randomBytes(5 * 4 * 3, 1);
    Path images = write("img", TestData.idx(8, new int[] {5, 4, 3}, px));
    Path labels = write("lab", TestData.idx(8, new int[] {5}, new byte[] {0, 9, (byte) 200, 3, 1}));

    Idx.Images im = Idx.readImages(images);
    assertThat(im.count()).isEqualTo(5);
    assertThat(im.rows()).isEqualTo(4);
    assertThat(im.cols()).isEqualTo(3);
    assertThat(im.pixels()).isEqualTo(px);
    assertThat(Idx.readLabels(labels)).containsExactly(0, 9, (byte) 200, 3, 1);
  }

  @Test
  void gzipIsRecognisedByMagicBytesNotByName() throws IOException {
    byte[] content = TestData.idx(8, new int[] {3, 2, 2}, TestData.randomBytes(12, 2));
    Path gzNoSuffix = write("images-without-suffix", TestData.gzip(content));
    Path rawWithGzSuffix = write("images.gz", content);

    assertThat(Idx.readImages(gzNoSuffix).pixels()).isEqualTo(Arrays.copyOfRange(content, 16, content.length));
    assertThat(Idx.readImages(rawWithGzSuffix).pixels()).isEqualTo(Arrays.copyOfRange(content, 16, content.length));
  }

  @Test
  void writerRoundTripsRawAndGzip() throws IOException {
    Idx.Images im = new Idx.Images(7, 5, 6, TestData.randomBytes(7 * 5 * 6, 3));
    int[] labels = {0, 1, 2, 255, 4, 5, 6};
    for (String suffix : new String[] {"", ".gz"}) {
      Path ip = dir.resolve("i" + suffix);
      Path lp = dir.resolve("l" + suffix);
      Idx.writeImages(ip, im);
      Idx.writeLabels(lp, labels);
      assertThat(Files.readAllBytes(ip)[0] == 0x1f).isEqualTo(!suffix.isEmpty());
      Idx.Images back = Idx.readImages(ip);
      assertThat(back.pixels()).isEqualTo(im.pixels());
      assertThat(new int[] {back.count(), back.rows(), back.cols()}).containsExactly(7, 5, 6);
      byte[] lb = Idx.readLabels(lp);
      for (int i = 0; i < labels.length; i++) {
        assertThat(lb[i] & 0xFF).isEqualTo(labels[i]);
      }
    }
    // The raw writer produces exactly the hand-built format.
    assertThat(Files.readAllBytes(dir.resolve("i"))).isEqualTo(TestData.idx(8, new int[] {7, 5, 6}, im.pixels()));
  }

  @Test
  void writerRejectsOutOfRangeLabelsAndMismatchedData() {
    assertThatThrownBy(() -> Idx.writeLabels(dir.resolve("l"), new int[] {1, 256}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label[1] = 256");
    assertThatThrownBy(() -> new Idx.Images(2, 3, 3, new byte[17]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need 18 bytes, pixels has 17");
  }

  @Test
  void badMagicIsRejectedNamingTheFile() throws IOException {
    Path f = write("notidx", "hello, world".getBytes());
    assertThatThrownBy(() -> Idx.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("not an IDX file")
        .hasMessageContaining("0x68656c6c");
  }

  @Test
  void otherTypeCodesAreRejected() throws IOException {
    Path f = write("floats", TestData.idx(0x0D, new int[] {2}, new byte[8]));
    assertThatThrownBy(() -> Idx.read(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("0x00000d01")
        .hasMessageContaining("type code 0x0d (float32)");
  }

  @Test
  void wrongRankIsRejectedForImagesAndLabels() throws IOException {
    Path labels = write("labels", TestData.idx(8, new int[] {4}, new byte[4]));
    Path images = write("images", TestData.idx(8, new int[] {1, 2, 2}, new byte[4]));
    Path rank0 = write("rank0", new byte[] {0, 0, 8, 0});
    assertThatThrownBy(() -> Idx.readImages(labels)).hasMessageContaining(labels.toString()).hasMessageContaining("rank 1 [4]");
    assertThatThrownBy(() -> Idx.readLabels(images)).hasMessageContaining(images.toString()).hasMessageContaining("rank 3 [1, 2, 2]");
    assertThatThrownBy(() -> Idx.read(rank0)).hasMessageContaining("has rank 0");
  }

  @Test
  void truncatedAndTrailingRawFilesAreRejected() throws IOException {
    byte[] good = TestData.idx(8, new int[] {3, 4, 4}, TestData.randomBytes(48, 4));
    Path cut = write("cut", Arrays.copyOf(good, good.length - 5));
    Path longer = write("longer", Arrays.copyOf(good, good.length + 3));
    Path header = write("header", Arrays.copyOf(good, 10));
    Path tiny = write("tiny", new byte[] {0, 0});
    assertThatThrownBy(() -> Idx.read(cut)).hasMessageContaining(cut.toString()).hasMessageContaining("truncated: 59 bytes")
        .hasMessageContaining("need 16 + 48 = 64");
    assertThatThrownBy(() -> Idx.read(longer)).hasMessageContaining("has trailing bytes: 67 bytes");
    assertThatThrownBy(() -> Idx.read(header)).hasMessageContaining("truncated: the header of a rank-3 file needs 12 bytes");
    assertThatThrownBy(() -> Idx.read(tiny)).hasMessageContaining("too short for the 4-byte IDX magic number");
  }

  @Test
  void truncatedAndTrailingGzipFilesAreRejected() throws IOException {
    byte[] good = TestData.idx(8, new int[] {30, 8, 8}, TestData.randomBytes(30 * 64, 5));
    byte[] gz = TestData.gzip(good);
    Path cutStream = write("cut-stream", Arrays.copyOf(gz, gz.length / 2));
    Path shortData = write("short-data", TestData.gzip(Arrays.copyOf(good, good.length - 1)));
    Path longer = write("longer", TestData.gzip(Arrays.copyOf(good, good.length + 1)));
    assertThatThrownBy(() -> Idx.read(cutStream)).isInstanceOf(IOException.class)
        .hasMessageContaining(cutStream.toString()).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Idx.read(shortData)).hasMessageContaining("need 1920 data bytes, the (decompressed) file ends after 1919");
    assertThatThrownBy(() -> Idx.read(longer)).hasMessageContaining(longer.toString()).hasMessageContaining("trailing bytes");
  }

  @Test
  void corruptGzipIsRejected() throws IOException {
    byte[] gz = TestData.gzip(TestData.idx(8, new int[] {100}, new byte[100]));
    for (int i = 12; i < gz.length - 8; i++) {
      gz[i] ^= 0x5A;
    }
    Path f = write("corrupt", gz);
    assertThatThrownBy(() -> Idx.read(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString());
  }

  @Test
  void oversizedOrNegativeDimensionsAreRejectedBeforeAllocating() throws IOException {
    Path huge = write("huge", TestData.idx(8, new int[] {60000, 28000, 28}, new byte[0]));
    Path negative = write("negative", TestData.idx(8, new int[] {-1, 28, 28}, new byte[0]));
    Path hugeGz = write("huge-gz", TestData.gzip(TestData.idx(8, new int[] {1 << 30, 2}, new byte[0])));
    assertThatThrownBy(() -> Idx.read(huge)).hasMessageContaining("oversized").hasMessageContaining("[60000, 28000, 28]");
    assertThatThrownBy(() -> Idx.read(negative)).hasMessageContaining("dimension 0 is negative (-1)");
    assertThatThrownBy(() -> Idx.read(hugeGz)).hasMessageContaining("more than 2^31 elements");
  }

  @Test
  void claimedSizeLargerThanGzipContentFailsCheaply() throws IOException {
    // 1 GB claimed, 10 bytes present: readNBytes grows with the data instead of allocating 1 GB.
    Path liar = write("liar", TestData.gzip(TestData.idx(8, new int[] {1 << 30}, new byte[10])));
    assertThatThrownBy(() -> Idx.read(liar)).hasMessageContaining("ends after 10");
  }

  // ---------------------------------------------------------------- every failure names the file

  @Test
  void aGzSuffixOnAFileThatIsNeitherGzipNorIdxIsNamed() throws IOException {
    Path f = write("labels.gz", "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Idx.readLabels(f)).isInstanceOf(IOException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("not an IDX file")
        .hasMessageContaining("name ends in .gz but it is not gzip either");
  }

  @Test
  void gzipGarbageAfterTheMagicBytesIsNamedNotABareZipOrEofException() throws IOException {
    Path garbage = write("garbage.gz", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    Path magicOnly = write("magic-only.gz", new byte[] {0x1f, (byte) 0x8b});
    Path headerOnly = write("header-only.gz", Arrays.copyOf(TestData.gzip(new byte[100]), 10));
    // Before: java.util.zip.ZipException "Unsupported compression method" and java.io.EOFException (null message).
    assertThatThrownBy(() -> Idx.read(garbage)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining(garbage.toString()).hasMessageContaining("corrupt gzip data");
    assertThatThrownBy(() -> Idx.read(magicOnly)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining(magicOnly.toString()).hasMessageContaining("truncated gzip stream");
    assertThatThrownBy(() -> Idx.read(headerOnly)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining(headerOnly.toString()).hasMessageContaining("truncated gzip stream");
  }

  @Test
  void everyCutOfAGzipFileIsReportedWithTheFileName() throws IOException {
    byte[] gz = TestData.gzip(TestData.idx(8, new int[] {20, 4, 4}, TestData.randomBytes(320, 6)));
    for (int cut = 2; cut < gz.length; cut++) {
      Path f = write("cut" + cut + ".gz", Arrays.copyOf(gz, cut));
      assertThatThrownBy(() -> Idx.read(f)).as("cut at %d of %d", cut, gz.length).isExactlyInstanceOf(IOException.class)
          .hasMessageContaining(f.toString());
    }
  }

  @Test
  void aDirectoryWhereAFileIsExpectedIsNamed() throws IOException {
    Path d = Files.createDirectory(dir.resolve("train-labels-idx1-ubyte"));
    // Before: java.io.IOException "Is a directory", naming nothing.
    assertThatThrownBy(() -> Idx.readLabels(d)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining(d.toString()).hasMessageContaining("is a directory, not a file");
    assertThatThrownBy(() -> Idx.openMaybeGzip(d)).hasMessageContaining(d.toString()).hasMessageContaining("is a directory");
  }

  @Test
  void theFetchedFileCheckerNamesTheFileOfABrokenGzipStream() throws IOException {
    byte[] gz = TestData.gzip(TestData.idx(8, new int[] {400}, TestData.randomBytes(400, 7)));
    Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length - 30));
    Path magicOnly = write("magic.gz", new byte[] {0x1f, (byte) 0x8b});
    assertThatThrownBy(() -> {
      try (InputStream in = Idx.openMaybeGzip(cut)) {
        in.readAllBytes();
      }
    }).isExactlyInstanceOf(IOException.class).hasMessageContaining(cut.toString()).hasMessageContaining("truncated gzip");
    assertThatThrownBy(() -> Idx.openMaybeGzip(magicOnly).close()).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining(magicOnly.toString());
  }
}
