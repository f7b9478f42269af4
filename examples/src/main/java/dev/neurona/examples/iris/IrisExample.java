package dev.neurona.examples.iris;

import dev.neurona.core.Tensor;
import dev.neurona.data.Iris;
import dev.neurona.examples.launch.LaunchChecks;
import dev.neurona.examples.plot.Plots;
import dev.neurona.examples.plot.Plots.Series;
import dev.neurona.layers.classic.Classic;
import dev.neurona.layers.classic.Standardizer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.History;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chapter 2 of Raschka's <i>Python Machine Learning</i>, reproduced: Rosenblatt's perceptron and
 * Widrow–Hoff's ADALINE learn to tell Iris setosa from versicolor by sepal length and petal length.
 *
 * <ol>
 *   <li>The perceptron ({@code η = 0.1}) converges and stops early; its mistakes per epoch are plotted.</li>
 *   <li>Batch ADALINE on the raw measurements diverges with {@code η = 0.01} and crawls with
 *       {@code η = 0.0001}; on standardised features {@code η = 0.01} converges in a few epochs.
 *       The three cost curves share one log-scale chart.</li>
 *   <li>Stochastic ADALINE (seeded shuffling) on standardised features.</li>
 *   <li>Decision regions of the perceptron (raw features) and of ADALINE (standardised).</li>
 * </ol>
 *
 * <p>Both learners are ordinary {@link Sequential} models from {@link Classic}: one linear unit
 * ({@code Dense(1)}, zero weights) trained by SGD with the textbook's {@code η}, on the perceptron
 * criterion (batches of one sample, in order, stopping after an epoch without a mistake) or on
 * {@code ½ Σ (y − z)²} (one batch of all samples; or batches of one, reshuffled with seed 1). The
 * mistakes and costs printed are the models' training histories ({@code misclassifications} and
 * {@code loss}). They equal, to the digits printed, those of the float64 reference classes
 * {@code Perceptron} and {@code Adaline}, which this example ran before ({@code ClassicTest} checks it).
 *
 * <p>Usage: {@code IrisExample [--out DIR]}; writes four PNGs to {@code DIR} (default {@code out/iris}).
 */
public final class IrisExample {
  private static final String USAGE = String.join("\n",
      "Usage: iris [--out DIR] [--help]",
      "  Trains the perceptron and ADALINE on Iris setosa vs versicolor (sepal length, petal length),",
      "  prints the per-epoch histories and accuracies, and writes PNG charts to DIR:",
      "    perceptron_errors.png, adaline_cost.png,",
      "    decision_regions_perceptron.png, decision_regions_adaline.png",
      "  --out DIR   output folder (default out/iris)",
      "  --help      show this help");

  /** Chart file names, in the order they are written. */
  public static final List<String> CHARTS = List.of(
      "perceptron_errors.png", "adaline_cost.png", "decision_regions_perceptron.png", "decision_regions_adaline.png");

  private IrisExample() {}

