package dev.neurona.optim;

import java.util.Map;

/**
 * The learning rate as a function of the optimizer's step count, as Keras'
 * {@code LearningRateSchedule}: the {@code k}-th update (counting from 0) uses {@code rate(k)}.
 *
 * <p>Built with the static factories, whose arguments are validated (the message names the
 * argument and the value received):
 *
 * <pre>{@code
 * LearningRateSchedule.constant(0.01)
 * LearningRateSchedule.step(0.1, 1000, 0.5)                 // halve every 1000 steps
 * LearningRateSchedule.exponential(0.1, 1000, 0.96, false)  // Keras ExponentialDecay
 * LearningRateSchedule.cosine(0.1, 10_000, 0.0)             // Keras CosineDecay
 * LearningRateSchedule.cosine(0.1, 10_000, 0.0).withWarmup(500)
 * }</pre>
 *
 * <p>{@link #config()} gives a JSON-friendly map ({@code class_name} plus Keras-named arguments)
 * that {@link #fromConfig(Map)} turns back into an equal schedule.
 */
public interface LearningRateSchedule {
  /** The learning rate for step {@code step} ({@code >= 0}; 0 is the first update). */
  float rate(long step);

  /**
   * The schedule's hyper-parameters: {@code class_name} first, then its arguments with Keras
   * names, as {@code Float}, {@code Long}, {@code Boolean} or (for a wrapped schedule) a nested map.
   */
  Map<String, Object> config();

  /**
   * This schedule preceded by {@code warmupSteps} steps of linear warmup: step {@code s <
   * warmupSteps} uses {@code rate(0)·(s+1)/warmupSteps}, so the first update is small but not
   * zero and the last warmup step reaches {@code rate(0)}; afterwards step {@code s} uses this
   * schedule's {@code rate(s - warmupSteps)}, so the decay starts once warmup ends.
   */
  default LearningRateSchedule withWarmup(long warmupSteps) {
    return new LinearWarmup(this, warmupSteps);
  }

  /** Always {@code learningRate} ({@code > 0}). */
  static LearningRateSchedule constant(double learningRate) {
    return new ConstantSchedule((float) learningRate);
  }

  /**
   * Step decay: {@code learningRate · factor^floor(step / dropEvery)} — the rate is multiplied by
   * {@code factor} (in {@code (0, 1]}) every {@code dropEvery} ({@code > 0}) steps.
   */
  static LearningRateSchedule step(double learningRate, long dropEvery, double factor) {
    return new StepDecay((float) learningRate, dropEvery, (float) factor);
  }

  /**
   * Keras {@code ExponentialDecay}: {@code learningRate · decayRate^(step / decaySteps)}, with the
   * exponent floored when {@code staircase}. {@code decaySteps > 0}, {@code decayRate > 0}.
   */
  static LearningRateSchedule exponential(double learningRate, long decaySteps, double decayRate, boolean staircase) {
    return new ExponentialDecay((float) learningRate, decaySteps, (float) decayRate, staircase);
  }

  /**
   * Keras {@code CosineDecay}: with {@code s = min(step, decaySteps)},
   * {@code learningRate · ((1 - alpha)·½(1 + cos(π·s/decaySteps)) + alpha)}: from
   * {@code learningRate} down to {@code alpha·learningRate} at {@code decaySteps}, then flat.
   * {@code decaySteps > 0}, {@code alpha} in {@code [0, 1]}.
   */
  static LearningRateSchedule cosine(double learningRate, long decaySteps, double alpha) {
    return new CosineDecay((float) learningRate, decaySteps, (float) alpha);
  }

  /** Rebuilds a schedule from its {@link #config()} (numbers may be any {@link Number}). */
  static LearningRateSchedule fromConfig(Map<String, ?> config) {
    String owner = "LearningRateSchedule.fromConfig";
    Object className = Args.required(owner, config, "class_name");
    switch (String.valueOf(className)) {
      case ConstantSchedule.CLASS_NAME:
        return constant(Args.number(owner, config, "learning_rate").doubleValue());
      case StepDecay.CLASS_NAME:
        return step(
            Args.number(owner, config, "initial_learning_rate").doubleValue(),
            Args.whole(owner, config, "drop_every"),
            Args.number(owner, config, "factor").doubleValue());
      case ExponentialDecay.CLASS_NAME:
        return exponential(
            Args.number(owner, config, "initial_learning_rate").doubleValue(),
            Args.whole(owner, config, "decay_steps"),
            Args.number(owner, config, "decay_rate").doubleValue(),
            Args.boolOr(owner, config, "staircase", false));
      case CosineDecay.CLASS_NAME:
        return cosine(
            Args.number(owner, config, "initial_learning_rate").doubleValue(),
            Args.whole(owner, config, "decay_steps"),
            Args.numberOr(owner, config, "alpha", 0.0));
      case LinearWarmup.CLASS_NAME: {
        Object inner = Args.required(owner, config, "schedule");
        if (!(inner instanceof Map)) {
          throw new IllegalArgumentException(owner + ": config 'schedule' must be a map, got " + inner);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> innerConfig = (Map<String, ?>) inner;
        return fromConfig(innerConfig).withWarmup(Args.whole(owner, config, "warmup_steps"));
      }
      default:
        throw new IllegalArgumentException(
            owner + ": unknown class_name '" + className + "' (expected one of " + ConstantSchedule.CLASS_NAME
                + ", " + StepDecay.CLASS_NAME + ", " + ExponentialDecay.CLASS_NAME + ", "
                + CosineDecay.CLASS_NAME + ", " + LinearWarmup.CLASS_NAME + ")");
    }
  }
}
