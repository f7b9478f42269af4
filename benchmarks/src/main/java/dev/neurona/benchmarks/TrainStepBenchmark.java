package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.examples.mnist.MnistModels;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.LearningRateSchedule;
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
 * One training step of the MNIST tutorial networks — forward, loss, backward, Adam update — on a
 * seeded random batch of 28×28×1 images. The {@code images} counter is images per second
 * (steps/s × batch); the primary score is steps per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainStepBenchmark {
  @Param({"mnist-cnn", "mnist-keras"})
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
    model = MnistModels.compile(MnistModels.byName(net, 1), LearningRateSchedule.constant(1e-4));
    Random rnd = new Random(3);
    x = Tensor.zeros(batch, 28, 28, 1).fillUniform(0f, 1f, rnd);
    y = Tensor.zeros(batch);
    for (int i = 0; i < batch; i++) {
      y.data()[i] = rnd.nextInt(10);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallel.setThreads(threadsBefore);
  }

  @Benchmark
  public float trainStep(Images counter) {
    counter.images += batch;
    return model.trainOnBatch(x, y);
  }
}