  /** Runs the example; exits with status 2 on a bad argument and 1 if a chart cannot be written. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the example, printing to {@code out} (report) and {@code err} (problems); returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path dir = Path.of("out", "iris");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        case "--out" -> {
          if (i + 1 >= args.length) {
            err.println("iris: --out needs a folder\n" + USAGE);
            return 2;
          }
          dir = Path.of(args[++i]);
        }
        default -> {
          err.println("iris: unknown argument '" + args[i] + "'\n" + USAGE);
          return 2;
        }
      }
    }
    try {
      LaunchChecks.outputDirectory("--out", dir); // before training, not when the first chart is written
    } catch (IOException e) {
      err.println("iris: " + e.getMessage());
      return 1;
    }
    try {
      train(dir, out);
      return 0;
    } catch (IOException e) {
      err.println("iris: cannot write charts to " + dir.toAbsolutePath() + ": " + e.getMessage());
      return 1;
    }
  }

  private static void train(Path dir, PrintStream out) throws IOException {
    Iris iris = Iris.load().only("setosa", "versicolor");
    double[][] x = iris.features("sepal_length", "petal_length");
    int[] y = iris.labels("versicolor");
    out.printf(Locale.ROOT, "Iris: setosa (-1) vs versicolor (+1), %d flowers, features sepal_length and petal_length [cm]%n%n",
        x.length);

    // 1. Perceptron: batches of one sample, in order, until an epoch without a mistake.
    Tensor features = Classic.features(x);
    Tensor labels = Classic.labels(y);
    int maxEpochs = 10;
    Sequential perceptron = Classic.perceptron(2, 0.1);
    History perceptronHistory = perceptron.fit(features, labels, Classic.perceptronFit(maxEpochs));
    out.printf(Locale.ROOT, "Perceptron(eta=0.1, epochs=%d, samples in order): %s, loss %s, SGD%n", maxEpochs,
        perceptron.layers().get(0), perceptron.loss().name());
    out.println("  epoch  misclassified");
    List<Double> errors = perceptronHistory.get(Classic.ERRORS);
    for (int e = 0; e < errors.size(); e++) {
      out.printf(Locale.ROOT, "  %5d  %13d%n", e + 1, errors.get(e).intValue());
    }
    double[] w = Classic.weights(perceptron);
    out.printf(Locale.ROOT, "  %s after %d of %d epochs; w = [%.2f, %.2f], b = %.2f; training accuracy %.1f%%%n%n",
        perceptronHistory.last(Classic.ERRORS) == 0 ? "converged (stopped early)" : "did NOT converge",
        perceptronHistory.epochs(), maxEpochs, w[0], w[1], Classic.bias(perceptron),
        100 * Classic.accuracy(perceptron, x, y));

    // 2. ADALINE: raw features with a large and a small eta, then standardised features (batch), then
    //    stochastic gradient descent on the standardised features.
    Standardizer standardizer = Standardizer.fit(x);
    double[][] xs = standardizer.transform(x);
    Tensor standardised = Classic.features(xs);
    Sequential rawLarge = Classic.adaline(2, 0.01);
    Sequential rawSmall = Classic.adaline(2, 0.0001);
    Sequential standard = Classic.adaline(2, 0.01);
    Sequential sgd = Classic.adaline(2, 0.01);
    List<Double> rawLargeCost = rawLarge.fit(features, labels, Classic.adalineFit(10, x.length)).get("loss");
    List<Double> rawSmallCost = rawSmall.fit(features, labels, Classic.adalineFit(10, x.length)).get("loss");
    List<Double> standardCost = standard.fit(standardised, labels, Classic.adalineFit(15, x.length)).get("loss");
    List<Double> sgdCost = sgd.fit(standardised, labels, Classic.adalineSgdFit(15, 1)).get("loss");
    out.println("ADALINE cost per epoch (batch: ½ Σ (y − z)²; stochastic: mean of ½ (y − z)² over the epoch)");
    out.println("  epoch   raw η=0.01  raw η=0.0001  standardised η=0.01  stochastic, standardised η=0.01");
    for (int e = 0; e < 15; e++) {
      out.printf(Locale.ROOT, "  %5d  %11s  %12s  %19s  %31s%n", e + 1, cost(rawLargeCost, e), cost(rawSmallCost, e),
          cost(standardCost, e), cost(sgdCost, e));
    }
    out.printf(Locale.ROOT, "  training accuracy: %.1f%%  %.1f%%  %.1f%%  %.1f%%%n",
        100 * Classic.accuracy(rawLarge, x, y), 100 * Classic.accuracy(rawSmall, x, y),
        100 * Classic.accuracy(standard, xs, y), 100 * Classic.accuracy(sgd, xs, y));
    out.println("  raw η=0.01 diverges (the cost grows every epoch); after standardising, η=0.01 converges.");
    out.println();

    // 3. Charts.
    Map<Integer, String> names = new LinkedHashMap<>();
    names.put(-1, "setosa");
    names.put(1, "versicolor");
    save(dir, CHARTS.get(0), out, Plots.lineChart("Perceptron: misclassifications per epoch (η = 0.1)", "Epoch",
        "Number of updates", false, List.of(Series.overEpochs("perceptron", errors))));
    save(dir, CHARTS.get(1), out, Plots.lineChart("ADALINE (batch): sum-squared-error per epoch", "Epoch",
        "½ Σ (y − z)²  (log scale)", true, List.of(
            Series.overEpochs("raw features, η = 0.01", rawLargeCost),
            Series.overEpochs("raw features, η = 0.0001", rawSmallCost),
            Series.overEpochs("standardised, η = 0.01", standardCost))));
    save(dir, CHARTS.get(2), out, Plots.decisionRegions("Perceptron decision regions", "sepal length [cm]",
        "petal length [cm]", x, y, names, p -> Classic.predict(perceptron, p), 300));
    save(dir, CHARTS.get(3), out, Plots.decisionRegions("ADALINE (batch, η = 0.01) decision regions",
        "sepal length [standardised]", "petal length [standardised]", xs, y, names, p -> Classic.predict(standard, p), 300));
  }

  /** The cost of epoch {@code e} in scientific notation, or blank past the end of the history. */
  private static String cost(List<Double> costs, int e) {
    return e < costs.size() ? String.format(Locale.ROOT, "%.4g", costs.get(e)) : "";
  }

  private static void save(Path dir, String name, PrintStream out, org.knowm.xchart.XYChart chart) throws IOException {
    Path file = Plots.savePng(chart, dir.resolve(name));
    out.println("wrote " + file);
  }
}
