package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.PackedB;
import dev.neurona.layers.model.Sequential;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * What packing a Dense kernel once per inference call is worth, each side alternated with the other
 * in one JVM (1 s rounds, 12 of them, medians of the last 10), so that a machine whose speed drifts
 * affects both alike:
 *
 * <pre>
 *   PackOnce predict NET BATCH [threads]   predict of BATCH images (one batch: the kernel packed inside
 *                                          the product) against 4·BATCH images in batches of BATCH
 *                                          (packed once per call), images/s
 *   PackOnce gemm M N K [threads]          C = A·B against C = A·packed(B), ms per product, then the same
 *                                          with a 64 MB sweep before each product (B no longer in cache)
 * </pre>
 *
 * NET is one of {@link Nets}' networks ({@code mnist-cnn}, {@code mnist-keras}, {@code captcha}, {@code flowers});
 * threads defaults to 2.
 */
public final class PackOnce {
  private static final int ROUNDS = 12;
  private static final int WARM_ROUNDS = 2;

  private PackOnce() {}

  public static void main(String[] args) {
    if (args.length < 3 || !(args[0].equals("predict") || args[0].equals("gemm"))) {
      System.err.println("usage: PackOnce predict NET BATCH [threads] | PackOnce gemm M N K [threads]");
      System.exit(2);
    }
    boolean predict = args[0].equals("predict");
    int threadsArg = predict ? 3 : 4;
    Parallel.setThreads(args.length > threadsArg ? Integer.parseInt(args[threadsArg]) : 2);
    if (predict) {
      predict(args[1], Integer.parseInt(args[2]));
    } else {
      gemm(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }
  }

  private static void predict(String net, int batch) {
    Sequential model = Nets.build(net, 1);
    Tensor one = Nets.inputs(model, batch, new Random(3));
    Tensor many = Nets.inputs(model, 4 * batch, new Random(4));
    double[][] rate = new double[2][ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      for (int side = 0; side < 2; side++) {
        Tensor x = side == 0 ? one : many;
        long images = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 1_000_000_000L) {
          model.predict(x, batch);
          images += x.dim(0);
        }
        rate[side][round] = images / ((System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.printf(Locale.ROOT, "%s, %d threads: predict of %d images %.0f images/s, of %d in batches of %d %.0f images/s"
        + " (medians of %d rounds, alternated)%n", net, Parallel.threads(), batch, median(rate[0]), 4 * batch, batch,
        median(rate[1]), ROUNDS - WARM_ROUNDS);
  }

  private static void gemm(int m, int n, int k) {
    Random random = new Random(1);
    float[] a = GemmBenchmark.fill(new float[m * k], random);
    float[] b = GemmBenchmark.fill(new float[k * n], random);
    float[] c = new float[m * n];
    float[] sweep = new float[16 << 20];
    PackedB packed = Gemm.packB(false, k, n, b, 0, n);
    for (boolean sweeping : new boolean[] {false, true}) {
      double[][] ms = new double[2][ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        for (int side = 0; side < 2; side++) {
          long spent = 0;
          int calls = 0;
          long end = System.nanoTime() + 1_000_000_000L;
          while (System.nanoTime() < end) {
            if (sweeping) {
              for (int i = 0; i < sweep.length; i += 16) {
                sweep[i] += 1f;
              }
            }
            long t0 = System.nanoTime();
            if (side == 0) {
              Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            } else {
              Gemm.sgemm(false, m, 1f, a, 0, k, packed, 0f, c, 0, n);
            }
            spent += System.nanoTime() - t0;
            calls++;
          }
          ms[side][round] = spent / 1e6 / calls;
        }
      }
      System.out.printf(Locale.ROOT, "%dx%dx%d, %d threads%s: B as given %.2f ms, packed once %.2f ms"
          + " (medians of %d rounds, alternated)%n", m, n, k, Parallel.threads(), sweeping ? ", 64 MB swept before each"
          : "", median(ms[0]), median(ms[1]), ROUNDS - WARM_ROUNDS);
    }
  }

  /** The median of the rounds after the warm-up ones. */
  private static double median(double[] rounds) {
    double[] r = Arrays.copyOfRange(rounds, WARM_ROUNDS, rounds.length);
    Arrays.sort(r);
    return (r[(r.length - 1) / 2] + r[r.length / 2]) / 2;
  }
}
