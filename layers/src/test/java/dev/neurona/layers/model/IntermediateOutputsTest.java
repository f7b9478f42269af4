package dev.neurona.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.training.Fit;
import dev.neurona.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential#upTo} and {@link Sequential#outputs}: a layer's output equals, bit for bit, the
 * output of a model built from the layers up to it with the same weights.
 */
class IntermediateOutputsTest {
  /** Fresh layers of the test network, the first {@code k} of them. */
  private static List<Layer> layers(int k) {
    List<Layer> all = List.of(new Rescaling(1 / 255.0), new Conv2D(6, 3, "same", "relu"), new MaxPool2D(2),
        new Conv2D(8, 3, "same", "relu"), new MaxPool2D(2), new Flatten(), new Dense(16, "relu"), new Dropout(0.5),
        new Dense(5, "softmax"));
    return all.subList(0, k);
  }

  /** The whole network, trained for a few steps so that no weight is at its initial value. */
  private static Sequential trained() {
    Sequential m = new Sequential(11L).input(12, 12, 1);
    for (Layer l : layers(9)) {
      m.add(l);
    }
    m.compile(new Adam(1e-2), "sparse_categorical_crossentropy", "accuracy");
    Tensor y = Tensor.zeros(24);
    Random r = new Random(3);
    for (int i = 0; i < 24; i++) {
      y.data()[i] = r.nextInt(5);
    }
    m.fit(images(24, 5), y, Fit.defaults().epochs(2).batchSize(8));
    return m;
  }

  private static Tensor images(int n, long seed) {
    return Tensor.zeros(n, 12, 12, 1).fillUniform(0f, 255f, new Random(seed));
  }

  /** A model of fresh layers {@code 0..k-1} with the weights of {@code m}'s first {@code k} layers. */
  private static Sequential truncated(Sequential m, int k) {
    Sequential t = new Sequential(99L).input(12, 12, 1);
    int tensors = 0;
    for (int i = 0; i < k; i++) {
      t.add(layers(k).get(i));
      tensors += m.layers().get(i).parameters().size();
    }
    t.setWeights(m.getWeights().subList(0, tensors));
    return t;
  }

  @Test
  void everyLayersOutputEqualsTheTruncatedModelsBitForBit() {
    Sequential m = trained();
    Tensor x = images(37, 8); // two full batches of 16 and a smaller one
    List<Tensor> outs = m.outputs(x, 16);
    assertThat(outs).hasSize(9);
    for (int k = 1; k <= 9; k++) {
      Tensor expected = truncated(m, k).predict(x, 16);
      Layer last = m.layers().get(k - 1);
      assertThat(outs.get(k - 1).shape()).isEqualTo(last.outputShape().prepend(37));
      assertThat(outs.get(k - 1).data()).as("outputs: layer %d", k - 1).containsExactly(expected.data());
      Sequential sub = m.upTo(k - 1);
      assertThat(sub.predict(x, 16).data()).as("upTo(%d)", k - 1).containsExactly(expected.data());
      assertThat(m.upTo(last.name()).predict(x, 16).data()).containsExactly(expected.data());
      assertThat(sub.outputShape()).isEqualTo(last.outputShape());
    }
    assertThat(outs.get(8).data()).containsExactly(m.predict(x, 16).data());
    // The single-sample path too.
    float[] one = new float[144];
    System.arraycopy(x.data(), 0, one, 0, 144);
    assertThat(m.upTo(3).predict(one)).containsExactly(truncated(m, 4).predict(one));
  }

  @Test
  void theSubModelSharesTheLayersWeightsAndLock() {
    Sequential m = trained();
    Sequential sub = m.upTo("conv2d_1");
    assertThat(sub.name()).isEqualTo("sequential_to_conv2d_1");
    assertThat(sub.layers()).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(sub.layers().get(i)).isSameAs(m.layers().get(i));
    }
    assertThat(sub.weightsLock()).isSameAs(m.weightsLock());
    assertThat(sub.inputShape()).isEqualTo(m.inputShape());
    assertThat(sub.optimizer()).isNull();
    Tensor x = images(3, 1);
    Tensor before = sub.predict(x);
    // Changing the model's weights changes the sub-model's outputs: they are the same weights.
    List<Tensor> w = m.getWeights();
    w.get(0).data()[0] += 1f;
    m.setWeights(w);
    assertThat(sub.predict(x).data()).isNotEqualTo(before.data());
    assertThat(sub.predict(x).data()).containsExactly(truncated(m, 4).predict(x).data());
    // Layers added to the sub-model are its own; the model keeps its nine.
    sub.add(new Flatten()).add(new Dense(3, "softmax"));
    assertThat(sub.predict(x).shape()).isEqualTo(dev.neurona.core.Shape.of(3, 3));
    assertThat(m.layers()).hasSize(9);
  }

  @Test
  void manyThreadsGetTheBitsTheyGetAlone() throws Exception {
    Sequential m = trained();
    Tensor x = images(20, 4);
    List<Tensor> alone = m.outputs(x, 8);
    Sequential sub = m.upTo(4);
    Tensor subAlone = sub.predict(x, 8);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int which = t;
        Callable<Boolean> call = () -> {
          if (which % 2 == 0) {
            List<Tensor> o = m.outputs(x, 8);
            for (int i = 0; i < o.size(); i++) {
              if (!java.util.Arrays.equals(o.get(i).data(), alone.get(i).data())) {
                return false;
              }
            }
            return true;
          }
          return java.util.Arrays.equals(sub.predict(x, 8).data(), subAlone.data());
        };
        results.add(pool.submit(call));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badLayerIndexOrNameIsAClearError() {
    Sequential m = trained();
    assertThatThrownBy(() -> m.upTo(9)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("upTo: layer index 9 is not in [0, 9)").hasMessageContaining("0: rescaling (Rescaling)")
        .hasMessageContaining("8: dense_1 (Dense)");
    assertThatThrownBy(() -> m.upTo(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer index -1 is not in [0, 9)");
    assertThatThrownBy(() -> m.upTo("conv3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no layer is named 'conv3'").hasMessageContaining("3: conv2d_1 (Conv2D)");
    assertThatThrownBy(() -> m.upTo((String) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no layer is named 'null'");
    Sequential unbuilt = new Sequential().add(new Dense(3));
    assertThatThrownBy(() -> unbuilt.upTo(0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("upTo: the input shape is not known yet");
    assertThatThrownBy(() -> m.outputs(images(2, 1), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outputs: batchSize must be >= 1, got 0");
    assertThatThrownBy(() -> m.outputs(Tensor.zeros(2, 10, 10, 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outputs");
  }

  @Test
  void aNonFiniteOutputNamesTheFirstLayerThatGaveIt() {
    Sequential m = trained();
    List<Tensor> w = m.getWeights();
    // conv2d_1's bias is tensor 3 (after conv2d's kernel and bias, and its own kernel); relu keeps +inf.
    w.get(3).data()[5] = Float.POSITIVE_INFINITY;
    m.setWeights(w);
    assertThatThrownBy(() -> m.outputs(images(3, 2)))
        .isInstanceOf(dev.neurona.layers.training.NonFiniteOutputException.class)
        .hasMessageContaining("conv2d_1").hasMessageContaining("layer 4 of 9");
  }
}
