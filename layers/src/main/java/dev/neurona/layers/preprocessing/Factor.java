package dev.neurona.layers.preprocessing;

import java.util.Arrays;
import java.util.List;

/**
 * A random layer's range {@code [lower, upper]}, given as Keras takes it: one number, or a pair
 * {@code (lower, upper)}. It remembers which, so {@link #config()} writes back what the user wrote.
 */
final class Factor {
  /** The allowed values of each number: {@code [min, max]}, or {@code (min, max]} when {@code minOpen}. */
  record Bounds(double min, boolean minOpen, double max) {
    boolean contains(double v) {
      return (minOpen ? v > min : v >= min) && v <= max;
    }

    @Override
    public String toString() {
      return (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max) + "]";
    }
  }

  /** Rotation and translation: {@code [-1, 1]}. */
  static final Bounds SIGNED = new Bounds(-1, false, 1);
  /** Zoom: {@code (-1, 1]} (a zoom of {@code 1 + f} must stay positive). */
  static final Bounds ZOOM = new Bounds(-1, true, 1);
  /** Contrast: {@code [0, 1]}. */
  static final Bounds UNIT = new Bounds(0, false, 1);

  final double lower;
  final double upper;
  private final Double single;

  private Factor(double lower, double upper, Double single) {
    this.lower = lower;
    this.upper = upper;
    this.single = single;
  }

  /** One number {@code f}: the range {@code [-|f|, |f|]}. */
  static Factor symmetric(String layer, String arg, double f, Bounds bounds) {
    check(layer, arg, f, bounds, Double.toString(f));
    return new Factor(-Math.abs(f), Math.abs(f), f);
  }

  /** One number {@code f} that stands for both ends: {@code lower = upper = f} (RandomContrast). */
  static Factor both(String layer, String arg, double f, Bounds bounds) {
    check(layer, arg, f, bounds, Double.toString(f));
    return new Factor(f, f, f);
  }

  /** The pair {@code (lower, upper)}, each within the bounds. */
  static Factor pair(String layer, String arg, double lower, double upper, Bounds bounds, boolean ordered) {
    String got = "[" + lower + ", " + upper + "]";
    check(layer, arg, lower, bounds, got);
    check(layer, arg, upper, bounds, got);
    if (ordered && lower > upper) {
      throw new IllegalArgumentException(layer + ": " + arg + " must be (lower, upper) with lower <= upper, got " + got);
    }
    return new Factor(lower, upper, null);
  }

  /** A {@code (lower, upper)} array argument: it must hold two values. */
  static Factor pair(String layer, String arg, double[] pair, Bounds bounds, boolean ordered) {
    if (pair == null || pair.length != 2) {
      throw new IllegalArgumentException(layer + ": " + arg + " must have 2 values (lower, upper), got "
          + (pair == null ? "null" : Arrays.toString(pair)));
    }
    return pair(layer, arg, pair[0], pair[1], bounds, ordered);
  }

  private static void check(String layer, String arg, double v, Bounds bounds, String got) {
    if (!bounds.contains(v)) {
      throw new IllegalArgumentException(layer + ": " + arg + " must be in " + bounds + ", got " + got);
    }
  }

  /** As given: the single number, or {@code [lower, upper]}. */
  Object config() {
    return single != null ? single : List.of(lower, upper);
  }

  @Override
  public String toString() {
    return String.valueOf(config());
  }

  /** A bound as written in the docs: {@code 1} for {@code 1.0}. */
  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
