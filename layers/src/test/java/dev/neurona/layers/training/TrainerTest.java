package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Parallel;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.model.Fixtures;
import dev.neurona.layers.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Wraps a source and records which samples each batch asked for, and which tensors it filled. */
  static final class RecordingSource implements DataSource {
    final DataSource inner;
    final List<int[]> batches = new ArrayList<>();
    final Set<Tensor> xTensors = Collections.newSetFromMap(new IdentityHashMap<>());

    RecordingSource(Tensor x, Tensor y) {
      this.inner = DataSource.of(x, y);
    }

    @Override
    public int size() {
      return inner.size();
    }

    @Override
    public Shape sampleShape() {
      return inner.sampleShape();
    }

    @Override
    public Shape targetShape() {
      return inner.targetShape();
    }

    @Override
    public void fill(int[] indices, int from, int to, Tensor x, Tensor y) {
      batches.add(java.util.Arrays.copyOfRange(indices, from, to));
      xTensors.add(x);
      inner.fill(indices, from, to, x, y);
    }
  }

  @Test
  void learnsXorToFullAccuracyThroughTheFusedSoftmaxPath() {
    Sequential m = Fixtures.smallNet(42, 0.5f);
    Fixtures.CrossEntropy ce = (Fixtures.CrossEntropy) m.loss();
    History h = m.fit(Fixtures.xorX(), Fixtures.xorY(), Fit.defaults().epochs(600).batchSize(4));
    assertThat(m.predictClasses(Fixtures.xorX())).containsExactly(0, 1, 1, 0);
    assertThat(m.evaluate(Fixtures.xorX(), Fixtures.xorY()).get("accuracy")).isEqualTo(1.0);
    assertThat(h.last("loss")).isLessThan(0.1);
    assertThat(h.get("loss").get(0)).isGreaterThan(0.5);
    assertThat(ce.fusedCalls).isEqualTo(600);
  }

  @Test
  void fusedAndUnfusedSoftmaxGradientsAgree() {
    Sequential fused = Fixtures.smallNet(9, 0.5f);
    Sequential plain = Fixtures.smallNet(9, 0.5f);
    plain.compile(new Fixtures.Sgd(0.5f), new Fixtures.CrossEntropy(false));
    Tensor[] d = Fixtures.blobs(12, 3);
    fused.fit(d[0], d[1], Fit.defaults().epochs(3).batchSize(5));
    plain.fit(d[0], d[1], Fit.defaults().epochs(3).batchSize(5));
    List<Tensor> a = fused.getWeights();
    List<Tensor> b = plain.getWeights();
    for (int i = 0; i < a.size(); i++) {
      for (int j = 0; j < a.get(i).size(); j++) {
        assertThat(b.get(i).data()[j]).isCloseTo(a.get(i).data()[j], within(1e-5f));
      }
    }
    assertThat(((Fixtures.CrossEntropy) plain.loss()).fusedCalls).isZero();
  }

  @Test
  void separatesBlobsAndRecordsHistoryWithValidation() {
    Sequential m = Fixtures.smallNet(1, 0.2f);
    Tensor[] d = Fixtures.blobs(200, 7);
    History h = m.fit(d[0], d[1], Fit.defaults().epochs(8).batchSize(16).validationSplit(0.2));
    assertThat(h.epochs()).isEqualTo(8);
    assertThat(h.keys()).containsExactly("loss", "accuracy", "val_loss", "val_accuracy");
    assertThat(h.last("val_accuracy")).isEqualTo(1.0);
    assertThat(h.last("loss")).isLessThan(h.get("loss").get(0));
    assertThat(h.seconds()).hasSize(8).allMatch(s -> s >= 0);
    Tensor vx = Tensor.of(java.util.Arrays.copyOfRange(d[0].data(), 320, 400), 40, 2);
    Tensor vy = Tensor.of(java.util.Arrays.copyOfRange(d[1].data(), 160, 200), 40);
    Map<String, Double> ev = m.evaluate(vx, vy);
    assertThat(h.last("val_loss")).isCloseTo(ev.get("loss"), within(1e-9));

    String csv = h.toCsv();
    String[] lines = csv.split("\n");
    assertThat(lines).hasSize(9);
    assertThat(lines[0]).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,seconds");
    String[] last = lines[8].split(",");
    assertThat(last[0]).isEqualTo("7");
    assertThat(Double.parseDouble(last[1])).isEqualTo(h.last("loss"));
    assertThat(Double.parseDouble(last[4])).isEqualTo(h.last("val_accuracy"));
    assertThatThrownBy(() -> h.get("val_acc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("val_acc").hasMessageContaining("val_accuracy");
  }

  @Test
  void validationSplitHoldsOutTheLastFractionAndTheLastBatchIsSmaller() {
    Tensor[] d = Fixtures.blobs(50, 2);
    RecordingSource src = new RecordingSource(d[0], d[1]);
    Sequential m = Fixtures.smallNet(1, 0.1f);
    m.fit(src, Fit.defaults().epochs(2).batchSize(8).validationSplit(0.2));
    // 40 training samples: 8,8,8,8,8 per epoch; 10 validation samples: 8,2.
    List<Integer> sizes = new ArrayList<>();
    Set<Integer> train = new java.util.TreeSet<>();
    Set<Integer> val = new java.util.TreeSet<>();
    for (int b = 0; b < src.batches.size(); b++) {
      int[] idx = src.batches.get(b);
      sizes.add(idx.length);
      boolean isVal = b % 7 >= 5;
      for (int i : idx) {
        (isVal ? val : train).add(i);
      }
    }
    assertThat(sizes).containsExactly(8, 8, 8, 8, 8, 8, 2, 8, 8, 8, 8, 8, 8, 2);
    assertThat(train).hasSize(40).allMatch(i -> i < 40);
    assertThat(val).hasSize(10).allMatch(i -> i >= 40);
    // Training order is shuffled, validation order is not; batch tensors are allocated once per size.
    assertThat(src.batches.get(0)).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
    assertThat(src.batches.get(5)).containsExactly(40, 41, 42, 43, 44, 45, 46, 47);
    assertThat(src.xTensors).hasSize(3); // training (8), validation (8), validation tail (2)
  }

  @Test
  void withoutShuffleBatchesFollowTheDataOrder() {
    Tensor[] d = Fixtures.blobs(10, 2);
    RecordingSource src = new RecordingSource(d[0], d[1]);
    Fixtures.smallNet(1, 0.1f).fit(src, Fit.defaults().epochs(1).batchSize(4).shuffle(false));
    assertThat(src.batches).containsExactly(new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7}, new int[] {8, 9});
  }

  @Test
  void callbacksAreCalledInKerasOrder() {
    List<String> events = new ArrayList<>();
    Callback rec = new Callback() {
      @Override
      public void onTrainBegin(Sequential model, FitInfo info) {
        events.add("trainBegin " + info);
      }

      @Override
      public void onEpochBegin(int epoch) {
        events.add("epochBegin " + epoch);
      }

      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        events.add("batchEnd " + epoch + " " + batch + " " + logs.keySet());
      }

      @Override
      public void onEpochEnd(int epoch, Map<String, Double> logs) {
        events.add("epochEnd " + epoch + " " + logs.keySet());
      }

      @Override
      public void onTrainEnd(History history) {
        events.add("trainEnd " + history.epochs());
      }
    };
    Tensor[] d = Fixtures.blobs(10, 2);
    Tensor[] v = Fixtures.blobs(4, 3);
    Fixtures.smallNet(1, 0.1f).fit(d[0], d[1], Fit.defaults().epochs(2).batchSize(6).validationData(v[0], v[1]).callbacks(rec));
    assertThat(events).containsExactly(
        "trainBegin FitInfo[epochs=2, stepsPerEpoch=2, batchSize=6, samples=10, validationSamples=4]",
        "epochBegin 0",
        "batchEnd 0 0 [loss, accuracy]",
        "batchEnd 0 1 [loss, accuracy]",
        "epochEnd 0 [loss, accuracy, val_loss, val_accuracy]",
        "epochBegin 1",
        "batchEnd 1 0 [loss, accuracy]",
        "batchEnd 1 1 [loss, accuracy]",
        "epochEnd 1 [loss, accuracy, val_loss, val_accuracy]",
        "trainEnd 2");
  }

  @Test
  void aCallbackCanStopTrainingAfterABatch() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    List<String> batches = new ArrayList<>();
    Callback stopper = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        batches.add(epoch + ":" + batch);
        if (epoch == 1 && batch == 0) {
          m.stopTraining();
        }
      }
    };
    Tensor[] d = Fixtures.blobs(12, 2);
    History h = m.fit(d[0], d[1], Fit.defaults().epochs(5).batchSize(4).callbacks(stopper));
    assertThat(batches).containsExactly("0:0", "0:1", "0:2", "1:0");
    assertThat(h.epochs()).isEqualTo(2);
    assertThat(((Fixtures.Sgd) m.optimizer()).iterations()).isEqualTo(4);
  }

  @Test
  void nanLossStopsWithEpochBatchAndValueAndKeepsTheHistory() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    m.compile(new Fixtures.Sgd(0.1f), new Fixtures.NanOnCall(new Fixtures.CrossEntropy(false), 7),
        new Fixtures.Accuracy());
    List<List<Tensor>> snapshots = new ArrayList<>();
    Callback snap = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        snapshots.add(m.getWeights());
      }
    };
    Tensor[] d = Fixtures.blobs(16, 2);
    // 4 batches per epoch: the 7th training batch is epoch 2, batch 3 (counting from 1).
    assertThatThrownBy(() -> m.fit(d[0], d[1], Fit.defaults().epochs(5).batchSize(4).callbacks(snap)))
        .isInstanceOfSatisfying(NonFiniteLossException.class, e -> {
          assertThat(e.getMessage()).contains("epoch 2/5").contains("batch 3/4").contains("NaN")
              .contains("nan_on_call");
          assertThat(e.epoch()).isEqualTo(1);
          assertThat(e.batch()).isEqualTo(2);
          assertThat(e.loss()).isNaN();
          assertThat(e.history().epochs()).isEqualTo(1);
          assertThat(e.history().get("loss")).hasSize(1);
        });
    // The failing batch did not touch the weights.
    List<Tensor> lastGood = snapshots.get(snapshots.size() - 1);
    List<Tensor> now = m.getWeights();
    for (int i = 0; i < now.size(); i++) {
      assertThat(now.get(i).data()).containsExactly(lastGood.get(i).data());
    }
    assertThat(m.parameters()).allMatch(p -> allZero(p.grad().data()));
  }

  private static boolean allZero(float[] a) {
    for (float v : a) {
      if (v != 0f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void sameSeedGivesBitIdenticalWeightsForOneAndTwoThreads() {
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      List<Tensor> one = trainedWeights(11);
      Parallel.setThreads(2);
      List<Tensor> two = trainedWeights(11);
      List<Tensor> other = trainedWeights(12);
      for (int i = 0; i < one.size(); i++) {
        assertThat(two.get(i).data()).containsExactly(one.get(i).data());
      }
      assertThat(other.get(0).data()).isNotEqualTo(one.get(0).data());
    } finally {
      Parallel.setThreads(before);
    }
  }

  private static List<Tensor> trainedWeights(long seed) {
    Sequential m = Fixtures.smallNet(seed, 0.3f);
    Tensor[] d = Fixtures.blobs(60, 5);
    m.fit(d[0], d[1], Fit.defaults().epochs(3).batchSize(8).validationSplit(0.1));
    return m.getWeights();
  }

  @Test
  void fitSeedControlsShuffling() {
    Tensor[] d = Fixtures.blobs(20, 2);
    RecordingSource a = new RecordingSource(d[0], d[1]);
    RecordingSource b = new RecordingSource(d[0], d[1]);
    RecordingSource c = new RecordingSource(d[0], d[1]);
    Fixtures.smallNet(1, 0.1f).fit(a, Fit.defaults().epochs(2).batchSize(20).seed(5));
    Fixtures.smallNet(2, 0.1f).fit(b, Fit.defaults().epochs(2).batchSize(20).seed(5));
    Fixtures.smallNet(1, 0.1f).fit(c, Fit.defaults().epochs(2).batchSize(20).seed(6));
    assertThat(b.batches).containsExactlyElementsOf(a.batches);
    assertThat(c.batches.get(0)).isNotEqualTo(a.batches.get(0));
    assertThat(a.batches.get(1)).isNotEqualTo(a.batches.get(0)); // reshuffled each epoch
  }

  @Test
  void printsNothingUnlessVerbose() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(capture);
      Sequential m = Fixtures.smallNet(1, 0.1f);
      Tensor[] d = Fixtures.blobs(20, 2);
      m.fit(d[0], d[1], Fit.defaults().epochs(2).batchSize(8).validationSplit(0.2));
      m.evaluate(d[0], d[1]);
      m.predict(d[0]);
      m.summary();
      assertThat(buf.toString(StandardCharsets.UTF_8)).isEmpty();

      m.fit(d[0], d[1], Fit.defaults().epochs(2).batchSize(8).verbose(true));
      String printed = buf.toString(StandardCharsets.UTF_8);
      assertThat(printed).startsWith("Epoch 1/2\n").contains("Epoch 2/2\n").contains("3/3 [====").contains("- loss: ");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void predictAndPredictClassesAgreeAndHandleASmallerLastBatch() {
    Sequential m = new Sequential(3L, new InputLayer(2), new TestLinear(4, "tanh"), new TestLinear(3, "softmax"));
    Tensor x = Fixtures.blobs(10, 1)[0];
    Tensor all = m.predict(x, 10);
    Tensor batched = m.predict(x, 4); // 4 + 4 + 2
    assertThat(batched.shape()).isEqualTo(Shape.of(10, 3));
    assertThat(batched.data()).containsExactly(all.data());
    int[] classes = m.predictClasses(x);
    for (int i = 0; i < 10; i++) {
      float[] row = {all.get(i, 0), all.get(i, 1), all.get(i, 2)};
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = row[c] > row[best] ? c : best;
      }
      assertThat(classes[i]).isEqualTo(best);
      assertThat(row[0] + row[1] + row[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void evaluateReturnsLossAndMetricsMatchingAHandComputation() {
    Sequential m = Fixtures.smallNet(5, 0.1f);
    Tensor[] d = Fixtures.blobs(37, 2);
    Map<String, Double> r = m.evaluate(d[0], d[1], 8);
    assertThat(r.keySet()).containsExactly("loss", "accuracy");
    Tensor p = m.predict(d[0]);
    double loss = 0;
    int correct = 0;
    int[] cls = m.predictClasses(d[0]);
    for (int i = 0; i < 37; i++) {
      int y = (int) d[1].data()[i];
      loss -= Math.log(p.get(i, y));
      correct += cls[i] == y ? 1 : 0;
    }
    assertThat(r.get("loss")).isCloseTo(loss / 37, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(r.get("accuracy")).isEqualTo(correct / 37.0);
  }

  @Test
  void badInputsGiveClearErrors() {
    Sequential m = Fixtures.smallNet(1, 0.1f);
    Tensor x = Tensor.zeros(10, 2);
    Tensor y = Tensor.zeros(10);
    assertThatThrownBy(() -> m.fit(Tensor.zeros(0, 2), Tensor.zeros(0), Fit.defaults().epochs(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no samples");
    assertThatThrownBy(() -> m.fit(x, Tensor.zeros(9), Fit.defaults().epochs(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has 10 samples").hasMessageContaining("9");
    assertThatThrownBy(() -> m.fit(Tensor.zeros(10, 3), y, Fit.defaults().epochs(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples of shape (3,)").hasMessageContaining("input shape is (2,)");
    assertThatThrownBy(() -> m.predict(Tensor.zeros(4, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 1)").hasMessageContaining("(2,)");
    assertThatThrownBy(() -> m.predict(x, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> m.evaluate(x, y, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> m.fit(x, y, Fit.defaults().epochs(1).validationSplit(0.95)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit 0.95 of 10 samples leaves 0");
  }

  @Test
  void fitAndEvaluateBeforeCompileSayCompile() {
    Sequential m = new Sequential(new InputLayer(2), new TestLinear(2, "softmax"));
    assertThatThrownBy(() -> m.fit(Tensor.zeros(4, 2), Tensor.zeros(4)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not compiled").hasMessageContaining("compile(");
    assertThatThrownBy(() -> m.evaluate(Tensor.zeros(4, 2), Tensor.zeros(4)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not compiled");
    assertThatThrownBy(() -> m.compile(new Fixtures.Sgd(0.1f), new Fixtures.CrossEntropy(true),
        new Fixtures.Accuracy(), new Fixtures.Accuracy()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'accuracy'");
  }
}
