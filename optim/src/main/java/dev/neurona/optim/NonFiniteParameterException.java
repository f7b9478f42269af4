package dev.neurona.optim;

/**
 * Thrown by an optimizer step that would make a parameter NaN or infinite: it names the parameter
 * (its dotted name, e.g. {@code conv2d.kernel}), the first element at fault, its value and the step.
 *
 * <p>Usually the step was refused before it changed anything ({@link #applied()} is false): one of
 * the gradients it was about to apply is NaN or infinite, or so large that its square overflows
 * float ({@code |g| > 1.8e19}). The weights, the optimizer's state and its step count then keep
 * their values from before the step. In the rare other case the update itself produced the value
 * from finite gradients, which only happens when the weights or the optimizer's state were already
 * non-finite or near {@code ±Float.MAX_VALUE} before the step (changed outside training); the step
 * was then applied and could not be undone ({@link #applied()} is true).
 *
 * <p>A sibling of the training loop's {@code NonFiniteLossException} (both are
 * {@link ArithmeticException}s): that one stops training when the loss of a batch is not finite,
 * this one when its gradients are not. {@code fit} rethrows it as its subclass
 * {@code NonFiniteGradientException}, which adds the layer, the epoch, the batch and the history so
 * far, with the optimizer's exception as the cause.
 */
public class NonFiniteParameterException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final String parameter;
  private final int index;
  private final float value;
  private final long step;
  private final boolean applied;

  /**
   * An exception with all its details.
   *
   * @param message what happened, naming the parameter, the element, the value and the step
   * @param parameter the parameter's dotted name
   * @param index the flat (row-major) index of the first element at fault
   * @param value its value: the gradient, or, when {@code applied}, the new value
   * @param step the optimizer step concerned, counted from 1
   * @param applied whether the step was applied (and could not be undone)
   */
  public NonFiniteParameterException(String message, String parameter, int index, float value, long step,
      boolean applied) {
    super(message);
    this.parameter = parameter;
    this.index = index;
    this.value = value;
    this.step = step;
    this.applied = applied;
  }

  /**
   * The same details under a message that says more (where training was), with {@code cause} as the
   * cause.
   *
   * @param message the new message
   * @param cause the exception thrown by the optimizer
   */
  public NonFiniteParameterException(String message, NonFiniteParameterException cause) {
    this(message, cause.parameter, cause.index, cause.value, cause.step, cause.applied);
    initCause(cause);
  }

  /**
   * The parameter's dotted name, e.g. {@code conv2d.kernel}.
   *
   * @return the name
   */
  public String parameter() {
    return parameter;
  }

  /**
   * The flat (row-major) index of the first element at fault.
   *
   * @return the index
   */
  public int index() {
    return index;
  }

  /**
   * The value at fault: the gradient element, or, when {@link #applied()}, the new parameter or state value.
   *
   * @return NaN, an infinity, or a gradient whose square overflows float
   */
  public float value() {
    return value;
  }

  /**
   * The optimizer step concerned, counted from 1 ({@code iterations() + 1} when it was refused).
   *
   * @return the step number
   */
  public long step() {
    return step;
  }

  /**
   * Whether the step was applied: false (the usual case) when it was refused before changing
   * anything, true when the non-finite value came out of the update and could not be undone.
   *
   * @return whether the weights changed
   */
  public boolean applied() {
    return applied;
  }
}
