package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * The <em>number</em> (not the fraction) of misclassified elements, for a linear threshold unit with
 * sign labels: each prediction {@code z} is read as {@code ŷ = +1 if z >= 0 else −1} (the perceptron's
 * unit step, {@code +1} on the boundary, as {@link PerceptronCriterion}) and counted when
 * {@code ŷ ≠ y}. It counts over every batch added since {@link #reset()}; {@code Sequential.fit}
 * resets it at the start of each epoch and adds each batch's forward output <em>before</em> that
 * batch's update, as Keras computes training metrics. With batches of one sample in order, the value
 * at the end of an epoch is therefore Rosenblatt's number of updates in that epoch, and for a
 * full-batch ADALINE it is the number of training samples misclassified by the weights the epoch
 * started from.
 *
 * <p>Predictions of any shape {@code (batch, ...)}, typically the net inputs {@code (batch, 1)} of a
 * {@code Dense(1)}; targets of the same shape (or {@code (batch)} for {@code (batch, 1)}), each
 * exactly {@code −1} or {@code +1}.
 */
public final class Misclassifications implements Metric {
  private long count;

  /** Named {@code misclassifications}. */
  public Misclassifications() {}

  @Override
  public String name() {
    return "misclassifications";
  }

  /** z (batch, ...), y (batch, ...) in {−1, +1}: adds the number of elements with {@code sign(z) ≠ y}. */
  /** A new, reset count. */
  @Override
  public Misclassifications fresh() {
    return new Misclassifications();
  }

  @Override
  public void update(Tensor predictions, Tensor targets) {
    LossChecks.requireSignLabels(name(), predictions, targets);
    float[] z = predictions.data();
    float[] y = targets.data();
    for (int i = 0; i < z.length; i++) {
      float yHat = z[i] >= 0f ? 1f : -1f;
      if (yHat != y[i]) {
        count++;
      }
    }
  }

  /** The count since the last reset, as a double (0 before any update). */
  @Override
  public double result() {
    return count;
  }

  @Override
  public void reset() {
    count = 0;
  }

  @Override
  public String toString() {
    return "Misclassifications()";
  }
}
