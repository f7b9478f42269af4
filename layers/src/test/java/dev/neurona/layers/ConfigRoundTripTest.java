package dev.neurona.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.init.Constant;
import dev.neurona.layers.init.TruncatedNormal;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every layer's config() re-creates an equal layer through its static fromConfig, as the model does on load. */
class ConfigRoundTripTest {
  private static final Layer[] LAYERS = {
      new Dense(128), new Dense(10, "softmax"),
      new Dense(7, "tanh").useBias(false).kernelInitializer("he_normal").biasInitializer(new Constant(0.1)),
      new Conv2D(32, 5, "same", "relu"),
      new Conv2D(4, new int[] {2, 3}, new int[] {1, 2}, "valid", "sigmoid").kernelInitializer(new TruncatedNormal(0, 0.1)),
      new MaxPool2D(), new MaxPool2D(3, 2, "same"), new MaxPool2D(new int[] {2, 3}, null, "valid"),
      new Flatten(), new Dropout(0.5), new Dropout(0.0), new ReLU(), new Sigmoid(), new Tanh(), new Softmax(),
      new Rescaling(1 / 255.0), new Rescaling(2, -1)};

  /** By class simple name, through reflection, exactly as a model loader would. */
  private static Layer recreate(String type, Map<String, Object> config) throws Exception {
    Class<?> c = Class.forName("dev.neurona.layers." + type);
    Method m = c.getMethod("fromConfig", Map.class);
    return (Layer) m.invoke(null, config);
  }

  @Test
  void everyLayerRoundTrips() throws Exception {
    for (Layer l : LAYERS) {
      Layer copy = recreate(l.typeName(), l.config());
      assertThat(copy).as(l.toString()).isInstanceOf(l.getClass());
      assertThat(copy.config()).as(l.toString()).isEqualTo(l.config());
    }
  }

  /** A JSON parser gives doubles (or longs) for numbers and its own lists: still the same layer. */
  @Test
  void roundTripsThroughJsonLikeValues() throws Exception {
    for (Layer l : LAYERS) {
      @SuppressWarnings("unchecked")
      Map<String, Object> json = (Map<String, Object>) jsonLike(l.config());
      assertThat(recreate(l.typeName(), json).config()).as(l.toString()).isEqualTo(l.config());
    }
  }

  private static Object jsonLike(Object v) {
    if (v instanceof Integer) {
      return ((Integer) v).doubleValue();
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

  @Test
  void configValuesAreJsonFriendly() {
    for (Layer l : LAYERS) {
      assertJsonFriendly(l.toString(), l.config());
    }
  }

  private static void assertJsonFriendly(String where, Object v) {
    if (v instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        assertThat(e.getKey()).as(where).isInstanceOf(String.class);
        assertJsonFriendly(where, e.getValue());
      }
    } else if (v instanceof List) {
      for (Object e : (List<?>) v) {
        assertJsonFriendly(where, e);
      }
    } else {
      assertThat(v).as(where).isInstanceOfAny(Number.class, String.class, Boolean.class);
    }
  }

  @Test
  void badConfigsNameTheLayerAndKey() {
    assertThatThrownBy(() -> Dense.fromConfig(Map.of("activation", "relu")))
        .hasMessageContaining("Dense.fromConfig").hasMessageContaining("\"units\"");
    assertThatThrownBy(() -> Dense.fromConfig(Map.of("units", 2.5)))
        .hasMessageContaining("\"units\"").hasMessageContaining("2.5");
    assertThatThrownBy(() -> Conv2D.fromConfig(Map.of("filters", 3, "kernel_size", List.of(3))))
        .hasMessageContaining("Conv2D.fromConfig").hasMessageContaining("kernel_size");
    assertThatThrownBy(() -> Dropout.fromConfig(Map.of())).hasMessageContaining("Dropout.fromConfig").hasMessageContaining("rate");
    assertThatThrownBy(() -> Dense.fromConfig(Map.of("units", 3, "kernel_initializer", "lecun")))
        .hasMessageContaining("kernel_initializer").hasMessageContaining("lecun");
  }

  @Test
  void kerasStyleKeysAndSingleNumberPairs() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("filters", 8);
    c.put("kernel_size", 3);
    Conv2D conv = Conv2D.fromConfig(c);
    assertThat(conv.config()).containsEntry("kernel_size", List.of(3, 3)).containsEntry("strides", List.of(1, 1))
        .containsEntry("padding", "valid").containsEntry("activation", "linear").containsEntry("use_bias", true)
        .containsEntry("kernel_initializer", "glorot_uniform").containsEntry("bias_initializer", "zeros");
  }
}
