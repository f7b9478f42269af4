package dev.neurona.layers;

import dev.neurona.core.conv.Padding;
import dev.neurona.layers.init.Initializer;
import dev.neurona.layers.init.Initializers;
import java.util.List;
import java.util.Map;

/**
 * Validates layer arguments, and reads a layer's saved {@code config()} map back, accepting what a
 * JSON parser produces (any {@link Number} for numbers, a list or a single number for pairs); errors
 * name the layer, the argument or key, and the value received.
 */
final class Configs {
  private Configs() {}

  private static Object require(String layer, Map<String, Object> c, String key) {
    if (c == null) {
      throw new IllegalArgumentException(layer + ".fromConfig: config is null");
    }
    Object v = c.get(key);
    if (v == null) {
      throw new IllegalArgumentException(layer + ".fromConfig: missing \"" + key + "\" in " + c);
    }
    return v;
  }

  static int intValue(String layer, Map<String, Object> c, String key) {
    Object v = require(layer, c, key);
    return toInt(layer, key, v, v);
  }

  /**
   * {@code v} as an int: a whole number within the int range, never wrapped ({@code 4294967304} is
   * an error, not 8); {@code shown} is the value quoted in the error.
   */
  static int toInt(String layer, String key, Object v, Object shown) {
    boolean whole = v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue());
    if (!whole) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a whole number, got " + shown);
    }
    double d = ((Number) v).doubleValue();
    if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be an int (between "
          + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE + "), got " + shown);
    }
    return ((Number) v).intValue();
  }

  /**
   * A number kept as a double but used in float32 arithmetic: it must be finite and within the float
   * range, or it would become an infinity.
   */
  static double doubleValue(String layer, Map<String, Object> c, String key, double dflt) {
    Object v = c == null ? null : c.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a number, got " + v);
    }
    return floatRange(layer + ".fromConfig", key, ((Number) v).doubleValue());
  }

  /** {@code v}, unless it is not finite or out of the float range; the error names {@code owner} and {@code key}. */
  static double floatRange(String owner, String key, double v) {
    if (!(Math.abs(v) <= Float.MAX_VALUE)) {
      throw new IllegalArgumentException(owner + ": \"" + key + "\" must be a finite number within the float range"
          + " (|x| <= " + Float.MAX_VALUE + "), got " + v);
    }
    return v;
  }

  static String string(String layer, Map<String, Object> c, String key, String dflt) {
    Object v = c == null ? null : c.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String)) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a string, got " + v);
    }
    return (String) v;
  }

  static boolean bool(String layer, Map<String, Object> c, String key, boolean dflt) {
    Object v = c == null ? null : c.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be true or false, got " + v);
    }
    return (Boolean) v;
  }

  /** A pair such as {@code kernel_size}: a list of two whole numbers, or one number used twice. */
  static int[] pair(String layer, Map<String, Object> c, String key, int[] dflt) {
    Object v = c == null ? null : c.get(key);
    if (v == null) {
      if (dflt == null) {
        require(layer, c, key);
      }
      return dflt;
    }
    if (v instanceof Number) {
      int n = intValue(layer, c, key);
      return new int[] {n, n};
    }
    if (v instanceof List && ((List<?>) v).size() == 2) {
      List<?> l = (List<?>) v;
      int[] r = new int[2];
      for (int i = 0; i < 2; i++) {
        r[i] = toInt(layer, key, l.get(i), v);
      }
      return r;
    }
    throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\" must be a list of two whole numbers, got " + v);
  }

  static Initializer initializer(String layer, Map<String, Object> c, String key, Initializer dflt) {
    Object v = c == null ? null : c.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return Initializers.fromConfig(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(layer + ".fromConfig: \"" + key + "\": " + e.getMessage(), e);
    }
  }

  /** {@code init}, or an error naming the layer and the argument when it is null. */
  static Initializer requireInitializer(String layer, String arg, Initializer init) {
    if (init == null) {
      throw new IllegalArgumentException(layer + ": " + arg + " is null");
    }
    return init;
  }

  /** {@link Activation#of} with the layer named in the error. */
  static Activation activation(String layer, String name) {
    try {
      return Activation.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(layer + ": " + e.getMessage(), e);
    }
  }

  /** {@code activation}, or an error naming the layer when it is null (the string forms read null as linear). */
  static Activation requireActivation(String layer, Activation activation) {
    if (activation == null) {
      throw new IllegalArgumentException(layer + ": activation is null; use Activation.LINEAR");
    }
    return activation;
  }

  /** {@link Padding#of} with the layer named in the error. */
  static Padding padding(String layer, String name) {
    try {
      return Padding.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(layer + ": " + e.getMessage(), e);
    }
  }

  /** {@code padding}, or an error naming the layer when it is null. */
  static Padding requirePadding(String layer, Padding padding) {
    if (padding == null) {
      throw new IllegalArgumentException(layer + ": padding is null; use Padding.VALID or Padding.SAME");
    }
    return padding;
  }

  /** {@code [a, b]} as a JSON-friendly list. */
  static List<Integer> list(int[] pair) {
    return List.of(pair[0], pair[1]);
  }

  /** Validates a pair argument (kernel size, strides): two values, each {@code >= 1}. */
  static int[] positivePair(String layer, String arg, int[] v) {
    if (v == null || v.length != 2) {
      throw new IllegalArgumentException(layer + ": " + arg + " must have 2 values (height, width), got "
          + (v == null ? "null" : java.util.Arrays.toString(v)));
    }
    if (v[0] < 1 || v[1] < 1) {
      throw new IllegalArgumentException(layer + ": " + arg + " must be >= 1, got " + java.util.Arrays.toString(v));
    }
    return v.clone();
  }
}
