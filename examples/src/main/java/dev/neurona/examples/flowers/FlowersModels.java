package dev.neurona.examples.flowers;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.loss.SparseCategoricalAccuracy;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomZoom;
import dev.neurona.optim.Adam;

/**
 * The two networks of TensorFlow's image classification tutorial (tensorflow.org/tutorials/images/classification).
 * Both take pixels in 0..255, as Keras' {@code image_dataset_from_directory} yields them, and end in
 * logits (no softmax): compile them with {@link #compile}.
 */
public final class FlowersModels {
  private FlowersModels() {}

  /**
   * The tutorial's first model: Rescaling(1/255), three blocks of 3×3 "same" ReLU convolution (16, 32,
   * 64 filters) + 2×2 max-pool, flatten, dense 128 ReLU, dense {@code classes} (logits). At 180×180×3
   * and 5 classes: 3,989,285 parameters.
   */
  public static Sequential plain(long seed, int height, int width, int classes) {
    Sequential model = new Sequential(seed).input(height, width, 3);
    return convolutions(model, classes, false);
  }

  /**
   * The tutorial's second model: the {@link #augmentation} layers in front (active in training only),
   * then the plain network with Dropout(0.2) before the flatten.
   */
  public static Sequential augmented(long seed, int height, int width, int classes) {
    Sequential model = new Sequential(seed).input(height, width, 3);
    addAugmentation(model);
    return convolutions(model, classes, true);
  }

  /**
   * The augmentation layers alone, built with {@code seed} exactly as they are in
   * {@link #augmented(long, int, int, int)} (same positions, so the same layer seeds): to look at what
   * training does to a photo.
   */
  public static Sequential augmentation(long seed, int height, int width) {
    return addAugmentation(new Sequential(seed).input(height, width, 3));
  }

  /** Builds the named model: {@code plain} or {@code augmented}. */
  public static Sequential byName(String name, long seed, int height, int width, int classes) {
    switch (name) {
      case "plain":
        return plain(seed, height, width, classes);
      case "augmented":
        return augmented(seed, height, width, classes);
      default:
        throw new IllegalArgumentException("unknown flowers model '" + name + "'; use plain or augmented");
    }
  }

  /** Adam, sparse categorical cross-entropy from logits, and accuracy, as the tutorial compiles. */
  public static Sequential compile(Sequential model, double learningRate) {
    return model.compile(new Adam(learningRate), new SparseCategoricalCrossentropy(true),
        new SparseCategoricalAccuracy("accuracy"));
  }

  private static Sequential addAugmentation(Sequential model) {
    return model
        .add(new RandomFlip("horizontal"))
        .add(new RandomRotation(0.1))
        .add(new RandomZoom(0.1));
  }

  private static Sequential convolutions(Sequential model, int classes, boolean dropout) {
    model.add(new Rescaling(1 / 255.0))
        .add(new Conv2D(16, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(32, 3, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 3, "same", "relu"))
        .add(new MaxPool2D(2));
    if (dropout) {
      model.add(new Dropout(0.2));
    }
    return model.add(new Flatten())
        .add(new Dense(128, "relu"))
        .add(new Dense(classes));
  }
}
