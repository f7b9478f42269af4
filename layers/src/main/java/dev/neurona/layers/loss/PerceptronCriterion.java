package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The perceptron criterion, the loss whose (sub)gradient descent is Rosenblatt's perceptron rule.
 * Predictions are a linear unit's net inputs {@code z} (not thresholded); targets are sign labels
 * {@code y ∈ {−1, +1}}. With the unit's threshold {@code ŷ = +1 if z >= 0 else −1}:
 *
 * <pre>
 *   L = Σ_i (ŷ_i − y_i) · z_i  =  Σ_i 2·max(0, −y_i z_i)        summed over the batch
 *   ∂L/∂z_i = ŷ_i − y_i        0 when right, ±2 when wrong
 * </pre>
 *
 * <p>so SGD with learning rate {@code η} on a linear unit {@code z = w·x + b} takes the step
 * {@code w += η (y − ŷ) x}, {@code b += η (y − ŷ)}: the perceptron rule, with the textbook's {@code η},
 * and one sample per batch gives Rosenblatt's on-line algorithm. A correctly classified sample costs
 * nothing and moves nothing; a misclassified one costs twice its distance {@code |z|} to the wrong side.
 *
 * <p><b>Why not a step activation.</b> A threshold layer {@code ŷ = sign(z)} has derivative zero
 * wherever it is defined, so no gradient would reach the weights through it. The rule is instead the
 * gradient of this piecewise-linear convex function of {@code z} (Bishop, <i>Pattern Recognition and
 * Machine Learning</i>, §4.1.7; scikit-learn's {@code SGDClassifier(loss="perceptron")}). The factor 2
 * is Rosenblatt's: {@code y − ŷ = ±2} on a mistake.
 *
 * <p><b>The case z = 0.</b> {@code L} has a kink at {@code z = 0}; the subgradient chosen there is
 * {@code ŷ − y} with {@code ŷ = +1}, so a sample exactly on the boundary counts as predicted {@code +1}
 * (the perceptron's convention): for {@code y = −1} it is a mistake and moves the weights by
 * {@code −2η x}, for {@code y = +1} it is right. This is what makes the first sample of a run from zero
 * weights ({@code z = 0}) an update when its label is {@code −1}. {@link Misclassifications} counts
 * mistakes with the same convention.
 *
 * <p>Predictions of any shape {@code (batch, ...)}, typically {@code (batch, 1)} from a
 * {@code Dense(1)}; targets of the same shape (or {@code (batch)} for {@code (batch, 1)}), each
 * exactly {@code −1} or {@code +1}. The batch is summed (as {@link SumSquaredError}), so
 * {@code fit}'s per-epoch loss with batches of one sample is the mean of {@code (ŷ − y)·z} over the
 * epoch, each taken before that sample's step.
 */
public final class PerceptronCriterion implements Loss {
  /** The perceptron criterion. */
  public PerceptronCriterion() {}

  /** {@code perceptron_criterion} (also found by {@link Losses#of} as {@code perceptron}). */
  @Override
  public String name() {
    return "perceptron_criterion";
  }

  /**
   * z (batch, ...), y (batch, ...) in {−1, +1} → {@code Σ_i (ŷ_i − y_i)·z_i}, summed over the batch.
   * Derivation: away from {@code z_i = 0}, {@code ŷ_i} is constant in {@code z_i}, so
   * {@code ∂/∂z_i (ŷ_i − y_i)·z_i = ŷ_i − y_i}; at {@code z_i = 0} that value (with {@code ŷ_i = +1}) is a
   * subgradient of {@code 2·max(0, −y_i z_i)}: 0 for {@code y = +1}, 2 for {@code y = −1}, both in the
   * subdifferential ({@code [−2, 0]} resp. {@code [0, 2]}).
   */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireSignLabels(name(), predictions, targets);
    LossChecks.requireGrad(name(), predictions, grad);
    float[] z = predictions.data();
    float[] y = targets.data();
    float[] g = grad == null ? null : grad.data();
    double total = 0;
    for (int i = 0; i < z.length; i++) {
      float yHat = z[i] >= 0f ? 1f : -1f; // the unit step, +1 on the boundary
      float e = yHat - y[i]; // 0, or ±2 on a mistake
      total += (double) e * z[i];
      if (g != null) {
        g[i] = e;
      }
    }
    return (float) total;
  }

  @Override
  public String toString() {
    return "PerceptronCriterion()";
  }
}
