package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.MicroKernel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Square single-precision GEMM {@code C = A·B} ({@code size³}): Neurona's active (Vector API)
 * kernel, its scalar kernel and EJML's {@code CommonOps_FDRM.mult} (single-threaded) in one run.
 * The {@code gflops} secondary result is GFLOP/s ({@code 2·size³} flops per call); the primary
 * score is calls per second. {@code threads} sets {@link Parallel#setThreads}.
 *
 * <p>The {@code cnn*} methods time the product shapes a small CNN's training step uses.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

  /** Square operands, seeded. */
  @State(Scope.Benchmark)
  public static class Square {
    @Param({"128", "256", "512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    float[] a, b, c;
    FMatrixRMaj ea, eb, ec;
    MicroKernel scalar;

    @Setup(Level.Trial)
    public void setUp() {
      Parallel.setThreads(threads);
      Random random = new Random(42);
      a = fill(new float[size * size], random);
      b = fill(new float[size * size], random);
      c = new float[size * size];
      ea = new FMatrixRMaj(size, size, true, a);
      eb = new FMatrixRMaj(size, size, true, b);
      ec = new FMatrixRMaj(size, size);
      scalar = Gemm.scalarKernel();
    }

    double gflop() {
      return 2.0 * size * size * size / 1e9;
    }
  }

  /** The shapes of a CNN training step (im2col convolutions and their backward products). */
  @State(Scope.Benchmark)
  public static class CnnShape {
    /** {@code m x n x k transA transB}. */
    @Param({"25088x64x800 NN", "100352x32x25 NN", "128x1024x3136 NN", "3136x1024x128 TN", "128x3136x1024 NT"})
    public String shape;

    @Param({"2"})
    public int threads;

    int m, n, k;
    boolean transA, transB;
    float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
      Parallel.setThreads(threads);
      String[] parts = shape.split(" ");
      String[] dims = parts[0].split("x");
      m = Integer.parseInt(dims[0]);
      n = Integer.parseInt(dims[1]);
      k = Integer.parseInt(dims[2]);
      transA = parts[1].charAt(0) == 'T';
      transB = parts[1].charAt(1) == 'T';
      Random random = new Random(42);
      a = fill(new float[m * k], random);
      b = fill(new float[k * n], random);
      c = new float[m * n];
    }

    double gflop() {
      return 2.0 * m * n * k / 1e9;
    }
  }

  /** Secondary result: GFLOP/s, accumulated per call and reported as a rate. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    public double gflops;

    @Setup(Level.Iteration)
    public void reset() {
      gflops = 0;
    }
  }

  /** Uniform values in [-1, 1). */
  static float[] fill(float[] x, Random random) {
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    return x;
  }

  @Benchmark
  public float[] neurona(Square s, Flops f) {
    Gemm.sgemm(false, false, s.size, s.size, s.size, 1f, s.a, 0, s.size, s.b, 0, s.size, 0f, s.c, 0, s.size);
    f.gflops += s.gflop();
    return s.c;
  }

  @Benchmark
  public float[] neuronaScalar(Square s, Flops f) {
    Gemm.sgemm(s.scalar, false, false, s.size, s.size, s.size, 1f, s.a, 0, s.size, s.b, 0, s.size, 0f, s.c, 0, s.size);
    f.gflops += s.gflop();
    return s.c;
  }

  @Benchmark
  public FMatrixRMaj ejml(Square s, Flops f) {
    CommonOps_FDRM.mult(s.ea, s.eb, s.ec);
    f.gflops += s.gflop();
    return s.ec;
  }

  @Benchmark
  public float[] cnn(CnnShape s, Flops f) {
    int lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n;
    Gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, 1f, s.a, 0, lda, s.b, 0, ldb, 0f, s.c, 0, s.n);
    f.gflops += s.gflop();
    return s.c;
  }
}
