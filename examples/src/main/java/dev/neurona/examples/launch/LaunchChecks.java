package dev.neurona.examples.launch;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an example runs before it loads data or trains, so that a wrong path fails in a second
 * with a message naming the option, the path and what was expected, not after minutes of training.
 */
public final class LaunchChecks {
  private LaunchChecks() {}

  /**
   * Creates {@code dir} (and its parents) if needed and checks a file can be written in it, by
   * creating and deleting one.
   *
   * @param option the command-line option that named it, e.g. {@code --out}, for the message
   * @return {@code dir}
   * @throws IOException naming {@code option} and {@code dir} when it cannot be created or written
   */
  public static Path outputDirectory(String option, Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    try {
      Files.createDirectories(abs);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(option + " " + dir + ": " + e.getFile() + " exists and is not a directory; expected a"
          + " directory to write the results into", e);
    } catch (IOException | SecurityException e) {
      throw new IOException(option + " " + dir + ": cannot create the directory " + abs + " (" + e + ")", e);
    }
    try {
      Path probe = Files.createTempFile(abs, ".neurona-write-check-", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new IOException(option + " " + dir + ": cannot write into " + abs + " (" + e + ")", e);
    }
    return dir;
  }

  /**
   * Checks that {@code dir}, when given, is an existing directory.
   *
   * @param option the option that named it, e.g. {@code --data}
   * @param dir the directory, or null when the option was not given (nothing to check)
   * @param expected what the directory should hold, for the message, e.g. {@code "the four MNIST IDX files"}
   * @throws IllegalArgumentException naming the option, the path and what was expected
   */
  public static void dataDirectory(String option, Path dir, String expected) {
    if (dir == null) {
      return;
    }
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException(option + " " + dir + ": no such directory; expected a directory holding "
          + expected);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(option + " " + dir + ": not a directory; expected a directory holding "
          + expected);
    }
  }
}
