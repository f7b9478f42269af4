package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bookkeeping shared by every optimizer (AbstractOptimizer), checked on SGD and Adam. */
class OptimizerTest {
  private static Parameter param(String name, long seed, int... dims) {
    Parameter p = new Parameter(name, Tensor.uniform(Shape.of(dims), -1, 1, seed));
    p.grad().fillUniform(-1, 1, new java.util.Random(seed + 1));
    return p;
  }

  private static List<AbstractOptimizer<?>> optimizers() {
    return List.of(
        new SGD(0.1),
        SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
        new Adam(),
        Adam.builder().learningRate(0.01).weightDecay(0.1).amsgrad(true).build());
  }

  @Test
  void nonTrainableParametersAreUntouchedAndGetNoState() {
    for (AbstractOptimizer<?> opt : optimizers()) {
      Parameter trained = param("dense.kernel", 1, 3, 2);
      Parameter frozen = param("dense.bias", 2, 2).trainable(false);
      float[] before = frozen.value().data().clone();
      float[] trainedBefore = trained.value().data().clone();
      for (int k = 0; k < 3; k++) {
        opt.step(List.of(trained, frozen));
      }
      assertThat(frozen.value().data()).as("%s", opt).containsExactly(before);
      assertThat(trained.value().data()).as("%s", opt).isNotEqualTo(trainedBefore);
      assertThat(opt.stateCount()).isEqualTo(1);
      assertThat(opt.iterations()).isEqualTo(3);
    }
  }

  @Test
  void stateIsKeptPerParameter() {
    // Two parameters stepped together give the same values as each stepped alone with its own optimizer.
    Parameter a = param("a", 3, 4);
    Parameter b = param("b", 4, 2, 2);
    Parameter a2 = param("a", 3, 4);
    Parameter b2 = param("b", 4, 2, 2);
    Adam together = new Adam(0.01);
    Adam aloneA = new Adam(0.01);
    Adam aloneB = new Adam(0.01);
    for (int k = 0; k < 4; k++) {
      together.step(List.of(a, b));
      aloneA.step(List.of(a2));
      aloneB.step(List.of(b2));
    }
    assertThat(a.value().data()).containsExactly(a2.value().data());
    assertThat(b.value().data()).containsExactly(b2.value().data());
  }

