package dev.neurona.layers.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Activation;
import dev.neurona.layers.GradientCheck;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossesTest {
  private static final int B = 4;
  private static final int C = 5;

  /** Softmax probabilities of seeded logits: all comfortably inside (1e-7, 1 - 1e-7). */
  private static Tensor probs(long seed) {
    Tensor z = Tensor.uniform(Shape.of(B, C), -1.5f, 1.5f, seed);
    Tensor p = Tensor.zeros(z.shape());
    Activation.SOFTMAX.forward(z, p);
    return p;
  }

  private static Tensor labels(long seed) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(B);
    for (int b = 0; b < B; b++) {
      t.data()[b] = r.nextInt(C);
    }
    return t;
  }

  private static Tensor oneHot(Tensor labels) {
    Tensor y = Tensor.zeros(B, C);
    for (int b = 0; b < B; b++) {
      y.set(1f, b, (int) labels.data()[b]);
    }
    return y;
  }

  /** Soft targets: each row a distribution. */
  private static Tensor soft(long seed) {
    return probs(seed + 100);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void sparseCategoricalGradient(boolean fromLogits) {
    Tensor pred = fromLogits ? Tensor.uniform(Shape.of(B, C), -3, 3, 1) : probs(1);
    GradientCheck.create().step(1e-3).checkLoss(new SparseCategoricalCrossentropy(fromLogits), pred, labels(2)).assertPassed();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void categoricalGradient(boolean fromLogits) {
    Tensor pred = fromLogits ? Tensor.uniform(Shape.of(B, C), -3, 3, 1) : probs(1);
    CategoricalCrossentropy loss = new CategoricalCrossentropy(fromLogits);
    GradientCheck.create().step(1e-3).checkLoss(loss, pred, oneHot(labels(2))).assertPassed();
    GradientCheck.create().step(1e-3).checkLoss(loss, pred, soft(3)).assertPassed();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void binaryGradient(boolean fromLogits) {
    Tensor pred = fromLogits ? Tensor.uniform(Shape.of(B, 3), -4, 4, 1) : Tensor.uniform(Shape.of(B, 3), 0.1f, 0.9f, 1);
    Tensor hard = Tensor.zeros(B, 3);
    for (int i = 0; i < hard.size(); i++) {
      hard.data()[i] = i % 3 == 0 ? 1f : 0f;
    }
    BinaryCrossentropy loss = new BinaryCrossentropy(fromLogits);
    GradientCheck.create().step(1e-3).checkLoss(loss, pred, hard).assertPassed();
    GradientCheck.create().step(1e-3).checkLoss(loss, pred, Tensor.uniform(Shape.of(B, 3), 0, 1, 5)).assertPassed();
  }

  @Test
  void meanSquaredErrorGradientAndValue() {
    Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor y = Tensor.of(new float[] {1, 0, 3, 2}, 2, 2);
    assertThat(new MeanSquaredError().compute(p, y, null)).isEqualTo(2f); // (0 + 4 + 0 + 4) / 4
    GradientCheck.create().checkLoss(new MeanSquaredError(), Tensor.uniform(Shape.of(B, 3), -1, 1, 1),
        Tensor.uniform(Shape.of(B, 3), -1, 1, 2)).assertPassed();
    // (batch, 1) predictions accept (batch) targets.
    GradientCheck.create().checkLoss(new MeanSquaredError(), Tensor.uniform(Shape.of(B, 1), -1, 1, 1),
        Tensor.uniform(Shape.of(B), -1, 1, 2)).assertPassed();
  }

  @Test
  void logitsAndProbabilitiesAgree() {
    Tensor z = Tensor.uniform(Shape.of(B, C), -2, 2, 7);
    Tensor p = Tensor.zeros(z.shape());
    Activation.SOFTMAX.forward(z, p);
    Tensor t = labels(8);
    float fromP = new SparseCategoricalCrossentropy(false).compute(p, t, null);
    assertThat(new SparseCategoricalCrossentropy(true).compute(z, t, null)).isCloseTo(fromP, within(1e-5f));
    assertThat(new CategoricalCrossentropy(true).compute(z, oneHot(t), null)).isCloseTo(fromP, within(1e-5f));
    Tensor s = Tensor.zeros(z.shape());
    Activation.SIGMOID.forward(z, s);
    Tensor y = Tensor.uniform(Shape.of(B, C), 0, 1, 9);
    assertThat(new BinaryCrossentropy(true).compute(z, y, null))
        .isCloseTo(new BinaryCrossentropy(false).compute(s, y, null), within(1e-5f));
  }

  @Test
  void uniformPredictionsCostLogClasses() {
    Tensor p = Tensor.full(Shape.of(B, C), 1f / C);
    assertThat(new SparseCategoricalCrossentropy().compute(p, labels(1), null)).isCloseTo((float) Math.log(C), within(1e-6f));
  }

  /** The fused path equals the softmax backward applied to the loss gradient, and gives the same loss. */
  @Test
  void fusedSoftmaxGradientEqualsTheChainRule() {
    Tensor p = probs(11);
    Tensor t = labels(12);
    Loss[] losses = {new SparseCategoricalCrossentropy(), new CategoricalCrossentropy(), new CategoricalCrossentropy()};
    Tensor[] targets = {t, oneHot(t), soft(13)};
    for (int k = 0; k < losses.length; k++) {
      Loss loss = losses[k];
      assertThat(loss.fusesWithSoftmax()).isTrue();
      Tensor dp = Tensor.zeros(p.shape());
      float l = loss.compute(p, targets[k], dp);
      Tensor chain = Tensor.zeros(p.shape());
      Activation.SOFTMAX.backward(p, dp, chain);
      Tensor fused = Tensor.zeros(p.shape());
      assertThat(loss.computeFromSoftmax(p, targets[k], fused)).isEqualTo(l);
      for (int i = 0; i < p.size(); i++) {
        assertThat(fused.data()[i]).as("%s element %d", loss.name(), i).isCloseTo(chain.data()[i], within(1e-6f));
      }
    }
    // One-hot targets: exactly (p - y) / batch.
    Tensor fused = Tensor.zeros(p.shape());
    new SparseCategoricalCrossentropy().computeFromSoftmax(p, t, fused);
    Tensor y = oneHot(t);
    for (int i = 0; i < p.size(); i++) {
      assertThat(fused.data()[i]).isCloseTo((p.data()[i] - y.data()[i]) / B, within(1e-7f));
    }
  }

  @Test
  void logitLossesDoNotFuse() {
    assertThat(new SparseCategoricalCrossentropy(true).fusesWithSoftmax()).isFalse();
    assertThat(new CategoricalCrossentropy(true).fusesWithSoftmax()).isFalse();
    assertThat(new BinaryCrossentropy().fusesWithSoftmax()).isFalse();
    assertThat(new MeanSquaredError().fusesWithSoftmax()).isFalse();
    assertThatThrownBy(() -> new SparseCategoricalCrossentropy(true).computeFromSoftmax(probs(1), labels(1), null))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("sparse_categorical_crossentropy");
  }

  @Test
  void probabilitiesOfZeroAndOneGiveFiniteLossAndGradient() {
    Tensor p = Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3);
    Tensor t = Tensor.of(new float[] {1, 1}, 2);
    Tensor g = Tensor.zeros(2, 3);
    float l = new SparseCategoricalCrossentropy().compute(p, t, g);
    // Sample 0 has p = 0 for its label: -log(1e-7) ≈ 16.12; sample 1 has p = 1: -log(1 - 1e-7) ≈ 0.
    assertThat(l).isCloseTo((float) (-Math.log(1e-7) / 2), within(1e-3f));
    assertThat(g.data()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
    float fused = new SparseCategoricalCrossentropy().computeFromSoftmax(p, t, g);
    assertThat(fused).isEqualTo(l);
    assertThat(g.data()).doesNotContain(Float.NaN);

    Tensor pc = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
    Tensor yc = Tensor.of(new float[] {1, 0, 1, 0}, 2, 2);
    Tensor gc = Tensor.zeros(2, 2);
    assertThat(new CategoricalCrossentropy().compute(pc, yc, gc)).isFinite();
    assertThat(gc.data()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);

    Tensor pb = Tensor.of(new float[] {0, 1, 0, 1}, 4, 1);
    Tensor yb = Tensor.of(new float[] {0, 1, 1, 0}, 4);
    Tensor gb = Tensor.zeros(4, 1);
    float lb = new BinaryCrossentropy().compute(pb, yb, gb);
    // Two confident mistakes out of four: -log(1e-7) and -log(1 - (1 - 1e-7)), the latter in float32 as Keras clips.
    double upper = 1f - 1e-7f;
    assertThat(lb).isCloseTo((float) ((-Math.log(1e-7) - Math.log(1 - upper)) / 4), within(1e-3f));
    assertThat(gb.data()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
  }

  @Test
  void extremeLogitsStayFinite() {
    Tensor z = Tensor.of(new float[] {1000, -1000, 0, 0, 0, 1000}, 2, 3);
    Tensor g = Tensor.zeros(2, 3);
    float l = new SparseCategoricalCrossentropy(true).compute(z, Tensor.of(new float[] {1, 2}, 2), g);
    assertThat(l).isCloseTo(1000f, within(1e-3f)); // sample 0: 2000, sample 1: 0
    assertThat(g.data()).doesNotContain(Float.NaN);
    Tensor gb = Tensor.zeros(2, 1);
    float lb = new BinaryCrossentropy(true).compute(Tensor.of(new float[] {100, -100}, 2, 1), Tensor.of(new float[] {0, 1}, 2), gb);
    assertThat(lb).isCloseTo(100f, within(1e-4f));
    assertThat(gb.data()).containsExactly(0.5f, -0.5f);
  }

  @Test
  void labelsOutOfRangeNameTheLossTheSampleAndTheValue() {
    Tensor p = probs(1);
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
    assertThatThrownBy(() -> loss.compute(p, Tensor.of(new float[] {0, 1, 5, 2}, 4), null))
        .hasMessageContaining("sparse_categorical_crossentropy").hasMessageContaining("sample 2").hasMessageContaining("5.0")
        .hasMessageContaining("[0, 4]");
    assertThatThrownBy(() -> loss.compute(p, Tensor.of(new float[] {0, -1, 1, 2}, 4), null))
        .hasMessageContaining("sample 1").hasMessageContaining("-1.0");
    assertThatThrownBy(() -> loss.compute(p, Tensor.of(new float[] {0, 1, 1, 2.5f}, 4), null))
        .hasMessageContaining("sample 3").hasMessageContaining("2.5");
    assertThatThrownBy(() -> loss.compute(p, Tensor.of(new float[] {0, 1, 1, Float.NaN}, 4), null))
        .hasMessageContaining("sample 3").hasMessageContaining("NaN");
    assertThatThrownBy(() -> new BinaryCrossentropy().compute(Tensor.full(Shape.of(2, 1), 0.5f), Tensor.of(new float[] {0, 2}, 2), null))
        .hasMessageContaining("binary_crossentropy").hasMessageContaining("sample 1").hasMessageContaining("2.0");
    assertThatThrownBy(() -> new CategoricalCrossentropy().compute(p, Tensor.full(Shape.of(B, C), -0.5f), null))
        .hasMessageContaining("categorical_crossentropy").hasMessageContaining("sample 0").hasMessageContaining("-0.5");
  }

  @Test
  void wrongTargetShapes() {
    Tensor p = probs(1);
    assertThatThrownBy(() -> new SparseCategoricalCrossentropy().compute(p, Tensor.zeros(B, C), null))
        .hasMessageContaining("sparse_categorical_crossentropy").hasMessageContaining("(4,)").hasMessageContaining("(4, 5)");
    assertThatThrownBy(() -> new SparseCategoricalCrossentropy().compute(p, Tensor.zeros(3), null))
        .hasMessageContaining("(3,)");
    assertThatThrownBy(() -> new CategoricalCrossentropy().compute(p, Tensor.zeros(B), null))
        .hasMessageContaining("categorical_crossentropy").hasMessageContaining("(4,)").hasMessageContaining("(4, 5)");
    assertThatThrownBy(() -> new MeanSquaredError().compute(p, Tensor.zeros(B, 3), null))
        .hasMessageContaining("mean_squared_error").hasMessageContaining("(4, 3)");
    assertThatThrownBy(() -> new SparseCategoricalCrossentropy().compute(Tensor.zeros(B), labels(1), null))
        .hasMessageContaining("(batch, classes)");
    assertThatThrownBy(() -> new SparseCategoricalCrossentropy().compute(p, labels(1), Tensor.zeros(B, 2)))
        .hasMessageContaining("grad").hasMessageContaining("(4, 2)");
  }

  @Test
  void factory() {
    assertThat(Losses.of("sparse_categorical_crossentropy")).isInstanceOf(SparseCategoricalCrossentropy.class);
    assertThat(Losses.of("categorical_crossentropy")).isInstanceOf(CategoricalCrossentropy.class);
    assertThat(Losses.of("binary_crossentropy")).isInstanceOf(BinaryCrossentropy.class);
    assertThat(Losses.of("mse").name()).isEqualTo("mean_squared_error");
    assertThat(((SparseCategoricalCrossentropy) Losses.of("sparse_categorical_crossentropy")).fromLogits()).isFalse();
    assertThatThrownBy(() -> Losses.of("hinge")).hasMessageContaining("\"hinge\"");
  }
}
