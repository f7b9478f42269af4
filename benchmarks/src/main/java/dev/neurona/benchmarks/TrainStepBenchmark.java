package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of a tutorial network ({@link Nets}) — forward, loss, backward, Adam update — on
 * a seeded random batch, as {@code bench_tf.py throughput} times TensorFlow's {@code train_on_batch}.
 * The {@code images} counter is images per second (steps/s × batch); the primary score is steps per
 * second. Restrict the grid with {@code -p net=flowers -p batch=32}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class TrainStepBenchmark {
  @Param({"mnist-cnn", "mnist-keras", "captcha", "flowers"})
  public String net;

  @Param({"32", "128"})
  public int batch;

  @Param({"2"})
  public int threads;

  private Sequential model;
  private Tensor x;
  private Tensor y;
  private int threadsBefore;

  /** Images processed, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Images {
    public long images;
  }

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(threads);
    model = Nets.compiled(net, 1);
    Random rnd = new Random(3);
    x = Nets.inputs(model, batch, rnd);
    y = Nets.labels(model, batch, rnd);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  @Benchmark
  public float trainStep(Images counter) {
    float loss = model.trainOnBatch(x, y);
    counter.images += batch; // after the step: one still running when the iteration ends does not count
    return loss;
  }
}
