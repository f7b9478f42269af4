package dev.neurona.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
  private static final int[] THREADS = {1, 2, 3, 7};
  private int savedThreads;

  @BeforeEach
  void saveThreads() {
    savedThreads = Parallel.threads();
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  @Test
  void forRangeCoversEveryIndexExactlyOnceInRangesOfAtLeastGrain() {
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      assertThat(Parallel.threads()).isEqualTo(threads);
      for (int n : new int[] {0, 1, 2, 3, 5, 7, 64, 100, 1000, 10007}) {
        for (int grain : new int[] {0, 1, 3, 64, 1000}) {
          AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
          List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
          Parallel.forRange(n, grain, (from, to) -> {
            ranges.add(new int[] {from, to});
            for (int i = from; i < to; i++) {
              hits.incrementAndGet(i);
            }
          });
          String what = "threads=" + threads + " n=" + n + " grain=" + grain;
          for (int i = 0; i < n; i++) {
            assertThat(hits.get(i)).as(what + " index " + i).isEqualTo(1);
          }
          int g = Math.max(1, grain);
          if (n == 0) {
            assertThat(ranges).as(what).isEmpty();
          } else if (n < 2 * g || threads == 1) {
            assertThat(ranges).as(what + ": serial, one range").hasSize(1);
            assertThat(ranges.get(0)).containsExactly(0, n);
          } else {
            assertThat(ranges.size()).as(what + ": ranges").isBetween(2, threads * 4);
            assertThat(ranges).as(what).allSatisfy(r -> assertThat(r[1] - r[0]).isGreaterThanOrEqualTo(g));
          }
        }
      }
    }
    Parallel.forRange(-3, 1, (from, to) -> {
      throw new AssertionError("body must not run for n < 0");
    });
  }

  @Test
  void forChunksBoundariesDependOnlyOnNAndChunk() {
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      for (int n : new int[] {0, 1, 9, 10, 11, 1000, 10007}) {
        for (int chunk : new int[] {1, 10, 64, 4096}) {
          int expectedChunks = (n + chunk - 1) / chunk;
          int[][] seen = new int[expectedChunks][];
          AtomicIntegerArray calls = new AtomicIntegerArray(Math.max(expectedChunks, 1));
          int returned = Parallel.forChunks(n, chunk, (c, from, to) -> {
            calls.incrementAndGet(c);
            seen[c] = new int[] {from, to};
          });
          String what = "threads=" + threads + " n=" + n + " chunk=" + chunk;
          assertThat(returned).as(what).isEqualTo(expectedChunks);
          for (int c = 0; c < expectedChunks; c++) {
            assertThat(calls.get(c)).as(what + " chunk " + c + " calls").isEqualTo(1);
            assertThat(seen[c]).as(what + " chunk " + c).containsExactly(c * chunk, Math.min(n, (c + 1) * chunk));
          }
        }
      }
    }
  }

  @Test
  void forChunksReductionIsBitIdenticalForAnyThreadCount() {
    float[] x = new float[100_003];
    Random rnd = new Random(11);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian() * (1 + rnd.nextInt(1000));
    }
    List<Integer> bits = new ArrayList<>();
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      int chunk = 1000;
      float[] partial = new float[(x.length + chunk - 1) / chunk];
      int chunks = Parallel.forChunks(x.length, chunk, (c, from, to) -> {
        float s = 0f;
        for (int i = from; i < to; i++) {
          s += x[i];
        }
        partial[c] = s;
      });
      float total = 0f;
      for (int c = 0; c < chunks; c++) {
        total += partial[c];
      }
      bits.add(Float.floatToIntBits(total));
    }
    assertThat(Set.copyOf(bits)).as("sum bits for threads 1, 2, 3, 7").hasSize(1);
  }

  /** The caller gets the task's own exception object, message intact; the lowest failing chunk wins. */
  @Test
  void exceptionsFromTasksReachTheCaller() {
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      IllegalStateException boom = new IllegalStateException("boom at 500");
      assertThatThrownBy(() -> Parallel.forRange(1000, 1, (from, to) -> {
        if (from <= 500 && 500 < to) {
          throw boom;
        }
      })).isSameAs(boom);
      assertThatThrownBy(() -> Parallel.forChunks(1000, 10, (c, from, to) -> {
        if (c == 37 || c == 80) {
          throw new AssertionError("chunk " + c + " failed");
        }
      })).isInstanceOf(AssertionError.class).hasMessage("chunk 37 failed");
      // The pool still works afterwards.
      AtomicIntegerArray hits = new AtomicIntegerArray(100);
      Parallel.forChunks(100, 3, (c, from, to) -> {
        for (int i = from; i < to; i++) {
          hits.incrementAndGet(i);
        }
      });
      for (int i = 0; i < 100; i++) {
        assertThat(hits.get(i)).isEqualTo(1);
      }
    }
  }

  @Test
  void lastChunkEndDoesNotOverflow() {
    int n = Integer.MAX_VALUE - 9;
    int chunk = 1 << 30;
    List<int[]> seen = Collections.synchronizedList(new ArrayList<>());
    assertThat(Parallel.forChunks(n, chunk, (c, from, to) -> seen.add(new int[] {c, from, to}))).isEqualTo(2);
    seen.sort((a, b) -> Integer.compare(a[0], b[0]));
    assertThat(seen.get(0)).containsExactly(0, 0, chunk);
    assertThat(seen.get(1)).containsExactly(1, chunk, n);
  }

  @Test
  void nestedCallsFromPoolTasksDoNotDeadlock() {
    for (int threads : new int[] {2, 3}) {
      Parallel.setThreads(threads);
      int outer = 64;
      int inner = 100;
      AtomicIntegerArray hits = new AtomicIntegerArray(outer * inner);
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Parallel.forRange(outer, 1, (from, to) -> {
        for (int o = from; o < to; o++) {
          int base = o * inner;
          Parallel.forChunks(inner, 7, (c, f, t) -> Parallel.forRange(t - f, 1, (f2, t2) -> {
            for (int i = f + f2; i < f + t2; i++) {
              hits.incrementAndGet(base + i);
            }
          }));
        }
      }));
      for (int i = 0; i < outer * inner; i++) {
        assertThat(hits.get(i)).as("threads=%d index %d", threads, i).isEqualTo(1);
      }
    }
  }

  @Test
  void fanOutIsTheThreadCountOutsideThePoolAndOneInsideIt() {
    for (int threads : THREADS) {
      Parallel.setThreads(threads);
      assertThat(Parallel.fanOut()).isEqualTo(threads);
      Set<Integer> inside = ConcurrentHashMap.newKeySet();
      Parallel.forRange(1000, 1, (from, to) -> inside.add(Parallel.fanOut()));
      assertThat(inside).containsExactly(1);
    }
  }

  /** One thread's loop has the team; loops started meanwhile by other threads run alone, and all finish. */
  @Test
  void loopsStartedFromSeveralThreadsAtOnceAllComplete() throws Exception {
    Parallel.setThreads(2);
    int callers = 4, loops = 300, n = 5000;
    AtomicIntegerArray totals = new AtomicIntegerArray(callers);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      int id = t;
      Thread caller = new Thread(() -> {
        for (int l = 0; l < loops; l++) {
          AtomicIntegerArray hits = new AtomicIntegerArray(n);
          Parallel.forRange(n, 100, (from, to) -> {
            for (int i = from; i < to; i++) {
              hits.incrementAndGet(i);
            }
          });
          int sum = 0;
          for (int i = 0; i < n; i++) {
            sum += hits.get(i);
          }
          totals.addAndGet(id, sum);
        }
      });
      started.add(caller);
      caller.start();
    }
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (Thread t : started) {
        t.join();
      }
    });
    for (int t = 0; t < callers; t++) {
      assertThat(totals.get(t)).as("caller %d", t).isEqualTo(loops * n);
    }
  }

  /**
   * Loops started by several callers at once (most run serially, on their caller, while another
   * has the team) give the bits of a lone call: a chunked reduction, a blocked GEMM and an im2col
   * convolution, each of which splits its work by the thread count, not by who runs it.
   */
  @Test
  void kernelsCalledFromSeveralThreadsAtOnceGiveTheBitsOfALoneCall() throws Exception {
    Parallel.setThreads(2);
    Random rnd = new Random(5);
    float[] x = new float[50_001];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    int m = 150, n = 120, k = 200;
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextFloat() - 0.5f;
    }
    dev.neurona.core.conv.ConvGeometry g =
        dev.neurona.core.conv.ConvGeometry.of(14, 14, 8, 3, 3, 1, 1, dev.neurona.core.conv.Padding.SAME, 16);
    int batch = 6;
    float[] image = new float[batch * g.inSize()];
    float[] kernel = new float[g.patchSize() * g.outC];
    for (int i = 0; i < image.length; i++) {
      image[i] = rnd.nextFloat();
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = rnd.nextFloat() - 0.5f;
    }
    java.util.function.Supplier<List<Integer>> all = () -> {
      List<Integer> bits = new ArrayList<>();
      float[] partial = new float[51];
      Parallel.forChunks(x.length, 1000, (c, from, to) -> {
        float sum = 0f;
        for (int i = from; i < to; i++) {
          sum += x[i];
        }
        partial[c] = sum;
      });
      for (float p : partial) {
        bits.add(Float.floatToIntBits(p));
      }
      float[] c = new float[m * n];
      dev.neurona.core.gemm.Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
      for (float v : c) {
        bits.add(Float.floatToIntBits(v));
      }
      float[] out = new float[batch * g.outSize()];
      dev.neurona.core.conv.Convolution.forward(g, batch, image, kernel, null, out);
      for (float v : out) {
        bits.add(Float.floatToIntBits(v));
      }
      return bits;
    };
    List<Integer> alone = all.get();
    int callers = 6;
    List<Thread> started = new ArrayList<>();
    AtomicIntegerArray differing = new AtomicIntegerArray(callers);
    for (int t = 0; t < callers; t++) {
      int id = t;
      Thread caller = new Thread(() -> {
        for (int r = 0; r < 40; r++) {
          if (!all.get().equals(alone)) {
            differing.incrementAndGet(id);
          }
        }
      });
      started.add(caller);
      caller.start();
    }
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      for (Thread t : started) {
        t.join();
      }
    });
    for (int t = 0; t < callers; t++) {
      assertThat(differing.get(t)).as("runs of caller %d (of 40) that differ from a lone call", t).isZero();
    }
  }

  @Test
  void poolThreadsAreDaemonsNamedNeurona() {
    Parallel.setThreads(3);
    Set<Thread> seen = ConcurrentHashMap.newKeySet();
    // Parts that take a while, so that the workers (just started) surely take some of them.
    Parallel.forRange(10_000, 1, (from, to) -> {
      seen.add(Thread.currentThread());
      LockSupport.parkNanos(5_000_000L);
    });
    Parallel.forChunks(10_000, 1000, (c, from, to) -> {
      seen.add(Thread.currentThread());
      LockSupport.parkNanos(5_000_000L);
    });
    // The caller takes parts too; every other thread is one of the team's daemon workers.
    seen.remove(Thread.currentThread());
    assertThat(seen).isNotEmpty().hasSizeLessThanOrEqualTo(2).allSatisfy(t -> {
      assertThat(t.getName()).matches("neurona-\\d+-\\d+");
      assertThat(t.isDaemon()).as(t.getName() + " is a daemon").isTrue();
    });
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> Parallel.setThreads(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Parallel.setThreads: n must be >= 1, got 0");
    assertThatThrownBy(() -> Parallel.setThreads(-4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Parallel.setThreads: n must be >= 1, got -4");
    assertThat(Parallel.threads()).isEqualTo(savedThreads);
    assertThatThrownBy(() -> Parallel.forChunks(10, 0, (c, from, to) -> { })).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Parallel.forChunks: chunk must be >= 1, got 0");
  }
}
