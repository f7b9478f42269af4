package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.conv.DirectConv2d;
import dev.neurona.core.conv.Padding;
import dev.neurona.layers.init.Constant;
import org.junit.jupiter.api.Test;

class Conv2DTest {
  private static Conv2D built(Conv2D c, long seed, int... inputShape) {
    c.build(Shape.of(inputShape), seed);
    return c;
  }

  private static GradientCheck.Report check(Conv2D c, int batch, int h, int w, int ch) {
    built(c, 5, h, w, ch);
    Tensor x = Tensor.uniform(Shape.of(batch, h, w, ch), -1, 1, 9);
    return GradientCheck.create().step(1e-2).checkLayer(c, x).assertPassed();
  }

  @Test
  void inferMaxPoolOfA5x5ConvolutionIsWithinRoundingOfConvolutionThenPooling() {
    Conv2D conv = built(new Conv2D(24, 5, "same", "relu"), 2, 14, 14, 16); // MNIST's second layer, smaller
    MaxPool2D pool = new MaxPool2D(2);
    pool.build(conv.outputShape(), 4);
    Tensor x = Tensor.uniform(Shape.of(2, 14, 14, 16), -1, 1, 9);
    float[] expected = pool.infer(conv.infer(x, new Workspace()), new Workspace()).data();
    float[] fused = conv.inferMaxPool(x, pool, new Workspace()).data();
    float largest = 0f;
    for (float v : expected) {
      largest = Math.max(largest, Math.abs(v));
    }
    assertThat(largest).as("outputs of a useful size").isGreaterThan(0.1f);
    for (int i = 0; i < expected.length; i++) {
      assertThat(fused[i]).as("pooled output %d", i).isCloseTo(expected[i], within(largest * 1e-5f));
    }
  }

