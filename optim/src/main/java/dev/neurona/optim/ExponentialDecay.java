package dev.neurona.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras {@code ExponentialDecay}: {@code lr = initialLearningRate · decayRate^p} with
 * {@code p = step / decaySteps}, floored when {@code staircase}.
 */
record ExponentialDecay(float initialLearningRate, long decaySteps, float decayRate, boolean staircase)
    implements LearningRateSchedule {
  static final String CLASS_NAME = "ExponentialDecay";

  ExponentialDecay {
    Args.positive(CLASS_NAME, "learningRate", initialLearningRate);
    Args.positive(CLASS_NAME, "decaySteps", decaySteps);
    Args.positive(CLASS_NAME, "decayRate", decayRate);
  }

  @Override
  public float rate(long step) {
    Args.step(CLASS_NAME, step);
    double p = (double) step / decaySteps;
    if (staircase) {
      p = Math.floor(p);
    }
    return (float) (initialLearningRate * Math.pow(decayRate, p));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", CLASS_NAME);
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", decaySteps);
    c.put("decay_rate", decayRate);
    c.put("staircase", staircase);
    return c;
  }
}
