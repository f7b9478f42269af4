package dev.neurona.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a file with the JDK's {@link HttpClient}, trying mirrors in order until one gives the
 * exact bytes expected.
 *
 * <ul>
 *   <li>Proxies: the client uses {@link ProxySelector#getDefault()}, so the standard Java settings
 *       apply ({@code -Dhttps.proxyHost=… -Dhttps.proxyPort=…}, {@code -Dhttp.proxyHost=…},
 *       {@code -Dhttp.nonProxyHosts=…}, or {@code -Djava.net.useSystemProxies=true}).
 *   <li>Timeouts: one for connecting, one for silence — no byte for that long, before or during
 *       the body, ends the transfer.
 *   <li>Resume: bytes go to {@code <name>.part} in the part directory, which is kept when a
 *       transfer breaks off; the next attempt (at once, up to three per mirror, or in a later run)
 *       asks for the rest with a {@code Range} request, and starts again when the server answers
 *       with the whole file.
 *   <li>Checks: the size and SHA-256 of the whole download; a mismatch deletes the part file and
 *       the next mirror is tried. Only then is the file moved, atomically, to its destination.
 *   <li>Errors: when no mirror works, the {@link IOException} lists every URL tried and what went
 *       wrong there. A mirror that could not be reached at all is skipped for the rest of this
 *       downloader's files.
 * </ul>
 * Silent unless given a progress listener: then one line when a download starts, at each quarter
 * and when it is done.
 */
final class HttpDownloader {
  /** One file as its publishers serve it: its name on every mirror, its size in bytes and its SHA-256. */
  record RemoteFile(String name, long size, String sha256) {
    RemoteFile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
      if (size < 0) {
        throw new IllegalArgumentException("RemoteFile " + name + ": size must be >= 0, got " + size);
      }
    }
  }

  /** Default time allowed to open a connection. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  /** Default time a transfer may go without receiving a byte. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  /** Transfers per mirror and file: a broken-off one is resumed at once while it made progress. */
  static final int ATTEMPTS_PER_MIRROR = 3;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final HttpClient client;
  private final Duration readTimeout;
  private final Consumer<String> progress;
  private final Set<URI> unreachable = new HashSet<>();

  HttpDownloader(Duration connectTimeout, Duration readTimeout, Consumer<String> progress) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL);
    ProxySelector proxies = ProxySelector.getDefault();
    if (proxies != null) {
      b.proxy(proxies);
    }
    this.client = b.build();
    this.readTimeout = readTimeout;
    this.progress = progress;
  }

  /**
   * Downloads {@code file} from the first of {@code mirrors} (base URLs ending in {@code /}, the file
   * name is appended) that serves the expected bytes, into {@code partDir/<name>.part}, then moves it
   * to {@code dest} (in the same file system as {@code partDir}, so the move is atomic).
   *
   * @throws IOException listing each mirror tried and what went wrong there
   */
  void download(List<URI> mirrors, RemoteFile file, Path partDir, Path dest) throws IOException {
    if (mirrors.isEmpty()) {
      throw new IOException("no mirrors to download " + file.name() + " from");
    }
    Files.createDirectories(partDir);
    Path part = partDir.resolve(file.name() + ".part");
    List<String> failures = new ArrayList<>();
    for (URI mirror : mirrors) {
      URI url = mirror.resolve(file.name());
      if (unreachable.contains(mirror)) {
        failures.add(url + ": skipped (the server could not be reached for an earlier file)");
        continue;
      }
      try {
        fromMirror(url, file, part);
        move(part, dest);
        return;
      } catch (Unreachable e) {
        unreachable.add(mirror);
        failures.add(url + ": " + e.getMessage());
      } catch (IOException e) {
        failures.add(url + ": " + e.getMessage());
      }
    }
    StringBuilder sb = new StringBuilder("could not download " + file.name() + " from any mirror:");
    for (String f : failures) {
      sb.append("\n      ").append(f);
    }
    if (Files.exists(part)) {
      sb.append("\n      (the ").append(Files.size(part)).append(" bytes received are kept in ").append(part)
          .append(" and resumed next time)");
    }
    throw new IOException(sb.toString());
  }

  /** Up to {@link #ATTEMPTS_PER_MIRROR} transfers into {@code part}, then the size and checksum check. */
  private void fromMirror(URI url, RemoteFile file, Path part) throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS_PER_MIRROR; attempt++) {
      long have = Files.exists(part) ? Files.size(part) : 0;
      if (have > file.size()) {
        Files.delete(part); // not a prefix of this file
        have = 0;
      }
      if (have < file.size()) {
        try {
          transfer(url, file, part, have);
        } catch (Unreachable e) {
          throw e;
        } catch (IOException e) {
          last = e;
          long now = Files.exists(part) ? Files.size(part) : 0;
          if (now > have && now < file.size()) {
            continue; // broke off after some progress: ask for the rest
          }
          if (have > 0 && now == 0) {
            continue; // the server refused our range (416): start again from the first byte
          }
          throw e;
        }
      }
      long size = Files.size(part);
      if (size < file.size()) {
        last = new IOException("the transfer ended after " + size + " of " + file.size() + " bytes");
        continue;
      }
      if (size > file.size()) {
        Files.delete(part);
        throw new IOException("got " + size + " bytes, expected " + file.size() + " (the download is deleted)");
      }
      String digest = sha256(part);
      if (!digest.equals(file.sha256())) {
        Files.delete(part);
        throw new IOException("the download has SHA-256 " + digest + ", expected " + file.sha256()
            + " (the download is deleted)");
      }
      return;
    }
    throw new IOException(last.getMessage() + " (" + ATTEMPTS_PER_MIRROR + " attempts)", last);
  }

  /** One GET (with a Range when {@code have > 0}) appending to {@code part}; returns when the body ends. */
  private void transfer(URI url, RemoteFile file, Path part, long have) throws IOException {
    // No HttpRequest.timeout: waitFor's read timeout covers the wait for the headers and for every byte after.
    HttpRequest.Builder rb = HttpRequest.newBuilder(url).GET()
        .header("User-Agent", "neurona-data (Java HttpClient)");
    if (have > 0) {
      rb.header("Range", "bytes=" + have + "-");
    }
    FileSink sink = new FileSink(url, file, part, have);
    long t0 = System.nanoTime();
    progress.accept(String.format(Locale.ROOT, "downloading %s (%s)%s", url, megabytes(file.size()),
        have > 0 ? String.format(Locale.ROOT, ", resuming after %s", megabytes(have)) : ""));
    CompletableFuture<HttpResponse<Void>> cf = client.sendAsync(rb.build(), sink::handle);
    HttpResponse<Void> response;
    try {
      response = waitFor(cf, sink);
    } finally {
      sink.closeFile();
    }
    if (sink.failure != null) {
      throw sink.failure;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    long got = sink.written - have;
    progress.accept(String.format(Locale.ROOT, "%s: %s in %.1f s (%.1f MB/s)", file.name(), megabytes(got), s,
        got / 1e6 / Math.max(s, 1e-3)));
    if (response.statusCode() != 200 && response.statusCode() != 206) {
      throw new IOException("HTTP " + response.statusCode());
    }
  }

  /** Waits for the response, ending it when no byte has arrived for the read timeout. */
  private HttpResponse<Void> waitFor(CompletableFuture<HttpResponse<Void>> cf, FileSink sink) throws IOException {
    long timeoutNanos = readTimeout.toNanos();
    while (true) {
      try {
        return cf.get(Math.min(100, Math.max(1, readTimeout.toMillis())), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long silent = System.nanoTime() - sink.lastActivity;
        if (silent > timeoutNanos) {
          String what = sink.written > sink.start
              ? "no data for " + seconds(readTimeout) + " (the read timeout) after " + sink.written + " of "
                  + sink.file.size() + " bytes"
              : "no response within " + seconds(readTimeout) + " (the read timeout)";
          sink.abort(new IOException(what));
          cf.cancel(true);
          throw sink.failure;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sink.abort(new IOException("interrupted"));
        cf.cancel(true);
        throw new IOException("the download of " + sink.url + " was interrupted", e);
      } catch (CancellationException e) {
        throw sink.failure != null ? sink.failure : new IOException("cancelled", e);
      } catch (ExecutionException e) {
        if (sink.failure != null) {
          throw sink.failure;
        }
        throw explain(e.getCause());
      }
    }
  }

  /** A failure before any response: unreachable servers are told apart, so the mirror is skipped later. */
  private IOException explain(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof HttpConnectTimeoutException) {
        return new Unreachable("could not connect: " + c.getMessage(), t);
      }
      if (c instanceof UnknownHostException) {
        return new Unreachable("unknown host " + c.getMessage() + " (no DNS, or a proxy is needed: -Dhttps.proxyHost=…"
            + " -Dhttps.proxyPort=…)", t);
      }
      if (c instanceof ConnectException) {
        return new Unreachable("could not connect (" + (c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName())
            + ")", t);
      }
      c = c.getCause();
    }
    String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    return t instanceof IOException ? new IOException(msg, t) : new IOException(t.toString(), t);
  }

  /**
   * Receives the body into the part file: appending after a 206 whose range starts where the file
   * ends, from the start after a 200, nothing (and the status kept) otherwise.
   */
  private final class FileSink implements Flow.Subscriber<List<ByteBuffer>> {
    final URI url;
    final RemoteFile file;
    final Path part;
    /** Bytes in the part file before this response's body: where its first byte goes. */
    volatile long start;
    volatile long lastActivity = System.nanoTime();
    volatile long written;
    volatile IOException failure;
    private FileChannel channel;
    private Flow.Subscription subscription;
    private long nextReport;

    FileSink(URI url, RemoteFile file, Path part, long start) {
      this.url = url;
      this.file = file;
      this.part = part;
      this.start = start;
      this.written = start;
    }

    HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
      lastActivity = System.nanoTime();
      int status = info.statusCode();
      try {
        if (status == 200) {
          long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
          if (announced >= 0 && announced != file.size()) {
            failure = new IOException("the server announces " + announced + " bytes, expected " + file.size());
            return HttpResponse.BodySubscribers.replacing(null);
          }
          start = 0;
          written = 0;
          channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
        } else if (status == 206) {
          String range = info.headers().firstValue("Content-Range").orElse("");
          Matcher m = CONTENT_RANGE.matcher(range);
          if (!m.matches() || Long.parseLong(m.group(1)) != start) {
            failure = new IOException("asked for bytes " + start + "- and got a partial response with Content-Range '"
                + range + "'");
            return HttpResponse.BodySubscribers.replacing(null);
          }
          channel = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } else {
          if (status == 416) { // our part file is not a prefix the server knows: start again next time
            Files.deleteIfExists(part);
          }
          return HttpResponse.BodySubscribers.replacing(null);
        }
      } catch (IOException e) {
        failure = e;
        return HttpResponse.BodySubscribers.replacing(null);
      }
      nextReport = file.size() / 4;
      return HttpResponse.BodySubscribers.fromSubscriber(this, s -> null);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      lastActivity = System.nanoTime();
      try {
        for (ByteBuffer b : buffers) {
          int n = b.remaining();
          if (written + n > file.size()) {
            abort(new IOException("the server sends more than the " + file.size() + " bytes expected"));
            return;
          }
          while (b.hasRemaining()) {
            channel.write(b);
          }
          written += n;
        }
      } catch (IOException e) {
        abort(new IOException("could not write " + part + ": " + e.getMessage(), e));
        return;
      }
      if (file.size() >= 4 && written >= nextReport && written < file.size()) {
        progress.accept(String.format(Locale.ROOT, "%s: %d%% (%s of %s)", file.name(), written * 100 / file.size(),
            megabytes(written), megabytes(file.size())));
        nextReport = (written * 4 / file.size() + 1) * file.size() / 4;
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      if (failure == null) {
        failure = new IOException("the transfer broke off after " + written + " of " + file.size() + " bytes ("
            + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()) + ")", t);
      }
    }

    @Override
    public void onComplete() {
      // the response future completes
    }

    /** Stops the transfer with {@code why} (the first reason wins). */
    void abort(IOException why) {
      if (failure == null) {
        failure = why;
      }
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    synchronized void closeFile() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }

  /** The server could not be reached at all (no DNS, refused, connect timeout). */
  private static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String megabytes(long bytes) {
    return bytes < 100_000 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
