package dev.neurona.optim;

import java.util.Map;

/**
 * Argument checks and config-map readers shared by the optimizers and schedules. Every message
 * names the owner, the argument and the value received.
 */
final class Args {
  private Args() {}

  /** {@code value > 0} and finite. */
  static double positive(String owner, String arg, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be > 0 and finite, got " + value);
    }
    return value;
  }

  /** {@code value > 0} and finite; the message shows the float as written (0.9, not 0.8999999761581421). */
  static float positive(String owner, String arg, float value) {
    if (!(value > 0) || Float.isInfinite(value)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be > 0 and finite, got " + value);
    }
    return value;
  }

  /** {@code 0 <= value <= 1}, for a float. */
  static float closedUnitInterval(String owner, String arg, float value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be in [0, 1], got " + value);
    }
    return value;
  }

  /** {@code value >= 0} and finite. */
  static double nonNegative(String owner, String arg, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be >= 0 and finite, got " + value);
    }
    return value;
  }

  /** {@code 0 <= value < 1}. */
  static double unitInterval(String owner, String arg, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be in [0, 1), got " + value);
    }
    return value;
  }

  /** {@code 0 <= value <= 1}. */
  static double closedUnitInterval(String owner, String arg, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be in [0, 1], got " + value);
    }
    return value;
  }

  /** {@code value > 0}. */
  static long positive(String owner, String arg, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(owner + ": " + arg + " must be > 0, got " + value);
    }
    return value;
  }

  /** The value under {@code key}, which must be present and not null. */
  static Object required(String owner, Map<String, ?> config, String key) {
    if (config == null) {
      throw new IllegalArgumentException(owner + ": config is null");
    }
    Object v = config.get(key);
    if (v == null) {
      throw new IllegalArgumentException(owner + ": config has no '" + key + "' (keys: " + config.keySet() + ")");
    }
    return v;
  }

  /** A number under {@code key} (any {@link Number}, as a JSON reader would produce). */
  static Number number(String owner, Map<String, ?> config, String key) {
    Object v = required(owner, config, key);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(
          owner + ": config '" + key + "' must be a number, got " + v.getClass().getSimpleName() + " " + v);
    }
    return (Number) v;
  }

  /** A whole number under {@code key}; a fractional value is an error. */
  static long whole(String owner, Map<String, ?> config, String key) {
    Number n = number(owner, config, key);
    double d = n.doubleValue();
    if (d != Math.rint(d) || Math.abs(d) > (double) (1L << 53)) {
      throw new IllegalArgumentException(owner + ": config '" + key + "' must be a whole number, got " + n);
    }
    return n.longValue();
  }

  /** A number under {@code key}, or {@code fallback} when absent. */
  static double numberOr(String owner, Map<String, ?> config, String key, double fallback) {
    return config.get(key) == null ? fallback : number(owner, config, key).doubleValue();
  }

  /** A boolean under {@code key}, or {@code fallback} when absent. */
  static boolean boolOr(String owner, Map<String, ?> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean)) {
      throw new IllegalArgumentException(
          owner + ": config '" + key + "' must be true or false, got " + v.getClass().getSimpleName() + " " + v);
    }
    return (Boolean) v;
  }

  /** Throws unless {@code step >= 0}. */
  static void step(String owner, long step) {
    if (step < 0) {
      throw new IllegalArgumentException(owner + ": step must be >= 0, got " + step);
    }
  }
}
