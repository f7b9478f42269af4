package dev.neurona.examples.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchChecksTest {
  @TempDir Path tmp;

  @Test
  void anOutputDirectoryIsCreatedAndLeftEmpty() throws Exception {
    Path out = tmp.resolve("a/b/c");
    assertThat(LaunchChecks.outputDirectory("--out", out)).isEqualTo(out);
    assertThat(out).isDirectory();
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).as("the write check leaves nothing behind").isEmpty();
    }
  }

  @Test
  void anOutputDirectoryThatCannotBeCreatedOrWrittenIsNamed() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> LaunchChecks.outputDirectory("--out", file)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("--out " + file + ": ").hasMessageContaining("exists and is not a directory");
    Path under = file.resolve("sub");
    assertThatThrownBy(() -> LaunchChecks.outputDirectory("--out", under)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("--out " + under + ": ");
    Path readOnly = Files.createDirectory(tmp.resolve("ro"));
    if (readOnly.toFile().setWritable(false, false) && !Files.isWritable(readOnly)) { // root may write anyway
      assertThatThrownBy(() -> LaunchChecks.outputDirectory("--out", readOnly))
          .hasMessageStartingWith("--out " + readOnly + ": cannot write into");
    }
    readOnly.toFile().setWritable(true, false);
  }

  @Test
  void aDataDirectoryMustExistAndBeADirectory() throws Exception {
    LaunchChecks.dataDirectory("--data", null, "anything");
    LaunchChecks.dataDirectory("--data", tmp, "anything");
    assertThatThrownBy(() -> LaunchChecks.dataDirectory("--data", tmp.resolve("nope"), "the four IDX files"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--data " + tmp.resolve("nope") + ": no such directory; expected a directory holding the four IDX files");
    Path file = Files.writeString(tmp.resolve("f"), "x");
    assertThatThrownBy(() -> LaunchChecks.dataDirectory("--data", file, "images"))
        .hasMessage("--data " + file + ": not a directory; expected a directory holding images");
  }
}
