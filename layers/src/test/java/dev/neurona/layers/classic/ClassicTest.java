package dev.neurona.layers.classic;

import static dev.neurona.layers.classic.IrisFixture.X;
import static dev.neurona.layers.classic.IrisFixture.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Tensor;
import dev.neurona.data.Iris;
import dev.neurona.layers.Dense;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.NonFiniteGradientException;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.SGD;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Sequential perceptron and ADALINE ({@link Classic}, float32) against the reference classes
 * ({@link Perceptron}, {@link Adaline}, float64) on the tutorial's Iris problem: the same errors per
 * epoch exactly, the same costs and weights to float32 precision, the same four significant digits the
 * Iris example prints, and the same predictions for every sample.
 */
class ClassicTest {
  private static final double[][] XS = Standardizer.standardize(X);
  /** Costs and weights agree to this relative error (measured: at most 1.1e-6 over every run below). */
  private static final double REL = 5e-6;

  // ---------------------------------------------------------------- perceptron

  @Test
  void perceptronHasTheReferenceErrorsPerEpochAndWeights() {
    Perceptron ref = new Perceptron(0.1, 10, 1).fit(X, Y);
    Sequential model = Classic.perceptron(2, 0.1);
    StopWhenSeparated stop = new StopWhenSeparated();
    History h = model.fit(Classic.features(X), Classic.labels(Y),
        Fit.defaults().epochs(10).batchSize(1).shuffle(false).callbacks(stop));

    assertThat(ref.errors()).containsExactly(2, 2, 3, 2, 1, 0);
    assertThat(counts(h.get(Classic.ERRORS))).isEqualTo(ref.errors());
    assertThat(h.epochs()).isEqualTo(ref.epochsRun()).isEqualTo(6);
    assertThat(stop.stoppedEpoch()).isEqualTo(5);
    assertClose(Classic.weights(model), ref.weights(), 1e-6);
    assertThat(Classic.bias(model)).isCloseTo(ref.bias(), within(1e-6));
    assertThat(fmt2(Classic.weights(model)[0], Classic.weights(model)[1], Classic.bias(model)))
        .isEqualTo(fmt2(ref.weights()[0], ref.weights()[1], ref.bias())).isEqualTo("-0.68 1.82 -0.40");
    assertThat(Classic.predict(model, X)).containsExactly(ref.predict(X));
    assertThat(Classic.accuracy(model, X, Y)).isEqualTo(ref.accuracy(X, Y)).isEqualTo(1.0);
  }

  @Test
  void perceptronFitIsTheReferenceTrainingRegime() {
    History h = Classic.perceptron(2, 0.1).fit(Classic.features(X), Classic.labels(Y), Classic.perceptronFit(10));
    assertThat(counts(h.get(Classic.ERRORS))).containsExactly(2, 2, 3, 2, 1, 0);
    // Without the stop, the weights cannot change after an epoch without a mistake: 0 from then on.
    History all = Classic.perceptron(2, 0.1).fit(Classic.features(X), Classic.labels(Y),
        Fit.defaults().epochs(8).batchSize(1).shuffle(false));
    assertThat(counts(all.get(Classic.ERRORS))).containsExactly(2, 2, 3, 2, 1, 0, 0, 0);
    assertThat(all.get("loss").subList(5, 8)).containsOnly(0.0);
  }

