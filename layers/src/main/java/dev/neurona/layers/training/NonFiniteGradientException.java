package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.NonFiniteParameterException;

/**
 * Thrown by {@link Sequential#fit} and {@link Sequential#trainOnBatch} when the optimizer refuses a
 * batch's gradients: one is NaN or infinite, or its square overflows float (see
 * {@link NonFiniteParameterException}, whose details it keeps and which is its cause). Training
 * stops before that batch changes anything: the weights, the optimizer's state and its step count
 * are those from before the batch. It adds what the optimizer cannot know: the layer the parameter
 * belongs to, where in {@code fit} it happened, and the epochs completed so far.
 *
 * <p>The training counterpart of {@link NonFiniteLossException}, which {@code fit} throws when the
 * loss itself is not finite; that check comes first, this one right before the update.
 */
public final class NonFiniteGradientException extends NonFiniteParameterException {
  private static final long serialVersionUID = 1L;
  private final String layer;
  private final transient History history;
  private final int epoch;
  private final int batch;

  NonFiniteGradientException(String message, NonFiniteParameterException cause, String layer, History history,
      int epoch, int batch) {
    super(message, cause);
    this.layer = layer;
    this.history = history;
    this.epoch = epoch;
    this.batch = batch;
  }

  /**
   * The name of the layer whose parameter it is.
   *
   * @return the layer's name, e.g. {@code conv2d}; null if no layer of the model holds the parameter
   */
  public String layer() {
    return layer;
  }

  /**
   * The epochs completed before the refused batch ({@code trainOnBatch}: none).
   *
   * @return the history so far
   */
  public History history() {
    return history;
  }

  /**
   * The epoch (from 0) of the refused batch.
   *
   * @return the epoch's index
   */
  public int epoch() {
    return epoch;
  }

  /**
   * The batch (from 0) within its epoch.
   *
   * @return the batch's index
   */
  public int batch() {
    return batch;
  }
}
