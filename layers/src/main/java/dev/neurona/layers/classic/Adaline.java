package dev.neurona.layers.classic;

import dev.neurona.core.Shuffle;
import java.util.Arrays;
import java.util.Random;

/**
 * Widrow and Hoff's ADALINE (ADAptive LInear NEuron, 1960): a linear unit whose weights are learned
 * from the <em>continuous</em> activation {@code φ(z) = z} rather than from the thresholded
 * prediction, by gradient descent on the sum-of-squared-errors cost
 *
 * <pre>
 *   J(w, b) = ½ Σᵢ (yᵢ − zᵢ)²,   zᵢ = w·xᵢ + b
 *   ∂J/∂wⱼ = −Σᵢ (yᵢ − zᵢ) xᵢⱼ,   ∂J/∂b = −Σᵢ (yᵢ − zᵢ)
 * </pre>
 *
 * <p>so a step {@code −η ∇J} is {@code w += η Σᵢ eᵢ xᵢ}, {@code b += η Σᵢ eᵢ} with errors
 * {@code eᵢ = yᵢ − zᵢ}. Two variants:
 * <ul>
 *   <li>{@link #Adaline(double, int) batch} (the tutorial's {@code AdalineGD}): one step per epoch
 *       from the gradient over all samples; {@link #costs()} holds {@code J} for the weights each
 *       epoch started from. {@code J} is a convex quadratic, so the cost falls every epoch when
 *       {@code η} is below {@code 2/λmax(XᵀX)}, and grows geometrically above it — which happens with
 *       {@code η = 0.01} on raw Iris features and not after {@link Standardizer standardising} them.</li>
 *   <li>{@link #stochastic(double, int, long) stochastic} (the tutorial's {@code AdalineSGD}): one
 *       step per sample, {@code w += η eᵢ xᵢ}, visiting the samples in a new seeded random order each
 *       epoch; {@link #costs()} holds the mean over the epoch of each sample's {@code ½ eᵢ²}, taken
 *       just before that sample's step.</li>
 * </ul>
 *
 * <p>Weights start at zero. If the cost overflows to infinity or NaN, training stops at that epoch
 * and {@link #diverged()} is true.
 *
 * <p>This class is the readable reference. The same learner as a library model, a {@code Dense(1)}
 * trained by SGD on {@link dev.neurona.layers.loss.SumSquaredError ½ Σ (y − z)²}, is {@link
 * Classic#adaline}; its per-epoch loss is this class's {@link #costs()}.
 */
public final class Adaline extends LinearUnit {
  private final boolean stochastic;
  private final long seed;
  private double[] costs = new double[0];
  private boolean diverged;

  /**
   * Full-batch gradient descent on the sum-of-squared-errors cost.
   *
   * @param eta learning rate, {@code > 0}
   * @param epochs number of gradient steps (passes over the data), {@code >= 1}
   */
  public Adaline(double eta, int epochs) {
    this(eta, epochs, false, 0);
  }

  private Adaline(double eta, int epochs, boolean stochastic, long seed) {
    super(eta, epochs);
    this.stochastic = stochastic;
    this.seed = seed;
  }

  /**
   * Stochastic gradient descent: one step per sample, the samples shuffled each epoch by a generator
   * seeded with {@code seed}.
   */
  public static Adaline stochastic(double eta, int epochs, long seed) {
    return new Adaline(eta, epochs, true, seed);
  }

  @Override
  public Adaline fit(double[][] x, int[] y) {
    int d = checkData("Adaline.fit", x, y);
    w = new double[d];
    b = 0;
    diverged = false;
    double[] history = new double[epochs];
    int run = 0;
    Random rng = new Random(seed);
    int[] order = identity(x.length);
    while (run < epochs) {
      double cost = stochastic ? sgdEpoch(x, y, order, rng) : batchEpoch(x, y);
      history[run++] = cost;
      if (!Double.isFinite(cost)) {
        diverged = true;
        break;
      }
    }
    costs = Arrays.copyOf(history, run);
    return this;
  }

  /** One full-batch step; returns ½ Σ eᵢ² at the weights before the step. x is (n, d). */
  private double batchEpoch(double[][] x, int[] y) {
    int d = w.length;
    double[] gradW = new double[d]; // Σᵢ eᵢ xᵢ  (= −∂J/∂w)
    double gradB = 0;               // Σᵢ eᵢ     (= −∂J/∂b)
    double cost = 0;
    for (int i = 0; i < x.length; i++) {
      double e = y[i] - activation(dot(x[i]));
      for (int j = 0; j < d; j++) {
        gradW[j] += e * x[i][j];
      }
      gradB += e;
      cost += 0.5 * e * e;
    }
    for (int j = 0; j < d; j++) {
      w[j] += eta * gradW[j];
    }
    b += eta * gradB;
    return cost;
  }

  /** One pass of per-sample steps in a fresh random order; returns the mean of ½ eᵢ² before each step. */
  private double sgdEpoch(double[][] x, int[] y, int[] order, Random rng) {
    Shuffle.shuffle(order, rng);
    double cost = 0;
    for (int i : order) {
      double e = y[i] - activation(dot(x[i]));
      for (int j = 0; j < w.length; j++) {
        w[j] += eta * e * x[i][j];
      }
      b += eta * e;
      cost += 0.5 * e * e;
    }
    return cost / x.length;
  }

  /** The identity: ADALINE learns from the linear output itself. */
  @Override
  public double activation(double z) {
    return z;
  }

  /** The cost of each epoch of the last fit (see the class comment for batch vs stochastic); a copy. */
  public double[] costs() {
    return costs.clone();
  }

  /** Whether the last fit stopped because the cost overflowed to infinity or NaN. */
  public boolean diverged() {
    return diverged;
  }

  /** Whether this unit takes one step per sample (stochastic) rather than one per epoch (batch). */
  public boolean isStochastic() {
    return stochastic;
  }

  @Override
  public int epochsRun() {
    return costs.length;
  }

  /** {@code Adaline(eta=0.01, epochs=15)} or {@code Adaline(eta=0.01, epochs=15, stochastic, seed=1)}. */
  @Override
  public String toString() {
    return "Adaline(eta=" + eta + ", epochs=" + epochs + (stochastic ? ", stochastic, seed=" + seed : "") + ")";
  }
}
