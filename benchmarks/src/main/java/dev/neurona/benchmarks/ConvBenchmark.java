package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.conv.Convolution;
import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.DirectConv2d;
import dev.neurona.core.conv.Padding;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Convolution} on the MNIST network's two convolutions at batch 128 (conv1 direct; conv2's
 * forward and input gradient by the window GEMM, its kernel gradient by im2col + GEMM), with the
 * direct loops of {@link DirectConv2d} as the baseline. Scores are images per second
 * ({@code ops/s}, one op = one image); GFLOP/s = images/s × {@code 2·outH·outW·kH·kW·inC·outC} / 1e9
 * (conv1: 1.25 MFLOP per image, conv2: 20.1 MFLOP per image, the same for every method).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ConvBenchmark.BATCH)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
  static final int BATCH = 128;

  /** conv1: 1→32, 5×5 "same" on 28×28; conv2: 32→64, 5×5 "same" on 14×14. */
  @Param({"conv1", "conv2"})
  public String layer;

  @Param({"1", "2"})
  public int threads;

  private ConvGeometry g;
  private float[] input, kernel, bias, output, dOut, dInput, dKernel;
  private int threadsBefore;

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(threads);
    g = layer.equals("conv1")
        ? ConvGeometry.of(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 32)
        : ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64);
    Random rnd = new Random(7);
    input = GemmBenchmark.fill(new float[BATCH * g.inSize()], rnd);
    kernel = GemmBenchmark.fill(new float[g.patchSize() * g.outC], rnd);
    bias = GemmBenchmark.fill(new float[g.outC], rnd);
    dOut = GemmBenchmark.fill(new float[BATCH * g.outSize()], rnd);
    output = new float[BATCH * g.outSize()];
    dInput = new float[BATCH * g.inSize()];
    dKernel = new float[g.patchSize() * g.outC];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  @Benchmark
  public float[] forward() {
    Convolution.forward(g, BATCH, input, kernel, bias, output);
    return output;
  }

  @Benchmark
  public float[] backwardInput() {
    Convolution.backwardInput(g, BATCH, dOut, kernel, dInput);
    return dInput;
  }

  @Benchmark
  public float[] backwardKernel() {
    Convolution.backwardKernel(g, BATCH, input, dOut, dKernel);
    return dKernel;
  }

  /** Baseline: the reference loops (single-threaded whatever {@code threads} says). */
  @Benchmark
  public float[] forwardDirect() {
    DirectConv2d.forward(g, BATCH, input, kernel, bias, output);
    return output;
  }
}
