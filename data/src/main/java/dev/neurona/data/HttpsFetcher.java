package dev.neurona.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The HTTP(S) route of an IDX data set: each of the spec's downloads from the first mirror that
 * serves it intact (see {@link HttpDownloader}), straight into the staging directory. Partial
 * downloads wait in the cache directory ({@code <file>.part}) to be resumed.
 */
final class HttpsFetcher implements Fetcher {
  private final List<URI> mirrors;
  private final List<HttpDownloader.RemoteFile> downloads;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Path partDir;

  /** Downloads from {@code mirrors}, keeping part files in {@code partDir} (the cache directory). */
  HttpsFetcher(List<URI> mirrors, List<HttpDownloader.RemoteFile> downloads, Duration connectTimeout, Duration readTimeout,
      Path partDir) {
    this.mirrors = List.copyOf(mirrors);
    this.downloads = List.copyOf(downloads);
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.partDir = partDir;
  }

  @Override
  public String command() {
    return "HTTPS download from " + hosts(mirrors);
  }

  @Override
  public void fetch(IdxDatasetSpec spec, Path workDir, Path stagingDir, CommandRunner runner, Consumer<String> progress)
      throws IOException {
    HttpDownloader downloader = new HttpDownloader(connectTimeout, readTimeout, m -> progress.accept(spec.title() + ": " + m));
    for (HttpDownloader.RemoteFile f : downloads) {
      downloader.download(mirrors, f, partDir, stagingDir.resolve(f.name()));
    }
  }

  @Override
  public String manualSteps(Path cacheDir) {
    StringBuilder sb = new StringBuilder("mkdir -p '" + cacheDir + "' && cd '" + cacheDir + "' && curl -fLO");
    for (HttpDownloader.RemoteFile f : downloads) {
      sb.append(' ').append(mirrors.get(0).resolve(f.name()));
    }
    sb.append("\n      (or another mirror: ").append(String.join(", ", strings(mirrors))).append(')');
    return sb.toString();
  }

  /** {@code ossci-datasets.s3.amazonaws.com, storage.googleapis.com}: who is asked, for messages. */
  static String hosts(List<URI> mirrors) {
    Set<String> hosts = new LinkedHashSet<>();
    for (URI m : mirrors) {
      hosts.add(m.getPort() >= 0 ? m.getHost() + ":" + m.getPort() : m.getHost());
    }
    return String.join(", ", hosts);
  }

  private static List<String> strings(List<URI> uris) {
    List<String> s = new ArrayList<>();
    for (URI u : uris) {
      s.add(u.toString());
    }
    return s;
  }
}
