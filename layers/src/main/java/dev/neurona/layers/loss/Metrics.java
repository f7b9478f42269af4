package dev.neurona.layers.loss;

import java.util.Locale;

/** Creates metrics by Keras name. */
public final class Metrics {
  private Metrics() {}

  /**
   * The metric called {@code name}. {@code "accuracy"} (or {@code "acc"}) picks the variant matching
   * {@code lossName}, as Keras does: sparse categorical for {@code sparse_categorical_crossentropy},
   * categorical for {@code categorical_crossentropy}, binary for {@code binary_crossentropy}; the
   * metric is then named {@code accuracy}. Explicit names: {@code sparse_categorical_accuracy},
   * {@code categorical_accuracy}, {@code binary_accuracy}; {@code misclassifications} (a count, for
   * sign labels). A metric's {@link Metric#name()} is a name this method accepts.
   */
  public static Metric of(String name, String lossName) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    switch (n) {
      case "accuracy":
      case "acc":
        String loss = lossName == null ? "" : lossName.toLowerCase(Locale.ROOT);
        switch (loss) {
          case "sparse_categorical_crossentropy":
            return new SparseCategoricalAccuracy("accuracy");
          case "categorical_crossentropy":
            return new CategoricalAccuracy("accuracy");
          case "binary_crossentropy":
            return new BinaryAccuracy("accuracy", 0.5);
          default:
            throw new IllegalArgumentException("metric \"" + name + "\": cannot tell which accuracy fits loss "
                + (lossName == null ? "null" : "\"" + lossName + "\"")
                + "; name it: sparse_categorical_accuracy, categorical_accuracy or binary_accuracy");
        }
      case "sparse_categorical_accuracy":
        return new SparseCategoricalAccuracy();
      case "categorical_accuracy":
        return new CategoricalAccuracy();
      case "binary_accuracy":
        return new BinaryAccuracy();
      case "misclassifications":
        return new Misclassifications();
      default:
        throw new IllegalArgumentException("unknown metric " + (name == null ? "null" : "\"" + name + "\"")
            + "; expected accuracy, sparse_categorical_accuracy, categorical_accuracy, binary_accuracy or misclassifications");
    }
  }

  /** Index of the largest of {@code x[off .. off+n)}; the first one on ties. */
  static int argmax(float[] x, int off, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (x[off + i] > x[off + best]) {
        best = i;
      }
    }
    return best;
  }
}
