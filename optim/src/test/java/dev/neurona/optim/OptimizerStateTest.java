package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Saving an optimizer's state and restoring it into a fresh one continues training exactly. */
class OptimizerStateTest {
  private static List<Parameter> params(long seed) {
    return List.of(
        new Parameter("dense.kernel", Tensor.uniform(Shape.of(4, 3), -1, 1, seed)),
        new Parameter("dense.bias", Tensor.uniform(Shape.of(3), -1, 1, seed + 1)));
  }

  /** Gradients for step {@code step}, the same for any copy of the parameters. */
  private static void setGradients(List<Parameter> ps, int step) {
    for (int i = 0; i < ps.size(); i++) {
      ps.get(i).grad().fillUniform(-1, 1, new Random(1000L * step + i));
    }
  }

  private static List<Supplier<AbstractOptimizer<?>>> optimizers() {
    return List.of(
        () -> SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build(),
        () -> Adam.builder().learningRate(0.01).build(),
        () -> Adam.builder().learningRate(0.01).amsgrad(true).weightDecay(0.01).build(),
        () -> Adam.builder().schedule(LearningRateSchedule.exponential(0.01, 2, 0.5, false)).build());
  }

  @Test
  void restoredStateContinuesBitForBit() {
    for (Supplier<AbstractOptimizer<?>> make : optimizers()) {
      AbstractOptimizer<?> original = make.get();
      List<Parameter> a = params(7);
      for (int step = 0; step < 3; step++) {
        setGradients(a, step);
        original.step(a);
      }
      Map<String, Tensor> saved = original.state();
      assertThat(saved.keySet()).allSatisfy(k -> assertThat(k).startsWith("dense."));
      assertThat(saved).hasSize(2 * original.slots().size());

      // A fresh optimizer on a copy of the parameters, given the saved state.
      AbstractOptimizer<?> resumed = make.get();
      List<Parameter> b = new ArrayList<>();
      for (Parameter p : a) {
        b.add(new Parameter(p.name(), p.value().copy()));
      }
      resumed.restoreState(original.iterations(), saved);
      assertThat(resumed.iterations()).isEqualTo(3);
      assertThat(resumed.learningRate()).isEqualTo(original.learningRate());
      for (int step = 3; step < 6; step++) {
        setGradients(a, step);
        setGradients(b, step);
        original.step(a);
        resumed.step(b);
      }
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).value().data()).as("%s %s", original, a.get(i).name()).containsExactly(a.get(i).value().data());
      }
      assertThat(resumed.state().keySet()).isEqualTo(original.state().keySet());
    }
  }

  @Test
  void stateIsACopyAndEmptyBeforeTheFirstStep() {
    Adam adam = new Adam();
    assertThat(adam.state()).isEmpty();
    List<Parameter> ps = params(3);
    setGradients(ps, 0);
    adam.step(ps);
    Map<String, Tensor> s = adam.state();
    assertThat(s.keySet()).containsExactly("dense.bias/m", "dense.bias/v", "dense.kernel/m", "dense.kernel/v");
    assertThat(s.get("dense.kernel/m").shape()).isEqualTo(Shape.of(4, 3));
    s.get("dense.kernel/m").fill(99f);
    assertThat(adam.state().get("dense.kernel/m").data()).doesNotContain(99f);
    assertThat(new SGD(0.1).state()).isEmpty(); // no momentum: no buffers
  }

  @Test
  void badStateIsRejectedNamingTheKey() {
    Adam adam = new Adam();
    Map<String, Tensor> s = new HashMap<>();
    s.put("dense.kernel/m", Tensor.zeros(4, 3));
    assertThatThrownBy(() -> adam.restoreState(1, s)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'dense.kernel' has no 'v'");
    s.put("dense.kernel/v", Tensor.zeros(4, 2));
    assertThatThrownBy(() -> adam.restoreState(1, s)).hasMessageContaining("'dense.kernel/v' has shape (4, 2)");
    s.put("dense.kernel/v", Tensor.zeros(4, 3));
    s.put("dense.kernel/velocity", Tensor.zeros(4, 3));
    assertThatThrownBy(() -> adam.restoreState(1, s)).hasMessageContaining("key 'dense.kernel/velocity'");
    s.remove("dense.kernel/velocity");
    assertThatThrownBy(() -> adam.restoreState(-1, s)).hasMessageContaining("iterations must be >= 0, got -1");

    // Shapes are checked against the parameter when it is stepped, before anything changes.
    adam.restoreState(1, s);
    Parameter wrong = new Parameter("dense.kernel", Tensor.zeros(3, 4));
    assertThatThrownBy(() -> adam.step(List.of(wrong))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'dense.kernel/m' has shape (4, 3) but the parameter has shape (3, 4)");
    assertThat(wrong.value().data()).containsOnly(0f);
  }

  @Test
  void resetForgetsRestoredState() {
    Adam adam = new Adam();
    Map<String, Tensor> s = Map.of("w/m", Tensor.zeros(2).fill(5f), "w/v", Tensor.zeros(2).fill(5f));
    adam.restoreState(4, s);
    adam.reset();
    assertThat(adam.iterations()).isZero();
    Parameter w = new Parameter("w", Tensor.zeros(2));
    adam.step(List.of(w));
    assertThat(adam.state().get("w/m").data()).containsOnly(0f);
  }

  @Test
  void theStateIsReachedThroughTheOptimizerInterface() {
    // What a model file does: no cast to AbstractOptimizer.
    Optimizer original = SGD.builder().learningRate(0.1).momentum(0.9).build();
    List<Parameter> a = params(3);
    setGradients(a, 0);
    original.step(a);
    assertThat(original.isResumable()).isTrue();
    Optimizer copy = Optimizer.fromConfig(original.config());
    copy.restoreState(original.iterations(), original.state());
    List<Parameter> b = params(3);
    b.get(0).value().copyFrom(a.get(0).value());
    b.get(1).value().copyFrom(a.get(1).value());
    setGradients(a, 1);
    setGradients(b, 1);
    original.step(a);
    copy.step(b);
    assertThat(b.get(0).value().data()).containsExactly(a.get(0).value().data());
  }

  @Test
  void restoredStateNotYetAppliedIsPartOfTheStateSoItCanBeSavedAgain() {
    Adam original = Adam.builder().learningRate(0.01).amsgrad(true).build();
    List<Parameter> a = params(9);
    setGradients(a, 0);
    original.step(a);
    Map<String, Tensor> saved = original.state();
    Adam restored = Adam.builder().learningRate(0.01).amsgrad(true).build();
    restored.restoreState(1, saved);
    Map<String, Tensor> again = restored.state(); // before any step: a model loaded and saved again
    assertThat(again.keySet()).containsExactlyElementsOf(saved.keySet());
    saved.forEach((k, t) -> assertThat(again.get(k).data()).as(k).containsExactly(t.data()));
  }

  @Test
  void anOptimizerThatOnlyStepsHasNoStateAndSaysSo() {
    Optimizer plain = new Optimizer() {
      @Override
      public void step(List<Parameter> params) {}

      @Override
      public float learningRate() {
        return 0.1f;
      }

      @Override
      public long iterations() {
        return 0;
      }

      @Override
      public String name() {
        return "plain";
      }
    };
    assertThat(plain.isResumable()).isFalse();
    assertThat(plain.state()).isEmpty();
    assertThatThrownBy(() -> plain.restoreState(0, Map.of())).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("plain.restoreState").hasMessageContaining("not resumable");
  }
}
