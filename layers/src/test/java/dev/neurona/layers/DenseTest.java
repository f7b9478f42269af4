package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.gemm.NaiveGemm;
import dev.neurona.core.kernels.ScalarKernels;
import dev.neurona.layers.init.Constant;
import dev.neurona.layers.init.TruncatedNormal;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DenseTest {
  private static Dense built(Dense d, int in, long seed) {
    d.build(Shape.of(in), seed);
    return d;
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "relu", "sigmoid", "tanh", "softmax"})
  void gradientsMatchFiniteDifferences(String activation) {
    Dense d = built(new Dense(4, activation).biasInitializer(new Constant(0.1)), 6, 11);
    Tensor x = GradientCheck.awayFromZero(3, -1f, 1f, 0.05f, 3, 6);
    GradientCheck.Report r = GradientCheck.create().checkLayer(d, x).assertPassed();
    assertThat(r.tensors()).extracting(GradientCheck.TensorCheck::name).containsExactly("input", "dense.kernel", "dense.bias");
  }

  /** The model's fused path: softmax-cross-entropy's (p - y)/B handed to backwardFromPreActivation. */
  @Test
  void fusedSoftmaxPathMatchesThePlainBackward() {
    Dense d = built(new Dense(5, "softmax"), 6, 3);
    Tensor x = Tensor.uniform(Shape.of(4, 6), -1, 1, 8);
    Tensor labels = Tensor.of(new float[] {0, 4, 2, 2}, 4);
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();

    Tensor probs = d.forward(x, true);
    Tensor dProbs = Tensor.zeros(probs.shape());
    loss.compute(probs, labels, dProbs);
    Tensor plainDx = d.backward(dProbs).copy();
    Tensor plainDw = d.kernel().grad().copy();

    d.kernel().zeroGrad();
    probs = d.forward(x, true);
    Tensor dLogits = Tensor.zeros(probs.shape());
    loss.computeFromSoftmax(probs, labels, dLogits);
    Tensor fusedDx = d.backwardFromPreActivation(dLogits);
    for (int i = 0; i < plainDx.size(); i++) {
      assertThat(fusedDx.data()[i]).isCloseTo(plainDx.data()[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
    for (int i = 0; i < plainDw.size(); i++) {
      assertThat(d.kernel().grad().data()[i]).isCloseTo(plainDw.data()[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void forwardIsXTimesWPlusB() {
    Dense d = built(new Dense(2).biasInitializer(new Constant(0.5)), 3, 1);
    float[] w = d.kernel().value().data();
    Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
    Tensor y = d.forward(x, false);
    for (int j = 0; j < 2; j++) {
      float expected = 0.5f + 1 * w[j] + 2 * w[2 + j] + 3 * w[4 + j];
      assertThat(y.get(0, j)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  void withoutBiasHasOnlyAKernel() {
    Dense d = built(new Dense(3).useBias(false), 4, 1);
    assertThat(d.parameters()).hasSize(1);
    assertThat(d.bias()).isNull();
    assertThat(d.parameterCount()).isEqualTo(12);
    GradientCheck.create().checkLayer(d, Tensor.uniform(Shape.of(2, 4), -1, 1, 5)).assertPassed();
  }

  @Test
  void backwardAccumulatesIntoGradientsAndOverwritesThemAfterZeroGrad() {
    Dense d = built(new Dense(3), 4, 1);
    Tensor x = Tensor.uniform(Shape.of(2, 4), -1, 1, 5);
    Tensor g = Tensor.uniform(Shape.of(2, 3), -1, 1, 6);
    d.forward(x, true);
    d.backward(g);
    Tensor once = d.kernel().grad().copy();
    d.forward(x, true);
    d.backward(g);
    for (int i = 0; i < once.size(); i++) {
      assertThat(d.kernel().grad().data()[i]).isCloseTo(2 * once.data()[i], org.assertj.core.data.Offset.offset(1e-5f));
    }
    // After zeroGrad the next backward overwrites the gradient without reading it (β = 0): stale NaNs, as a
    // refused step leaves, do not reach it.
    java.util.Arrays.fill(d.kernel().grad().data(), Float.NaN);
    d.kernel().zeroGrad();
    d.forward(x, true);
    d.backward(g);
    assertThat(d.kernel().grad().data()).containsExactly(once.data());
  }

  @Test
  void firstLayerSkipsTheInputGradient() {
    Dense d = built(new Dense(3), 4, 1);
    d.setNeedsInputGradient(false);
    d.forward(Tensor.uniform(Shape.of(2, 4), -1, 1, 5), true);
    assertThat(d.backward(Tensor.uniform(Shape.of(2, 3), -1, 1, 6))).isNull();
    assertThat(d.kernel().grad().data()).isNotEqualTo(new float[12]);
  }

  @Test
  void reusesItsBuffersForTheSameBatchSize() {
    Dense d = built(new Dense(3, "relu"), 4, 1);
    Tensor y1 = d.forward(Tensor.uniform(Shape.of(2, 4), -1, 1, 5), true);
    Tensor dx1 = d.backward(Tensor.uniform(Shape.of(2, 3), -1, 1, 6));
    Tensor y2 = d.forward(Tensor.uniform(Shape.of(2, 4), -1, 1, 7), true);
    Tensor dx2 = d.backward(Tensor.uniform(Shape.of(2, 3), -1, 1, 8));
    assertThat(y2).isSameAs(y1);
    assertThat(dx2).isSameAs(dx1);
    assertThat(d.forward(Tensor.uniform(Shape.of(1, 4), -1, 1, 7), true).shape()).isEqualTo(Shape.of(1, 3));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Dense(0)).hasMessageContaining("units").hasMessageContaining("0");
    assertThatThrownBy(() -> new Dense(-3, "relu")).hasMessageContaining("units must be >= 1, got -3");
    assertThatThrownBy(() -> new Dense(3, "swish")).hasMessageContaining("Dense").hasMessageContaining("\"swish\"");
    assertThatThrownBy(() -> new Dense(3).kernelInitializer("lecun")).hasMessageContaining("\"lecun\"");
  }

  @Test
  void rejectsImagesAndSuggestsFlatten() {
    Dense d = new Dense(10);
    d.name("dense_1");
    assertThatThrownBy(() -> d.build(Shape.of(28, 28, 1), 1))
        .hasMessageContaining("Dense 'dense_1'")
        .hasMessageContaining("(28, 28, 1)")
        .hasMessageContaining("Flatten");
  }

  @Test
  void wrongBatchShapeNamesTheLayerAndBothShapes() {
    Dense d = built(new Dense(3), 4, 1);
    assertThatThrownBy(() -> d.forward(Tensor.zeros(2, 5), true))
        .hasMessageContaining("Dense")
        .hasMessageContaining("(batch, 4,)")
        .hasMessageContaining("(2, 5)");
    d.forward(Tensor.zeros(2, 4), true);
    assertThatThrownBy(() -> d.backward(Tensor.zeros(2, 4)))
        .hasMessageContaining("Dense").hasMessageContaining("(2, 4)").hasMessageContaining("(2, 3)");
  }

  @Test
  void optionsCannotChangeAfterBuild() {
    Dense d = built(new Dense(3), 4, 1);
    assertThatThrownBy(() -> d.useBias(false)).isInstanceOf(IllegalStateException.class).hasMessageContaining("useBias");
  }

  @Test
  void toStringShowsOnlyNonDefaults() {
    assertThat(new Dense(128)).hasToString("Dense(units=128)");
    assertThat(new Dense(128, "relu")).hasToString("Dense(units=128, activation=relu)");
    assertThat(new Dense(10).useBias(false).kernelInitializer(new TruncatedNormal(0, 0.1)).toString())
        .isEqualTo("Dense(units=10, use_bias=false, kernel_initializer={class_name=truncated_normal, config={mean=0.0, stddev=0.1}})");
  }

  @Test
  void sameSeedSameWeights() {
    Dense a = built(new Dense(5), 7, 42);
    Dense b = built(new Dense(5), 7, 42);
    Dense c = built(new Dense(5), 7, 43);
    assertThat(a.kernel().value().data()).isEqualTo(b.kernel().value().data());
    assertThat(a.kernel().value().data()).isNotEqualTo(c.kernel().value().data());
  }

  @Test
  void enumStringAndSetterFormsBuildTheSameLayer() {
    Dense[] forms = {new Dense(5, Activation.RELU), new Dense(5, "relu"), new Dense(5, "ReLU"),
        new Dense(5).activation(Activation.RELU), new Dense(5).activation("relu")};
    Tensor x = Tensor.uniform(Shape.of(3, 7), -1, 1, 2);
    Dense first = built(forms[0], 7, 42);
    float[] y = first.forward(x, false).data().clone();
    for (Dense d : forms) {
      built(d, 7, 42);
      assertThat(d.activation()).isEqualTo(Activation.RELU);
      assertThat(d.config()).isEqualTo(first.config());
      assertThat(d.kernel().value().data()).isEqualTo(first.kernel().value().data());
      assertThat(d.bias().value().data()).isEqualTo(first.bias().value().data());
      assertThat(d.forward(x, false).data()).isEqualTo(y);
    }
    assertThat(new Dense(5).activation(Activation.SOFTMAX).activation(Activation.LINEAR)).hasToString("Dense(units=5)");
  }

  @Test
  void activationSetterValidatesAndOnlyWorksBeforeBuild() {
    assertThatThrownBy(() -> new Dense(3).activation((Activation) null))
        .hasMessageContaining("Dense: activation is null");
    assertThatThrownBy(() -> new Dense(3, (Activation) null)).hasMessageContaining("Dense: activation is null");
    assertThatThrownBy(() -> new Dense(3).activation("swish")).hasMessageContaining("Dense").hasMessageContaining("\"swish\"");
    assertThat(new Dense(3).activation((String) null).activation()).isEqualTo(Activation.LINEAR);
    Dense d = built(new Dense(3), 4, 1);
    assertThatThrownBy(() -> d.activation(Activation.RELU)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("activation");
    assertThatThrownBy(() -> d.activation("relu")).isInstanceOf(IllegalStateException.class);
  }

  /** The plain-loop reference named in backwardFromPreActivation's Javadoc: NaiveGemm and the scalar column sums. */
  @Test
  void backwardMatchesThePlainLoopReference() {
    int batch = 4;
    int in = 7;
    int units = 5;
    Dense d = built(new Dense(units).biasInitializer(new Constant(0.1)), in, 3);
    Tensor x = Tensor.uniform(Shape.of(batch, in), -1, 1, 5);
    Tensor dOut = Tensor.uniform(Shape.of(batch, units), -1, 1, 6); // linear: dZ = dOut
    d.forward(x, true);
    Tensor dX = d.backward(dOut);
    float[] dW = new float[in * units];
    NaiveGemm.sgemm(true, false, in, units, batch, 1f, x.data(), 0, in, dOut.data(), 0, units, 0f, dW, 0, units);
    float[] dXRef = new float[batch * in];
    NaiveGemm.sgemm(false, true, batch, in, units, 1f, dOut.data(), 0, units, d.kernel().value().data(), 0, units, 0f,
        dXRef, 0, in);
    float[] dB = new float[units];
    ScalarKernels.INSTANCE.biasGrad(dOut.data(), 0, batch, units, dB, 0);
    assertThat(d.kernel().grad().data()).containsExactly(dW, org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(d.bias().grad().data()).containsExactly(dB, org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(dX.data()).containsExactly(dXRef, org.assertj.core.data.Offset.offset(1e-5f));
  }

  /**
   * In a call of several passes the kernel is packed once and reused by the later passes: the same
   * bits as the unpacked product, batch by batch; the next call packs again and sees a kernel
   * changed in between.
   */
  @Test
  void inferPacksTheKernelOncePerCallOfSeveralPassesWithTheUnpackedBits() {
    Dense d = built(new Dense(130, "relu"), 150, 5); // 150·130 floats: packed
    Workspace ws = new Workspace();
    Tensor x1 = Tensor.uniform(Shape.of(7, 150), -1, 1, 1);
    Tensor x2 = Tensor.uniform(Shape.of(3, 150), -1, 1, 2);
    float[] plain1 = d.forward(x1, false).data().clone();
    float[] plain2 = d.forward(x2, false).data().clone();

    ws.beginCall(2);
    var first = ws.packedWeights(d.kernel().value().data(), 150, 130);
    assertThat(first).isNotNull();
    ws.reset();
    assertThat(d.infer(x1, ws).data()).containsExactly(plain1);
    ws.reset();
    assertThat(d.infer(x2, ws).data()).containsExactly(plain2);
    ws.reset();
    assertThat(ws.packedWeights(d.kernel().value().data(), 150, 130)).isSameAs(first);

    d.kernel().value().data()[7] += 0.5f;
    float[] changed = d.forward(x1, false).data().clone();
    assertThat(changed).isNotEqualTo(plain1);
    ws.beginCall(2);
    assertThat(d.infer(x1, ws).data()).containsExactly(changed);
  }

  @Test
  void aSinglePassOrASmallKernelIsNotPacked() {
    Workspace ws = new Workspace();
    float[] w = new float[150 * 130];
    assertThat(ws.packedWeights(w, 150, 130)).as("outside a call").isNull();
    ws.beginCall(1);
    assertThat(ws.packedWeights(w, 150, 130)).as("a call of one pass").isNull();
    ws.beginCall(2);
    assertThat(ws.packedWeights(w, 150, 130)).isNotNull();

    Dense small = built(new Dense(10), 20, 3); // 200 floats: multiplied unpacked
    Tensor x = Tensor.uniform(Shape.of(4, 20), -1, 1, 4);
    float[] plain = small.forward(x, false).data().clone();
    ws.beginCall(3);
    assertThat(small.infer(x, ws).data()).containsExactly(plain);
  }
}
