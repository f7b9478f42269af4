package dev.neurona.layers.classic;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Activation;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Layer;
import dev.neurona.layers.loss.Misclassifications;
import dev.neurona.layers.loss.PerceptronCriterion;
import dev.neurona.layers.loss.SumSquaredError;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.optim.SGD;

/**
 * Rosenblatt's perceptron and Widrow–Hoff's ADALINE built from the library's own parts: each is a
 * {@link Sequential} holding one linear unit {@code z = w·x + b} (a {@code Dense(1)} with zero kernel
 * and bias), trained by plain {@link SGD} with the textbook's learning rate {@code η} on the loss whose
 * gradient is the classic rule. They learn what the reference classes {@link Perceptron} and
 * {@link Adaline} learn, and the per-epoch numbers come out of the model's {@code History}.
 *
 * <pre>
 *   learner           loss (on z, summed over the batch)          ∂L/∂z     fit
 *   perceptron        {@link PerceptronCriterion}  Σ (ŷ − y)·z          ŷ − y     batch 1, in order, stop once separated
 *   ADALINE (batch)   {@link SumSquaredError}      ½ Σ (y − z)²         z − y     one batch of all samples
 *   ADALINE (SGD)     {@link SumSquaredError}      ½ Σ (y − z)²         z − y     batch 1, reshuffled each epoch
 * </pre>
 *
 * <p>with {@code ŷ = +1 if z >= 0 else −1}. {@code Dense} turns {@code ∂L/∂z} into {@code ∂L/∂w = Σ x·∂L/∂z}
 * and {@code ∂L/∂b = Σ ∂L/∂z}, and SGD steps {@code w −= η ∂L/∂w}: the perceptron rule
 * {@code w += η (y − ŷ) x} and the Widrow–Hoff rule {@code w += η Σ (y − z) x}. The two learners differ
 * only in the loss — the perceptron learns from the thresholded output, ADALINE from the linear one —
 * and both classify by the threshold {@code z >= 0} ({@link #predict(Sequential, double[])}). Both are
 * compiled with the {@link Misclassifications} metric, so {@code history.get("misclassifications")} is the
 * perceptron's number of updates per epoch; {@code history.get("loss")} is ADALINE's cost per epoch
 * (see {@link SumSquaredError} for the batch and the stochastic definition).
 *
 * <pre>{@code
 * Sequential p = Classic.perceptron(2, 0.1);
 * History h = p.fit(Classic.features(x), Classic.labels(y), Classic.perceptronFit(10));
 * h.get("misclassifications");   // [2.0, 2.0, 3.0, 2.0, 1.0, 0.0] on the tutorial's Iris problem
 *
 * Sequential a = Classic.adaline(2, 0.01);
 * a.fit(Classic.features(xs), Classic.labels(y), Classic.adalineFit(15, xs.length)).get("loss");   // 50.0, 33.83, ...
 * }</pre>
 *
 * <p>Spelled out, {@code Classic.perceptron(2, 0.1)} is
 * <pre>{@code
 * new Sequential().input(2).add(new Dense(1).kernelInitializer("zeros"))
 *     .compile(new SGD(0.1), new PerceptronCriterion(), new Misclassifications());
 * }</pre>
 * and {@link #perceptronFit(int)} is {@code Fit.defaults().epochs(n).batchSize(1).shuffle(false).callbacks(new
 * StopWhenSeparated())}. The models save and load like any other; compile a loaded one again with the
 * loss and metric by name ({@code "perceptron_criterion"} or {@code "sum_squared_error"},
 * {@code "misclassifications"}).
 *
 * <p><b>float32 and the float64 references.</b> These models compute in float32 like the rest of the
 * library; the reference classes in float64. On the tutorial's problem they make the same decisions
 * (identical errors per epoch, no prediction within float32 rounding of the threshold) and their
 * weights and costs agree to float32 precision — {@code ClassicTest} checks both, and the four
 * significant digits the Iris example prints. A diverging ADALINE overflows float32 sooner than
 * float64: {@code fit} stops, with the history so far, at the first epoch whose gradient's square
 * overflows float32 (a {@code NonFiniteGradientException}; the weights are those from before it),
 * where {@link Adaline#diverged()} would become true only some epochs later.
 */
