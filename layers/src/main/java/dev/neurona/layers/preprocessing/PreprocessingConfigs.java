package dev.neurona.layers.preprocessing;

import java.util.List;
import java.util.Map;

/**
 * Reads the random image layers' saved {@code config()} back, accepting what a JSON parser produces
 * (any {@link Number}, lists), and naming the layer, the key and the value when something does not fit.
 */
final class PreprocessingConfigs {
  private PreprocessingConfigs() {}

  /** Whether one number {@code f} means {@code [-|f|, |f|]} (geometric layers) or {@code lower = upper = f} (contrast). */
  enum Single { SYMMETRIC, BOTH }

  static void requireConfig(String layer, Map<String, Object> c) {
    if (c == null) {
      throw new IllegalArgumentException(layer + ".fromConfig: config is null");
    }
  }

  /**
   * A factor: one number or a list of two. Absent (or JSON null): an error when {@code required},
   * else null.
   */
  static Factor factor(String layer, Map<String, Object> c, String key, boolean required, Factor.Bounds bounds,
      Single single, boolean ordered) {
    Object v = c.get(key);
    String where = layer + ".fromConfig";
    if (v == null) {
      if (required) {
        throw new IllegalArgumentException(where + ": missing \"" + key + "\" in " + c);
      }
      return null;
    }
    if (v instanceof Number) {
      double f = floatRange(where, key, ((Number) v).doubleValue(), v);
      return single == Single.SYMMETRIC ? Factor.symmetric(where, key, f, bounds) : Factor.both(where, key, f, bounds);
    }
    double[] pair = numbers(where, key, v, "a number or a list of two numbers");
    return Factor.pair(where, key, pair[0], pair[1], bounds, ordered);
  }

  /** A list of two numbers, e.g. {@code value_range}; {@code dflt} when absent. */
  static double[] pair(String layer, Map<String, Object> c, String key, double[] dflt) {
    Object v = c.get(key);
    return v == null ? dflt : numbers(layer + ".fromConfig", key, v, "a list of two numbers");
  }

  private static double[] numbers(String where, String key, Object v, String expected) {
    if (v instanceof List && ((List<?>) v).size() == 2
        && ((List<?>) v).get(0) instanceof Number && ((List<?>) v).get(1) instanceof Number) {
      List<?> l = (List<?>) v;
      return new double[] {floatRange(where, key, ((Number) l.get(0)).doubleValue(), v),
          floatRange(where, key, ((Number) l.get(1)).doubleValue(), v)};
    }
    throw new IllegalArgumentException(where + ": \"" + key + "\" must be " + expected + ", got " + v);
  }

  /**
   * {@code x}, a value these layers use in float32 arithmetic: it must be finite and within the
   * float range, or it would become an infinity; {@code shown} is the value quoted in the error.
   */
  private static double floatRange(String where, String key, double x, Object shown) {
    if (!(Math.abs(x) <= Float.MAX_VALUE)) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" must hold finite numbers within the float range"
          + " (|x| <= " + Float.MAX_VALUE + "), got " + shown);
    }
    return x;
  }

  static double number(String layer, Map<String, Object> c, String key, double dflt) {
    Object v = c.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a number, got " + v);
    }
    return floatRange(layer + ".fromConfig", key, ((Number) v).doubleValue(), v);
  }

  static String string(String layer, Map<String, Object> c, String key, String dflt) {
    Object v = c.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a string, got " + v);
    }
    return (String) v;
  }
}
