package dev.neurona.layers.saving;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files written whole or not at all: the bytes go to a temporary file in the target's directory,
 * are forced to the disk, and the temporary file is renamed over the target, so a crash or a
 * {@code kill -9} at any moment leaves either the old file or the new one, never a part.
 */
final class AtomicFiles {
  /** Writes a file's content. */
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code target} atomically (see the class comment); its directory must exist. */
  static void write(Path target, Content content) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(abs.toString(), null, "cannot write: directory " + dir + " does not exist");
    }
    Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        content.writeTo(os);
      }
      force(temp);
      try {
        Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Forces a written file's bytes to the disk. */
  static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Forces a directory's entries (a rename into it) to the disk, where the platform allows it:
   * Linux and macOS do; Windows cannot open a directory this way, and there the rename stands alone.
   */
  static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on this platform (see above); a kill -9 cannot lose the entry anyway, only a power cut.
    }
  }
}
