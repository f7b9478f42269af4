package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs an external command, the way the data set loaders fetch their files ({@code npm pack},
 * {@code apt-get download}, {@code dpkg-deb -x}). Tests substitute their own implementation to
 * simulate a missing command, a failing one or a bad download without touching the network.
 */
@FunctionalInterface
public interface CommandRunner {
  /** What a finished command reported. */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} with {@code workDir} as its working directory and waits for it.
   *
   * @throws IOException if the command cannot be started (e.g. it is not installed) or times out
   */
  Result run(List<String> command, Path workDir) throws IOException;

  /** The real thing: {@link ProcessBuilder}, stdin closed, a 15-minute time limit. */
  static CommandRunner system() {
    return new ProcessCommandRunner(Duration.ofMinutes(15));
  }
}
