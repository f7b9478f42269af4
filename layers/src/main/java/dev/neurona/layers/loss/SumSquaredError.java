package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * Half the sum of squared errors over every element of the batch, the cost of Widrow and Hoff's
 * ADALINE as textbooks write it (Raschka's {@code J(w)}):
 *
 * <pre>
 *   L = ½ Σ_i (p_i − y_i)²        ∂L/∂p_i = p_i − y_i
 * </pre>
 *
 * <p><b>Why a sum, and why the ½.</b> The batch is <em>summed</em>, not averaged (Keras'
 * {@code reduction="sum"}), and the ½ cancels the 2 of the derivative, so gradient descent with
 * learning rate {@code η} on a linear unit {@code z = w·x + b} takes exactly ADALINE's step
 * {@code w += η Σ (y − z) x}, {@code b += η Σ (y − z)}: the learning rate is the textbook's {@code η}.
 * {@link MeanSquaredError} differs by the factor {@code 2/N} (its gradient is {@code 2(p − y)/N}), so
 * with it the same step needs {@code lr = η·N/2}.
 *
 * <p><b>What {@code fit} reports.</b> {@code Sequential.fit} records for each epoch the batch losses
 * averaged with the batch sizes as weights, as Keras does. With one batch of all samples that is this
 * loss itself, {@code ½ Σ (y − z)²} at the weights the epoch started from (ADALINE's batch cost); with
 * batches of one sample it is the mean over the epoch of each sample's {@code ½ (y − z)²}, taken before
 * that sample's step (the cost of the stochastic ADALINE). For other batch sizes, and in
 * {@code evaluate}, the value depends on the batch size, as any summed loss does.
 *
 * <p>Predictions of any shape {@code (batch, ...)}; targets of the same shape (or {@code (batch)} for
 * {@code (batch, 1)}), any finite numbers. The sum is accumulated in double precision.
 */
public final class SumSquaredError implements Loss {
  /** Half the sum of squared errors. */
  public SumSquaredError() {}

  /** {@code sum_squared_error} (also found by {@link Losses#of} as {@code sse}). */
  @Override
  public String name() {
    return "sum_squared_error";
  }

  /**
   * predictions (batch, ...), targets (batch, ...) → {@code ½ Σ_i (p_i − y_i)²}, summed over the batch.
   * Derivation: {@code ∂/∂p_i ½ (p_i − y_i)² = p_i − y_i}; nothing else depends on {@code p_i}.
   */
  @Override
  public float compute(Tensor predictions, Tensor targets, Tensor grad) {
    LossChecks.requireDenseTargets(name(), predictions, targets, false);
    LossChecks.requireGrad(name(), predictions, grad);
    float[] p = predictions.data();
    float[] y = targets.data();
    float[] g = grad == null ? null : grad.data();
    double total = 0;
    for (int i = 0; i < p.length; i++) {
      double d = (double) p[i] - y[i];
      total += 0.5 * d * d;
      if (g != null) {
        g[i] = (float) d;
      }
    }
    return (float) total;
  }

  @Override
  public String toString() {
    return "SumSquaredError()";
  }
}
