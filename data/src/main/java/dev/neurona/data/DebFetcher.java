package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fetches a Debian package with {@code apt-get download <package>} (no root needed) and unpacks it
 * with {@code dpkg-deb -x} into the work directory; the files are taken from {@code installDir}
 * inside it, plain or {@code .gz}.
 */
final class DebFetcher implements Fetcher {
  private final String packageName;
  private final String installDir;

  /** E.g. {@code ("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist")}. */
  DebFetcher(String packageName, String installDir) {
    this.packageName = packageName;
    this.installDir = installDir;
  }

  @Override
  public String command() {
    return "apt-get download " + packageName + " && dpkg-deb -x";
  }

  @Override
  public void fetch(IdxDatasetSpec spec, Path workDir, Path stagingDir, CommandRunner runner, Consumer<String> progress)
      throws IOException {
    long t0 = System.nanoTime();
    Commands.runChecked(runner, List.of("apt-get", "download", packageName), workDir);
    Path deb = Commands.findOne(workDir, ".deb", "apt-get download " + packageName);
    progress.accept(String.format(java.util.Locale.ROOT, "%s: downloaded %s (%.1f MB) in %.1f s", spec.title(), deb.getFileName(),
        Files.size(deb) / 1e6, (System.nanoTime() - t0) / 1e9));
    Path root = workDir.resolve("root");
    Files.createDirectories(root);
    Commands.runChecked(runner, List.of("dpkg-deb", "-x", deb.toString(), root.toString()), workDir);
    Path dir = root.resolve(installDir);
    for (IdxDatasetSpec.FileSpec f : spec.files()) {
      Path src = DatasetLoader.existing(dir, f.name());
      if (src == null) {
        throw new IOException("package " + deb.getFileName() + " has no /" + installDir + "/" + f.name() + "[.gz]");
      }
      Files.copy(src, stagingDir.resolve(src.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public String manualSteps(Path cacheDir) {
    return "sudo apt-get install " + packageName + "   (installs into /" + installDir + ", which is searched)\n"
        + "    or, without root: cd \"$(mktemp -d)\" && apt-get download " + packageName + " && dpkg-deb -x "
        + packageName + "_*.deb . && mkdir -p '" + cacheDir + "' && cp " + installDir + "/* '" + cacheDir + "/'\n"
        + "    (run 'sudo apt-get update' first if apt cannot locate the package)";
  }
}
