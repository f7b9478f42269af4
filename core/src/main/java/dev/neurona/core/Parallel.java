package dev.neurona.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library's one thread pool and the two loops every kernel uses. Never the common pool.
 *
 * <p>The size comes from {@code -Dneurona.threads=N}, else the number of available processors,
 * and can be changed with {@link #setThreads(int)}. Calls made from inside a pool task run
 * serially (no nested fan-out, no deadlock).
 *
 * <p>Determinism: {@link #forRange} hands out disjoint index ranges, so kernels whose iterations
 * write disjoint outputs give bit-identical results for any thread count. Reductions use
 * {@link #forChunks}, whose chunk boundaries depend only on {@code n} and {@code chunk} — never on
 * the thread count — and combine the per-chunk partial results in chunk order.
 */
public final class Parallel {
  /** A body run over the half-open index range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  /** A body run for one fixed chunk: its index and its range {@code [from, to)}. */
  @FunctionalInterface
  public interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  private static final AtomicInteger POOL_ID = new AtomicInteger();
  private static volatile ForkJoinPool pool;
  private static volatile int threads = initialThreads();

  private Parallel() {}

  private static int initialThreads() {
    String p = System.getProperty("neurona.threads");
    if (p == null || p.isBlank()) {
      return Runtime.getRuntime().availableProcessors();
    }
    try {
      int n = Integer.parseInt(p.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("-Dneurona.threads must be a whole number >= 1, got '" + p + "'");
  }

  /** The number of threads kernels use. */
  public static int threads() {
    return threads;
  }

  /**
   * How many threads a loop started from the calling thread would use: {@link #threads()}, or 1
   * inside a pool task (loops there run serially). Kernels that split work differently for one
   * thread (e.g. duplicating some packing per part) ask this rather than {@link #threads()}.
   */
  public static int fanOut() {
    return serial() ? 1 : threads;
  }

  /** Sets the number of threads (≥ 1); the old pool finishes its tasks and is shut down. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Parallel.setThreads: n must be >= 1, got " + n);
    }
    if (n == threads) {
      return;
    }
    threads = n;
    ForkJoinPool old = pool;
    pool = null;
    if (old != null) {
      old.shutdown();
    }
  }

  private static ForkJoinPool pool() {
    ForkJoinPool p = pool;
    if (p == null) {
      synchronized (Parallel.class) {
        p = pool;
        if (p == null) {
          int id = POOL_ID.incrementAndGet();
          p = new ForkJoinPool(threads, fj -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
            t.setName("neurona-" + id + "-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
          }, null, false);
          pool = p;
        }
      }
    }
    return p;
  }

  /** True when running serially is the right call: one thread, or already inside a pool task. */
  private static boolean serial() {
    ForkJoinPool current = ForkJoinTask.getPool();
    return threads == 1 || current != null && current == pool;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into contiguous ranges of at least {@code grain}
   * indices, at most four per thread. Below {@code 2·grain} it runs serially in the caller.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    if (n <= 0) {
      return;
    }
    int g = Math.max(1, grain);
    // floor(n / g) parts: every range gets at least g indices, and n < 2·g stays serial.
    int parts = (int) Math.min((long) threads * 4, n / g);
    if (parts <= 1 || serial()) {
      body.run(0, n);
      return;
    }
    List<Runnable> tasks = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      tasks.add(() -> body.run(from, to));
    }
    invokeAll(tasks);
  }

  /**
   * Runs {@code body} once per fixed chunk {@code [c·chunk, min(n, (c+1)·chunk))}. The chunks do not
   * depend on the thread count, so a reduction that keeps one partial result per chunk and sums
   * them in chunk order is bit-identical for any number of threads. Returns the number of chunks.
   */
  public static int forChunks(int n, int chunk, ChunkBody body) {
    if (chunk < 1) {
      throw new IllegalArgumentException("Parallel.forChunks: chunk must be >= 1, got " + chunk);
    }
    if (n <= 0) {
      return 0;
    }
    int chunks = (int) ((n + (long) chunk - 1) / chunk);
    if (chunks == 1 || serial()) {
      for (int c = 0; c < chunks; c++) {
        body.run(c, c * chunk, chunkEnd(n, chunk, c));
      }
      return chunks;
    }
    List<Runnable> tasks = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int cc = c;
      tasks.add(() -> body.run(cc, cc * chunk, chunkEnd(n, chunk, cc)));
    }
    invokeAll(tasks);
    return chunks;
  }

  /** End of chunk {@code c}, in long arithmetic: {@code (c+1)·chunk} can pass 2^31 for the last chunk. */
  private static int chunkEnd(int n, int chunk, int c) {
    return (int) Math.min(n, (c + 1L) * chunk);
  }

  /**
   * Runs every task on the pool and waits. A task's exception reaches the caller as the very same
   * object (ForkJoin would rethrow a reflective copy, which for {@code AssertionError} and many
   * other types loses the message); when several tasks fail, the first in list order wins, as in a
   * serial run.
   */
  private static void invokeAll(List<Runnable> bodies) {
    Throwable[] failures = new Throwable[bodies.size()];
    List<ForkJoinTask<?>> tasks = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      Runnable body = bodies.get(i);
      int at = i;
      tasks.add(ForkJoinTask.adapt(() -> {
        try {
          body.run();
        } catch (Throwable t) { // handed to the caller below
          failures[at] = t;
        }
      }));
    }
    // The pool's workers do all the work (exactly `threads` of them); the caller waits. Joining
    // makes the workers' writes, failures[] included, visible here.
    pool().invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
    for (Throwable t : failures) {
      if (t instanceof RuntimeException) {
        throw (RuntimeException) t;
      }
      if (t instanceof Error) {
        throw (Error) t;
      }
      if (t != null) { // a checked exception thrown sneakily
        throw new IllegalStateException("a Parallel task failed: " + t, t);
      }
    }
  }
}
