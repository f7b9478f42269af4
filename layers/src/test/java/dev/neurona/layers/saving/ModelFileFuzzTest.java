package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.neurona.layers.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes {@link Sequential#load}: whatever the bytes, loading either returns a model or throws a
 * {@link ModelFormatException} naming the file — never another exception, never an error such as
 * OutOfMemoryError, never a ModelFormatException hiding a programming error (a null pointer, a bad
 * cast, an index out of bounds) as its cause.
 *
 * <p>{@code mvn verify} runs both targets on the inputs committed under
 * {@code src/test/resources/dev/neurona/layers/saving/ModelFileFuzzTestInputs/<method>/};
 * {@code FUZZING.md} at the top of the repository says how to fuzz them for longer.
 */
class ModelFileFuzzTest {
  /** Programming errors: a ModelFormatException caused by one of these is a bug, not a bad file. */
  private static final List<Class<? extends Throwable>> BUGS = List.of(NullPointerException.class,
      ClassCastException.class, IndexOutOfBoundsException.class, ArithmeticException.class,
      NegativeArraySizeException.class, ArrayStoreException.class, UnsupportedOperationException.class,
      IllegalMonitorStateException.class);

  private static Path dir;
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    // Every input is written to a file: in memory (/dev/shm) when there is such a directory, many
    // times faster than a disk when fuzzing.
    Path shm = Path.of("/dev/shm");
    dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "neurona-fuzz")
        : Files.createTempDirectory("neurona-fuzz");
    file = dir.resolve("model.zip");
  }

  @AfterAll
  static void deleteFile() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  /** The input is the model file itself: exercises the zip reading, truncation and corruption. */
  @FuzzTest(maxDuration = "10m")
  void loadRawBytes(byte[] input) throws IOException {
    Files.write(file, input);
    load();
  }

  /**
   * The input lists the zip's entries (see {@link #entries}); the harness writes a well-formed zip
   * of them, so the fuzzer works on the JSON, the configs and the safetensors headers.
   */
  @FuzzTest(maxDuration = "10m")
  void loadZipOfEntries(byte[] input) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> e : entries(input).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    load();
  }

  private static void load() throws IOException {
    try {
      Sequential.load(file);
    } catch (ModelFormatException e) {
      assertThat(e.getMessage()).contains(file.toString());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        for (Class<? extends Throwable> bug : BUGS) {
          if (bug.isInstance(c)) {
            throw new AssertionError("a programming error surfaced as a ModelFormatException: " + e.getMessage(), e);
          }
        }
      }
    }
  }

  /**
   * The zip entries an input describes. Each entry starts on a line {@code "@@ <name>"}; its content
   * is everything up to the next line starting with {@code "@@ "} (the newline before it excluded).
   * An entry whose name ends in {@code .safetensors} and whose content starts with <code>{</code> is
   * the header JSON up to the first newline, then the raw data: the harness adds the 8-byte header
   * length, so that a mutated header keeps a consistent length. Bytes before the first entry, empty
   * names and repeated names are ignored.
   */
  static Map<String, byte[]> entries(byte[] input) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    int start = startsWith(input, 0) ? 0 : next(input, 0);
    while (start >= 0 && start < input.length) {
      int end = next(input, start + 3);
      int contentEnd = end < 0 ? input.length : end - 1;
      int nl = indexOf(input, (byte) '\n', start + 3, contentEnd);
      int nameEnd = nl < 0 ? contentEnd : nl;
      String name = new String(input, start + 3, Math.max(0, nameEnd - start - 3), StandardCharsets.UTF_8);
      byte[] content = nl < 0 ? new byte[0] : Arrays.copyOfRange(input, nl + 1, Math.max(nl + 1, contentEnd));
      if (!name.isEmpty() && name.length() <= 200 && seen.add(name)) {
        out.put(name, name.endsWith(".safetensors") ? safetensors(content) : content);
      }
      start = end;
    }
    return out;
  }

  /** Offset of the next {@code "\n@@ "} at or after {@code from}, plus one (the entry's start); -1 if none. */
  private static int next(byte[] b, int from) {
    for (int i = Math.max(from - 1, 0); i + 3 < b.length; i++) {
      if (b[i] == '\n' && startsWith(b, i + 1)) {
        return i + 1;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, int at) {
    return at + 3 <= b.length && b[at] == '@' && b[at + 1] == '@' && b[at + 2] == ' ';
  }

  private static int indexOf(byte[] b, byte v, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] safetensors(byte[] content) {
    if (content.length == 0 || content[0] != '{') {
      return content;
    }
    int nl = indexOf(content, (byte) '\n', 0, content.length);
    int headerEnd = nl < 0 ? content.length : nl;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerEnd).array());
    out.write(content, 0, headerEnd);
    if (nl >= 0) {
      out.write(content, nl + 1, content.length - nl - 1);
    }
    return out.toByteArray();
  }
}
