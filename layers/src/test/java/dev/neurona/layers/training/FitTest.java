package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

class FitTest {

  @Test
  void badOptionsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> Fit.defaults().epochs(1).batchSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be >= 1, got 0");
    assertThatThrownBy(() -> Fit.defaults().epochs(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> Fit.defaults().epochs(1).validationSplit(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit");
  }

  @Test
  void defaultsAreKerasButSilent() {
    Fit d = Fit.defaults();
    assertThat(d.epochs()).isEqualTo(1);
    assertThat(d.batchSize()).isEqualTo(32);
    assertThat(d.validationSplit()).isZero();
    assertThat(d.validationData()).isNull();
    assertThat(d.shuffle()).isTrue();
    assertThat(d.seed()).isNull();
    assertThat(d.callbacks()).isEmpty();
    assertThat(d.verbose()).isFalse();
  }

  /** The bug this design removes: {@code Fit.epochs(int)} was also a static factory, which reset the batch size. */
  @Test
  void settersChainInAnyOrderAndNeverChangeTheFitTheyAreCalledOn() {
    Fit base = Fit.defaults().batchSize(64);
    Fit five = base.epochs(5);
    assertThat(five.batchSize()).isEqualTo(64);
    assertThat(five.epochs()).isEqualTo(5);
    assertThat(Fit.defaults().batchSize(64).epochs(5)).hasToString(Fit.defaults().epochs(5).batchSize(64).toString());
    assertThat(base.epochs()).isEqualTo(1);
    assertThat(Fit.defaults().batchSize()).isEqualTo(32);

    Fit all = base.validationSplit(0.25).shuffle(false).seed(7).verbose(true);
    assertThat(all).hasToString("Fit(epochs=1, batchSize=64, validationSplit=0.25, validationData=none, shuffle=false,"
        + " seed=7, callbacks=0, verbose=true)");
    assertThat(base).hasToString("Fit(epochs=1, batchSize=64, validationSplit=0.0, validationData=none, shuffle=true,"
        + " seed=model, callbacks=0, verbose=false)");
    Fit validated = base.validationData(Tensor.zeros(3, 2), Tensor.zeros(3));
    assertThat(validated.validationData().size()).isEqualTo(3);
    assertThat(base.validationData()).isNull();
  }

  @Test
  void callbacksAreAddedInOrderToANewFitAndCannotBeChangedThroughTheList() {
    Callback a = new Callback() {};
    Callback b = new Callback() {};
    Fit one = Fit.defaults().callbacks(a);
    Fit two = one.callbacks(b);
    assertThat(one.callbacks()).containsExactly(a);
    assertThat(two.callbacks()).containsExactly(a, b);
    assertThatThrownBy(() -> two.callbacks().add(a)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> one.callbacks(b, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("callback 1").hasMessageContaining("is null");
    assertThat(one.callbacks()).containsExactly(a);
  }
}
