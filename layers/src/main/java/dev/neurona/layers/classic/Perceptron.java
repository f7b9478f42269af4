package dev.neurona.layers.classic;

import dev.neurona.core.Shuffle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Rosenblatt's perceptron (1957): a linear unit with a unit-step activation, trained one sample at a
 * time by the perceptron rule
 *
 * <pre>
 *   ŷ = +1 if w·x + b >= 0 else -1
 *   w += η (y − ŷ) x        b += η (y − ŷ)
 * </pre>
 *
 * <p>A correctly classified sample changes nothing ({@code y − ŷ = 0}); a misclassified one moves
 * the weights by {@code ±2η x} towards its side. Each epoch records how many samples were
 * misclassified (that is, how many updates were made) while passing over the data. Training stops
 * early after the first epoch without a mistake: the data are then linearly separated and the weights
 * cannot change again ({@link #converged()}). On data that are not linearly separable the rule never
 * settles, and training runs all {@link #epochs()}.
 *
 * <p>Weights start at zero, as in the tutorial. Samples are visited in order unless
 * {@link #shuffle(boolean)} is on; then {@code seed} drives a fresh permutation each epoch.
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(0.1, 10, 1).fit(x, y);
 * p.errors();     // [2, 2, 3, 2, 1, 0]
 * p.converged();  // true
 * }</pre>
 *
 * <p>This class is the readable reference. The same learner as a library model, a {@code Dense(1)}
 * trained by SGD on the {@link dev.neurona.layers.loss.PerceptronCriterion perceptron criterion}, is
 * {@link Classic#perceptron}; it makes the same mistakes epoch by epoch.
 */
public final class Perceptron extends LinearUnit {
  private final long seed;
  private boolean shuffle;
  private final List<Integer> errors = new ArrayList<>();
  private boolean converged;

  /**
   * @param eta learning rate, {@code > 0}
   * @param epochs maximum number of passes over the data, {@code >= 1}
   * @param seed drives the sample order when {@link #shuffle(boolean)} is on
   */
  public Perceptron(double eta, int epochs, long seed) {
    super(eta, epochs);
    this.seed = seed;
  }

  /** Visits the samples in a new seeded random order each epoch (off by default: in order). */
  public Perceptron shuffle(boolean on) {
    this.shuffle = on;
    return this;
  }

  @Override
  public Perceptron fit(double[][] x, int[] y) {
    int d = checkData("Perceptron.fit", x, y);
    w = new double[d];
    b = 0;
    errors.clear();
    converged = false;
    Random rng = new Random(seed);
    int[] order = identity(x.length);
    for (int epoch = 0; epoch < epochs; epoch++) {
      if (shuffle) {
        Shuffle.shuffle(order, rng);
      }
      int mistakes = 0;
      for (int i : order) {
        double update = eta * (y[i] - threshold(x[i])); // 0 when right, ±2η when wrong
        if (update != 0) {
          for (int j = 0; j < d; j++) {
            w[j] += update * x[i][j];
          }
          b += update;
          mistakes++;
        }
      }
      errors.add(mistakes);
      if (mistakes == 0) {
        converged = true;
        break;
      }
    }
    return this;
  }

  /** The unit step: {@code +1 if z >= 0 else -1}. */
  @Override
  public double activation(double z) {
    return z >= 0 ? 1 : -1;
  }

  /** Misclassifications (updates) in each epoch of the last fit; one entry per epoch run. */
  public List<Integer> errors() {
    return Collections.unmodifiableList(new ArrayList<>(errors));
  }

  /** Whether the last fit ended with an epoch that made no mistake (it then stopped early). */
  public boolean converged() {
    return converged;
  }

  @Override
  public int epochsRun() {
    return errors.size();
  }

  /** The seed for the shuffled sample order. */
  public long seed() {
    return seed;
  }

  /** {@code Perceptron(eta=0.1, epochs=10, seed=1, shuffle=false)}. */
  @Override
  public String toString() {
    return "Perceptron(eta=" + eta + ", epochs=" + epochs + ", seed=" + seed + ", shuffle=" + shuffle + ")";
  }
}
