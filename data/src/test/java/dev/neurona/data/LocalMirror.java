package dev.neurona.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A web server on the loopback address for the download tests (never the internet): serves byte
 * arrays under {@code /<dir>/<name>}, honours {@code Range: bytes=N-}, and can be told to misbehave
 * per file (see {@link Behaviour}). Records every request.
 */
final class LocalMirror implements AutoCloseable {
  /** What the server does for one request of a file; {@code serve} answers normally. */
  @FunctionalInterface
  interface Behaviour {
    void handle(HttpExchange ex, byte[] data, int requestNumber) throws IOException;
  }

  /** One request as received. */
  record Request(String path, String range) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "local-mirror");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  LocalMirror() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/<dir>/}. */
  URI base(String dir) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + dir + "/");
  }

  /** Serves {@code data} at {@code path}; {@code null}: nothing there (404). */
  LocalMirror put(String path, byte[] data) {
    if (data == null) {
      files.remove(path);
    } else {
      files.put(path, data);
    }
    return this;
  }

  LocalMirror behave(String path, Behaviour b) {
    behaviours.put(path, b);
    return this;
  }

  private void dispatch(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    requests.add(new Request(path, ex.getRequestHeaders().getFirst("Range")));
    int n = counts.merge(path, 1, Integer::sum);
    try {
      byte[] data = files.get(path);
      if (data == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      behaviours.getOrDefault(path, LocalMirror::serve).handle(ex, data, n);
    } finally {
      ex.close();
    }
  }

  /** A correct answer: the whole file (200), or the rest after {@code Range: bytes=N-} (206). */
  static void serve(HttpExchange ex, byte[] data, int requestNumber) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
    if (from >= data.length) {
      ex.sendResponseHeaders(416, -1);
      return;
    }
    if (from > 0) {
      ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
      ex.sendResponseHeaders(206, data.length - from);
    } else {
      ex.sendResponseHeaders(200, data.length);
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(data, from, data.length - from);
    }
  }

  /** Announces the whole file, sends its first {@code bytes} and drops the connection. */
  static void cutAfter(HttpExchange ex, byte[] data, int bytes) throws IOException {
    ex.sendResponseHeaders(200, data.length);
    OutputStream out = ex.getResponseBody();
    out.write(data, 0, bytes);
    out.flush();
    // A handler that throws makes the server close the connection: the client sees the body end early.
    throw new IOException("connection cut on purpose after " + bytes + " bytes");
  }

  /** How many requests asked for {@code path}. */
  int count(String path) {
    return counts.getOrDefault(path, 0);
  }

  @Override
  public void close() {
    executor.shutdownNow(); // interrupts handlers that sleep to play a slow server
    server.stop(0);
  }
}
