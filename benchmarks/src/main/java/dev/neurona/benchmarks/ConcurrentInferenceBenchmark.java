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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One model shared by 1, 2 or 8 caller threads, each calling {@code predict} on its own batch, as a
 * server that loads one model and answers requests does ({@link Sequential#predict} is thread-safe:
 * each call works in its own workspace). The {@code images} counter is the images per second of all
 * callers together: with the library's team at {@code threads}, it should not drop as callers are
 * added (a lock that serialised the calls would divide it by the callers' count at batch 1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConcurrentInferenceBenchmark {
  @Param({"mnist-cnn"})
  public String net;

  @Param({"1", "128"})
  public int batch;

  @Param({"2"})
  public int threads;

  private Sequential model;
  private int threadsBefore;

  /** Each caller's own input batch. */
  @State(Scope.Thread)
  public static class Caller {
    Tensor x;

    @Setup(Level.Trial)
    public void setUp(ConcurrentInferenceBenchmark shared) {
      x = Nets.inputs(shared.model, shared.batch, new Random(Thread.currentThread().getId()));
    }
  }

  /** Images predicted, reported per second and summed over the callers. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Images {
    public long images;
  }

  @Setup(Level.Trial)
  public void setUp() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(threads);
    model = Nets.build(net, 1);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  private Tensor predict(Caller caller, Images counter) {
    Tensor y = model.predict(caller.x, batch);
    counter.images += batch; // after the call: a call still running when the iteration ends does not count
    return y;
  }

  /** One caller: the baseline. */
  @Benchmark
  @Threads(1)
  public Tensor callers1(Caller caller, Images counter) {
    return predict(caller, counter);
  }

  /** Two callers, one per core. */
  @Benchmark
  @Threads(2)
  public Tensor callers2(Caller caller, Images counter) {
    return predict(caller, counter);
  }

  /** Eight callers on two cores: more requests than processors. */
  @Benchmark
  @Threads(8)
  public Tensor callers8(Caller caller, Images counter) {
    return predict(caller, counter);
  }
}
