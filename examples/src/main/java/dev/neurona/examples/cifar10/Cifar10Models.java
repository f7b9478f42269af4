package dev.neurona.examples.cifar10;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.loss.SparseCategoricalAccuracy;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;

/** The network of TensorFlow's CNN tutorial on CIFAR-10 (tensorflow.org/tutorials/images/cnn). */
public final class Cifar10Models {
  private Cifar10Models() {}

  /**
   * Conv2D 32 3×3 ReLU → MaxPool 2 → Conv2D 64 3×3 ReLU → MaxPool 2 → Conv2D 64 3×3 ReLU → Flatten →
   * Dense 64 ReLU → Dense 10 (logits), all "valid" as in Keras: 122,570 parameters on 32×32×3 inputs
   * in [0, 1] (as {@link dev.neurona.data.ImageDataset} gives them: the tutorial divides by 255).
   */
  public static Sequential tutorial(long seed) {
    return new Sequential(seed).input(32, 32, 3)
        .add(new Conv2D(32, 3, "valid", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 3, "valid", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 3, "valid", "relu"))
        .add(new Flatten())
        .add(new Dense(64, "relu"))
        .add(new Dense(10));
  }

  /** Adam, sparse categorical cross-entropy from logits, and accuracy, as the tutorial compiles. */
  public static Sequential compile(Sequential model, double learningRate) {
    return model.compile(new Adam(learningRate), new SparseCategoricalCrossentropy(true),
        new SparseCategoricalAccuracy("accuracy"));
  }
}
