package dev.neurona.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code lr = initialLearningRate · factor^floor(step / dropEvery)}. */
record StepDecay(float initialLearningRate, long dropEvery, float factor) implements LearningRateSchedule {
  static final String CLASS_NAME = "StepDecay";

  StepDecay {
    Args.positive(CLASS_NAME, "learningRate", initialLearningRate);
    Args.positive(CLASS_NAME, "dropEvery", dropEvery);
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException(CLASS_NAME + ": factor must be in (0, 1], got " + factor);
    }
  }

  @Override
  public float rate(long step) {
    Args.step(CLASS_NAME, step);
    return (float) (initialLearningRate * Math.pow(factor, (double) (step / dropEvery)));
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", CLASS_NAME);
    c.put("initial_learning_rate", initialLearningRate);
    c.put("drop_every", dropEvery);
    c.put("factor", factor);
    return c;
  }
}
