package dev.neurona.layers.loss;

import java.util.Locale;

/** Creates losses by Keras name. */
public final class Losses {
  private Losses() {}

  /**
   * {@code sparse_categorical_crossentropy} ({@link SparseCategoricalCrossentropy}),
   * {@code categorical_crossentropy} ({@link CategoricalCrossentropy}), {@code binary_crossentropy}
   * ({@link BinaryCrossentropy}) — all on probabilities; construct the class with
   * {@code fromLogits = true} for raw scores — and {@code mean_squared_error} or {@code mse}
   * ({@link MeanSquaredError}).
   */
  public static Loss of(String name) {
    if (name != null) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "sparse_categorical_crossentropy":
          return new SparseCategoricalCrossentropy(false);
        case "categorical_crossentropy":
          return new CategoricalCrossentropy(false);
        case "binary_crossentropy":
          return new BinaryCrossentropy(false);
        case "mean_squared_error":
        case "mse":
          return new MeanSquaredError();
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown loss " + (name == null ? "null" : "\"" + name + "\"")
        + "; expected sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy or mean_squared_error");
  }
}