public final class Classic {
  /** The name of the per-epoch error count in a {@code History}: the {@link Misclassifications} metric. */
  public static final String ERRORS = "misclassifications";

  private Classic() {}

  /**
   * Rosenblatt's perceptron on {@code features} inputs, compiled: one zero-initialised linear unit,
   * {@link PerceptronCriterion}, {@code SGD(eta)}, the {@link Misclassifications} metric. Train it with
   * {@link #perceptronFit(int)}.
   *
   * @param features inputs per sample, {@code >= 1}
   * @param eta learning rate {@code η}, finite and {@code > 0}
   */
  public static Sequential perceptron(int features, double eta) {
    return linearUnit("perceptron", features, eta).compile(new SGD(eta), new PerceptronCriterion(),
        new Misclassifications());
  }

  /**
   * Widrow–Hoff's ADALINE on {@code features} inputs, compiled: one zero-initialised linear unit,
   * {@link SumSquaredError}, {@code SGD(eta)}, the {@link Misclassifications} metric. Train it with
   * {@link #adalineFit(int, int)} (batch gradient descent) or {@link #adalineSgdFit(int, long)}
   * (stochastic).
   *
   * @param features inputs per sample, {@code >= 1}
   * @param eta learning rate {@code η}, finite and {@code > 0}
   */
  public static Sequential adaline(int features, double eta) {
    return linearUnit("adaline", features, eta).compile(new SGD(eta), new SumSquaredError(), new Misclassifications());
  }

  private static Sequential linearUnit(String what, int features, double eta) {
    if (features < 1) {
      throw new IllegalArgumentException("Classic." + what + ": features must be >= 1, got " + features);
    }
    if (!(eta > 0) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException("Classic." + what + ": eta (learning rate) must be a finite number > 0, got " + eta);
    }
    return new Sequential().name(what).input(features).add(new Dense(1).kernelInitializer("zeros"));
  }

  /**
   * The perceptron's training: at most {@code epochs} passes, one sample per step, samples in the
   * given order, stopping after the first epoch without a mistake ({@link StopWhenSeparated}).
   */
  public static Fit perceptronFit(int epochs) {
    return Fit.defaults().epochs(epochs).batchSize(1).shuffle(false).callbacks(new StopWhenSeparated());
  }

  /**
   * ADALINE's batch gradient descent: {@code epochs} steps, each on one batch of all {@code samples}
   * (the number of training samples), so the recorded loss of an epoch is {@code ½ Σ (y − z)²} at the
   * weights it started from.
   */
  public static Fit adalineFit(int epochs, int samples) {
    if (samples < 1) {
      throw new IllegalArgumentException("Classic.adalineFit: samples must be >= 1, got " + samples);
    }
    return Fit.defaults().epochs(epochs).batchSize(samples).shuffle(false);
  }

  /**
   * ADALINE's stochastic gradient descent: one step per sample, the samples reshuffled before each
   * epoch by a generator seeded with {@code seed} — the same order as {@link Adaline#stochastic(double,
   * int, long) Adaline.stochastic(η, epochs, seed)} visits them. The recorded loss of an epoch is the mean
   * of each sample's {@code ½ (y − z)²} before its step.
   */
  public static Fit adalineSgdFit(int epochs, long seed) {
    return Fit.defaults().epochs(epochs).batchSize(1).shuffle(true).seed(seed);
  }

