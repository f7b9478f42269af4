package dev.neurona.optim;

/**
 * What the optimizers' builders share: the learning rate, given as a constant or as a schedule,
 * whichever was set last. Like the rest of a builder's arguments, a constant rate is validated when
 * the optimizer is built.
 *
 * @param <B> the concrete builder, which the setters return for chaining
 */
abstract class RateBuilder<B extends RateBuilder<B>> {
  private final String owner;
  private LearningRateSchedule schedule;
  private double learningRate;

  RateBuilder(String owner, double defaultLearningRate) {
    this.owner = owner;
    this.learningRate = defaultLearningRate;
  }

  /**
   * Sets a constant learning rate, replacing a schedule set earlier. The default is the optimizer's
   * (Keras': 0.01 for SGD, 0.001 for Adam).
   *
   * @param learningRate the rate, {@code > 0} and finite (checked when the optimizer is built)
   * @return this builder
   */
  public B learningRate(double learningRate) {
    this.learningRate = learningRate;
    this.schedule = null;
    return self();
  }

  /**
   * Sets a learning-rate schedule, replacing a learning rate set earlier.
   *
   * @param schedule the learning rate per step, not null
   * @return this builder
   */
  public B schedule(LearningRateSchedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException(owner + ".Builder: schedule is null");
    }
    this.schedule = schedule;
    return self();
  }

  /** The schedule set last, or a constant one at the learning rate set last (validated here). */
  final LearningRateSchedule resolvedSchedule() {
    return schedule != null ? schedule : LearningRateSchedule.constant(Args.positive(owner, "learningRate", learningRate));
  }

  @SuppressWarnings("unchecked") // B is the concrete builder class itself (see the subclasses' declarations)
  private B self() {
    return (B) this;
  }
}
