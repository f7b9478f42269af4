package dev.neurona.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear warmup in front of another schedule: step {@code s < warmupSteps} uses
 * {@code schedule.rate(0)·(s+1)/warmupSteps}; later steps use {@code schedule.rate(s - warmupSteps)}.
 */
record LinearWarmup(LearningRateSchedule schedule, long warmupSteps) implements LearningRateSchedule {
  static final String CLASS_NAME = "LinearWarmup";

  LinearWarmup {
    if (schedule == null) {
      throw new IllegalArgumentException(CLASS_NAME + ": schedule is null");
    }
    Args.positive(CLASS_NAME, "warmupSteps", warmupSteps);
  }

  @Override
  public float rate(long step) {
    Args.step(CLASS_NAME, step);
    if (step < warmupSteps) {
      return (float) ((double) schedule.rate(0) * (step + 1) / warmupSteps);
    }
    return schedule.rate(step - warmupSteps);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", CLASS_NAME);
    c.put("warmup_steps", warmupSteps);
    c.put("schedule", schedule.config());
    return c;
  }
}
