package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parallel;
import dev.neurona.core.Simd;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.Fit;
import dev.neurona.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One model, many threads: predictions and evaluations from several threads at once return the
 * bits they return alone; training beside them shows each prediction the weights of one step; a
 * second training call on another thread fails fast. layers/pom.xml runs this class twice: with
 * the Vector API kernels and, in the {@code scalar-path} execution, without the module.
 */
class ConcurrentInferenceTest {
  private static final int THREADS = 8;
  private static final int CALLS = 200;
  private static final int[] BATCH_SIZES = {1, 2, 3, 5, 8, 13, 16, 32, 64};

  private int threadsBefore;

  @BeforeEach
  void twoKernelThreads() {
    threadsBefore = Parallel.threads();
    Parallel.setThreads(2);
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(threadsBefore);
  }

  /** Convolution, pooling, dense and dropout: every kind of kernel, several of them parallel at batch 32. */
  static Sequential net(long seed) {
    return new Sequential(seed)
        .input(16, 16, 1)
        .add(new Rescaling(1 / 255.0))
        .add(new Conv2D(8, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(16, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(64, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"))
        .compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
  }

  static Tensor images(int n, long seed) {
    return Tensor.zeros(n, 16, 16, 1).fillUniform(0f, 255f, new Random(seed));
  }

  static Tensor labels(int n, long seed) {
    Random r = new Random(seed);
    Tensor y = Tensor.zeros(n);
    for (int i = 0; i < n; i++) {
      y.data()[i] = r.nextInt(10);
    }
    return y;
  }

  /** Samples {@code [from, from + n)} of {@code x} as a tensor of their own. */
  static Tensor slice(Tensor x, int from, int n) {
    int per = x.size() / x.dim(0);
    int[] dims = x.shape().toArray();
    dims[0] = n;
    Tensor s = Tensor.zeros(dims);
    System.arraycopy(x.data(), from * per, s.data(), 0, n * per);
    return s;
  }

  /** Call {@code c}: which samples, in which batch size. */
  private record Call(int from, int n, int batchSize) {
    static Call of(int c) {
      int n = 1 + (c * 37) % 70;
      return new Call((c * 11) % (100 - n), n, BATCH_SIZES[c % BATCH_SIZES.length]);
    }
  }

  @Test
  void predictFromEightThreadsReturnsTheBitsOfSequentialCalls() throws Exception {
    Sequential model = net(5);
    model.fit(images(96, 1), labels(96, 2), Fit.defaults().epochs(1).batchSize(32));
    Tensor x = images(100, 3);
    int distinct = 97; // calls repeat with period lcm(97, ...): enough variety, few references to compute
    List<Tensor> expected = new ArrayList<>();
    for (int c = 0; c < distinct; c++) {
      Call call = Call.of(c);
      expected.add(model.predict(slice(x, call.from, call.n), call.batchSize));
    }
    float[][] expectedOne = new float[10][];
    for (int s = 0; s < 10; s++) {
      expectedOne[s] = model.predict(slice(x, s, 1), 1).data();
    }

    List<Callable<int[]>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      tasks.add(() -> {
        int wrong = 0;
        int singles = 0;
        for (int i = 0; i < CALLS; i++) {
          int c = (thread * CALLS + i) % distinct;
          if (i % 10 == 9) { // the single-sample path, on the caller's own array
            int s = (thread + i) % 10;
            float[] sample = Arrays.copyOfRange(x.data(), s * 256, (s + 1) * 256);
            wrong += Arrays.equals(model.predict(sample), expectedOne[s]) ? 0 : 1;
            singles++;
            continue;
          }
          Call call = Call.of(c);
          Tensor got = model.predict(slice(x, call.from, call.n), call.batchSize);
          wrong += Arrays.equals(got.data(), expected.get(c).data()) ? 0 : 1;
        }
        return new int[] {wrong, singles};
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      int wrong = 0;
      int singles = 0;
      for (Future<int[]> f : pool.invokeAll(tasks)) {
        int[] r = f.get(); // rethrows any exception of a call
        wrong += r[0];
        singles += r[1];
      }
      assertThat(wrong).as("predictions (of %d) that differ from the sequential ones on the %s path",
          THREADS * CALLS, Simd.enabled() ? "SIMD" : "scalar").isZero();
      assertThat(singles).isEqualTo(THREADS * CALLS / 10);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theTestRunsOnTheKernelPathItsExecutionNames() {
    String path = System.getProperty("neurona.test.path", "default");
    assertThat(Simd.enabled()).as(Simd.describe()).isEqualTo(!path.equals("scalar-path"));
  }

  @Test
  void evaluateAndPredictClassesFromSeveralThreadsMatchSequentialCalls() throws Exception {
    Sequential model = net(6);
    Tensor x = images(90, 4);
    Tensor y = labels(90, 5);
    model.fit(x, y, Fit.defaults().epochs(2).batchSize(16));
    int[] batchSizes = {7, 16, 32, 90};
    List<Map<String, Double>> expected = new ArrayList<>();
    for (int b : batchSizes) {
      expected.add(model.evaluate(x, y, b));
    }
    int[] classes = model.predictClasses(x);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      int thread = t;
      tasks.add(() -> {
        boolean same = true;
        for (int i = 0; i < 10; i++) {
          int k = (thread + i) % batchSizes.length;
          same &= model.evaluate(x, y, batchSizes[k]).equals(expected.get(k));
          same &= Arrays.equals(model.predictClasses(x), classes);
        }
        return same;
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected.get(0)).containsOnlyKeys("loss", "accuracy");
  }

  @Test
  void predictionsDuringTrainingSeeTheWeightsOfOneStep() throws Exception {
    Sequential model = net(7);
    Tensor x = images(96, 6);
    Tensor y = labels(96, 7);
    Tensor probe = images(24, 8);
    List<List<Tensor>> snapshots = new CopyOnWriteArrayList<>();
    snapshots.add(model.getWeights());
    List<Tensor> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean training = new AtomicBoolean(true);
    CountDownLatch predicting = new CountDownLatch(3);
    List<Thread> predictors = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread p = new Thread(() -> {
        predicting.countDown();
        while (training.get()) {
          seen.add(model.predict(probe, 8));
        }
      });
      predictors.add(p);
      p.start();
    }
    predicting.await(10, TimeUnit.SECONDS);
    // After each step, before the next: the weights every prediction made meanwhile saw.
    model.fit(x, y, Fit.defaults().epochs(2).batchSize(16).callbacks(new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        snapshots.add(model.getWeights());
      }
    }));
    training.set(false);
    for (Thread p : predictors) {
      p.join(60_000);
    }
    assertThat(snapshots).hasSize(1 + 2 * 6);
    assertThat(seen).isNotEmpty();
    List<float[]> allowed = new ArrayList<>();
    for (List<Tensor> w : snapshots) {
      model.setWeights(w);
      allowed.add(model.predict(probe, 8).data());
    }
    int matched = 0;
    for (Tensor s : seen) {
      for (float[] a : allowed) {
        if (Arrays.equals(s.data(), a)) {
          matched++;
          break;
        }
      }
    }
    assertThat(matched).as("predictions (of %d) made during training that equal the prediction of one step's weights",
        seen.size()).isEqualTo(seen.size());
  }

  @Test
  void aSecondTrainingCallOnAnotherThreadFailsFastNamingTheTrainingThread() throws Exception {
    Sequential model = net(8);
    Tensor x = images(32, 9);
    Tensor y = labels(32, 10);
    CountDownLatch inFit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread trainer = new Thread(() -> model.fit(x, y, Fit.defaults().epochs(1).batchSize(16).callbacks(new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        inFit.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    })), "the-trainer");
    trainer.start();
    try {
      assertThat(inFit.await(30, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> model.trainOnBatch(x, y)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already training on thread 'the-trainer'");
      assertThatThrownBy(() -> model.fit(x, y, Fit.defaults())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'the-trainer'");
      assertThat(model.predict(x).dim(0)).isEqualTo(32); // predictions go on meanwhile
    } finally {
      release.countDown();
      trainer.join(60_000);
    }
    model.trainOnBatch(x, y); // and training is free again once fit returned
  }

  @Test
  void trainingInsideThePredictionReadLockFailsFastInsteadOfWaitingForItself() {
    Sequential model = net(9);
    Tensor x = images(8, 11);
    Tensor y = labels(8, 12);
    model.weightsLock().readLock().lock();
    try {
      assertThatThrownBy(() -> model.trainOnBatch(x, y)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds the read lock");
      assertThatThrownBy(() -> model.setWeights(model.getWeights())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds the read lock");
    } finally {
      model.weightsLock().readLock().unlock();
    }
  }
}
