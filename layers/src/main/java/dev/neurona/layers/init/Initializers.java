package dev.neurona.layers.init;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Creates initializers by Keras name and converts them to and from the JSON-friendly form a
 * layer's {@code config()} holds: the bare name ({@code "glorot_uniform"}) when the initializer has
 * no arguments, else {@code {"class_name": "truncated_normal", "config": {"mean": 0.0, "stddev": 0.05}}}.
 */
public final class Initializers {
  private Initializers() {}

  /**
   * The initializer called {@code kerasName} with its default arguments: {@code glorot_uniform},
   * {@code zeros}, {@code he_normal}, {@code he_uniform}, {@code truncated_normal} (mean 0, stddev 0.05),
   * {@code constant} (0). Keras' class names ({@code GlorotUniform}) are accepted too.
   */
  public static Initializer of(String kerasName) {
    if (kerasName == null) {
      throw new IllegalArgumentException("initializer name is null; expected one of " + KNOWN);
    }
    switch (normalise(kerasName)) {
      case "glorot_uniform":
        return new GlorotUniform();
      case "zeros":
        return new Zeros();
      case "he_normal":
        return new HeNormal();
      case "he_uniform":
        return new HeUniform();
      case "truncated_normal":
        return new TruncatedNormal();
      case "constant":
        return new Constant(0.0);
      default:
        throw new IllegalArgumentException("unknown initializer \"" + kerasName + "\"; expected one of " + KNOWN);
    }
  }

  private static final String KNOWN = "glorot_uniform, zeros, he_normal, he_uniform, truncated_normal, constant";

  /** {@code GlorotUniform} → {@code glorot_uniform}; snake_case names pass through (lower-cased). */
  private static String normalise(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && name.charAt(i - 1) != '_') {
        sb.append('_');
      }
      sb.append(c);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  /** The config form: the name when there are no arguments, else {@code {class_name, config}}. */
  public static Object toConfig(Initializer init) {
    Map<String, Object> args = init.config();
    if (args.isEmpty()) {
      return init.kerasName();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", init.kerasName());
    m.put("config", new LinkedHashMap<>(args));
    return m;
  }

  /** Re-creates an initializer from {@link #toConfig}'s form (a name, or a {@code {class_name, config}} map). */
  public static Initializer fromConfig(Object config) {
    if (config instanceof String) {
      return of((String) config);
    }
    if (!(config instanceof Map)) {
      throw new IllegalArgumentException("initializer config must be a name or a {class_name, config} map, got " + config);
    }
    Map<?, ?> m = (Map<?, ?>) config;
    Object name = m.get("class_name");
    if (!(name instanceof String)) {
      throw new IllegalArgumentException("initializer config " + m + " has no string \"class_name\"");
    }
    Object argsObj = m.get("config");
    Map<?, ?> args = argsObj instanceof Map ? (Map<?, ?>) argsObj : Map.of();
    switch (normalise((String) name)) {
      case "truncated_normal":
        return new TruncatedNormal(number(args, "mean", 0.0, name), number(args, "stddev", 0.05, name));
      case "constant":
        return new Constant(number(args, "value", 0.0, name));
      default:
        return of((String) name);
    }
  }

  private static double number(Map<?, ?> args, String key, double dflt, Object initName) {
    Object v = args.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException("initializer " + initName + ": \"" + key + "\" must be a number, got " + v);
    }
    return ((Number) v).doubleValue();
  }
}
