package dev.neurona.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link CommandRunner} over {@link ProcessBuilder}; output goes to temporary files (no reader threads). */
final class ProcessCommandRunner implements CommandRunner {
  private final Duration timeout;

  ProcessCommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Result run(List<String> command, Path workDir) throws IOException {
    Path out = Files.createTempFile("neurona-cmd-", ".out");
    Path err = Files.createTempFile("neurona-cmd-", ".err");
    try {
      Process p = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      p.getOutputStream().close(); // no input: a command that asks a question gets EOF instead of hanging
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException("'" + String.join(" ", command) + "' did not finish within "
            + String.format(java.util.Locale.ROOT, "%.1f", timeout.toMillis() / 1000.0) + " s and was killed");
      }
      return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
