package dev.neurona.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parallel;
import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A step never writes a non-finite value it could have refused: gradients are checked before
 * anything changes, every optimizer, every variant; and the parallel update gives the serial bits.
 */
class NonFiniteStepTest {
  private static final List<Supplier<AbstractOptimizer<?>>> OPTIMIZERS = List.of(
      () -> new SGD(0.1),
      () -> SGD.builder().learningRate(0.1).momentum(0.9).build(),
      () -> SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(1e-3).build(),
      () -> new Adam(),
      () -> Adam.builder().learningRate(0.01).weightDecay(0.1).amsgrad(true).build());

  private static Parameter param(String name, long seed, int... dims) {
    Parameter p = new Parameter(name, Tensor.uniform(Shape.of(dims), -1, 1, seed));
    p.grad().fillUniform(-1, 1, new Random(seed + 1));
    return p;
  }

  /** The bits of {@code a}: compared with equals, so NaN equals NaN and nothing is "close enough". */
  private static List<Integer> bits(float[] a) {
    List<Integer> b = new ArrayList<>(a.length);
    for (float f : a) {
      b.add(Float.floatToRawIntBits(f));
    }
    return b;
  }

  /** Weights, gradients, state and step count, to compare bit for bit. */
  private static List<Object> everything(AbstractOptimizer<?> opt, List<Parameter> ps) {
    List<Object> all = new ArrayList<>();
    for (Parameter p : ps) {
      all.add(bits(p.value().data()));
      all.add(bits(p.grad().data()));
    }
    for (Map.Entry<String, Tensor> e : opt.state().entrySet()) {
      all.add(e.getKey());
      all.add(bits(e.getValue().data()));
    }
    all.add(opt.iterations());
    all.add(opt.stateCount());
    return all;
  }

  @Test
  void aNanInfiniteOrOverflowingGradientIsRefusedBeforeAnythingChanges() {
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p64f, -3e28f};
    for (Supplier<AbstractOptimizer<?>> make : OPTIMIZERS) {
      for (float g : bad) {
        AbstractOptimizer<?> opt = make.get();
        // A large parameter (the parallel check and update) before a small one holding the bad gradient.
        List<Parameter> ps = List.of(param("dense.kernel", 1, 300, 400), param("dense.bias", 2, 7));
        opt.step(ps);
        ps.get(1).grad().data()[4] = g;
        List<Object> before = everything(opt, ps);
        assertThatThrownBy(() -> opt.step(ps)).as("%s, gradient %s", opt.name(), g)
            .isInstanceOfSatisfying(NonFiniteParameterException.class, e -> {
              assertThat(e.parameter()).isEqualTo("dense.bias");
              assertThat(e.index()).isEqualTo(4);
              assertThat(Float.floatToIntBits(e.value())).isEqualTo(Float.floatToIntBits(g));
              assertThat(e.step()).isEqualTo(2);
              assertThat(e.applied()).isFalse();
            })
            .hasMessageContaining(opt.name() + " step 2: the gradient of 'dense.bias' is " + g + " at index 4 (shape (7,))")
            .hasMessageContaining("the step was refused");
        assertThat(everything(opt, ps).equals(before)).as("%s, gradient %s: nothing changed", opt.name(), g).isTrue();
      }
    }
  }

  @Test
  void anOverflowingGradientSaysItsSquareOverflows() {
    AbstractOptimizer<?> opt = new SGD(0.1);
    Parameter p = param("w", 1, 3);
    p.grad().data()[2] = -2e19f;
    assertThatThrownBy(() -> opt.step(List.of(p))).isInstanceOf(NonFiniteParameterException.class)
        .hasMessageContaining("is -2.0E19 at index 2 (shape (3,)), whose square overflows float");
  }

  @Test
  void aRefusedFirstStepCreatesNoState() {
    for (Supplier<AbstractOptimizer<?>> make : OPTIMIZERS) {
      AbstractOptimizer<?> opt = make.get();
      Parameter good = param("a", 1, 5);
      Parameter bad = param("b", 2, 5);
      bad.grad().data()[0] = Float.NaN;
      assertThatThrownBy(() -> opt.step(List.of(good, bad))).isInstanceOf(NonFiniteParameterException.class);
      assertThat(opt.stateCount()).isZero();
      assertThat(opt.state()).isEmpty();
      assertThat(opt.iterations()).isZero();
    }
  }

  @Test
  void aGradientJustBelowTwoToThe64IsApplied() {
    for (Supplier<AbstractOptimizer<?>> make : OPTIMIZERS) {
      AbstractOptimizer<?> opt = make.get();
      Parameter p = param("w", 1, 4);
      p.grad().data()[1] = Math.nextDown(0x1p64f);
      opt.step(List.of(p));
      assertThat(opt.iterations()).isEqualTo(1);
      for (float w : p.value().data()) {
        assertThat(Float.isFinite(w)).isTrue();
      }
    }
  }

  @Test
  void aWeightAlreadyNanIsReportedAsAppliedAndNotUndone() {
    for (Supplier<AbstractOptimizer<?>> make : OPTIMIZERS) {
      AbstractOptimizer<?> opt = make.get();
      Parameter p = param("conv.kernel", 1, 2, 3);
      p.value().data()[5] = Float.NaN;
      float[] before = p.value().data().clone();
      assertThatThrownBy(() -> opt.step(List.of(p))).as(opt.name())
          .isInstanceOfSatisfying(NonFiniteParameterException.class, e -> {
            assertThat(e.applied()).isTrue();
            assertThat(e.index()).isEqualTo(5);
            assertThat(e.parameter()).isEqualTo("conv.kernel");
          })
          .hasMessageContaining("the weight of 'conv.kernel' became NaN at index 5")
          .hasMessageContaining("although every gradient was finite")
          .hasMessageContaining("the step was applied and could not be undone");
      assertThat(opt.iterations()).isEqualTo(1);
      assertThat(p.value().data()[0]).isNotEqualTo(before[0]);
    }
  }

  @Test
  void theParallelUpdateGivesTheSerialBits() {
    int before = Parallel.threads();
    try {
      for (Supplier<AbstractOptimizer<?>> make : OPTIMIZERS) {
        float[][] result = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
          Parallel.setThreads(threads);
          AbstractOptimizer<?> opt = make.get();
          Parameter p = param("dense.kernel", 7, 500, 300);
          for (int k = 0; k < 3; k++) {
            p.grad().fillUniform(-1, 1, new Random(k));
            opt.step(List.of(p));
          }
          result[threads - 1] = p.value().data();
        }
        assertThat(result[1]).as(make.get().name()).isEqualTo(result[0]);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }
}
