package dev.neurona.examples.mnist;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.loss.SparseCategoricalAccuracy;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;

/** The two MNIST networks of the tutorials, shared by the example and the benchmarks. */
public final class MnistModels {
  private MnistModels() {}

  /**
   * TensorFlow's "Deep MNIST for experts" network (99.25% in the tutorial): two 5×5 "same" conv +
   * 2×2 max-pool blocks (32 and 64 filters), dense 1024 + dropout 0.5, dense 10 softmax.
   * 3,274,634 parameters.
   */
  public static Sequential cnn(long seed) {
    return new Sequential(seed)
        .input(28, 28, 1)
        .add(new Conv2D(32, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
  }

  /**
   * The Keras "simple MNIST convnet"-style network (98.67% in the tutorial): one 4×4 "valid" conv
   * with 32 filters, 2×2 max-pool, dense 128, dense 10 softmax.
   */
  public static Sequential keras(long seed) {
    return new Sequential(seed)
        .input(28, 28, 1)
        .add(new Conv2D(32, 4, "valid", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(128, "relu"))
        .add(new Dense(10, "softmax"));
  }

  /** Builds the named network ({@code cnn} or {@code keras}). */
  public static Sequential byName(String name, long seed) {
    switch (name) {
      case "cnn":
      case "mnist-cnn":
        return cnn(seed);
      case "keras":
      case "mnist-keras":
        return keras(seed);
      default:
        throw new IllegalArgumentException("unknown MNIST model '" + name + "'; use cnn or keras");
    }
  }

  /** Compiles with Adam, sparse categorical cross-entropy and accuracy. */
  public static Sequential compile(Sequential model, LearningRateSchedule schedule) {
    return model.compile(new Adam(schedule), new SparseCategoricalCrossentropy(), new SparseCategoricalAccuracy("accuracy"));
  }
}