  /** Samples as a float32 tensor: rows {@code (n, d)} of finite numbers, all of one length, → {@code (n, d)}. */
  public static Tensor features(double[][] x) {
    if (x == null || x.length == 0) {
      throw new IllegalArgumentException("Classic.features: x has no rows (" + (x == null ? "null" : "length 0") + ")");
    }
    int d = LinearUnit.checkRows("Classic.features", x);
    float[] data = new float[x.length * d];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < d; j++) {
        data[i * d + j] = (float) x[i][j];
      }
    }
    return Tensor.of(data, x.length, d);
  }

  /** Sign labels as a float32 tensor: {@code (n)}, each {@code −1} or {@code +1}, → {@code (n, 1)}. */
  public static Tensor labels(int[] y) {
    if (y == null || y.length == 0) {
      throw new IllegalArgumentException("Classic.labels: y has no labels (" + (y == null ? "null" : "length 0") + ")");
    }
    float[] data = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 1 && y[i] != -1) {
        throw new IllegalArgumentException("Classic.labels: y[" + i + "] = " + y[i] + "; labels must be -1 or 1");
      }
      data[i] = y[i];
    }
    return Tensor.of(data, y.length, 1);
  }

  /** The class of one sample: {@code +1} if the unit's output {@code z >= 0}, else {@code −1}. */
  public static int predict(Sequential unit, double[] x) {
    if (x == null) {
      throw new IllegalArgumentException("Classic.predict: sample is null");
    }
    return predict(unit, new double[][] {x})[0];
  }

  /** The class of each row of {@code x}: {@code (n, d)} → {@code (n)}, {@code +1} where {@code z >= 0}, else {@code −1}. */
  public static int[] predict(Sequential unit, double[][] x) {
    requireSingleOutput("predict", unit);
    float[] z = unit.predict(features(x)).data();
    int[] out = new int[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = z[i] >= 0f ? 1 : -1;
    }
    return out;
  }

  /** Fraction of rows of {@code x} whose {@linkplain #predict(Sequential, double[][]) predicted class} equals {@code y}. */
  public static double accuracy(Sequential unit, double[][] x, int[] y) {
    if (x == null || y == null || x.length != y.length) {
      throw new IllegalArgumentException("Classic.accuracy: x has " + (x == null ? "no rows (null)" : x.length + " rows")
          + " but y has " + (y == null ? "no labels (null)" : y.length + " labels"));
    }
    int[] p = predict(unit, x);
    int hit = 0;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == y[i]) {
        hit++;
      }
    }
    return (double) hit / p.length;
  }

  /** The unit's weights {@code w}, one per feature (the {@code Dense} kernel's column), as doubles. */
  public static double[] weights(Sequential unit) {
    Tensor k = dense("weights", unit).kernel().value();
    double[] w = new double[k.dim(0)];
    for (int j = 0; j < w.length; j++) {
      w[j] = k.get(j, 0);
    }
    return w;
  }

  /** The unit's bias {@code b} (0 for a {@code Dense} without bias). */
  public static double bias(Sequential unit) {
    Dense d = dense("bias", unit);
    return d.bias() == null ? 0 : d.bias().value().get(0);
  }

  private static void requireSingleOutput(String op, Sequential unit) {
    if (unit == null) {
      throw new IllegalArgumentException("Classic." + op + ": model is null");
    }
    if (unit.outputShape() == null || unit.outputShape().rank() != 1 || unit.outputShape().dim(0) != 1) {
      throw new IllegalArgumentException("Classic." + op + ": expected a model with one output per sample, got "
          + unit + " with output shape " + unit.outputShape());
    }
  }

  /** The model's only layer, a linear {@code Dense(1)}. */
  private static Dense dense(String op, Sequential unit) {
    requireSingleOutput(op, unit);
    Layer l = unit.layers().size() == 1 ? unit.layers().get(0) : null;
    if (!(l instanceof Dense) || ((Dense) l).activation() != Activation.LINEAR) {
      throw new IllegalArgumentException("Classic." + op + ": expected a model of one linear Dense(1) layer, got " + unit);
    }
    return (Dense) l;
  }
}
