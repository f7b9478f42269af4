package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/**
 * A loss: the mean over the batch of a per-sample error, and its gradient with respect to the
 * model's predictions. (The two losses of the classic linear units, {@link SumSquaredError} and
 * {@link PerceptronCriterion}, sum over the batch instead, so that their learning rate is the
 * textbook's; they say so.)
 *
 * <p>Targets are either sparse (shape {@code (batch)}, each a class index stored as a float) or
 * dense (same shape as the predictions), as each loss documents.
 *
 * <p>A model may call {@link #compute} from several threads at once ({@code evaluate} is
 * thread-safe), so a loss keeps no per-call state in its fields; every loss of this library is
 * immutable.
 */
public interface Loss {
  /** Keras-style name, e.g. {@code sparse_categorical_crossentropy}. */
  String name();

  /**
   * Returns the mean loss over the batch (the sum, for a loss documented as summing). When
   * {@code grad} is not null it receives dLoss/dPredictions (shape of {@code predictions}; the 1/batch
   * of the mean is folded in).
   * Throws, naming the loss, when targets do not fit (shape, label out of range).
   */
  float compute(Tensor predictions, Tensor targets, Tensor grad);

  /**
   * True when this loss, applied to the output of a softmax, has the simple fused gradient
   * {@code dLoss/dLogits = (p - y) / batch}; the model then skips the softmax backward.
   */
  default boolean fusesWithSoftmax() {
    return false;
  }

  /**
   * The fused path: {@code probs} are softmax outputs; returns the mean loss and writes
   * dLoss/dLogits into {@code dLogits}. Only called when {@link #fusesWithSoftmax()} is true.
   */
  default float computeFromSoftmax(Tensor probs, Tensor targets, Tensor dLogits) {
    throw new UnsupportedOperationException(name() + " does not fuse with softmax");
  }
}
