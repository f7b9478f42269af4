package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Parallel;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.Layer;
import dev.neurona.layers.SeededLayer;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All five layers: reproducible randomness, thread-count independence, config round trips, save and load. */
class AugmentationModelTest {
  /** Fresh layers (a built layer cannot join another model), covering every setting. */
  private static List<Supplier<Layer>> variants() {
    return List.of(
        RandomFlip::new,
        () -> new RandomFlip("horizontal"),
        () -> new RandomFlip(RandomFlip.Mode.VERTICAL),
        () -> new RandomRotation(0.2),
        () -> new RandomRotation(-0.1, 0.3).fillMode("constant").fillValue(0.25).interpolation("nearest"),
        () -> new RandomZoom(0.3),
        () -> new RandomZoom(0.2, 0.1).fillMode("wrap"),
        () -> new RandomZoom(new double[] {-0.3, -0.1}, null).fillMode("nearest"),
        () -> new RandomTranslation(0.2, 0.3),
        () -> new RandomTranslation(new double[] {-0.1, 0.2}, new double[] {0, 0.25}).fillMode("constant"),
        () -> new RandomContrast(0.4),
        () -> new RandomContrast(0.2, 0.5).valueRange(-1, 1));
  }

  private static Tensor images(int n, long seed) {
    return Tensor.uniform(Shape.of(n, 7, 9, 3), -1, 1, seed);
  }

  private static Layer built(Supplier<Layer> s, long seed) {
    Layer l = s.get();
    l.build(Shape.of(7, 9, 3), seed);
    return l;
  }

  private static void callCount(Layer l, long n) {
    ((SeededLayer) l).callCount(n); // what BackupAndRestore sees of every augmentation layer
  }

  @Test
  void sameSeedSameOutputNewOutputEachCall() {
    Tensor x = images(6, 1);
    for (Supplier<Layer> s : variants()) {
      Layer a = built(s, 21);
      Layer b = built(s, 21);
      String what = a.toString();
      float[] a1 = a.forward(x, true).data().clone();
      float[] a2 = a.forward(x, true).data().clone();
      assertThat(b.forward(x, true).data()).as(what).isEqualTo(a1);
      assertThat(a2).as(what).isNotEqualTo(a1);
      callCount(a, 1);
      assertThat(a.forward(x, true).data()).as(what).isEqualTo(a2);
      assertThat(((RandomImageLayer) a).callCount()).isEqualTo(2);
      assertThat(built(s, 22).forward(x, true).data()).as(what).isNotEqualTo(a1);
    }
  }

  @Test
  void forwardAndBackwardAreBitIdenticalForOneTwoAndThreeThreads() {
    Tensor x = images(7, 2);
    Tensor g = images(7, 3);
    int before = Parallel.threads();
    try {
      for (Supplier<Layer> s : variants()) {
        List<float[]> outputs = new ArrayList<>();
        List<float[]> grads = new ArrayList<>();
        for (int threads = 1; threads <= 3; threads++) {
          Parallel.setThreads(threads);
          Layer l = built(s, 5);
          callCount(l, 3);
          outputs.add(l.forward(x, true).data().clone());
          grads.add(l.backward(g).data().clone());
        }
        String what = s.get().toString();
        assertThat(outputs.get(1)).as(what).isEqualTo(outputs.get(0));
        assertThat(outputs.get(2)).as(what).isEqualTo(outputs.get(0));
        assertThat(grads.get(1)).as(what).isEqualTo(grads.get(0));
        assertThat(grads.get(2)).as(what).isEqualTo(grads.get(0));
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** By class name and reflection, as the model loader does, from JSON-like values (doubles, longs, lists). */
  @Test
  void everyConfigRoundTrips() throws Exception {
    for (Supplier<Layer> s : variants()) {
      Layer l = s.get();
      Class<?> c = Class.forName("dev.neurona.layers.preprocessing." + l.typeName());
      Method m = c.getMethod("fromConfig", Map.class);
      Layer copy = (Layer) m.invoke(null, l.config());
      assertThat(copy.config()).as(l.toString()).isEqualTo(l.config());
      @SuppressWarnings("unchecked")
      Map<String, Object> json = (Map<String, Object>) jsonLike(l.config());
      assertThat(((Layer) m.invoke(null, json)).config()).as(l.toString()).isEqualTo(l.config());
      assertThat(copy).hasToString(l.toString());
    }
  }

  /** Whole numbers as longs, as the JSON parser gives them. */
  private static Object jsonLike(Object v) {
    if (v instanceof Double && (Double) v == Math.rint((Double) v)) {
      return ((Double) v).longValue();
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(jsonLike(e));
      }
      return out;
    }
    if (v instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put((String) e.getKey(), jsonLike(e.getValue()));
      }
      return out;
    }
    return v;
  }

  private static Sequential augmentedModel(long seed) {
    return new Sequential(seed)
        .input(8, 8, 3)
        .add(new RandomFlip("horizontal"))
        .add(new RandomRotation(0.1).fillMode("constant"))
        .add(new RandomZoom(0.1, 0.2))
        .add(new RandomTranslation(new double[] {-0.1, 0.2}, new double[] {0, 0.1}).interpolation("nearest"))
        .add(new RandomContrast(0.3).valueRange(0, 1))
        .add(new Flatten())
        .add(new Dense(2, "softmax"));
  }

  @Test
  void aModelWithEveryLayerTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
    Tensor x = Tensor.uniform(Shape.of(16, 8, 8, 3), 0, 1, 4);
    Tensor y = Tensor.zeros(16);
    for (int i = 0; i < 16; i++) {
      y.data()[i] = i % 2;
    }
    Sequential model = augmentedModel(3).compile(new Adam(0.01), new SparseCategoricalCrossentropy());
    model.fit(x, y, Fit.defaults().epochs(2).batchSize(8));
    Path file = dir.resolve("augmented.zip");
    model.save(file);
    Sequential loaded = Sequential.load(file);
    assertThat(loaded.layers()).extracting(Layer::toString)
        .containsExactlyElementsOf(model.layers().stream().map(Layer::toString).toList());
    assertThat(loaded.layers().get(1)).isInstanceOf(RandomRotation.class);
    assertThat(((RandomRotation) loaded.layers().get(1)).fillMode()).isEqualTo("constant");
    // At inference the augmentation layers are the identity: the same predictions, bit for bit.
    assertThat(loaded.predict(x).data()).isEqualTo(model.predict(x).data());
    // Same model seed, same layer seeds: the reloaded layers augment exactly as fresh ones would.
    Sequential fresh = augmentedModel(3);
    for (int i = 0; i < 5; i++) {
      Layer a = loaded.layers().get(i);
      Layer b = fresh.layers().get(i);
      assertThat(a.forward(x, true).data()).as(a.toString()).isEqualTo(b.forward(x, true).data());
    }
  }
}
