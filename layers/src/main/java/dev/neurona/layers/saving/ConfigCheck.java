package dev.neurona.layers.saving;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a config as a file holds it with the config of the object made from it (a layer's
 * {@code config()}, an optimizer's {@code config()}), which lists every key the object reads and
 * the value it kept:
 * <ul>
 *   <li>a key the object does not have is unknown: a typo such as {@code "activatoin"} would
 *       otherwise load silently as the default (skipped when lenient, for files from a newer
 *       version);</li>
 *   <li>a number the object keeps differently did not survive the conversion to its type: a
 *       {@code units} of 4294967304 that became 8, an {@code epsilon} of 1e300 that became an
 *       infinite float.</li>
 * </ul>
 * Nested objects are compared key by key, lists of the same length element by element; values of
 * different kinds (a number and the list it was expanded to, an initializer's name and its map) are
 * left to the object's own checks.
 */
final class ConfigCheck {
  private ConfigCheck() {}

  /**
   * Throws a {@link ModelFormatException} starting with {@code where} for the first unknown key
   * (unless {@code lenient}) or changed number of {@code given}.
   *
   * @param where names the file, the entry and the object, e.g. {@code "m.zip: config.json: layer 0 'dense' (Dense)"}
   */
  static void check(String where, Map<?, ?> given, Map<?, ?> made, boolean lenient) throws ModelFormatException {
    compareMaps(where, "", given, made, lenient);
  }

  private static void compareMaps(String where, String path, Map<?, ?> given, Map<?, ?> made,
      boolean lenient) throws ModelFormatException {
    for (Map.Entry<?, ?> e : given.entrySet()) {
      String key = String.valueOf(e.getKey());
      String at = path + key;
      if (!made.containsKey(key)) {
        if (lenient) {
          continue;
        }
        throw new ModelFormatException(where + " has unknown config key \"" + Json.shorten(at)
            + "\" (value " + describe(e.getValue()) + "); known keys" + (path.isEmpty() ? "" : " of " + path
            .substring(0, path.length() - 1)) + ": " + new TreeSet<>(keys(made)) + ". Load with"
            + " ModelFile.LoadOptions.lenient() to ignore keys this version does not know");
      }
      compare(where, at, e.getValue(), made.get(key), lenient);
    }
  }

  private static void compare(String where, String at, Object given, Object made, boolean lenient)
      throws ModelFormatException {
    if (given instanceof Map && made instanceof Map) {
      compareMaps(where, at + ".", (Map<?, ?>) given, (Map<?, ?>) made, lenient);
    } else if (given instanceof List && made instanceof List && ((List<?>) given).size() == ((List<?>) made).size()) {
      List<?> g = (List<?>) given;
      List<?> m = (List<?>) made;
      for (int i = 0; i < g.size(); i++) {
        compare(where, at + "[" + i + "]", g.get(i), m.get(i), lenient);
      }
    } else if (given instanceof Number && made instanceof Number) {
      String problem = changed(((Number) given), (Number) made);
      if (problem != null) {
        throw new ModelFormatException(where + ": config \"" + Json.shorten(at) + "\" is " + given
            + " in the file, " + problem);
      }
    }
  }

  /** Why {@code made} is not the number {@code given}, or null when it is. */
  private static String changed(Number given, Number made) {
    double g = given.doubleValue();
    if (made instanceof Float) {
      float f = made.floatValue();
      if (Float.isInfinite(f) && !Double.isInfinite(g)) {
        return "out of the range of the float it is kept in (|x| <= " + Float.MAX_VALUE + ")";
      }
      if (f == 0 && g != 0) {
        return "too small for the float it is kept in (it becomes 0)";
      }
      return (float) g == f ? null : "but it is kept as the float " + f;
    }
    if (made instanceof Double) {
      return g == made.doubleValue() ? null : "but it is kept as " + made;
    }
    if (made instanceof Long || made instanceof Integer) {
      long m = made.longValue();
      if (given instanceof Long ? given.longValue() == m : g == m) {
        return null;
      }
      return g != Math.rint(g) ? "but it must be a whole number"
          : "out of the range of the " + (made instanceof Long ? "64" : "32") + "-bit integer it is kept in (it became " + m + ")";
    }
    return null;
  }

  private static List<String> keys(Map<?, ?> m) {
    return m.keySet().stream().map(String::valueOf).toList();
  }

  private static String describe(Object v) {
    return v instanceof Map || v instanceof List || v == null ? Json.describe(v) : Json.shorten(String.valueOf(v));
  }
}
