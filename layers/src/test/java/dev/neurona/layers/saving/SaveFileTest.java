package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving writes the file as an ordinary write would, only all at once. */
class SaveFileTest {
  @TempDir
  Path dir;

  private static boolean posix() {
    return Path.of(".").getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aNewFileGetsThePermissionsAPlainWriteGivesAndAnExistingOneKeepsItsOwn() throws IOException {
    assumeThat(posix()).isTrue();
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // 0666 less the umask
    Path f = dir.resolve("m.zip");
    SavedModels.small().save(f);
    // Before: always rw------- (the temporary file's 0600), whatever the umask.
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(plain));

    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    SavedModels.small().save(f);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
  }

  @Test
  void aSymbolicLinkIsFollowedAndStaysALink() throws IOException {
    Path real = Files.writeString(dir.resolve("real.zip"), "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.zip"), Path.of("real.zip")); // relative, as ln -s makes it
    Sequential m = SavedModels.small();
    m.save(link);
    // Before: the link was replaced by a regular file and real.zip kept "old".
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("real.zip"));
    assertThat(Sequential.load(real).summary()).isEqualTo(m.summary());

    // A link to a link, and a link whose target does not exist yet: the final target is written.
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path chain = Files.createSymbolicLink(dir.resolve("chain.zip"), link);
    Path dangling = Files.createSymbolicLink(sub.resolve("dangling.zip"), sub.resolve("made.zip"));
    m.save(chain);
    m.save(dangling);
    assertThat(Files.isSymbolicLink(chain)).isTrue();
    assertThat(Files.isRegularFile(sub.resolve("made.zip"))).isTrue();
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(names(dir)).containsExactly("chain.zip", "link.zip", "real.zip", "sub");

    Path loop = Files.createSymbolicLink(dir.resolve("loop.zip"), Path.of("loop.zip"));
    assertThatThrownBy(() -> m.save(loop)).isInstanceOf(java.nio.file.FileSystemException.class)
        .hasMessageContaining(loop.toString()).hasMessageContaining("levels of symbolic links");
  }

  @Test
  void errorsNameThePathTheCallerGaveAndLeaveNoTemporaryFile() throws IOException {
    Path taken = Files.createDirectory(dir.resolve("taken.zip"));
    Files.writeString(taken.resolve("keep.txt"), "x");
    Sequential m = SavedModels.small();
    // Before: the message named the temporary file (".taken.zip.<digits>.tmp -> ...").
    assertThatThrownBy(() -> m.save(taken)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot save " + taken + ": cannot replace " + taken);
    Path link = Files.createSymbolicLink(dir.resolve("link.zip"), taken);
    assertThatThrownBy(() -> m.save(link)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot save " + link + " (a link to " + taken + ")");
    assertThat(names(dir)).containsExactly("link.zip", "taken.zip");
    assertThat(names(taken)).containsExactly("keep.txt");
  }

  @Test
  void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path f = Files.writeString(dir.resolve("m.zip"), "old contents");
    assertThatThrownBy(() -> AtomicWrite.write(f, out -> {
      out.write(new byte[100_000]);
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessageStartingWith("cannot save " + f + ": writing .m.zip.")
        .hasMessageEndingWith(": disk full");
    assertThat(names(dir)).containsExactly("m.zip");
    assertThat(Files.readString(f)).isEqualTo("old contents");
  }

  @Test
  void temporaryFilesOfAKilledSaveAreRemovedByTheNextSaveOfTheSameFile() throws IOException {
    long self = ProcessHandle.current().pid();
    String deadPid = "2147483646"; // beyond any Linux pid_max: no such process
    Files.writeString(dir.resolve(".m.zip." + deadPid + ".00000000deadbeef.tmp"), "killed mid-save");
    Path oldStyle = Files.writeString(dir.resolve(".m.zip.5381907622123.tmp"), "from an older version");
    Files.setLastModifiedTime(oldStyle, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
    // Kept: a fresh old-style file (its writer may be alive), one of this process (a save under way
    // in another thread), one of a live process, and those of another target.
    Files.writeString(dir.resolve(".m.zip.77.tmp"), "fresh");
    Files.writeString(dir.resolve(".m.zip." + self + ".0123456789abcdef.tmp"), "ours");
    Files.writeString(dir.resolve(".m.zip.1.0123456789abcdef.tmp"), "init's");
    Files.writeString(dir.resolve(".other.zip." + deadPid + ".00000000deadbeef.tmp"), "another file's");
    Files.writeString(dir.resolve("m.zip.tmp"), "not ours");

    SavedModels.small().save(dir.resolve("m.zip"));
    assertThat(names(dir)).containsExactlyInAnyOrder(".m.zip." + self + ".0123456789abcdef.tmp", ".m.zip.1.0123456789abcdef.tmp",
        ".m.zip.77.tmp", ".other.zip." + deadPid + ".00000000deadbeef.tmp", "m.zip", "m.zip.tmp");
  }

  @Test
  void aMissingDirectoryIsNamedAndNothingIsCreated() {
    Path f = dir.resolve("no-such-dir").resolve("m.zip");
    assertThatThrownBy(() -> SavedModels.small().save(f)).isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("does not exist");
    assertThat(Files.exists(f.getParent())).isFalse();
  }
}
