package dev.neurona.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras {@code CosineDecay} (without its warmup; see {@link LearningRateSchedule#withWarmup}):
 * with {@code s = min(step, decaySteps)},
 * {@code lr = initialLearningRate · ((1 - alpha)·½(1 + cos(π·s/decaySteps)) + alpha)}.
 */
record CosineDecay(float initialLearningRate, long decaySteps, float alpha) implements LearningRateSchedule {
  static final String CLASS_NAME = "CosineDecay";

  CosineDecay {
    Args.positive(CLASS_NAME, "learningRate", initialLearningRate);
    Args.positive(CLASS_NAME, "decaySteps", decaySteps);
    Args.closedUnitInterval(CLASS_NAME, "alpha", alpha);
  }

  @Override
  public float rate(long step) {
    Args.step(CLASS_NAME, step);
    double s = Math.min(step, decaySteps);
    double cosineDecay = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
    return (float) (initialLearningRate * ((1 - alpha) * cosineDecay + alpha));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", CLASS_NAME);
    c.put("initial_learning_rate", initialLearningRate);
    c.put("decay_steps", decaySteps);
    c.put("alpha", alpha);
    return c;
  }
}
