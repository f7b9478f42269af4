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

/** {@code predict} of the MNIST tutorial networks on a batch of 128 images; the score is images per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(InferenceBenchmark.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class InferenceBenchmark {
  static final int BATCH = 128;

  @Param({"mnist-cnn", "mnist-keras", "captcha", "flowers"})
  public String net;

  @Param({"2"})
  public int threads;

  private Sequential model;
  private Tensor x;
  private int threadsBefore;

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(threads);
    model = Nets.build(net, 1);
    x = Nets.inputs(model, BATCH, new Random(3));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  @Benchmark
  public Tensor predict() {
    return model.predict(x, BATCH);
  }
}
