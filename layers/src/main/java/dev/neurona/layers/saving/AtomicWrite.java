package dev.neurona.layers.saving;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a file all at once: the bytes go to a temporary file beside it, which is synced and
 * moved over the target, so a reader (or a crash) sees the old file or the new one, never half of
 * one. Otherwise it behaves as a plain write of the file would:
 * <ul>
 *   <li>a new file gets the permissions the umask gives a new file; an existing one keeps its own;</li>
 *   <li>a symbolic link is followed: the file it points to is replaced, the link stays;</li>
 *   <li>errors name the path the caller gave (and the link's target when there is one).</li>
 * </ul>
 * The temporary file is {@code .<name>.<pid>.<random>.tmp}; it is deleted when the write fails, and
 * one left by a killed process (its process gone, or untouched for an hour) is deleted by the next
 * write of the same file.
 */
final class AtomicWrite {
  /** Writes the file's contents. */
  @FunctionalInterface
  interface Body {
    /** Writes everything to {@code out}; closing {@code out} only flushes it. */
    void writeTo(OutputStream out) throws IOException;
  }

  /** A temporary file untouched for this long belongs to no live write, whatever process made it. */
  static final Duration STALE_AFTER = Duration.ofHours(1);
  private static final int MAX_LINKS = 40;

  private AtomicWrite() {}

  /** Writes {@code file} through {@code body}, all at once (see the class comment). */
  static void write(Path file, Body body) throws IOException {
    Path target = resolveLinks(file);
    String shown = file + (target.equals(file.toAbsolutePath()) ? "" : " (a link to " + target + ")");
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(file.toString(), null, "cannot save: directory " + dir + " does not exist");
    }
    String name = target.getFileName().toString();
    removeStaleTemporaries(dir, name);
    Path temp = null;
    boolean done = false;
    try {
      temp = createTemporary(dir, name, shown);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = new FilterOutputStream(Channels.newOutputStream(ch)) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            this.out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the channel stays open for force()
          }
        };
        body.writeTo(out);
        out.flush();
        ch.force(true);
      } catch (IOException e) {
        throw fail(shown, "writing " + temp.getFileName() + " failed", e);
      }
      copyPermissions(target, temp, shown);
      try {
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw fail(shown, "cannot replace " + target, e);
      }
      done = true;
    } finally {
      if (!done && temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // Left for the next save of this file to remove.
        }
      }
    }
  }

  /** {@code file}'s final target when it is a symbolic link (followed link by link), else {@code file}, absolute. */
  static Path resolveLinks(Path file) throws IOException {
    Path p = file.toAbsolutePath();
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == MAX_LINKS) {
        throw new FileSystemException(file.toString(), null, "cannot save: more than " + MAX_LINKS
            + " levels of symbolic links");
      }
      p = p.resolveSibling(Files.readSymbolicLink(p));
    }
    return p;
  }

  /**
   * A new, empty temporary file beside the target, created as a plain new file is (so the umask
   * applies), with a name no other write uses.
   */
  private static Path createTemporary(Path dir, String name, String shown) throws IOException {
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + name + "." + pid + "." + String.format("%016x", ThreadLocalRandom.current().nextLong())
          + ".tmp");
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw fail(shown, "cannot create a temporary file in " + dir, e);
        }
      } catch (IOException e) {
        throw fail(shown, "cannot create a temporary file in " + dir, e);
      }
    }
  }

  /** Gives {@code temp} the permissions of the file it replaces, as overwriting that file would keep them. */
  private static void copyPermissions(Path target, Path temp, String shown) throws IOException {
    if (!Files.isRegularFile(target) || !temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
    } catch (IOException e) {
      throw fail(shown, "cannot give the new file the permissions of " + target, e);
    }
  }

  /** Deletes the temporary files of earlier writes of {@code name} that no live write owns; best effort. */
  static void removeStaleTemporaries(Path dir, String name) {
    Pattern ours = Pattern.compile("\\." + Pattern.quote(name) + "\\.(?:(\\d{1,18})\\.[0-9a-f]{16}|\\d+)\\.tmp");
    Instant cutoff = Instant.now().minus(STALE_AFTER);
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> ours.matcher(p.getFileName().toString()).matches())) {
      for (Path p : s) {
        try {
          Matcher m = ours.matcher(p.getFileName().toString());
          if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          FileTime modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
          boolean old = modified.toInstant().isBefore(cutoff);
          // Earlier versions named the file without the process id: only its age tells.
          boolean orphan = m.group(1) != null && Long.parseLong(m.group(1)) != self
              && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
          if (old || orphan) {
            Files.deleteIfExists(p);
          }
        } catch (IOException | RuntimeException e) {
          // Cleaning up is a courtesy: it never fails a save.
        }
      }
    } catch (IOException | RuntimeException e) {
      // The directory cannot be listed: nothing to clean up then.
    }
  }

  private static IOException fail(String shown, String what, IOException cause) {
    return new IOException("cannot save " + shown + ": " + what + ": " + cause.getMessage(), cause);
  }
}
