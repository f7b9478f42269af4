package dev.neurona.core.conv;

import java.util.Locale;

/** Keras/TensorFlow padding modes for convolution and pooling windows. */
public enum Padding {
  /** No padding: only windows that fit entirely inside the input. {@code out = floor((in - k) / s) + 1}. */
  VALID,
  /**
   * Zero padding so that {@code out = ceil(in / s)}. The total padding {@code max((out-1)·s + k - in, 0)}
   * is split with the smaller half before (top/left) and the larger after, as TensorFlow does — so
   * an even kernel pads one more row/column at the bottom/right.
   */
  SAME;

  /** Parses {@code "valid"} or {@code "same"} (any case). */
  public static Padding of(String name) {
    if (name != null) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "valid":
          return VALID;
        case "same":
          return SAME;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("padding must be \"valid\" or \"same\", got " + (name == null ? "null" : "\"" + name + "\""));
  }
}
