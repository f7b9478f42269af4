package dev.neurona.benchmarks;

import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.MicroKernel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM's micro-kernel alone, on one thread, against the data it sees in the driver: what the
 * tile can do, so that {@link GemmBenchmark}'s figures can be read as "kernel speed × the share the
 * driver keeps". One call runs every {@code mr}-row sliver of an A block of {@link #ROWS} rows against
 * two B slivers of {@code kc} steps (the second convolution's N = 64), the driver's loop order:
 * <ul>
 *   <li>{@code inL1}: one A sliver and one B sliver, both in L1 (the tile's ceiling);
 *   <li>{@code packedFromL2}: packed A slivers ({@link MicroKernel#tile}) streaming from L2 past the B slivers;
 *   <li>{@code rowMajorA}: A read in place from rows {@code lda} = 800 floats apart ({@link MicroKernel#tileRowMajorA},
 *       the path of an im2col convolution with a 5×5×32 patch).
 * </ul>
 * The {@code gflops} secondary result ({@link GemmBenchmark.Flops}) counts {@code 2·mr·nr·kc} per tile.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MicroKernelBenchmark {
  /** Rows of the A block: the driver's MC. */
  static final int ROWS = 192;
  /** Leading dimension of the in-place A: the im2col row of a 5×5×32 patch. */
  static final int LDA = 800;

  @State(Scope.Thread)
  public static class Data {
    @Param({"inL1", "packedFromL2", "rowMajorA"})
    public String mode;

    /** Steps per tile: 267 is a k-block of the second convolution (800 = 3 × 267), 384 the largest. */
    @Param({"267"})
    public int kc;

    MicroKernel kernel;
    float[] a, ap, bp, acc;
    int mr, nr;

    @Setup(Level.Trial)
    public void setUp() {
      kernel = Gemm.vectorKernel().orElseThrow(() -> new IllegalStateException(
          "MicroKernelBenchmark needs the Vector API kernel: run with --add-modules jdk.incubator.vector"));
      mr = kernel.mr();
      nr = kernel.nr();
      Random random = new Random(42);
      a = GemmBenchmark.fill(new float[ROWS * LDA], random);
      ap = GemmBenchmark.fill(new float[ROWS * kc], random);
      bp = GemmBenchmark.fill(new float[2 * kc * nr], random);
      acc = new float[mr * nr];
      path = mode.equals("inL1") ? 0 : mode.equals("packedFromL2") ? 1 : 2;
    }

    /** 0, 1, 2 for the three modes, so the timed loop does not compare strings. */
    int path;

    double gflop() {
      return 2.0 * mr * nr * kc * 2 * (ROWS / mr) / 1e9;
    }
  }

  @Benchmark
  public float[] tiles(Data d, GemmBenchmark.Flops f) {
    MicroKernel k = d.kernel;
    int mr = d.mr, kc = d.kc, sliver = kc * d.nr;
    for (int j = 0; j < 2; j++) { // B sliver outside, A slivers inside: the driver's order
      for (int s = 0; s + mr <= ROWS; s += mr) {
        if (d.path == 0) {
          k.tile(kc, d.ap, 0, d.bp, 0, d.acc);
        } else if (d.path == 1) {
          k.tile(kc, d.ap, s * kc, d.bp, j * sliver, d.acc);
        } else {
          k.tileRowMajorA(kc, d.a, s * LDA, LDA, d.bp, j * sliver, d.acc);
        }
      }
    }
    f.gflops += d.gflop();
    return d.acc;
  }
}
