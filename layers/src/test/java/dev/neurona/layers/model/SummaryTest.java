package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestScale;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void summaryIsAKerasStyleTableWithTotals() {
    Sequential m = new Sequential(new InputLayer(4), new TestLinear(8, "relu"), new TestScale(),
        new TestLinear(3, "softmax"));
    String s = m.summary();
    String expected = String.join("\n",
        "Model: \"sequential\"",
        "_________________________________________________________________",
        " Layer (type)                Output Shape                 Param #",
        "=================================================================",
        " test_linear (TestLinear)    (None, 8)                         40",
        "_________________________________________________________________",
        " test_scale (TestScale)      (None, 8)                          8",
        "_________________________________________________________________",
        " test_linear_1 (TestLinear)  (None, 3)                         27",
        "=================================================================",
        "Total params: 75 (300.00 B)",
        "Trainable params: 67 (268.00 B)",
        "Non-trainable params: 8 (32.00 B)",
        "");
    assertThat(s).isEqualTo(expected);
    assertThat(m.countParams()).isEqualTo(75);
  }


  @Test
  void summaryShowsImageShapesWithNoneAndSizesInKerasUnits() {
    Sequential m = new Sequential(new InputLayer(28, 28, 32), new TestFlatten(), new TestLinear(128, "relu"));
    String s = m.summary();
    assertThat(s).contains("(None, 25088)").contains("3,211,392");
    assertThat(Summary.batchShape(Shape.of(28, 28, 32))).isEqualTo("(None, 28, 28, 32)");
    assertThat(Summary.countWithSize(3_274_634)).isEqualTo("3,274,634 (12.49 MB)");
    assertThat(Summary.countWithSize(0)).isEqualTo("0 (0.00 B)");
    assertThat(Summary.countWithSize(34_826)).isEqualTo("34,826 (136.04 KB)");
  }


  @Test
  void summaryBeforeTheInputShapeIsKnownSaysHowToFixIt() {
    Sequential m = new Sequential().add(new TestLinear(2, null));
    assertThatThrownBy(m::summary).isInstanceOf(IllegalStateException.class).hasMessageContaining("input(...)");
  }
}
