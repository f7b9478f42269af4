package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the IDX reader: whatever the bytes (raw or gzip), {@link Idx#read} returns the contents or
 * throws the {@link IOException} it documents, naming the file — never another exception, never an
 * exception of the gzip stream that names nothing ({@code ZipException}, {@code EOFException}), never
 * an error such as OutOfMemoryError. The fetched-file checker's stream ({@link Idx#openMaybeGzip})
 * is read through too.
 *
 * <p>{@code mvn verify} runs it on the inputs under
 * {@code src/test/resources/dev/neurona/data/IdxFuzzTestInputs/readIdx/}; {@code FUZZING.md} at the
 * top of the repository says how to fuzz for longer.
 */
class IdxFuzzTest {
  private static Path dir;
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    // Every input is written to a file: in memory (/dev/shm) when there is such a directory, many
    // times faster than a disk when fuzzing.
    Path shm = Path.of("/dev/shm");
    dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "neurona-fuzz")
        : Files.createTempDirectory("neurona-fuzz");
    file = dir.resolve("images-idx3-ubyte.gz");
  }

  @AfterAll
  static void deleteFile() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @FuzzTest(maxDuration = "10m")
  void readIdx(byte[] input) throws IOException {
    Files.write(file, input);
    try {
      Idx.Contents c = Idx.read(file);
      long n = 1;
      for (int d : c.dims()) {
        n *= d;
      }
      assertThat(c.data()).hasSize((int) n);
    } catch (IOException e) {
      assertThat(e).isExactlyInstanceOf(IOException.class);
      assertThat(e.getMessage()).contains(file.toString());
    }
    try (InputStream in = Idx.openMaybeGzip(file)) {
      in.readAllBytes();
    } catch (IOException e) {
      assertThat(e).isExactlyInstanceOf(IOException.class);
      assertThat(e.getMessage()).contains(file.toString());
    }
  }
}
