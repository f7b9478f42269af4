package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
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
 * {@code predict} of the tutorial networks on a batch of 128 images ({@code predict}), and on
 * {@value #MANY} images in batches of 128 in one call ({@code predictBatches}: the large Dense kernels
 * are packed once per call instead of once per batch); the score is images per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(InferenceBenchmark.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class InferenceBenchmark {
  static final int BATCH = 128;
  static final int MANY = 4 * BATCH;

  @Param({"mnist-cnn", "mnist-keras", "captcha", "flowers"})
  public String net;

  @Param({"2"})
  public int threads;

  private Sequential model;
  private Tensor x;
  private Tensor many;
  private int threadsBefore;

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(threads);
    model = Nets.build(net, 1);
    x = Nets.inputs(model, BATCH, new Random(3));
    many = Nets.inputs(model, MANY, new Random(4));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  @Benchmark
  public Tensor predict() {
    return model.predict(x, BATCH);
  }

  @Benchmark
  @OperationsPerInvocation(MANY)
  public Tensor predictBatches() {
    return model.predict(many, BATCH);
  }
}
