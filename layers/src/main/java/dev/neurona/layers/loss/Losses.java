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
   * ({@link MeanSquaredError}); for the classic linear units, {@code sum_squared_error} or {@code sse}
   * ({@link SumSquaredError}) and {@code perceptron_criterion} or {@code perceptron}
   * ({@link PerceptronCriterion}). A loss's {@link Loss#name()} is a name this method accepts.
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
        case "sum_squared_error":
        case "sse":
          return new SumSquaredError();
        case "perceptron_criterion":
        case "perceptron":
          return new PerceptronCriterion();
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown loss " + (name == null ? "null" : "\"" + name + "\"")
        + "; expected sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy, mean_squared_error,"
        + " sum_squared_error or perceptron_criterion");
  }
}
