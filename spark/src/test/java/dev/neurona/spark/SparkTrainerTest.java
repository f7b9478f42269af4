package dev.neurona.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.data.Iris;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.BackupAndRestore;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.EarlyStopping;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.FitInfo;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ModelCheckpoint;
import dev.neurona.optim.Adam;
import dev.neurona.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkTrainerTest {
  private static SparkSession spark;
  private static JavaSparkContext sc;
  /** Iris, standardised, in a fixed shuffled order: 120 rows to train on, 30 to test. */
  private static DataSource train;
  private static DataSource test;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
    sc = LocalSpark.context(spark);
    Iris iris = Iris.load();
    double[][] f = iris.features();
    int[] species = iris.speciesIndex();
    int n = f.length;
    double[] mean = new double[4];
    double[] sd = new double[4];
    for (double[] row : f) {
      for (int j = 0; j < 4; j++) {
        mean[j] += row[j] / n;
      }
    }
    for (double[] row : f) {
      for (int j = 0; j < 4; j++) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    Random rng = new Random(3);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    float[] x = new float[n * 4];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((f[perm[i]][j] - mean[j]) / Math.sqrt(sd[j]));
      }
      y[i] = species[perm[i]];
    }
    train = DataSource.of(Tensor.of(java.util.Arrays.copyOf(x, 480), 120, 4), Tensor.of(java.util.Arrays.copyOf(y, 120), 120));
    test = DataSource.of(Tensor.of(java.util.Arrays.copyOfRange(x, 480, 600), 30, 4),
        Tensor.of(java.util.Arrays.copyOfRange(y, 120, 150), 30));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @AfterEach
  void noProbe() {
    Worker.probe = null;
  }

  /** A small dense net with Dropout (so the masks' call counters are exercised), compiled with Adam. */
  private static Sequential net(long seed) {
    Sequential m = new Sequential(seed).input(4)
        .add(new Dense(16, "relu"))
        .add(new Dropout(0.2))
        .add(new Dense(3, "softmax"));
    m.compile(new Adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
    return m;
  }

  private static void assertSameWeights(Sequential a, Sequential b) {
    List<Parameter> pa = a.parameters();
    List<Parameter> pb = b.parameters();
    assertThat(pb).hasSameSizeAs(pa);
    for (int i = 0; i < pa.size(); i++) {
      assertThat(pb.get(i).value().data()).as(pa.get(i).name()).containsExactly(pa.get(i).value().data());
    }
  }

  @Test
  void gradientAveragingOnOnePartitionIsFitBitForBit() {
    Fit options = Fit.defaults().epochs(4).batchSize(16).seed(7).validationData(test);
    Sequential local = net(1);
    History expected = local.fit(train, options);
    Sequential distributed = net(1);
    History got = SparkTrainer.gradientAveraging().fit(distributed, SampleSet.parallelize(sc, train, 1), options);

    assertSameWeights(local, distributed);
    assertThat(distributed.optimizer().iterations()).isEqualTo(local.optimizer().iterations()).isEqualTo(4 * 8);
    assertThat(distributed.optimizer().state().get("dense.kernel/m").data())
        .containsExactly(local.optimizer().state().get("dense.kernel/m").data());
    assertThat(got.get("loss")).containsExactlyElementsOf(expected.get("loss"));
    assertThat(got.get("val_loss")).containsExactlyElementsOf(expected.get("val_loss"));
    for (int e = 0; e < 4; e++) {
      assertThat(got.get("accuracy").get(e)).isCloseTo(expected.get("accuracy").get(e), org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void parameterAveragingOnOnePartitionIsFitBitForBit() {
    Fit options = Fit.defaults().epochs(3).batchSize(16).seed(11);
    Sequential local = net(2);
    local.fit(train, options);
    Sequential distributed = net(2);
    SparkTrainer.parameterAveraging(3).fit(distributed, SampleSet.parallelize(sc, train, 1), options);

    assertSameWeights(local, distributed);
    assertThat(distributed.optimizer().iterations()).isEqualTo(local.optimizer().iterations());
  }

  /**
   * Two workers reach the accuracy of one machine: fit reaches 0.9+ on the 30 held-out flowers in
   * 30 epochs, and so do both modes within 0.1 of it (3 flowers) — a larger batch per step (gradient
   * averaging) or drifting workers (parameter averaging) change the path, not where it leads.
   */
  @Test
  void twoWorkersReachTheAccuracyOfOneMachine() {
    Fit options = Fit.defaults().epochs(30).batchSize(8).seed(5);
    Sequential local = net(3);
    local.fit(train, options);
    double single = local.evaluate(test, 30).get("accuracy");
    assertThat(single).isGreaterThanOrEqualTo(0.9);

    SampleSet two = SampleSet.parallelize(sc, train, 2);
    Sequential grad = net(3);
    SparkTrainer.gradientAveraging().fit(grad, two, options);
    Sequential params = net(3);
    SparkTrainer.parameterAveraging(4).fit(params, two, options);
    two.unpersist();

    assertThat(grad.evaluate(test, 30).get("accuracy")).isCloseTo(single, org.assertj.core.data.Offset.offset(0.1));
    assertThat(params.evaluate(test, 30).get("accuracy")).isCloseTo(single, org.assertj.core.data.Offset.offset(0.1));
  }

  @Test
  void sameSeedAndPartitioningGiveTheSameBits() {
    Fit options = Fit.defaults().epochs(2).batchSize(8).seed(9);
    SampleSet three = SampleSet.parallelize(sc, train, 3);
    Sequential a = net(4);
    SparkTrainer.gradientAveraging().fit(a, three, options);
    Sequential b = net(4);
    SparkTrainer.gradientAveraging().fit(b, three, options);
    three.unpersist();
    assertSameWeights(a, b);
  }

  /**
   * Partition 1's task fails on its first attempt in round 5; Spark runs it again ({@code local[2,2]}
   * allows one retry), and the weights end exactly as in a run without the failure.
   */
  @Test
  void aRetriedTaskDoesNotCorruptTheWeights() {
    Fit options = Fit.defaults().epochs(2).batchSize(8).seed(13);
    SampleSet two = SampleSet.parallelize(sc, train, 2);
    for (SparkTrainer trainer : List.of(SparkTrainer.gradientAveraging(), SparkTrainer.parameterAveraging(2))) {
      Sequential clean = net(5);
      trainer.fit(clean, two, options);

      AtomicInteger failures = new AtomicInteger();
      AtomicInteger retries = new AtomicInteger();
      Worker.probe = (round, partition, attempt) -> {
        if (round == 5 && partition == 1) {
          if (attempt == 0) {
            failures.incrementAndGet();
            throw new IllegalStateException("injected failure of partition 1 in round 5");
          }
          retries.incrementAndGet();
        }
      };
      Sequential retried = net(5);
      trainer.fit(retried, two, options);
      Worker.probe = null;

      assertThat(failures).as(trainer.toString()).hasValue(1);
      assertThat(retries).as(trainer.toString()).hasValue(1);
      assertSameWeights(clean, retried);
    }
    two.unpersist();
  }

  @Test
  void callbacksRunOnTheDriverAsInFit(@TempDir Path dir) throws Exception {
    List<String> calls = new ArrayList<>();
    Callback recorder = new Callback() {
      @Override
      public void onTrainBegin(Sequential model, FitInfo info) {
        calls.add("begin " + info.epochs() + "x" + info.stepsPerEpoch());
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        calls.add("epoch " + epoch + " " + logs.keySet());
      }

      @Override
      public void onTrainEnd(History history) {
        calls.add("end " + history.epochs());
      }
    };
    Path best = dir.resolve("best.zip");
    Sequential m = net(6);
    // SGD with a learning rate of 1e-12 leaves the weights (and so val_loss) as they are val_loss: EarlyStopping(patience 1) stops after epoch 2.
    m.compile(new SGD(1e-12f), "sparse_categorical_crossentropy", "accuracy");
    History h = SparkTrainer.parameterAveraging(2).fit(m, SampleSet.parallelize(sc, train, 2),
        Fit.defaults().epochs(10).batchSize(20).validationData(test).callbacks(recorder,
            new EarlyStopping(1), new ModelCheckpoint(best)));

    assertThat(h.epochs()).isEqualTo(2);
    assertThat(calls).containsExactly("begin 10x2", "epoch 0 [loss, accuracy, val_loss, val_accuracy]",
        "epoch 1 [loss, accuracy, val_loss, val_accuracy]", "end 2");
    assertThat(Files.size(best)).isPositive();
    assertThat(Sequential.load(best).countParams()).isEqualTo(m.countParams());
  }

  @Test
  void roundsReportTheirCommunication() {
    List<RoundInfo> rounds = new ArrayList<>();
    Sequential m = net(7);
    SparkTrainer.parameterAveraging(5).listener(rounds::add)
        .fit(m, SampleSet.parallelize(sc, train, 2), Fit.defaults().epochs(1).batchSize(6));
    // 60 samples per worker in batches of 6: 10 steps, 2 rounds of 5.
    assertThat(rounds).hasSize(2);
    long params = m.countParams(); // 4·16 + 16 + 16·3 + 3 = 131
    assertThat(params).isEqualTo(131);
    RoundInfo r = rounds.get(1);
    assertThat(r.steps()).isEqualTo(5);
    assertThat(r.samples()).isEqualTo(60);
    assertThat(r.partitions()).isEqualTo(2);
    // Weights plus Adam's two moments, each way.
    assertThat(r.broadcastBytes()).isEqualTo(3 * params * 4);
    assertThat(r.resultBytes()).isEqualTo(3 * params * 4);
    assertThat(r.totalBytes()).isEqualTo(2 * 2 * 3 * params * 4);
  }

  @Test
  void badArgumentsAreNamed() {
    SampleSet one = SampleSet.parallelize(sc, train, 1);
    Sequential uncompiled = new Sequential().input(4).add(new Dense(3, "softmax"));
    assertThatThrownBy(() -> SparkTrainer.gradientAveraging().fit(uncompiled, one, Fit.defaults()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not compiled");
    Sequential wide = new Sequential().input(5).add(new Dense(3, "softmax"));
    wide.compile(new Adam(), "sparse_categorical_crossentropy");
    assertThatThrownBy(() -> SparkTrainer.gradientAveraging().fit(wide, one, Fit.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(4,)").hasMessageContaining("(5,)");
    assertThatThrownBy(() -> SparkTrainer.gradientAveraging().fit(net(1), one, Fit.defaults().validationSplit(0.2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit (0.2)");
    assertThatThrownBy(() -> SparkTrainer.gradientAveraging().fit(net(1), one,
        Fit.defaults().callbacks(new BackupAndRestore(Path.of("unused")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BackupAndRestore");
    assertThatThrownBy(() -> SparkTrainer.parameterAveraging(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> SampleSet.parallelize(sc, train, 121))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..120").hasMessageContaining("121");
    one.unpersist();
  }

  @Test
  void aDataFrameOfFeatureArraysAndLabelsTrainsAsTheSameSamples() {
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    Tensor x = Tensor.zeros(120, 4);
    Tensor y = Tensor.zeros(120);
    int[] all = new int[120];
    for (int i = 0; i < 120; i++) {
      all[i] = i;
    }
    train.fill(all, 0, 120, x, y);
    for (int i = 0; i < 120; i++) {
      List<Double> f = new ArrayList<>();
      for (int j = 0; j < 4; j++) {
        f.add((double) x.data()[i * 4 + j]);
      }
      rows.add(org.apache.spark.sql.RowFactory.create(f, (int) y.data()[i]));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("features", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType))
        .add("label", org.apache.spark.sql.types.DataTypes.IntegerType);
    SampleSet frame = SampleSet.fromDataFrame(spark.createDataFrame(rows, schema).coalesce(1), "features", "label",
        Shape.of(4));
    assertThat(frame.partitionSizes()).containsExactly(120L);

    Fit options = Fit.defaults().epochs(2).batchSize(16).seed(3);
    Sequential fromFrame = net(8);
    SparkTrainer.gradientAveraging().fit(fromFrame, frame, options);
    Sequential fromSource = net(8);
    SparkTrainer.gradientAveraging().fit(fromSource, SampleSet.parallelize(sc, train, 1), options);
    frame.unpersist();
    assertSameWeights(fromSource, fromFrame);

    assertThatThrownBy(() -> SampleSet.fromDataFrame(spark.createDataFrame(rows, schema), "pixels", "label", Shape.of(4)))
        .hasMessageContaining("no column 'pixels'").hasMessageContaining("[features, label]");
  }

  @Test
  void samplesFromAnRddAreCheckedAgainstTheirShapes() {
    SampleSet bad = SampleSet.of(sc.parallelize(List.of(new Sample(new float[4], new float[] {1}),
        new Sample(new float[3], new float[] {0})), 1), Shape.of(4), Shape.of());
    assertThatThrownBy(bad::partitionSizes).hasStackTraceContaining("sample 1 of partition 0 has 3 feature");
    bad.unpersist();
  }
}
