package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.Convolution;
import dev.neurona.core.conv.Padding;
import dev.neurona.core.conv.Winograd;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A convolution with ReLU followed by 2×2 max pooling, as {@code predict} runs it
 * ({@link Convolution#forwardMaxPool}), on the tutorial networks' layers that take the {@link Winograd}
 * path: {@code winograd} against {@code direct} (the same call with the path turned off: the window
 * GEMM or im2col and GEMM, then the pooling, fused). Scores are images per second ({@code ops/s} ×
 * the batch, {@code -p batch}); the FLOPs of the direct sums per image are
 * {@code 2·outH·outW·r²·inC·outC}: mnist2 20.1 M, captcha2 5.0 M, flowers2 74.6 M, flowers3 74.6 M.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class WinogradBenchmark {
  /**
   * mnist2: 14×14×32 → 64, 5×5 "same"; captcha2: 10×10×20 → 50, 5×5 "same"; flowers2: 90×90×16 → 32,
   * 3×3 "same"; flowers3: 45×45×32 → 64, 3×3 "same".
   */
  @Param({"mnist2", "captcha2", "flowers2", "flowers3"})
  public String layer;

  @Param({"128"})
  public int batch;

  @Param({"2"})
  public int threads;

  private ConvGeometry g, pool;
  private float[] input, kernel, bias, output;
  private int threadsBefore;
  private boolean winogradBefore;

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    winogradBefore = Winograd.enabled();
    Parallel.setThreads(threads);
    g = switch (layer) {
      case "mnist2" -> ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64);
      case "captcha2" -> ConvGeometry.of(10, 10, 20, 5, 5, 1, 1, Padding.SAME, 50);
      case "flowers2" -> ConvGeometry.of(90, 90, 16, 3, 3, 1, 1, Padding.SAME, 32);
      case "flowers3" -> ConvGeometry.of(45, 45, 32, 3, 3, 1, 1, Padding.SAME, 64);
      default -> throw new IllegalArgumentException("layer: mnist2, captcha2, flowers2 or flowers3; got " + layer);
    };
    pool = ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC);
    Random rnd = new Random(7);
    input = GemmBenchmark.fill(new float[batch * g.inSize()], rnd);
    kernel = GemmBenchmark.fill(new float[g.patchSize() * g.outC], rnd);
    bias = GemmBenchmark.fill(new float[g.outC], rnd);
    output = new float[batch * pool.outSize()];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
    Winograd.setEnabled(winogradBefore);
  }

  @Benchmark
  public float[] winograd() {
    Winograd.setEnabled(true);
    Convolution.forwardMaxPool(g, batch, input, kernel, bias, true, pool, output);
    return output;
  }

  @Benchmark
  public float[] direct() {
    Winograd.setEnabled(false);
    Convolution.forwardMaxPool(g, batch, input, kernel, bias, true, pool, output);
    return output;
  }
}
