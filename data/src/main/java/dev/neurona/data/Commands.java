package dev.neurona.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers for fetchers: run a command and explain its failure; find what it downloaded. */
final class Commands {
  private static final int TAIL_LINES = 12;

  private Commands() {}

  /** Runs {@code command}; a start failure or a non-zero exit becomes an IOException saying why. */
  static CommandRunner.Result runChecked(CommandRunner runner, List<String> command, Path workDir) throws IOException {
    String shown = String.join(" ", command);
    CommandRunner.Result r;
    try {
      r = runner.run(command, workDir);
    } catch (IOException e) {
      throw new IOException("could not run '" + shown + "': " + e.getMessage()
          + " (is " + command.get(0) + " installed and on the PATH?)", e);
    }
    if (r.exitCode() != 0) {
      throw new IOException("'" + shown + "' exited with code " + r.exitCode() + tail(r.stderr(), r.stdout()));
    }
    return r;
  }

  /** The single file in {@code dir} whose name ends with {@code suffix}, e.g. the {@code .tgz} npm wrote. */
  static Path findOne(Path dir, String suffix, String producedBy) throws IOException {
    List<Path> hits = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)) {
          hits.add(p);
        }
      }
    }
    if (hits.size() != 1) {
      throw new IOException("'" + producedBy + "' succeeded but left " + hits.size() + " *" + suffix + " files in " + dir
          + (hits.isEmpty() ? "" : ": " + hits));
    }
    return hits.get(0);
  }

  /** The last lines of stderr (or of stdout when stderr is empty), indented, for an error message. */
  static String tail(String stderr, String stdout) {
    String s = stderr != null && !stderr.isBlank() ? stderr : stdout;
    if (s == null || s.isBlank()) {
      return " and printed nothing";
    }
    String[] lines = s.strip().split("\\R");
    StringBuilder sb = new StringBuilder("; its output ends with:");
    for (int i = Math.max(0, lines.length - TAIL_LINES); i < lines.length; i++) {
      String line = lines[i].length() > 300 ? lines[i].substring(0, 300) + "…" : lines[i];
      sb.append("\n      ").append(line);
    }
    return sb.toString();
  }
}