  @Test
  void inferMaxPoolGivesTheBitsOfConvolutionThenPoolingAndOnlyFusesWhatItCan() {
    Conv2D conv = built(new Conv2D(20, 5, "same", "relu"), 3, 12, 10, 3); // a 75-float window: the direct path
    MaxPool2D pool = new MaxPool2D(2);
    pool.build(conv.outputShape(), 4);
    Tensor x = Tensor.uniform(Shape.of(3, 12, 10, 3), -1, 1, 8);
    assertThat(conv.fusesMaxPool(pool)).isTrue();
    Tensor expected = pool.infer(conv.infer(x, new Workspace()), new Workspace());
    Tensor fused = conv.inferMaxPool(x, pool, new Workspace());
    assertThat(fused.shape()).isEqualTo(expected.shape());
    assertThat(fused.data()).containsExactly(expected.data());

    Conv2D sigmoid = built(new Conv2D(4, 3, "same", "sigmoid"), 3, 12, 10, 3);
    MaxPool2D after = new MaxPool2D(2);
    after.build(sigmoid.outputShape(), 4);
    assertThat(sigmoid.fusesMaxPool(after)).as("sigmoid is applied before pooling; not fused").isFalse();
    assertThatThrownBy(() -> sigmoid.inferMaxPool(x, after, new Workspace()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("activation sigmoid");
    assertThat(conv.fusesMaxPool(new Flatten())).isFalse();
    assertThat(conv.fusesMaxPool(after)).as("a pooling built on another shape").isFalse();
  }

  @Test
  void inferRescaledMaxPoolGivesTheBitsOfRescalingConvolutionThenPoolingAndOnlyFoldsWhatItCan() {
    // {filters, kernel, padding, channels, scale, offset}: flowers' first layer, a 5×5 on one channel, 20 filters
    // (a partial group of 16) and an offset; all padded ("same"), so the convolution reads padded copies
    Object[][] cases = {{16, 3, "same", 3, 1.0 / 255, 0.0}, {8, 5, "same", 1, 0.5, 0.0}, {20, 3, "same", 3, 2.0, -1.0}};
    for (Object[] c : cases) {
      int channels = (int) c[3];
      Conv2D conv = built(new Conv2D((int) c[0], (int) c[1], (String) c[2], "relu"), 3, 12, 10, channels);
      Rescaling rescaling = new Rescaling((double) c[4], (double) c[5]);
      rescaling.build(Shape.of(12, 10, channels), 1);
      MaxPool2D pool = new MaxPool2D(2);
      pool.build(conv.outputShape(), 4);
      assertThat(conv.fusesRescaling(rescaling, pool)).as("case %s", java.util.Arrays.toString(c)).isTrue();
      for (int batch : new int[] {1, 5}) { // one image: rescaled first, then the usual path
        Tensor x = Tensor.uniform(Shape.of(batch, 12, 10, channels), -255, 255, 8);
        x.data()[7] = -0f;
        x.data()[11] = Float.NaN;
        Tensor expected = pool.infer(conv.infer(rescaling.infer(x, new Workspace()), new Workspace()), new Workspace());
        Tensor fused = conv.inferRescaledMaxPool(x, rescaling, pool, new Workspace());
        assertThat(fused.shape()).isEqualTo(expected.shape());
        assertThat(fused.data()).as("case %s, batch %d", java.util.Arrays.toString(c), batch)
            .containsExactly(expected.data());
      }
    }
    Conv2D conv = built(new Conv2D(16, 3, "same", "relu"), 3, 12, 10, 3);
    Rescaling rescaling = new Rescaling(0.5);
    rescaling.build(Shape.of(12, 10, 3), 1);
    MaxPool2D pool = new MaxPool2D(2);
    pool.build(conv.outputShape(), 4);
    assertThat(conv.fusesRescaling(new Dropout(0.5), pool)).as("not a rescaling").isFalse();
    assertThat(conv.fusesRescaling(rescaling, new Flatten())).as("no pooling after").isFalse();
    Conv2D wide = built(new Conv2D(16, 3, "same", "relu"), 3, 12, 10, 16); // 144-float windows: no direct copies
    Rescaling before = new Rescaling(0.5);
    before.build(Shape.of(12, 10, 16), 1);
    MaxPool2D after = new MaxPool2D(2);
    after.build(wide.outputShape(), 4);
    assertThat(wide.fusesRescaling(before, after)).as("a convolution that reads its input in place").isFalse();
    Conv2D valid = built(new Conv2D(16, 3, "valid", "relu"), 3, 12, 10, 3);
    MaxPool2D validPool = new MaxPool2D(2);
    validPool.build(valid.outputShape(), 4);
    assertThat(valid.fusesRescaling(rescaling, validPool)).as("no padding: the images are read in place").isFalse();
    assertThatThrownBy(() -> wide.inferRescaledMaxPool(Tensor.zeros(Shape.of(2, 12, 10, 16)), before, after,
        new Workspace())).isInstanceOf(IllegalStateException.class).hasMessageContaining("fusesRescaling");
  }

  @Test
  void backwardMaxPoolGivesTheBitsOfPoolingThenConvolutionBackward() {
    // {filters, pool padding ("valid" leaves the 7th row and 9th column in no window), activation}
    Object[][] cases = {{20, "valid", "relu"}, {16, "same", "relu"}, {3, "valid", "linear"}, {33, "same", "linear"}};
    for (Object[] c : cases) {
      Conv2D conv = built(new Conv2D((Integer) c[0], 3, "same", (String) c[2]), 6, 7, 9, 4);
      MaxPool2D pool = new MaxPool2D(2, 2, (String) c[1]);
      pool.build(conv.outputShape(), 0);
      assertThat(conv.fusesMaxPoolBackward(pool)).isTrue();
      Tensor x = Tensor.uniform(Shape.of(3, 7, 9, 4), -1, 1, 10);
      Tensor dPool = Tensor.uniform(pool.outputShape().prepend(3), -1, 1, 11);
      pool.forward(conv.forward(x, true), true);
      float[] dx = conv.backward(pool.backward(dPool)).data().clone();
      float[] dK = conv.kernel().grad().data().clone();
      float[] dB = conv.bias().grad().data().clone();
      conv.kernel().zeroGrad();
      conv.bias().zeroGrad();
      float[] pooled = pool.forward(conv.forward(x, true), true).data().clone();
      Tensor fused = conv.backwardMaxPool(pool, dPool);
      String what = "filters " + c[0] + ", pool " + c[1] + ", " + c[2];
      assertThat(fused.data()).as("dX, " + what).containsExactly(dx);
      assertThat(conv.kernel().grad().data()).as("dK, " + what).containsExactly(dK);
      assertThat(conv.bias().grad().data()).as("db, " + what).containsExactly(dB);
      // Forward fused as well (the convolution's output never stored): the same pooled values and gradients.
      conv.kernel().zeroGrad();
      conv.bias().zeroGrad();
      assertThat(conv.forwardMaxPool(x, pool).data()).as("pooled, " + what).containsExactly(pooled);
      assertThatThrownBy(() -> conv.backward(Tensor.zeros(conv.outputShape().prepend(3))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("backwardMaxPool");
      assertThat(conv.backwardMaxPool(pool, dPool).data()).as("dX after a fused forward, " + what).containsExactly(dx);
      assertThat(conv.kernel().grad().data()).as("dK after a fused forward, " + what).containsExactly(dK);
      assertThat(conv.bias().grad().data()).as("db after a fused forward, " + what).containsExactly(dB);
    }
    Conv2D conv = built(new Conv2D(4, 3, "same", "relu"), 6, 7, 7, 2);
    MaxPool2D overlapping = new MaxPool2D(3, 2, "valid");
    overlapping.build(conv.outputShape(), 0);
    assertThat(conv.fusesMaxPool(overlapping)).as("inference fuses any pooling").isTrue();
    assertThat(conv.fusesMaxPoolBackward(overlapping)).as("windows that overlap").isFalse();
    assertThatThrownBy(() -> conv.backwardMaxPool(overlapping, Tensor.zeros(overlapping.outputShape().prepend(1))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tile the input: false");
  }

  @Test
  void valid3x3() {
    Conv2D c = new Conv2D(3, 3);
    check(c, 2, 5, 5, 2);
    assertThat(c.outputShape()).isEqualTo(Shape.of(3, 3, 3));
  }

  @Test
  void same5x5OnOddSize() {
    Conv2D c = new Conv2D(2, 5, "same", null);
    check(c, 1, 7, 7, 2);
    assertThat(c.outputShape()).isEqualTo(Shape.of(7, 7, 2));
  }

  @Test
  void same2x2OnEvenSizePadsBottomRight() {
    Conv2D c = new Conv2D(2, 2, "same", null);
    check(c, 2, 4, 4, 2);
    assertThat(c.geometry().padTop).isZero();
    assertThat(c.outputShape()).isEqualTo(Shape.of(4, 4, 2));
  }

  @Test
  void same4x4OnEvenSizeIsAsymmetric() {
    Conv2D c = new Conv2D(2, 4, "same", null);
    check(c, 1, 6, 6, 1);
    assertThat(c.geometry().padTop).isEqualTo(1); // total 3: one above, two below
    assertThat(c.outputShape()).isEqualTo(Shape.of(6, 6, 2));
  }

  @Test
  void stride2() {
    Conv2D c = new Conv2D(2, 3, "same", null).strides(2);
    check(c, 2, 7, 6, 2);
    assertThat(c.outputShape()).isEqualTo(Shape.of(4, 3, 2));
  }

  @Test
  void rectangularKernelAndStrides() {
    Conv2D c = new Conv2D(3, new int[] {2, 3}, new int[] {1, 2}, "valid", null);
    check(c, 2, 5, 7, 2);
    assertThat(c.outputShape()).isEqualTo(Shape.of(4, 3, 3));
    assertThat(c.kernel().shape()).isEqualTo(Shape.of(2, 3, 2, 3));
  }

  @Test
  void withActivations() {
    for (String a : new String[] {"relu", "sigmoid", "tanh"}) {
      Conv2D c = new Conv2D(2, 3, "same", a).biasInitializer(new Constant(0.05));
      built(c, 5, 4, 4, 2);
      Tensor x = Tensor.uniform(Shape.of(1, 4, 4, 2), -1, 1, 9);
      GradientCheck.create().step(1e-3).checkLayer(c, x).assertPassed();
    }
  }

  @Test
  void forwardMatchesTheDirectConvolutionPlusActivation() {
    Conv2D c = built(new Conv2D(4, 3, "same", "relu").biasInitializer(new Constant(0.1)), 3, 6, 5, 2);
    Tensor x = Tensor.uniform(Shape.of(2, 6, 5, 2), -1, 1, 4);
    Tensor y = c.forward(x, false);
    float[] ref = new float[y.size()];
    DirectConv2d.forward(c.geometry(), 2, x.data(), c.kernel().value().data(), c.bias().value().data(), ref);
    for (int i = 0; i < ref.length; i++) {
      assertThat(y.data()[i]).isCloseTo(Math.max(ref[i], 0f), within(1e-5f));
    }
  }

  @Test
  void mnistTutorialShapesAndParameterCounts() {
    Conv2D c1 = built(new Conv2D(32, 5, "same", "relu"), 1, 28, 28, 1);
    Conv2D c2 = built(new Conv2D(64, 5, "same", "relu"), 2, 14, 14, 32);
    assertThat(c1.outputShape()).isEqualTo(Shape.of(28, 28, 32));
    assertThat(c1.parameterCount()).isEqualTo(832);
    assertThat(c2.outputShape()).isEqualTo(Shape.of(14, 14, 64));
    assertThat(c2.parameterCount()).isEqualTo(51_264);
    assertThat(c1.parameters()).extracting(p -> p.shape().toString()).containsExactly("(5, 5, 1, 32)", "(32,)");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Conv2D(32, 0)).hasMessageContaining("kernel_size").hasMessageContaining("[0, 0]");
    assertThatThrownBy(() -> new Conv2D(0, 3)).hasMessageContaining("filters must be >= 1, got 0");
    assertThatThrownBy(() -> new Conv2D(8, 3, "full", null)).hasMessageContaining("Conv2D").hasMessageContaining("\"full\"");
    assertThatThrownBy(() -> new Conv2D(8, 3).strides(0)).hasMessageContaining("strides").hasMessageContaining("[0, 0]");
    assertThatThrownBy(() -> new Conv2D(8, new int[] {3}, new int[] {1, 1}, "valid", null))
        .hasMessageContaining("kernel_size must have 2 values");
  }

  @Test
  void rejectsInputsThatDoNotFit() {
    Conv2D c = new Conv2D(8, 5);
    c.name("conv2d_1");
    assertThatThrownBy(() -> c.build(Shape.of(784), 1)).hasMessageContaining("Conv2D 'conv2d_1'").hasMessageContaining("(784,)");
    assertThatThrownBy(() -> c.build(Shape.of(3, 3, 1), 1)).hasMessageContaining("Conv2D 'conv2d_1'").hasMessageContaining("5x5");
    Conv2D ok = built(new Conv2D(8, 3), 1, 6, 6, 1);
    assertThatThrownBy(() -> ok.forward(Tensor.zeros(2, 6, 6, 3), false))
        .hasMessageContaining("Conv2D").hasMessageContaining("(batch, 6, 6, 1)").hasMessageContaining("(2, 6, 6, 3)");
  }

  @Test
  void toStringShowsNonDefaults() {
    assertThat(new Conv2D(32, 5, "same", "relu")).hasToString("Conv2D(filters=32, kernel_size=[5, 5], padding=same, activation=relu)");
    assertThat(new Conv2D(8, 3).strides(2)).hasToString("Conv2D(filters=8, kernel_size=[3, 3], strides=[2, 2])");
  }

  @Test
  void enumStringAndSetterFormsBuildTheSameLayer() {
    Conv2D[] forms = {
        new Conv2D(4, 3, Padding.SAME, Activation.RELU),
        new Conv2D(4, 3, "same", "relu"),
        new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
        new Conv2D(4, 3).padding("SAME").activation("relu"),
        new Conv2D(4, new int[] {3, 3}, new int[] {1, 1}, Padding.SAME, Activation.RELU),
        new Conv2D(4, new int[] {3, 3}, new int[] {1, 1}, "same", "relu")};
    Tensor x = Tensor.uniform(Shape.of(2, 6, 5, 2), -1, 1, 4);
    Conv2D first = built(forms[0], 42, 6, 5, 2);
    float[] y = first.forward(x, false).data().clone();
    for (Conv2D c : forms) {
      built(c, 42, 6, 5, 2);
      assertThat(c.padding()).isEqualTo(Padding.SAME);
      assertThat(c.activation()).isEqualTo(Activation.RELU);
      assertThat(c.config()).isEqualTo(first.config());
      assertThat(c.kernel().value().data()).isEqualTo(first.kernel().value().data());
      assertThat(c.bias().value().data()).isEqualTo(first.bias().value().data());
      assertThat(c.forward(x, false).data()).isEqualTo(y);
    }
    assertThat(forms[2]).hasToString("Conv2D(filters=4, kernel_size=[3, 3], padding=same, activation=relu)");
  }

  @Test
  void namedSettersValidateAndOnlyWorkBeforeBuild() {
    assertThat(new Conv2D(8, 3).padding()).isEqualTo(Padding.VALID);
    assertThatThrownBy(() -> new Conv2D(8, 3).padding("full")).hasMessageContaining("Conv2D").hasMessageContaining("\"full\"");
    assertThatThrownBy(() -> new Conv2D(8, 3).padding((Padding) null)).hasMessageContaining("Conv2D: padding is null");
    assertThatThrownBy(() -> new Conv2D(8, 3, (Padding) null, Activation.RELU)).hasMessageContaining("Conv2D: padding is null");
    assertThatThrownBy(() -> new Conv2D(8, 3, Padding.SAME, null)).hasMessageContaining("Conv2D: activation is null");
    assertThatThrownBy(() -> new Conv2D(8, 3).activation((Activation) null)).hasMessageContaining("Conv2D: activation is null");
    assertThatThrownBy(() -> new Conv2D(8, 3).activation("swish")).hasMessageContaining("Conv2D").hasMessageContaining("\"swish\"");
    Conv2D c = built(new Conv2D(2, 3), 1, 5, 5, 1);
    assertThatThrownBy(() -> c.padding(Padding.SAME)).isInstanceOf(IllegalStateException.class).hasMessageContaining("padding");
    assertThatThrownBy(() -> c.padding("same")).isInstanceOf(IllegalStateException.class).hasMessageContaining("padding");
    assertThatThrownBy(() -> c.activation(Activation.RELU)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("activation");
    assertThatThrownBy(() -> c.activation("relu")).isInstanceOf(IllegalStateException.class);
  }

  /** The plain-loop reference named in backwardFromPreActivation's Javadoc: DirectConv2d's three loops. */
  @Test
  void backwardMatchesTheDirectConvolution() {
    Conv2D c = built(new Conv2D(3, new int[] {3, 2}, new int[] {2, 1}, Padding.SAME, Activation.LINEAR)
        .biasInitializer(new Constant(0.1)), 5, 7, 6, 2);
    Tensor x = Tensor.uniform(Shape.of(2, 7, 6, 2), -1, 1, 9);
    c.forward(x, true);
    Tensor dOut = Tensor.uniform(c.outputShape().prepend(2), -1, 1, 10); // linear: dZ = dOut
    Tensor dX = c.backward(dOut);
    float[] dK = new float[c.kernel().size()];
    float[] dB = new float[3];
    float[] dXRef = new float[x.size()];
    DirectConv2d.backwardKernel(c.geometry(), 2, x.data(), dOut.data(), dK);
    DirectConv2d.backwardBias(c.geometry(), 2, dOut.data(), dB);
    DirectConv2d.backwardInput(c.geometry(), 2, dOut.data(), c.kernel().value().data(), dXRef);
    assertThat(c.kernel().grad().data()).containsExactly(dK, within(1e-5f));
    assertThat(c.bias().grad().data()).containsExactly(dB, within(1e-5f));
    assertThat(dX.data()).containsExactly(dXRef, within(1e-5f));
  }
}
