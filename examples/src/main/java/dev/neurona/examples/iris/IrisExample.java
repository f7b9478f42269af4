package dev.neurona.examples.iris;

import dev.neurona.data.Iris;
import dev.neurona.examples.plot.Plots;
import dev.neurona.examples.plot.Plots.Series;
import dev.neurona.layers.classic.Adaline;
import dev.neurona.layers.classic.Perceptron;
import dev.neurona.layers.classic.Standardizer;
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

    // 1. Perceptron.
    Perceptron perceptron = new Perceptron(0.1, 10, 1).fit(x, y);
    out.println(perceptron);
    out.println("  epoch  misclassified");
    List<Integer> errors = perceptron.errors();
    for (int e = 0; e < errors.size(); e++) {
      out.printf(Locale.ROOT, "  %5d  %13d%n", e + 1, errors.get(e));
    }
    out.printf(Locale.ROOT, "  %s after %d of %d epochs; w = [%.2f, %.2f], b = %.2f; training accuracy %.1f%%%n%n",
        perceptron.converged() ? "converged (stopped early)" : "did NOT converge",
        perceptron.epochsRun(), perceptron.epochs(), perceptron.weights()[0], perceptron.weights()[1],
        perceptron.bias(), 100 * perceptron.accuracy(x, y));

    // 2. Batch ADALINE: raw features with a large and a small eta, then standardised features.
    Standardizer standardizer = Standardizer.fit(x);
    double[][] xs = standardizer.transform(x);
    Adaline rawLarge = new Adaline(0.01, 10).fit(x, y);
    Adaline rawSmall = new Adaline(0.0001, 10).fit(x, y);
    Adaline standard = new Adaline(0.01, 15).fit(xs, y);
    Adaline sgd = Adaline.stochastic(0.01, 15, 1).fit(xs, y);
    out.println("ADALINE cost per epoch (batch: ½ Σ (y − z)²; stochastic: mean of ½ (y − z)² over the epoch)");
    out.println("  epoch   raw η=0.01  raw η=0.0001  standardised η=0.01  stochastic, standardised η=0.01");
    for (int e = 0; e < 15; e++) {
      out.printf(Locale.ROOT, "  %5d  %11s  %12s  %19s  %31s%n", e + 1, cost(rawLarge, e), cost(rawSmall, e),
          cost(standard, e), cost(sgd, e));
    }
    out.printf(Locale.ROOT, "  training accuracy: %.1f%%  %.1f%%  %.1f%%  %.1f%%%n", 100 * rawLarge.accuracy(x, y),
        100 * rawSmall.accuracy(x, y), 100 * standard.accuracy(xs, y), 100 * sgd.accuracy(xs, y));
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
            Series.overEpochs("raw features, η = 0.01", rawLarge.costs()),
            Series.overEpochs("raw features, η = 0.0001", rawSmall.costs()),
            Series.overEpochs("standardised, η = 0.01", standard.costs()))));
    save(dir, CHARTS.get(2), out, Plots.decisionRegions("Perceptron decision regions", "sepal length [cm]",
        "petal length [cm]", x, y, names, perceptron::predict, 300));
    save(dir, CHARTS.get(3), out, Plots.decisionRegions("ADALINE (batch, η = 0.01) decision regions",
        "sepal length [standardised]", "petal length [standardised]", xs, y, names, standard::predict, 300));
  }

  /** The cost of epoch {@code e} in scientific notation, or blank past the end of the history. */
  private static String cost(Adaline a, int e) {
    double[] c = a.costs();
    return e < c.length ? String.format(Locale.ROOT, "%.4g", c[e]) : "";
  }

  private static void save(Path dir, String name, PrintStream out, org.knowm.xchart.XYChart chart) throws IOException {
    Path file = Plots.savePng(chart, dir.resolve(name));
    out.println("wrote " + file);
  }
}