  /**
   * Why float32 makes exactly the float64 decisions here: step by step over the whole run, the float32
   * net input {@code z} stays within {@code maxDiff} of the float64 one, while every float64 {@code z}
   * that is not exactly 0 is at least {@code minMargin} away from the threshold, many times more. The
   * only {@code z = 0} is the very first sample (all weights exactly 0 in both), which both count as
   * {@code +1}: a setosa, so a mistake.
   */
  @Test
  void perceptronDecisionsCannotDifferFromFloat64() {
    Sequential model = Classic.perceptron(2, 0.1);
    double[] w = new double[2];
    double b = 0;
    double maxDiff = 0;
    double minMargin = Double.POSITIVE_INFINITY;
    int zeros = 0;
    int steps = 0;
    for (int epoch = 0; epoch < 6; epoch++) {
      for (int i = 0; i < X.length; i++) {
        Tensor xi = Classic.features(new double[][] {X[i]});
        double zFloat = model.predict(xi, 1).get(0, 0);
        double zDouble = w[0] * X[i][0] + w[1] * X[i][1] + b;
        maxDiff = Math.max(maxDiff, Math.abs(zFloat - zDouble));
        if (zDouble == 0) {
          zeros++;
          assertThat(zFloat).as("z at epoch %d, sample %d", epoch, i).isZero();
          assertThat(epoch * X.length + i).isZero();
        } else {
          minMargin = Math.min(minMargin, Math.abs(zDouble));
        }
        int yHat = zDouble >= 0 ? 1 : -1; // the reference rule, in float64
        assertThat(zFloat >= 0 ? 1 : -1).as("decision at epoch %d, sample %d", epoch, i).isEqualTo(yHat);
        double update = 0.1 * (Y[i] - yHat);
        w[0] += update * X[i][0];
        w[1] += update * X[i][1];
        b += update;
        model.trainOnBatch(xi, Classic.labels(new int[] {Y[i]}));
        steps++;
      }
    }
    assertThat(steps).isEqualTo(600);
    assertThat(zeros).isEqualTo(1);
    assertThat(maxDiff).isLessThan(1e-5);
    assertThat(minMargin).isGreaterThan(1000 * maxDiff);
    assertClose(Classic.weights(model), w, 1e-6);
  }

  @Test
  void perceptronFollowsTheRuleByHandIncludingZeroNetInput() {
    // PerceptronTest's example: x0 = (2, 1) has z = 0 → ŷ = +1, wrong → w = (−1, −0.5), b = −0.5;
    // then no mistake. The numbers are exact in float32.
    double[][] x = {{2, 1}, {-1, -3}};
    int[] y = {-1, 1};
    Sequential model = Classic.perceptron(2, 0.25);
    History h = model.fit(Classic.features(x), Classic.labels(y), Classic.perceptronFit(10));
    assertThat(counts(h.get(Classic.ERRORS))).containsExactly(1, 0);
    assertThat(h.get("loss")).containsExactly(0.0, 0.0); // the first mistake is at z = 0: (ŷ − y)·z = 0
    assertThat(Classic.weights(model)).containsExactly(-1, -0.5);
    assertThat(Classic.bias(model)).isEqualTo(-0.5);
    assertThat(Classic.predict(model, x)).containsExactly(-1, 1);
  }

  @Test
  void perceptronOnDataThatAreNotSeparableRunsEveryEpochLikeTheReference() {
    Iris vv = Iris.load().only("versicolor", "virginica");
    double[][] x = vv.features("sepal_length", "petal_length");
    int[] y = vv.labels("virginica");
    Perceptron ref = new Perceptron(0.1, 20, 1).fit(x, y);
    StopWhenSeparated stop = new StopWhenSeparated();
    Sequential model = Classic.perceptron(2, 0.1);
    History h = model.fit(Classic.features(x), Classic.labels(y), Fit.defaults().epochs(20).batchSize(1).shuffle(false).callbacks(stop));
    assertThat(ref.converged()).isFalse();
    assertThat(counts(h.get(Classic.ERRORS))).isEqualTo(ref.errors()).hasSize(20);
    assertThat(stop.stoppedEpoch()).isEqualTo(-1);
    assertClose(Classic.weights(model), ref.weights(), 1e-5);
  }

  // ---------------------------------------------------------------- ADALINE

