package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  /** The float rate equals the double-precision formula to float precision. */
  private static void assertRate(LearningRateSchedule s, long step, double expected) {
    assertThat((double) s.rate(step)).as("%s at step %d", s, step).isCloseTo(expected, within(2e-7 * Math.abs(expected) + 1e-12));
  }

  @Test
  void constantIsConstant() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.01);
    for (long k : new long[] {0, 1, 1000, Long.MAX_VALUE}) {
      assertThat(s.rate(k)).isEqualTo(0.01f);
    }
  }

  @Test
  void stepDecayDropsEveryNSteps() {
    LearningRateSchedule s = LearningRateSchedule.step(0.1, 10, 0.5);
    assertRate(s, 0, 0.1);
    assertRate(s, 9, 0.1);
    assertRate(s, 10, 0.05);
    assertRate(s, 19, 0.05);
    assertRate(s, 25, 0.025);
    assertRate(s, 100, 0.1 / 1024);
  }

  @Test
  void exponentialDecayMatchesKerasFormula() {
    // Keras ExponentialDecay: initial_learning_rate * decay_rate ^ (step / decay_steps)
    LearningRateSchedule s = LearningRateSchedule.exponential(0.1, 1000, 0.96, false);
    double lr = (double) 0.1f;
    double rate = (double) 0.96f;
    for (long k : new long[] {0, 1, 500, 999, 1000, 2500, 100_000}) {
      assertRate(s, k, lr * Math.pow(rate, k / 1000.0));
    }
    assertRate(s, 500, 0.1 * Math.sqrt(0.96));
    assertRate(s, 2000, 0.1 * 0.96 * 0.96);
  }

  @Test
  void exponentialStaircaseFloorsTheExponent() {
    LearningRateSchedule s = LearningRateSchedule.exponential(0.1, 1000, 0.96, true);
    assertRate(s, 0, 0.1);
    assertRate(s, 999, 0.1);
    assertRate(s, 1000, 0.1 * 0.96);
    assertRate(s, 2500, 0.1 * 0.96 * 0.96);
  }

  @Test
  void cosineDecayMatchesKerasFormula() {
    // Keras CosineDecay: s = min(step, decay_steps);
    // lr * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps)) + alpha)
    LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 1000, 0.1);
    double lr = (double) 0.1f;
    double alpha = (double) 0.1f;
    for (long k : new long[] {0, 1, 250, 500, 750, 999, 1000, 5000}) {
      double t = Math.min(k, 1000) / 1000.0;
      assertRate(s, k, lr * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * t)) + alpha));
    }
    assertRate(s, 0, 0.1);
    assertRate(s, 500, 0.055);
    assertRate(s, 1000, 0.01);
    assertRate(s, 5000, 0.01);
    assertRate(LearningRateSchedule.cosine(0.1, 1000, 0.0), 1000, 0.0);
  }

  @Test
  void warmupRampsLinearlyThenHandsOver() {
    LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 100, 0.0).withWarmup(4);
    assertRate(s, 0, 0.025);
    assertRate(s, 1, 0.05);
    assertRate(s, 2, 0.075);
    assertRate(s, 3, 0.1);
    assertRate(s, 4, 0.1); // the cosine's step 0
    assertRate(s, 54, 0.05); // the cosine's step 50
    assertRate(s, 104, 0.0);
  }

  @Test
  void configRoundTripsThroughPlainJsonTypes() {
    List<LearningRateSchedule> all =
        List.of(
            LearningRateSchedule.constant(0.01),
            LearningRateSchedule.step(0.1, 30, 0.1),
            LearningRateSchedule.exponential(0.1, 1000, 0.96, true),
            LearningRateSchedule.cosine(0.001, 5000, 0.05),
            LearningRateSchedule.exponential(0.1, 1000, 0.5, false).withWarmup(100));
    for (LearningRateSchedule s : all) {
      LearningRateSchedule back = LearningRateSchedule.fromConfig(asJson(s.config()));
      assertThat(back).isEqualTo(s);
      assertThat(back.config()).isEqualTo(s.config());
      assertThat(back.rate(1234)).isEqualTo(s.rate(1234));
    }
    assertThat(LearningRateSchedule.exponential(0.1, 1000, 0.96, true).config())
        .containsExactly(
            Map.entry("class_name", "ExponentialDecay"),
            Map.entry("initial_learning_rate", 0.1f),
            Map.entry("decay_steps", 1000L),
            Map.entry("decay_rate", 0.96f),
            Map.entry("staircase", true));
  }

  /** What a JSON reader gives back: floats as Double (parsed from their shortest text), whole numbers as Integer. */
  static Map<String, Object> asJson(Map<String, ?> config) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Float) {
        v = Double.parseDouble(v.toString());
      } else if (v instanceof Long) {
        v = ((Long) v).intValue();
      } else if (v instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, ?> m = (Map<String, ?>) v;
        v = asJson(m);
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  @Test
  void fromConfigNamesWhatIsWrong() {
    assertThatThrownBy(() -> LearningRateSchedule.fromConfig(Map.of("class_name", "Linear")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown class_name 'Linear'");
    assertThatThrownBy(() -> LearningRateSchedule.fromConfig(Map.of("class_name", "CosineDecay", "initial_learning_rate", 0.1)))
        .hasMessageContaining("'decay_steps'");
    assertThatThrownBy(
            () -> LearningRateSchedule.fromConfig(
                Map.of("class_name", "StepDecay", "initial_learning_rate", 0.1, "drop_every", 2.5, "factor", 0.5)))
        .hasMessageContaining("'drop_every' must be a whole number, got 2.5");
    assertThatThrownBy(() -> LearningRateSchedule.fromConfig(Map.of("class_name", "Constant", "learning_rate", "fast")))
        .hasMessageContaining("'learning_rate' must be a number, got String fast");
  }

  @Test
  void argumentsAreValidatedWithNameAndValue() {
    assertThatThrownBy(() -> LearningRateSchedule.constant(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("learningRate must be > 0")
        .hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> LearningRateSchedule.constant(-0.5)).hasMessageContaining("got -0.5");
    assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> LearningRateSchedule.exponential(0.1, 0, 0.9, false))
        .hasMessageContaining("ExponentialDecay: decaySteps must be > 0, got 0");
    assertThatThrownBy(() -> LearningRateSchedule.exponential(0.1, 10, -0.9, false))
        .hasMessageContaining("decayRate must be > 0")
        .hasMessageContaining("got -0.9");
    assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, -5, 0))
        .hasMessageContaining("CosineDecay: decaySteps must be > 0, got -5");
    assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 5, 1.5)).hasMessageContaining("alpha must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> LearningRateSchedule.step(0.1, 0, 0.5)).hasMessageContaining("dropEvery must be > 0, got 0");
    assertThatThrownBy(() -> LearningRateSchedule.step(0.1, 10, 2)).hasMessageContaining("factor must be in (0, 1], got 2.0");
    assertThatThrownBy(() -> LearningRateSchedule.constant(0.1).withWarmup(0))
        .hasMessageContaining("warmupSteps must be > 0, got 0");
    assertThatThrownBy(() -> LearningRateSchedule.cosine(0.1, 5, 0).rate(-1)).hasMessageContaining("step must be >= 0, got -1");
  }
}
