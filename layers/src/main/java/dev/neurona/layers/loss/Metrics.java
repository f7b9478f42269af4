package dev.neurona.layers.loss;

import java.util.Locale;

/** Creates metrics by Keras name. */
public final class Metrics {
  private Metrics() {}

  /**
   * The metric called {@code name}. {@code "accuracy"} (or {@code "acc"}) picks the variant matching
   * {@code lossName}, as Keras does: sparse categorical for {@code sparse_categorical_crossentropy},
   * categorical for {@code categorical_crossentropy}, binary for {@code binary_crossentropy}; the
   * metric is then named {@code accuracy} (the object form is {@link #accuracy(Loss)}). Explicit
   * names: {@code sparse_categorical_accuracy} ({@link SparseCategoricalAccuracy}),
   * {@code categorical_accuracy} ({@link CategoricalAccuracy}), {@code binary_accuracy}
   * ({@link BinaryAccuracy}); {@code misclassifications} ({@link Misclassifications}: a count, for
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

  /**
   * Keras' {@code "accuracy"} for a loss object: the accuracy that fits {@code loss}, named
   * {@code accuracy} — {@link SparseCategoricalAccuracy} for {@link SparseCategoricalCrossentropy},
   * {@link CategoricalAccuracy} for {@link CategoricalCrossentropy}, {@link BinaryAccuracy} for
   * {@link BinaryCrossentropy} (threshold 0.5 on probabilities; 0 when the loss is
   * {@link BinaryCrossentropy#fromLogits() from logits}, since a logit of 0 is a probability of 0.5).
   *
   * <pre>{@code
   * Loss loss = new SparseCategoricalCrossentropy();
   * model.compile(new Adam(1e-3), loss, Metrics.accuracy(loss));   // history key "accuracy"
   * }</pre>
   *
   * @param loss the loss the model is compiled with
   * @return a new metric; metrics hold counts, so each model needs its own
   */
  public static Metric accuracy(Loss loss) {
    if (loss == null) {
      throw new IllegalArgumentException("metric \"accuracy\": loss is null");
    }
    if (loss instanceof BinaryCrossentropy && ((BinaryCrossentropy) loss).fromLogits()) {
      return new BinaryAccuracy("accuracy", 0.0);
    }
    return of("accuracy", loss.name());
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
