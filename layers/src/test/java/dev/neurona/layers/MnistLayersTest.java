package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import org.junit.jupiter.api.Test;

/** The layers of the MNIST tutorial network: output shapes and parameter counts as Keras' summary shows them. */
class MnistLayersTest {
  @Test
  void shapesAndParameterCounts() {
    Layer[] layers = {
        new Conv2D(32, 5, "same", "relu"), new MaxPool2D(2),
        new Conv2D(64, 5, "same", "relu"), new MaxPool2D(2),
        new Flatten(), new Dense(1024, "relu"), new Dropout(0.4), new Dense(10, "softmax")};
    Shape[] expectedShapes = {
        Shape.of(28, 28, 32), Shape.of(14, 14, 32), Shape.of(14, 14, 64), Shape.of(7, 7, 64),
        Shape.of(3136), Shape.of(1024), Shape.of(1024), Shape.of(10)};
    long[] expectedParams = {832, 0, 51_264, 0, 0, 3_212_288, 0, 10_250};
    Shape s = Shape.of(28, 28, 1);
    long total = 0;
    for (int i = 0; i < layers.length; i++) {
      layers[i].build(s, i);
      s = layers[i].outputShape();
      assertThat(s).as(layers[i].toString()).isEqualTo(expectedShapes[i]);
      assertThat(layers[i].parameterCount()).as(layers[i].toString()).isEqualTo(expectedParams[i]);
      total += layers[i].parameterCount();
    }
    assertThat(total).isEqualTo(3_274_634);

    // One forward pass of two images: right shapes, a probability distribution per image.
    Tensor h = Tensor.uniform(Shape.of(2, 28, 28, 1), 0, 1, 3);
    for (Layer l : layers) {
      h = l.forward(h, false);
    }
    assertThat(h.shape()).isEqualTo(Shape.of(2, 10));
    float sum = 0;
    for (int c = 0; c < 10; c++) {
      sum += h.get(0, c);
    }
    assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
  }
}
