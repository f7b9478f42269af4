package dev.neurona.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** A fixed learning rate. */
record ConstantSchedule(float learningRate) implements LearningRateSchedule {
  static final String CLASS_NAME = "Constant";

  ConstantSchedule {
    Args.positive(CLASS_NAME, "learningRate", learningRate);
  }

  @Override
  public float rate(long step) {
    Args.step(CLASS_NAME, step);
    return learningRate;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", CLASS_NAME);
    c.put("learning_rate", learningRate);
    return c;
  }
}