  static Stream<Arguments> batchRuns() {
    return Stream.of(
        Arguments.of("raw, eta 0.01 (diverges)", X, 0.01, 10),
        Arguments.of("raw, eta 0.0001", X, 0.0001, 10),
        Arguments.of("standardised, eta 0.01", XS, 0.01, 15));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batchRuns")
  void adalineHasTheReferenceCostsAndWeights(String run, double[][] x, double eta, int epochs) {
    Adaline ref = new Adaline(eta, epochs).fit(x, Y);
    Sequential model = Classic.adaline(2, eta);
    History h = model.fit(Classic.features(x), Classic.labels(Y), Classic.adalineFit(epochs, x.length));

    double[] cost = ref.costs();
    List<Double> loss = h.get("loss");
    assertThat(loss).hasSize(epochs);
    for (int e = 0; e < epochs; e++) {
      assertThat(loss.get(e)).as("%s: cost of epoch %d", run, e + 1).isCloseTo(cost[e], within(REL * cost[e]));
      assertThat(fmt4(loss.get(e))).as("%s: printed cost of epoch %d", run, e + 1).isEqualTo(fmt4(cost[e]));
    }
    assertClose(Classic.weights(model), ref.weights(), REL);
    assertThat(Classic.bias(model)).isCloseTo(ref.bias(), within(REL * Math.max(1, Math.abs(ref.bias()))));
    assertThat(Classic.predict(model, x)).containsExactly(ref.predict(x));
    assertThat(Classic.accuracy(model, x, Y)).isEqualTo(ref.accuracy(x, Y));
  }

  @Test
  void adalineReproducesTheExamplesHeadlineNumbers() {
    History raw = Classic.adaline(2, 0.01).fit(Classic.features(X), Classic.labels(Y), Classic.adalineFit(10, 100));
    assertThat(fmt4(raw.get("loss").get(0))).isEqualTo("50.00");
    assertThat(fmt4(raw.last("loss"))).isEqualTo("7.813e+28");
    Sequential std = Classic.adaline(2, 0.01);
    History h = std.fit(Classic.features(XS), Classic.labels(Y), Classic.adalineFit(15, 100));
    assertThat(fmt4(h.last("loss"))).isEqualTo("2.572");
    assertThat(Classic.accuracy(std, XS, Y)).isEqualTo(1.0);
    // At zero weights every z is 0, counted as +1: the 50 setosa are the first epoch's mistakes.
    assertThat(h.get(Classic.ERRORS).get(0)).isEqualTo(50.0);
  }

  @Test
  void stochasticAdalineVisitsTheReferenceOrderAndHasItsCosts() {
    Adaline ref = Adaline.stochastic(0.01, 15, 1).fit(XS, Y);
    Sequential model = Classic.adaline(2, 0.01);
    History h = model.fit(Classic.features(XS), Classic.labels(Y), Classic.adalineSgdFit(15, 1));
    double[] cost = ref.costs();
    for (int e = 0; e < 15; e++) {
      assertThat(h.get("loss").get(e)).as("cost of epoch %d", e + 1).isCloseTo(cost[e], within(REL * cost[e]));
      assertThat(fmt4(h.get("loss").get(e))).isEqualTo(fmt4(cost[e]));
    }
    assertClose(Classic.weights(model), ref.weights(), REL);
    assertThat(Classic.bias(model)).isCloseTo(ref.bias(), within(1e-6));
    assertThat(Classic.accuracy(model, XS, Y)).isEqualTo(ref.accuracy(XS, Y)).isEqualTo(1.0);
  }

  @Test
  void adalineFollowsTheGradientByHand() {
    // AdalineTest's example: x = (1), (2); y = 1, −1; η = 0.1 → costs 1, 0.925; w = −0.15, b = 0.03.
    Sequential model = Classic.adaline(1, 0.1);
    History h = model.fit(Classic.features(new double[][] {{1}, {2}}), Classic.labels(new int[] {1, -1}),
        Classic.adalineFit(2, 2));
    assertThat(h.get("loss").get(0)).isEqualTo(1.0);
    assertThat(h.get("loss").get(1)).isCloseTo(0.925, within(1e-6));
    assertThat(Classic.weights(model)[0]).isCloseTo(-0.15, within(1e-7));
    assertThat(Classic.bias(model)).isCloseTo(0.03, within(1e-7));
  }

  @Test
  void divergingAdalineOverflowsFloat32SoonerAndStopsWithItsHistory() {
    Adaline ref = new Adaline(0.01, 500).fit(X, Y);
    assertThat(ref.diverged()).isTrue();
    Sequential model = Classic.adaline(2, 0.01);
    List<Tensor> before = new ArrayList<>();
    assertThatThrownBy(() -> model.fit(Classic.features(X), Classic.labels(Y), Classic.adalineFit(500, 100)
            .callbacks(new Callback() {
              @Override
              public void onEpochEnd(int epoch, Map<String, Double> logs) {
                before.clear();
                before.addAll(model.getWeights());
              }
            })))
        .isInstanceOfSatisfying(NonFiniteGradientException.class, e -> {
          // The 12th epoch's gradient, 3.4e19, has a square beyond float32 (3.4e38): the step is refused.
          List<Double> loss = e.history().get("loss");
          assertThat(loss).hasSize(11);
          assertThat(ref.epochsRun()).isGreaterThan(90);
          for (int t = 0; t < loss.size(); t++) {
            assertThat(loss.get(t)).isCloseTo(ref.costs()[t], within(REL * ref.costs()[t]));
          }
          assertThat(e.parameter()).isEqualTo("dense.kernel");
          assertThat(e.layer()).isEqualTo("dense");
          assertThat(e.epoch()).isEqualTo(11);
          assertThat(e.applied()).isFalse();
          List<Tensor> after = model.getWeights();
          for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i).data()).as("weight %d", i).isEqualTo(before.get(i).data());
          }
        })
        .hasMessageContaining("at epoch 12/500, batch 1/1")
        .hasMessageContaining("the gradient of 'dense.kernel' is 3.38");
  }

  // ---------------------------------------------------------------- saving, names, errors

  @Test
  void savedPerceptronLoadsAndTrainsOnAsIfNeverStopped(@TempDir Path dir) throws Exception {
    Tensor x = Classic.features(X);
    Tensor y = Classic.labels(Y);
    Sequential model = Classic.perceptron(2, 0.1);
    History first = model.fit(x, y, Classic.perceptronFit(3));
    assertThat(counts(first.get(Classic.ERRORS))).containsExactly(2, 2, 3);
    Path file = dir.resolve("perceptron.zip");
    model.save(file);

    Sequential loaded = Sequential.load(file);
    assertThat(loaded.layers().get(0).config()).isEqualTo(model.layers().get(0).config());
    assertThat(loaded.predict(x).data()).containsExactly(model.predict(x).data());
    // The loss and metric are not saved: compile again by the names they report.
    loaded.compile(loaded.optimizer(), Losses.of(model.loss().name()),
        Metrics.of(Classic.ERRORS, model.loss().name()));
    assertThat(loaded.evaluate(x, y, 100)).isEqualTo(model.evaluate(x, y, 100));
    History rest = loaded.fit(x, y, Classic.perceptronFit(7));
    assertThat(counts(rest.get(Classic.ERRORS))).containsExactly(2, 1, 0);

    Sequential straight = Classic.perceptron(2, 0.1);
    straight.fit(x, y, Classic.perceptronFit(10));
    assertThat(Classic.weights(loaded)).containsExactly(Classic.weights(straight));
    assertThat(Classic.bias(loaded)).isEqualTo(Classic.bias(straight));
  }

  @Test
  void savedAdalineLoadsWithItsWeightsAndLoss(@TempDir Path dir) throws Exception {
    Tensor x = Classic.features(XS);
    Tensor y = Classic.labels(Y);
    Sequential model = Classic.adaline(2, 0.01);
    model.fit(x, y, Classic.adalineFit(15, 100));
    model.save(dir.resolve("adaline.zip"));
    Sequential loaded = Sequential.load(dir.resolve("adaline.zip"));
    loaded.compile(new SGD(0.01), Losses.of(model.loss().name()), Metrics.of("misclassifications", null));
    assertThat(Classic.weights(loaded)).containsExactly(Classic.weights(model));
    assertThat(loaded.evaluate(x, y, 100)).isEqualTo(model.evaluate(x, y, 100));
    // One batch of everything: evaluate's loss is the cost at the trained weights, the reference's 16th.
    double cost16 = new Adaline(0.01, 16).fit(XS, Y).costs()[15];
    assertThat(loaded.evaluate(x, y, 100).get("loss")).isCloseTo(cost16, within(REL * cost16));
  }

  @Test
  void theModelsAreOneLinearUnitStartingAtZero() {
    Sequential p = Classic.perceptron(3, 0.1);
    Sequential a = Classic.adaline(3, 0.01);
    for (Sequential m : List.of(p, a)) {
      assertThat(m.layers()).hasSize(1);
      assertThat(m.layers().get(0)).isInstanceOf(Dense.class);
      assertThat(m.layers().get(0).toString()).isEqualTo("Dense(units=1, kernel_initializer=zeros)");
      assertThat(m.countParams()).isEqualTo(4);
      assertThat(Classic.weights(m)).containsExactly(0, 0, 0);
      assertThat(Classic.bias(m)).isZero();
      assertThat(((SGD) m.optimizer()).momentum()).isZero();
      assertThat(m.metrics()).extracting(mm -> mm.name()).containsExactly(Classic.ERRORS);
    }
    assertThat(p.name()).isEqualTo("perceptron");
    assertThat(p.loss().name()).isEqualTo("perceptron_criterion");
    assertThat(a.loss().name()).isEqualTo("sum_squared_error");
    assertThat(p.optimizer().config().get("learning_rate")).isEqualTo(0.1f);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> Classic.perceptron(0, 0.1)).hasMessageContaining("Classic.perceptron: features must be >= 1, got 0");
    assertThatThrownBy(() -> Classic.adaline(2, Double.NaN)).hasMessageContaining("Classic.adaline: eta").hasMessageContaining("got NaN");
    assertThatThrownBy(() -> Classic.adaline(2, -1)).hasMessageContaining("got -1.0");
    assertThatThrownBy(() -> Classic.perceptronFit(0)).hasMessageContaining("epochs must be >= 1, got 0");
    assertThatThrownBy(() -> Classic.adalineFit(5, 0)).hasMessageContaining("samples must be >= 1, got 0");
    assertThatThrownBy(() -> Classic.labels(new int[] {1, 0})).hasMessageContaining("y[1] = 0; labels must be -1 or 1");
    assertThatThrownBy(() -> Classic.features(new double[][] {{1, 2}, {3}})).hasMessageContaining("x[1] has 1 features");
    assertThatThrownBy(() -> Classic.features(new double[0][])).hasMessageContaining("Classic.features: x has no rows");
    Sequential p = Classic.perceptron(2, 0.1);
    assertThatThrownBy(() -> p.fit(Classic.features(X), Tensor.zeros(100, 1), Classic.perceptronFit(1)))
        .hasMessageContaining("perceptron_criterion: target of sample 0 (element 0) is 0.0, expected -1 or 1");
    assertThatThrownBy(() -> Classic.accuracy(p, X, new int[] {1})).hasMessageContaining("x has 100 rows but y has 1 labels");
    Sequential wide = new Sequential().input(2).add(new Dense(3));
    assertThatThrownBy(() -> Classic.predict(wide, X)).hasMessageContaining("one output per sample")
        .hasMessageContaining("output shape (3,)");
    Sequential deep = new Sequential().input(2).add(new Dense(4)).add(new Dense(1));
    assertThatThrownBy(() -> Classic.weights(deep)).hasMessageContaining("Classic.weights: expected a model of one linear Dense(1)");
  }

  private static List<Integer> counts(List<Double> values) {
    return values.stream().map(v -> {
      assertThat(v).isEqualTo(Math.rint(v));
      return v.intValue();
    }).toList();
  }

  private static void assertClose(double[] actual, double[] expected, double rel) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int j = 0; j < expected.length; j++) {
      assertThat(actual[j]).as("weight %d", j).isCloseTo(expected[j], within(rel * Math.max(1, Math.abs(expected[j]))));
    }
  }

  /** As the Iris example prints a cost. */
  private static String fmt4(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }

  private static String fmt2(double w0, double w1, double b) {
    return String.format(Locale.ROOT, "%.2f %.2f %.2f", w0, w1, b);
  }
}
