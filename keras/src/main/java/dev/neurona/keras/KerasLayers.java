package dev.neurona.keras;

import dev.neurona.core.Shape;
import dev.neurona.layers.Activation;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.ReLU;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Sigmoid;
import dev.neurona.layers.Softmax;
import dev.neurona.layers.Tanh;
import dev.neurona.layers.init.Constant;
import dev.neurona.layers.init.Initializer;
import dev.neurona.layers.init.Initializers;
import dev.neurona.layers.preprocessing.RandomContrast;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomTranslation;
import dev.neurona.layers.preprocessing.RandomZoom;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One Keras layer config to a Neurona layer, and back. Neurona keeps Keras' layer names, config
 * keys, NHWC images and kernel layouts, so the work is checking: every key of a Keras config is
 * either read, known to be irrelevant (name, dtype float32, seed), or must hold its default value;
 * anything else is an {@link UnsupportedKerasModelException} naming the layer, the key and the value.
 */
final class KerasLayers {
  static final String CHANNELS_LAST = "channels_last";
  /** Keys that never change what a layer computes. */
  private static final Set<String> IRRELEVANT = Set.of("name", "trainable", "dtype", "seed", "lora_alpha", "autocast");
  /** Keys that change training but not predictions: the model then loads uncompiled. */
  private static final List<String> TRAINING_ONLY = List.of("kernel_regularizer", "bias_regularizer",
      "activity_regularizer", "kernel_constraint", "bias_constraint");

  private KerasLayers() {}

  // ---------------------------------------------------------------- Keras → Neurona

  /** Reads one layer's config, consuming keys; {@link #finish} checks what was left. */
  static final class Options {
    final ImportContext ctx;
    final String kerasClass;
    final String name;
    final Map<String, Object> config;
    private final Set<String> used = new HashSet<>();

    Options(ImportContext ctx, String kerasClass, String name, Map<String, Object> config) {
      this.ctx = ctx;
      this.kerasClass = kerasClass;
      this.name = name;
      this.config = config;
    }

    Object get(String key) {
      used.add(key);
      return config.get(key);
    }

    UnsupportedKerasModelException unsupported(String key, Object value, String why) {
      return ctx.unsupported(name, kerasClass, key, value, why);
    }

    KerasFormatException malformed(String key, Object value, String expected) {
      return new KerasFormatException(ctx.layer(name, kerasClass) + ": " + key + "=" + KerasJson.describe(value)
          + " is not " + expected);
    }

