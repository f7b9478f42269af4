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
 * {@link Convolution} on the tutorial networks' convolutions at batch 128 (MNIST's conv1 direct; conv2's
 * forward and input gradient by the window GEMM, its kernel gradient by im2col + GEMM), with the
 * direct loops of {@link DirectConv2d} as the baseline. The layer names are those of
 * {@code bench_tf.py layers} (TensorFlow's figures for the same three products). Scores are images per
 * second ({@code ops/s}, one op = one image); GFLOP/s = images/s × {@code 2·outH·outW·kH·kW·inC·outC} / 1e9
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

  /**
   * MNIST's conv1: 1→32, 5×5 "same" on 28×28; conv2: 32→64, 5×5 "same" on 14×14; captcha's 1→20 on 20×20 and
   * 20→50 on 10×10 (5×5); flowers' 3→16 on 180×180, 16→32 on 90×90, 32→64 on 45×45 (3×3), all "same".
   */
  @Param({"conv1", "conv2", "captcha-conv1", "captcha-conv2", "flowers-conv1", "flowers-conv2", "flowers-conv3"})
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
    g = geometry(layer);
    Random rnd = new Random(7);
    input = GemmBenchmark.fill(new float[BATCH * g.inSize()], rnd);
    kernel = GemmBenchmark.fill(new float[g.patchSize() * g.outC], rnd);
    bias = GemmBenchmark.fill(new float[g.outC], rnd);
    dOut = GemmBenchmark.fill(new float[BATCH * g.outSize()], rnd);
    output = new float[BATCH * g.outSize()];
    dInput = new float[BATCH * g.inSize()];
    dKernel = new float[g.patchSize() * g.outC];
  }

  static ConvGeometry geometry(String layer) {
    switch (layer) {
      case "conv1": return ConvGeometry.of(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 32);
      case "conv2": return ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64);
      case "captcha-conv1": return ConvGeometry.of(20, 20, 1, 5, 5, 1, 1, Padding.SAME, 20);
      case "captcha-conv2": return ConvGeometry.of(10, 10, 20, 5, 5, 1, 1, Padding.SAME, 50);
      case "flowers-conv1": return ConvGeometry.of(180, 180, 3, 3, 3, 1, 1, Padding.SAME, 16);
      case "flowers-conv2": return ConvGeometry.of(90, 90, 16, 3, 3, 1, 1, Padding.SAME, 32);
      case "flowers-conv3": return ConvGeometry.of(45, 45, 32, 3, 3, 1, 1, Padding.SAME, 64);
      default: throw new IllegalArgumentException("unknown layer '" + layer + "'");
    }
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
