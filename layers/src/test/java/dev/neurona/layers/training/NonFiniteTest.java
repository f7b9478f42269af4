package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.Optimizer;
import dev.neurona.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite by construction: a batch whose gradients are not finite (or whose squares overflow) is
 * refused before it changes anything, and predictions and evaluations never return NaN.
 */
class NonFiniteTest {
  /**
   * In batch 3 of 6 (batches of 16; from 0, batch 2), label 1. The pixel saturates the softmax on
   * another class, so the gradients reach 1e27 or more (a sample whose saturated class is its label
   * gives exactly zero gradient, and nothing to refuse).
   */
  private static final int BAD_SAMPLE = 36;

  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("adam", (Supplier<Optimizer>) () -> new Adam(1e-3)),
        Arguments.of("sgd", (Supplier<Optimizer>) () -> new SGD(0.01)),
        Arguments.of("sgd-nesterov", (Supplier<Optimizer>) () -> SGD.builder().learningRate(0.01).momentum(0.9)
            .nesterov(true).build()));
  }

  static Sequential net(Optimizer optimizer) {
    return new Sequential(3)
        .input(12, 12, 1)
        .add(new Conv2D(8, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(16, 3, "valid", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(32, "relu"))
        .add(new Dropout(0.3))
        .add(new Dense(5, "softmax"))
        .compile(optimizer, "sparse_categorical_crossentropy", "accuracy");
  }

  static Tensor images(int n, long seed) {
    return Tensor.zeros(n, 12, 12, 1).fillUniform(0f, 1f, new Random(seed));
  }

  static Tensor labels(int n) {
    Tensor y = Tensor.zeros(n);
    for (int i = 0; i < n; i++) {
      y.data()[i] = i % 5;
    }
    return y;
  }

  /** Copies of the weights and the optimizer's state and step count, keyed by name. */
  static Map<String, float[]> snapshot(Sequential model) {
    Map<String, float[]> s = new TreeMap<>();
    for (Parameter p : model.parameters()) {
      s.put(p.name(), p.value().data().clone());
    }
    for (Map.Entry<String, Tensor> e : model.optimizer().state().entrySet()) {
      s.put("optimizer/" + e.getKey(), e.getValue().data().clone());
    }
    s.put("optimizer/iterations", new float[] {model.optimizer().iterations()});
    return s;
  }

  static void assertSameBits(Map<String, float[]> actual, Map<String, float[]> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String k : expected.keySet()) {
      assertThat(actual.get(k)).as(k).isEqualTo(expected.get(k));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void onePixelOf1e30StopsFitAtItsBatchWithTheWeightsAndStateFromBeforeIt(String name, Supplier<Optimizer> opt) {
    Sequential model = net(opt.get());
    Tensor x = images(96, 1);
    x.data()[BAD_SAMPLE * 144 + 70] = 1e30f;
    List<Map<String, float[]>> afterBatch = new ArrayList<>();
    Callback record = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        afterBatch.add(snapshot(model));
      }
    };
    assertThatThrownBy(() -> model.fit(x, labels(96), Fit.defaults().epochs(2).batchSize(16).shuffle(false)
        .callbacks(record)))
        .isInstanceOfSatisfying(NonFiniteGradientException.class, e -> {
          assertThat(e.epoch()).isZero();
          assertThat(e.batch()).isEqualTo(2);
          assertThat(e.history().epochs()).isZero();
          assertThat(e.applied()).isFalse();
          assertThat(e.step()).isEqualTo(3);
          assertThat(e.parameter()).startsWith(e.layer() + ".");
          assertThat(!Float.isFinite(e.value()) || Math.abs(e.value()) >= 0x1p64f).as("value %s", e.value()).isTrue();
          assertThat(e.getMessage()).contains("Sequential 'sequential'.fit: at epoch 1/2, batch 3/6",
              "'" + e.layer() + "': " + name.replaceAll("-.*", "") + " step 3: the gradient of '" + e.parameter() + "' is ",
              "the step was refused");
          assertThat(e.getCause()).isInstanceOf(dev.neurona.optim.NonFiniteParameterException.class);
        });
    assertThat(afterBatch).hasSize(2);
    assertSameBits(snapshot(model), afterBatch.get(1));
    for (Parameter p : model.parameters()) {
      assertThat(p.grad().data()).as("gradient of %s", p.name()).containsOnly(0f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void aRefusedTrainOnBatchLeavesNothingBehindForTheNextOne(String name, Supplier<Optimizer> opt) {
    Sequential model = net(opt.get());
    Sequential twin = net(opt.get());
    Tensor good = images(16, 2);
    Tensor bad = images(16, 2);
    bad.data()[5] = 1e30f;
    Tensor y = labels(16);
    y.data()[0] = (argmax(model.predict(bad).data(), 0, 5) + 1) % 5; // not the class the pixel saturates on
    Map<String, float[]> before = snapshot(model);
    assertThatThrownBy(() -> model.trainOnBatch(bad, y)).isInstanceOf(NonFiniteGradientException.class)
        .hasMessageContaining("Sequential 'sequential'.trainOnBatch: ")
        .hasMessageContaining(" step 1: the gradient of '");
    assertSameBits(snapshot(model), before);
    for (Parameter p : model.parameters()) {
      assertThat(p.grad().data()).as("gradient of %s", p.name()).containsOnly(0f);
    }
    // No stale gradient, state or step count: the next batch trains exactly as on a fresh model
    // (whose dropout has drawn as many masks: the refused batch's forward pass drew one, as a
    // batch with a non-finite loss does).
    Dropout dropout = (Dropout) model.layer("dropout");
    ((Dropout) twin.layer("dropout")).callCount(dropout.callCount());
    assertThat(model.trainOnBatch(good, labels(16))).isEqualTo(twin.trainOnBatch(good, labels(16)));
    assertSameBits(snapshot(model), snapshot(twin));
  }

  static int argmax(float[] a, int from, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (a[from + i] > a[from + best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void aNanWeightMakesPredictAndEvaluateNameTheLayerAndTheWeight() {
    Sequential model = net(new Adam());
    Tensor x = images(20, 3);
    Dense dense = (Dense) model.layer("dense");
    dense.kernel().value().data()[17] = Float.NaN;
    String where = "the first layer whose output is not finite is Dense 'dense' (layer 6 of 8)";
    String weight = "its weight 'dense.kernel' is NaN at index 17";
    assertThatThrownBy(() -> model.predict(x, 8)).isInstanceOfSatisfying(NonFiniteOutputException.class, e -> {
      assertThat(e.layer()).isEqualTo("dense");
      assertThat(e.sample()).isZero();
      assertThat(e.value()).isNaN();
    }).hasMessageContaining("Sequential 'sequential'.predict: the output for sample 0 is NaN")
        .hasMessageContaining(where).hasMessageContaining(weight);
    assertThatThrownBy(() -> model.evaluate(x, labels(20), 8)).isInstanceOf(NonFiniteOutputException.class)
        .hasMessageContaining(".evaluate:").hasMessageContaining(where).hasMessageContaining(weight);
    assertThatThrownBy(() -> model.predictClasses(x)).isInstanceOf(NonFiniteOutputException.class)
        .hasMessageContaining(where);
    float[] one = java.util.Arrays.copyOfRange(x.data(), 0, 144);
    assertThatThrownBy(() -> model.predict(one)).isInstanceOf(NonFiniteOutputException.class)
        .hasMessageContaining(where);
  }

  @Test
  void aNonFiniteInputIsReportedAsTheInputWithItsSample() {
    Sequential model = net(new Adam());
    Tensor x = images(20, 4);
    x.data()[13 * 144 + 3] = Float.NaN;
    assertThatThrownBy(() -> model.predict(x, 8)).isInstanceOfSatisfying(NonFiniteOutputException.class, e -> {
      assertThat(e.layer()).isNull();
      assertThat(e.sample()).isEqualTo(13);
    }).hasMessageContaining("the output for sample 13 is NaN")
        .hasMessageContaining("the input itself is not finite: sample 13 holds NaN at element 3");
  }

  @Test
  void evaluateRefusesANonFiniteLossFromFiniteOutputs() {
    Sequential model = new Sequential(1).input(3).add(new Dense(2)).compile(new SGD(0.1), "mse");
    ((Dense) model.layer("dense")).kernel().value().fill(1e20f); // outputs near 1e20: finite; their squares are not
    Tensor x = Tensor.zeros(4, 3).fillUniform(0.5f, 1f, new Random(5));
    Tensor y = Tensor.zeros(4, 2);
    assertThatThrownBy(() -> model.evaluate(x, y, 2)).isInstanceOf(NonFiniteLossException.class)
        .hasMessageContaining("the loss (mean_squared_error) of the batch of samples 0..1 is Infinity")
        .hasMessageContaining("although every output is finite");
  }
}