    String string(String key, String dflt) throws IOException {
      Object v = get(key);
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof String)) {
        throw malformed(key, v, "a string");
      }
      return (String) v;
    }

    int integer(String key, Integer dflt) throws IOException {
      Object v = get(key);
      if (v == null && dflt != null) {
        return dflt;
      }
      if (!(v instanceof Long) || (Long) v < Integer.MIN_VALUE || (Long) v > Integer.MAX_VALUE) {
        throw malformed(key, v, "a whole number");
      }
      return (int) (long) (Long) v;
    }

    double number(String key, double dflt) throws IOException {
      Object v = get(key);
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof Number)) {
        throw malformed(key, v, "a number");
      }
      return ((Number) v).doubleValue();
    }

    boolean bool(String key, boolean dflt) throws IOException {
      Object v = get(key);
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof Boolean)) {
        throw malformed(key, v, "true or false");
      }
      return (Boolean) v;
    }

    /** A pair: one whole number or a list of two (Keras' kernel_size, strides, pool_size). */
    int[] pair(String key, int[] dflt) throws IOException {
      Object v = get(key);
      if (v == null) {
        if (dflt == null) {
          throw malformed(key, null, "a whole number or a list of two");
        }
        return dflt;
      }
      if (v instanceof Long) {
        int n = (int) (long) (Long) v;
        return new int[] {n, n};
      }
      if (v instanceof List && ((List<?>) v).size() == 2 && ((List<?>) v).get(0) instanceof Long
          && ((List<?>) v).get(1) instanceof Long) {
        return new int[] {(int) (long) (Long) ((List<?>) v).get(0), (int) (long) (Long) ((List<?>) v).get(1)};
      }
      throw malformed(key, v, "a whole number or a list of two");
    }

    /** Requires {@code data_format} to be channels last (or absent). */
    void channelsLast() throws IOException {
      Object v = get("data_format");
      if (v != null && !CHANNELS_LAST.equals(v)) {
        throw unsupported("data_format", v, "Neurona's images are NHWC, channels last");
      }
    }

    /** Requires a pair key to be {@code (1, 1)}: dilation_rate. */
    void ones(String key) throws IOException {
      Object v = config.get(key);
      if (v == null) {
        get(key);
        return;
      }
      int[] p = pair(key, null);
      if (p[0] != 1 || p[1] != 1) {
        throw unsupported(key, v, "only 1 is");
      }
    }

    /** Requires a key to be absent, null or one of {@code allowed}. */
    void only(String key, Object... allowed) throws IOException {
      Object v = get(key);
      if (v == null) {
        return;
      }
      for (Object a : allowed) {
        if (a.equals(v) || (a instanceof Number && v instanceof Number
            && ((Number) a).doubleValue() == ((Number) v).doubleValue())) {
          return;
        }
      }
      throw unsupported(key, v, allowed.length == 1 ? "only " + KerasJson.describe(allowed[0]) + " is" : null);
    }

    /** The activation by Keras name; Neurona has linear, relu, sigmoid, tanh and softmax. */
    Activation activation(String key) throws IOException {
      Object v = get(key);
      if (v instanceof Map && ((Map<?, ?>) v).get("config") instanceof String) {
        v = ((Map<?, ?>) v).get("config"); // {"class_name": "function", "config": "relu"}
      }
      if (v != null && !(v instanceof String)) {
        throw unsupported(key, v, "a custom activation");
      }
      try {
        return Activation.of((String) v);
      } catch (IllegalArgumentException e) {
        throw unsupported(key, v, "Neurona has linear, relu, sigmoid, tanh and softmax");
      }
    }

    /** An initializer; one Neurona does not have keeps Neurona's default, with a warning (weights are loaded anyway). */
    Initializer initializer(String key) {
      Object v = get(key);
      if (v == null) {
        return null;
      }
      Object cls = v instanceof Map ? ((Map<?, ?>) v).get("class_name") : v;
      Object args = v instanceof Map ? ((Map<?, ?>) v).get("config") : null;
      try {
        if ("Ones".equals(cls) || "ones".equals(cls)) {
          return new Constant(1.0);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("class_name", cls);
        c.put("config", args instanceof Map ? args : Map.of());
        return Initializers.fromConfig(c);
      } catch (IllegalArgumentException e) {
        ctx.warnings.add(ctx.layer(name, kerasClass) + ": " + key + " " + KerasJson.describe(cls)
            + " has no Neurona equivalent; the loaded weights are used, a re-initialisation would use Neurona's default");
        return null;
      }
    }

    /** Regularizers and constraints: any that is set makes the model load uncompiled. */
    void trainingOnly() {
      for (String k : TRAINING_ONLY) {
        Object v = get(k);
        if (v != null) {
          Object cls = v instanceof Map ? ((Map<?, ?>) v).get("class_name") : v;
          ctx.trainingIssues.add("layer '" + name + "' (" + kerasClass + ") has " + k + " " + KerasJson.describe(cls)
              + ", which Neurona does not apply in training");
        }
      }
    }

    /**
     * Checks the keys not read: irrelevant ones pass, and so does any other that is null, false or
     * empty (an option that is off); anything else is an option Neurona does not implement.
     */
    void finish() throws IOException {
      Object dtype = config.get("dtype");
      if (dtype != null && !isFloat32(dtype)) {
        throw unsupported("dtype", dtype, "Neurona computes in float32");
      }
      for (Map.Entry<String, Object> e : config.entrySet()) {
        String k = e.getKey();
        Object v = e.getValue();
        if (used.contains(k) || IRRELEVANT.contains(k) || v == null || Boolean.FALSE.equals(v)
            || (v instanceof List && ((List<?>) v).isEmpty()) || (v instanceof Map && ((Map<?, ?>) v).isEmpty())) {
          continue;
        }
        throw unsupported(k, v, null);
      }
    }
  }

  static boolean isFloat32(Object dtype) {
    if ("float32".equals(dtype)) {
      return true;
    }
    if (dtype instanceof Map) {
      Object cfg = ((Map<?, ?>) dtype).get("config");
      return cfg instanceof Map && "float32".equals(((Map<?, ?>) cfg).get("name"));
    }
    return false;
  }

  /** The Neurona layer for a Keras layer config (InputLayer is the model's business, not this). */
  static Layer toNeurona(ImportContext ctx, String kerasClass, String name, Map<String, Object> config)
      throws IOException {
    Options o = new Options(ctx, kerasClass, name, config);
    Layer layer;
    try {
      layer = create(o);
    } catch (IllegalArgumentException e) {
      throw new KerasFormatException(ctx.layer(name, kerasClass) + ": " + e.getMessage(), e);
    }
    o.finish();
    layer.name(name);
    return layer;
  }

  private static Layer create(Options o) throws IOException {
    switch (o.kerasClass) {
      case "Conv2D":
      case "Convolution2D": {
        int filters = o.integer("filters", null);
        int[] kernel = o.pair("kernel_size", null);
        int[] strides = o.pair("strides", new int[] {1, 1});
        String padding = o.string("padding", "valid");
        if (!padding.equals("valid") && !padding.equals("same")) {
          throw o.unsupported("padding", padding, "Neurona has \"valid\" and \"same\"");
        }
        o.channelsLast();
        o.ones("dilation_rate");
        o.only("groups", 1L);
        Conv2D c = new Conv2D(filters, kernel, strides, padding, o.activation("activation").kerasName());
        c.useBias(o.bool("use_bias", true));
        Initializer k = o.initializer("kernel_initializer");
        if (k != null) {
          c.kernelInitializer(k);
        }
        Initializer b = o.initializer("bias_initializer");
        if (b != null) {
          c.biasInitializer(b);
        }
        o.trainingOnly();
        return c;
      }
      case "Dense": {
        Dense d = new Dense(o.integer("units", null), o.activation("activation").kerasName());
        d.useBias(o.bool("use_bias", true));
        Initializer k = o.initializer("kernel_initializer");
        if (k != null) {
          d.kernelInitializer(k);
        }
        Initializer b = o.initializer("bias_initializer");
        if (b != null) {
          d.biasInitializer(b);
        }
        o.trainingOnly();
        return d;
      }
      case "MaxPooling2D":
      case "MaxPool2D": {
        int[] pool = o.pair("pool_size", new int[] {2, 2});
        int[] strides = o.pair("strides", pool);
        String padding = o.string("padding", "valid");
        if (!padding.equals("valid") && !padding.equals("same")) {
          throw o.unsupported("padding", padding, "Neurona has \"valid\" and \"same\"");
        }
        o.channelsLast();
        return new MaxPool2D(pool, strides, padding);
      }
      case "Dropout": {
        double rate = o.number("rate", Double.NaN);
        if (Double.isNaN(rate)) {
          throw o.malformed("rate", null, "a number");
        }
        o.only("noise_shape"); // null only: a mask shared along axes is not implemented
        return new Dropout(rate);
      }
      case "Flatten":
        o.channelsLast();
        return new Flatten();
      case "Rescaling": {
        Object scale = o.config.get("scale");
        if (!(scale instanceof Number)) {
          throw o.unsupported("scale", scale, "Neurona's Rescaling takes one number");
        }
        Object offset = o.config.get("offset");
        if (offset != null && !(offset instanceof Number)) {
          throw o.unsupported("offset", offset, "Neurona's Rescaling takes one number");
        }
        return new Rescaling(o.number("scale", 1.0), o.number("offset", 0.0));
      }
      case "Activation": {
        Activation a = o.activation("activation");
        if (a == Activation.LINEAR) {
          throw o.unsupported("activation", o.config.get("activation"), "Neurona has no identity layer");
        }
        return activationLayer(a);
      }
      case "ReLU":
        o.only("max_value");
        o.only("negative_slope", 0.0);
        o.only("threshold", 0.0);
        return new ReLU();
      case "Softmax": {
        Object axis = o.get("axis");
        if (axis != null && !Long.valueOf(-1).equals(axis) && !List.of(-1L).equals(axis)) {
          throw o.unsupported("axis", axis, "Neurona's softmax runs over the last axis, -1");
        }
        return new Softmax();
      }
      case "RandomFlip":
        o.channelsLast();
        return RandomFlip.fromConfig(neuronaConfig(o, "mode"));
      case "RandomRotation":
        o.channelsLast();
        return RandomRotation.fromConfig(neuronaConfig(o, "factor", "fill_mode", "interpolation", "fill_value"));
      case "RandomZoom":
        o.channelsLast();
        return RandomZoom.fromConfig(neuronaConfig(o, "height_factor", "width_factor", "fill_mode", "interpolation",
            "fill_value"));
      case "RandomTranslation":
        o.channelsLast();
        return RandomTranslation.fromConfig(neuronaConfig(o, "height_factor", "width_factor", "fill_mode",
            "interpolation", "fill_value"));
      case "RandomContrast":
        o.channelsLast();
        return RandomContrast.fromConfig(neuronaConfig(o, "factor", "value_range"));
      case "Sequential":
      case "Functional":
      case "Model":
        throw o.ctx.unsupported(o.name, o.kerasClass, null, null, "a model nested as a layer; flatten it into one chain");
      default:
        throw o.ctx.unsupported(o.name, o.kerasClass, null, null, "Neurona reads InputLayer, Conv2D, MaxPooling2D,"
            + " Dense, Dropout, Flatten, Rescaling, Activation, ReLU, Softmax, RandomFlip, RandomRotation, RandomZoom,"
            + " RandomTranslation and RandomContrast");
    }
  }

  /** The keys of a preprocessing layer, which Neurona names as Keras does. */
  private static Map<String, Object> neuronaConfig(Options o, String... keys) {
    Map<String, Object> c = new LinkedHashMap<>();
    for (String k : keys) {
      Object v = o.get(k);
      if (v != null) {
        c.put(k, v);
      }
    }
    return c;
  }

  private static Layer activationLayer(Activation a) {
    switch (a) {
      case RELU:
        return new ReLU();
      case SIGMOID:
        return new Sigmoid();
      case TANH:
        return new Tanh();
      case SOFTMAX:
        return new Softmax();
      default:
        throw new AssertionError(a);
    }
  }

  // ---------------------------------------------------------------- Neurona → Keras

  /** Keras' class for a Neurona layer; throws naming the layer when there is none. */
  static String kerasClass(Layer l) throws UnsupportedKerasModelException {
    if (l instanceof Conv2D || l instanceof Dense || l instanceof Dropout || l instanceof Flatten
        || l instanceof Rescaling || l instanceof ReLU || l instanceof Softmax || l instanceof RandomFlip
        || l instanceof RandomRotation || l instanceof RandomZoom || l instanceof RandomTranslation
        || l instanceof RandomContrast) {
      return l.getClass().getSimpleName();
    }
    if (l instanceof MaxPool2D) {
      return "MaxPooling2D";
    }
    if (l instanceof Sigmoid || l instanceof Tanh) {
      return "Activation";
    }
    throw new UnsupportedKerasModelException("layer '" + l.name() + "' (" + l.getClass().getName()
        + ") has no Keras equivalent that Neurona can write", l.getClass().getSimpleName(), null);
  }

  /** The Keras layer entry ({@code module}, {@code class_name}, {@code config}, ...) for a built Neurona layer. */
  static Map<String, Object> toKeras(Layer l) throws UnsupportedKerasModelException {
    String cls = kerasClass(l);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", l.name());
    c.put("trainable", l.parameters().stream().allMatch(p -> p.trainable()));
    c.put("dtype", dtypePolicy());
    Map<String, Object> n = l.config();
    boolean weights = false;
    switch (cls) {
      case "Conv2D":
        c.put("filters", n.get("filters"));
        c.put("kernel_size", n.get("kernel_size"));
        c.put("strides", n.get("strides"));
        c.put("padding", n.get("padding"));
        c.put("data_format", CHANNELS_LAST);
        c.put("dilation_rate", List.of(1, 1));
        c.put("groups", 1);
        c.put("activation", n.get("activation"));
        putKernelBias(c, n, true);
        weights = true;
        break;
      case "Dense":
        c.put("units", n.get("units"));
        c.put("activation", n.get("activation"));
        putKernelBias(c, n, false);
        c.put("quantization_config", null);
        weights = true;
        break;
      case "MaxPooling2D":
        c.put("pool_size", n.get("pool_size"));
        c.put("padding", n.get("padding"));
        c.put("strides", n.get("strides"));
        c.put("data_format", CHANNELS_LAST);
        break;
      case "Dropout":
        c.put("rate", n.get("rate"));
        c.put("seed", null);
        c.put("noise_shape", null);
        break;
      case "Flatten":
        c.put("data_format", CHANNELS_LAST);
        break;
      case "Rescaling":
        c.put("scale", n.get("scale"));
        c.put("offset", n.get("offset"));
        break;
      case "ReLU":
        c.put("max_value", null);
        c.put("negative_slope", 0.0);
        c.put("threshold", 0.0);
        break;
      case "Softmax":
        c.put("axis", -1);
        break;
      case "Activation":
        c.put("activation", l instanceof Sigmoid ? "sigmoid" : "tanh");
        break;
      default: // the random layers: Neurona's keys are Keras'
        c.put("data_format", CHANNELS_LAST);
        c.put("seed", null);
        c.putAll(n);
        break;
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("module", "keras.layers");
    e.put("class_name", cls);
    e.put("config", c);
    e.put("registered_name", null);
    if (weights) {
      Map<String, Object> build = new LinkedHashMap<>();
      build.put("input_shape", batchShape(l.inputShape()));
      e.put("build_config", build);
    }
    return e;
  }

  private static void putKernelBias(Map<String, Object> c, Map<String, Object> n, boolean activityRegularizer) {
    c.put("use_bias", n.get("use_bias"));
    c.put("kernel_initializer", initializer(n.get("kernel_initializer")));
    c.put("bias_initializer", initializer(n.get("bias_initializer")));
    c.put("kernel_regularizer", null);
    c.put("bias_regularizer", null);
    if (activityRegularizer) {
      c.put("activity_regularizer", null);
    }
    c.put("kernel_constraint", null);
    c.put("bias_constraint", null);
  }

  /** Neurona's initializer config ({@code "glorot_uniform"} or {@code {class_name, config}}) in Keras' form. */
  private static Map<String, Object> initializer(Object neurona) {
    String name = neurona instanceof Map ? String.valueOf(((Map<?, ?>) neurona).get("class_name")) : String.valueOf(neurona);
    Map<String, Object> args = new LinkedHashMap<>();
    if (neurona instanceof Map && ((Map<?, ?>) neurona).get("config") instanceof Map) {
      for (Map.Entry<?, ?> a : ((Map<?, ?>) ((Map<?, ?>) neurona).get("config")).entrySet()) {
        args.put(String.valueOf(a.getKey()), a.getValue());
      }
    }
    String cls = camel(name);
    if (!cls.equals("Zeros") && !cls.equals("Constant") && !args.containsKey("seed")) {
      args.put("seed", null);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", "keras.initializers");
    m.put("class_name", cls);
    m.put("config", args);
    m.put("registered_name", null);
    return m;
  }

  /** {@code glorot_uniform} → {@code GlorotUniform}. */
  static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    for (String part : snake.split("_")) {
      if (!part.isEmpty()) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  /** Keras' {@code to_snake_case}: {@code Conv2D} → {@code conv2d}, {@code MaxPooling2D} → {@code max_pooling2d}. */
  static String snake(String cls) {
    String s = cls.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(Locale.ROOT);
  }

  static Map<String, Object> dtypePolicy() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("module", "keras");
    p.put("class_name", "DTypePolicy");
    p.put("config", Map.of("name", "float32"));
    p.put("registered_name", null);
    return p;
  }

  /** {@code [null, 28, 28, 1]}. */
  static List<Object> batchShape(Shape perSample) {
    List<Object> l = new ArrayList<>();
    l.add(null);
    for (int d : perSample.toArray()) {
      l.add(d);
    }
    return l;
  }
}
