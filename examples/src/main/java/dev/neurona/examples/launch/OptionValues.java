package dev.neurona.examples.launch;

/**
 * The examples' checks of option values: each returns the parsed value or throws an
 * {@link IllegalArgumentException} that names the option and the value received.
 */
public final class OptionValues {
  private OptionValues() {}

  /** {@code v} when it is one of {@code allowed}. */
  public static String oneOf(String opt, String v, String... allowed) {
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new IllegalArgumentException(opt + " must be one of " + String.join(", ", allowed) + "; got '" + v + "'");
  }

  /** {@code v} as a whole number {@code >= 1}. */
  public static int positiveInt(String opt, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(opt + " must be a whole number >= 1; got '" + v + "'");
  }

  /** {@code v} as a finite number {@code > 0}. */
  public static double positiveDouble(String opt, String v) {
    try {
      double d = Double.parseDouble(v);
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(opt + " must be a number > 0; got '" + v + "'");
  }

  /** {@code v} as a whole number (a seed). */
  public static long parseLong(String opt, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " must be a whole number; got '" + v + "'");
    }
  }
}
