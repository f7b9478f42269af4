package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of {@link BackupAndRestore}, tested with real processes: a child JVM training with a
 * backup is killed with SIGKILL ({@code Process.destroyForcibly}) at seeded random moments — during
 * start-up, during an epoch, while it writes or deletes a backup — and started again each time; the
 * weights it finally writes must be, byte for byte, those of an uninterrupted run without a backup.
 * What each kill interrupted is written to {@code target/backup-kill-test.txt}.
 */
class BackupAndRestoreKillTest {
  private static final int KILLS = 6;

  @TempDir Path tmp;

  @Test
  void killedAtRandomMomentsAndResumedItEndsWithTheUninterruptedWeights() throws Exception {
    Path reference = tmp.resolve("reference.safetensors");
    long r0 = System.nanoTime();
    KillableTraining.train(null, null).saveWeights(reference);
    // One epoch's time on this machine (a child JVM, still cold, is slower): mid-epoch kills wait at most
    // this long after a run has made progress, so that every run advances by a bounded number of epochs
    // and all KILLS land before training ends, on a fast machine as on a slow one.
    int epochMillis = (int) Math.max(5, (System.nanoTime() - r0) / 1_000_000 / KillableTraining.EPOCHS);

    Path backup = tmp.resolve("backup");
    Path out = tmp.resolve("resumed.safetensors");
    Random random = new Random(20240611);
    List<String> log = new ArrayList<>();
    int kills = 0;
    int midWrite = 0;
    int resumedFrom = -1;
    for (int run = 0; ; run++) {
      Path output = tmp.resolve("run-" + run + ".txt");
      int before = new BackupAndRestore(backup).backedUpEpochs();
      long t0 = System.nanoTime();
      Process p = child(backup, out, output);
      if (kills < KILLS) {
        boolean started;
        long delay;
        if (kills == 0) {
          // During start-up or the first epoch: at a random moment, or as soon as the first epoch ends.
          started = awaitLinesOrTime(p, output, 1, 100 + random.nextInt(1500));
          delay = 0;
        } else {
          // Once the run has written a backup of its own (so that each run gets further): soon after the next
          // epoch ends, when its backup is being written (every other kill), or within the next epoch.
          started = awaitNewBackup(p, backup, before);
          boolean aimAtWrite = kills % 2 == 0;
          if (started && aimAtWrite) {
            started = awaitLines(p, output, epochLines(output) + 1);
          }
          delay = aimAtWrite ? random.nextInt(60) : random.nextInt(epochMillis);
        }
        if (started && !p.waitFor(delay, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
          p.waitFor(30, TimeUnit.SECONDS);
          kills++;
          String after = listing(backup);
          midWrite += after.contains(".tmp-") || after.contains(".old-") ? 1 : 0;
          log.add(String.format("run %d: resumed from %d epochs; killed %d ms after start, last line '%s'; left: %s",
              run, before, (System.nanoTime() - t0) / 1_000_000, lastLine(output), after));
          resumedFrom = Math.max(resumedFrom, before);
          continue;
        }
      }
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("run %d finishes", run).isTrue();
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("run %d exit code; output:%n%s", run, text).isZero();
      assertThat(text).as("run %d output", run).endsWith("done\n");
      log.add(String.format("run %d: resumed from %d epochs, ran to the end in %d ms", run, before,
          (System.nanoTime() - t0) / 1_000_000));
      break;
    }
    log.add(kills + " kills, " + midWrite + " of them while a backup was being written or deleted");
    Files.write(Path.of("target", "backup-kill-test.txt"), log, StandardCharsets.UTF_8);

    String shown = String.join("\n", log);
    assertThat(kills).as("kills; log:%n%s", shown).isEqualTo(KILLS);
    assertThat(resumedFrom).as("some run resumed from a backup; log:%n%s", shown).isPositive();
    assertThat(Files.readAllBytes(out)).as("log:%n%s", shown).isEqualTo(Files.readAllBytes(reference));
    assertThat(backup).as("deleted when training finished").doesNotExist();
  }

  /** Waits until the child has written a backup newer than {@code before}; false when it ends first. */
  private static boolean awaitNewBackup(Process p, Path backup, int before) throws Exception {
    BackupAndRestore b = new BackupAndRestore(backup);
    while (p.isAlive()) {
      try {
        if (b.backedUpEpochs() > before) {
          return true;
        }
      } catch (IOException e) {
        // the child is renaming entries as we list them: look again
      }
      Thread.sleep(5);
    }
    return false;
  }

  /** Waits until the child has printed {@code n} "epoch" lines or {@code millis} have passed; false when it ends first. */
  private static boolean awaitLinesOrTime(Process p, Path output, long n, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    while (p.isAlive()) {
      if (System.nanoTime() >= end || epochLines(output) >= n) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  /** Waits until the child has printed {@code n} "epoch" lines; false when it ends first. */
  private static boolean awaitLines(Process p, Path output, long n) throws Exception {
    while (p.isAlive()) {
      if (epochLines(output) >= n) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  private static long epochLines(Path output) throws IOException {
    try (Stream<String> lines = Files.lines(output, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.startsWith("epoch ")).count();
    }
  }

  /** Starts {@link KillableTraining} in a new JVM with this JVM's class path and Vector API setting. */
  private static Process child(Path backup, Path out, Path output) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.add("--add-modules");
      cmd.add("jdk.incubator.vector");
    }
    for (String prop : System.getProperties().stringPropertyNames()) {
      if (prop.startsWith("neurona.")) {
        cmd.add("-D" + prop + "=" + System.getProperty(prop)); // e.g. neurona.simd: the same kernels as here
      }
    }
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KillableTraining.class.getName());
    cmd.add(backup.toString());
    cmd.add(out.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private static String lastLine(Path output) throws IOException {
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    return lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1);
  }

  /** The backup directory's entries and, one level down, theirs: shows a write or deletion cut short. */
  private static String listing(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "(none)";
    }
    try (Stream<Path> s = Files.walk(dir, 2)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
          .collect(Collectors.joining(" "));
    }
  }
}