  @Test
  void shapeChangeUnderTheSameNameIsRejected() {
    for (AbstractOptimizer<?> opt : optimizers()) {
      opt.step(List.of(param("conv.kernel", 1, 3, 3, 1, 8)));
      Parameter rebuilt = param("conv.kernel", 1, 3, 3, 1, 16);
      float[] before = rebuilt.value().data().clone();
      assertThatThrownBy(() -> opt.step(List.of(rebuilt)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("parameter 'conv.kernel' has shape (3, 3, 1, 16)")
          .hasMessageContaining("made for (3, 3, 1, 8)");
      assertThat(rebuilt.value().data()).containsExactly(before);
      assertThat(opt.iterations()).isEqualTo(1);
      opt.reset();
      assertThat(opt.iterations()).isZero();
      assertThat(opt.stateCount()).isZero();
      opt.step(List.of(rebuilt));
      assertThat(opt.iterations()).isEqualTo(1);
    }
  }

  @Test
  void aBadListChangesNothing() {
    for (AbstractOptimizer<?> opt : optimizers()) {
      Parameter first = param("dense.kernel", 1, 2, 3);
      Parameter dup = param("dense.kernel", 2, 2, 3);
      float[] before = first.value().data().clone();
      assertThatThrownBy(() -> opt.step(List.of(first, dup)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("parameter name 'dense.kernel' occurs twice in params (at index 1)");
      assertThatThrownBy(() -> opt.step(Arrays.asList(first, null)))
          .hasMessageContaining(opt.name() + ".step: params[1] is null");
      assertThatThrownBy(() -> opt.step(null)).hasMessageContaining("params is null");
      assertThat(first.value().data()).containsExactly(before);
      assertThat(opt.iterations()).isZero();
      // A failed call does not poison the next one.
      opt.step(List.of(first));
      assertThat(opt.iterations()).isEqualTo(1);
    }
  }

  @Test
  void learningRateIsTheScheduleRateForTheNextStep() {
    LearningRateSchedule schedule = LearningRateSchedule.exponential(0.01, 2, 0.5, false);
    Adam adam = new Adam(schedule);
    Parameter p = param("w", 1, 3);
    for (long k = 0; k < 5; k++) {
      assertThat(adam.learningRate()).isEqualTo(schedule.rate(k));
      adam.step(List.of(p));
    }
    // A schedule set mid-training continues from the current step.
    LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 10, 0.0);
    adam.setSchedule(cosine);
    assertThat(adam.learningRate()).isEqualTo(cosine.rate(5));
    adam.setLearningRate(0.003);
    assertThat(adam.learningRate()).isEqualTo(0.003f);
    assertThatThrownBy(() -> adam.setLearningRate(0)).hasMessageContaining("adam: learningRate must be > 0");
    assertThatThrownBy(() -> adam.setSchedule(null)).hasMessageContaining("adam: schedule is null");
  }

  @Test
  void configListsHyperParametersWithKerasNames() {
    SGD sgd = SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build();
    assertThat(sgd.config())
        .containsExactly(
            Map.entry("name", "sgd"),
            Map.entry("learning_rate", 0.1f),
            Map.entry("momentum", 0.9f),
            Map.entry("nesterov", true),
            Map.entry("weight_decay", 0f));
    assertThat(sgd.toString()).isEqualTo("SGD(learning_rate=0.1, momentum=0.9, nesterov=true, weight_decay=0.0)");
    Adam adam = new Adam(LearningRateSchedule.cosine(0.001, 100, 0.0));
    assertThat(adam.config().get("learning_rate")).isEqualTo(LearningRateSchedule.cosine(0.001, 100, 0.0).config());
    assertThat(adam.config()).containsEntry("beta_1", 0.9f).containsEntry("beta_2", 0.999f)
        .containsEntry("epsilon", 1e-7f).containsEntry("amsgrad", false);
  }

  @Test
  void configRoundTripsThroughPlainJsonTypes() {
    List<Optimizer> all =
        List.of(
            new SGD(0.01),
            SGD.builder().schedule(LearningRateSchedule.step(0.1, 30, 0.1)).momentum(0.9).weightDecay(5e-4).build(),
            new Adam(),
            Adam.builder().schedule(LearningRateSchedule.cosine(1e-3, 1000, 0.1).withWarmup(50))
                .beta1(0.8).beta2(0.99).epsilon(1e-8).weightDecay(0.01).amsgrad(true).build());
    for (Optimizer opt : all) {
      Optimizer back = Optimizer.fromConfig(LearningRateScheduleTest.asJson(opt.config()));
      assertThat(back.getClass()).isEqualTo(opt.getClass());
      assertThat(back.config()).isEqualTo(opt.config());
    }
    assertThat(Optimizer.fromConfig(Map.of("name", "Adam")).config()).isEqualTo(new Adam().config());
    assertThat(Optimizer.fromConfig(Map.of("name", "SGD")).config()).isEqualTo(new SGD(0.01).config());
    assertThatThrownBy(() -> Optimizer.fromConfig(Map.of("name", "rmsprop")))
        .hasMessageContaining("unknown optimizer name 'rmsprop'");
    assertThatThrownBy(() -> Optimizer.fromConfig(Map.of("name", "sgd", "learning_rate", "high")))
        .hasMessageContaining("'learning_rate' must be a number or a schedule map, got String high");
    assertThatThrownBy(() -> Optimizer.fromConfig(Map.of("name", "adam", "beta_1", 1.0)))
        .hasMessageContaining("beta1 must be in [0, 1), got 1.0");
  }
}
