package dev.neurona.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The library's one thread team and the two loops every kernel uses. Never the common pool.
 *
 * <p>The size comes from {@code -Dneurona.threads=N}, else the number of available processors,
 * and can be changed with {@link #setThreads(int)}. A loop runs on the calling thread plus
 * {@code threads − 1} daemon workers ({@code neurona-<team>-<i>}), which take its parts from a
 * shared counter, so a late worker never holds the loop up: the others take its parts. Calls made
 * from inside a loop's body run serially (no nested fan-out, no deadlock), and so does a loop
 * started while another thread's loop has the team.
 *
 * <p>Workers spin for a short while after a loop before they sleep ({@code -Dneurona.spinMicros},
 * default 2000): waking a sleeping thread can cost milliseconds on a virtual machine (this
 * project's 2-core VM lost 2–3 ms of a 14–19 ms GEMM to it), while the kernels of a training step
 * start a new loop every few hundred microseconds. Set it to 0 to sleep at once. With more threads than processors nobody
 * spins: a spinning worker would take the core a working thread needs.
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

  private static final AtomicInteger TEAM_ID = new AtomicInteger();
  private static final long SPIN_NANOS = spinNanos();
  private static volatile int threads = initialThreads();
  private static volatile Team team;
  /** True on a thread while it runs a part of a loop (workers always; a caller during its loop). */
  private static final ThreadLocal<boolean[]> IN_LOOP = ThreadLocal.withInitial(() -> new boolean[1]);

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

  private static long spinNanos() {
    String p = System.getProperty("neurona.spinMicros");
    if (p == null || p.isBlank()) {
      return 2_000_000L;
    }
    try {
      long micros = Long.parseLong(p.trim());
      if (micros >= 0) {
        return micros * 1000;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("-Dneurona.spinMicros must be a whole number >= 0, got '" + p + "'");
  }

  /** The number of threads kernels use, the calling thread included. */
  public static int threads() {
    return threads;
  }

  /** Sets the number of threads (≥ 1); the old team's workers finish their loop and exit. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Parallel.setThreads: n must be >= 1, got " + n);
    }
    if (n == threads) {
      return;
    }
    threads = n;
    Team old = team;
    team = null;
    if (old != null) {
      old.shutdown();
    }
  }

  /**
   * How many threads a loop started from the calling thread would use: {@link #threads()}, or 1
   * inside a loop's body (loops there run serially). Kernels that split work differently for one
   * thread (e.g. duplicating some packing per part) ask this rather than {@link #threads()}.
   */
  public static int fanOut() {
    return threads == 1 || IN_LOOP.get()[0] ? 1 : threads;
  }

  private static Team team() {
    Team t = team;
    if (t == null) {
      synchronized (Parallel.class) {
        t = team;
        if (t == null) {
          t = new Team(threads - 1, TEAM_ID.incrementAndGet());
          team = t;
        }
      }
    }
    return t;
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
    int fan = fanOut();
    int parts = (int) Math.min((long) fan * 4, n / g);
    if (parts <= 1 || fan == 1) {
      body.run(0, n);
      return;
    }
    run(parts, p -> body.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
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
    if (chunks == 1 || fanOut() == 1) {
      for (int c = 0; c < chunks; c++) {
        body.run(c, c * chunk, chunkEnd(n, chunk, c));
      }
      return chunks;
    }
    run(chunks, c -> body.run(c, c * chunk, chunkEnd(n, chunk, c)));
    return chunks;
  }

  /** End of chunk {@code c}, in long arithmetic: {@code (c+1)·chunk} can pass 2^31 for the last chunk. */
  private static int chunkEnd(int n, int chunk, int c) {
    return (int) Math.min(n, (c + 1L) * chunk);
  }

  /** One part of a loop, by index. */
  @FunctionalInterface
  private interface Part {
    void run(int part);
  }

  /**
   * Runs parts {@code 0..parts-1} on the team and the calling thread, or all on the calling thread
   * when another loop has the team. A part's exception reaches the caller as the very same object
   * (the first in part order when several fail, as in a serial run); the other parts still run.
   */
  private static void run(int parts, Part part) {
    Loop loop = new Loop(parts, part);
    Team t = team();
    boolean shared = t.begin(loop);
    boolean[] inLoop = IN_LOOP.get();
    inLoop[0] = true;
    try {
      loop.work();
    } finally {
      inLoop[0] = false;
    }
    if (shared) {
      loop.awaitDone(t.spinNanos);
      t.end();
    }
    loop.rethrow();
  }

  /** One loop: its parts, the next part to hand out, the parts still running, and the failures. */
  private static final class Loop {
    final int parts;
    final Part part;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger unfinished;
    final Throwable[] failures;
    final Thread caller = Thread.currentThread();
    volatile boolean callerParked;

    Loop(int parts, Part part) {
      this.parts = parts;
      this.part = part;
      this.unfinished = new AtomicInteger(parts);
      this.failures = new Throwable[parts];
    }

    /** Takes parts until none is left; the thread that finishes the last one wakes the caller. */
    void work() {
      for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
        try {
          part.run(p);
        } catch (Throwable e) { // handed to the caller by rethrow()
          failures[p] = e;
        }
        if (unfinished.decrementAndGet() == 0 && callerParked) {
          LockSupport.unpark(caller);
        }
      }
    }

    /** Spins, then sleeps, until every part has finished; the workers' writes are then visible. */
    void awaitDone(long spinNanos) {
      long start = System.nanoTime();
      while (unfinished.get() != 0) {
        if (System.nanoTime() - start < spinNanos) {
          Thread.onSpinWait();
        } else {
          callerParked = true;
          if (unfinished.get() != 0) {
            LockSupport.parkNanos(this, 1_000_000L);
          }
        }
      }
    }

    void rethrow() {
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

  /**
   * The workers. One loop at a time: {@link #begin} publishes it (or refuses when another thread's
   * loop is running), workers spin for {@link #spinNanos} after each loop watching for the next
   * one, then sleep until {@link #begin} wakes them.
   */
  private static final class Team {
    private final Thread[] workers;
    /** {@link #SPIN_NANOS}, or 0 when the team (workers and caller) has more threads than processors. */
    final long spinNanos;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Incremented for every published loop; workers compare it with the last one they joined. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Loop loop;
    private volatile boolean shutdown;
    /** 1 while worker i sleeps (or is about to): {@link #begin} then wakes it. */
    private final AtomicIntegerArray sleeping;

    Team(int size, int id) {
      workers = new Thread[size];
      spinNanos = size + 1 <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
      sleeping = new AtomicIntegerArray(size);
      for (int i = 0; i < size; i++) {
        int index = i;
        Thread w = new Thread(() -> workLoop(index), "neurona-" + id + "-" + i);
        w.setDaemon(true);
        workers[i] = w;
        w.start();
      }
    }

    /** Publishes {@code l} to the workers; false (run it alone) when another loop has the team. */
    boolean begin(Loop l) {
      if (workers.length == 0 || !busy.compareAndSet(false, true)) {
        return false;
      }
      loop = l;
      generation.incrementAndGet();
      for (int i = 0; i < workers.length; i++) {
        if (sleeping.get(i) == 1) {
          LockSupport.unpark(workers[i]);
        }
      }
      return true;
    }

    void end() {
      loop = null;
      busy.set(false);
    }

    void shutdown() {
      shutdown = true;
      for (Thread w : workers) {
        LockSupport.unpark(w);
      }
    }

    private void workLoop(int index) {
      IN_LOOP.get()[0] = true;
      long seen = 0;
      while (!shutdown) {
        long g = generation.get();
        if (g != seen) {
          seen = g;
          Loop l = loop; // the newest loop, or null when it has already ended
          if (l != null) {
            l.work();
          }
          continue;
        }
        // Nothing new: spin a while, then sleep until begin() or shutdown() wakes us.
        long start = System.nanoTime();
        while (generation.get() == seen && !shutdown && System.nanoTime() - start < spinNanos) {
          Thread.onSpinWait();
        }
        if (generation.get() == seen && !shutdown) {
          // Announce the sleep, then look once more: a loop published in between is not missed,
          // since begin() bumps the generation before it reads the flag.
          sleeping.set(index, 1);
          if (generation.get() == seen && !shutdown) {
            LockSupport.park(this);
          }
          sleeping.set(index, 0);
        }
      }
    }
  }
}
