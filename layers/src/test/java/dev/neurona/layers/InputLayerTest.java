package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputLayerTest {
  @Test
  void declaresAShapeAndIsTheIdentity() {
    InputLayer in = new InputLayer(28, 28, 1);
    assertThat(in.shape()).isEqualTo(Shape.of(28, 28, 1));
    assertThat(in.config()).isEqualTo(Map.of("shape", List.of(28, 28, 1)));
    assertThat(InputLayer.fromConfig(Map.of("shape", List.of(28L, 28L, 1L))).shape()).isEqualTo(in.shape());
    in.build(Shape.of(28, 28, 1), 0);
    Tensor x = Tensor.zeros(2, 28, 28, 1);
    assertThat(in.forward(x, true)).isSameAs(x);
    assertThat(in.parameterCount()).isZero();
    assertThatThrownBy(() -> in.forward(Tensor.zeros(2, 28, 28), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 28, 28)");
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(InputLayer::new).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one dimension");
    assertThatThrownBy(() -> new InputLayer(28, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 1").hasMessageContaining("got 0");
    assertThatThrownBy(() -> InputLayer.fromConfig(Map.of("shape", "28x28")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("28x28");
  }
}
