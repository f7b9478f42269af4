package dev.neurona.examples.captcha;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.loss.CategoricalAccuracy;
import dev.neurona.layers.loss.CategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;

/**
 * The tutorial's two letter classifiers on 20×20×1 inputs, compiled as in the tutorial: Adam
 * (learning rate 0.001), categorical cross-entropy on one-hot targets, accuracy.
 */
public final class CaptchaModels {
  /** Input side in pixels: letters are scaled to {@code SIZE × SIZE} by {@link LetterExtractor#resizeToFit}. */
  public static final int SIZE = 20;

  private CaptchaModels() {}

  /**
   * The "bad" model: one 5×5 "same" convolution with 20 filters straight into dense 500, no pooling
   * (4,017,052 parameters, almost all in the dense layer); trained for one epoch.
   */
  public static Sequential bad(int classes, long seed) {
    return compile(new Sequential(seed)
        .name("bad")
        .input(SIZE, SIZE, 1)
        .add(new Conv2D(20, 5, "same", "relu"))
        .add(new Flatten())
        .add(new Dense(500, "relu"))
        .add(new Dense(classes, "softmax")));
  }

  /**
   * The tutorial's model: conv 5×5 "same" 20 → max-pool 2 → conv 5×5 "same" 50 → max-pool 2 →
   * dense 500 → dense {@code classes} softmax (667,102 parameters for 32 classes).
   */
  public static Sequential good(int classes, long seed) {
    return compile(new Sequential(seed)
        .name("good")
        .input(SIZE, SIZE, 1)
        .add(new Conv2D(20, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(50, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(500, "relu"))
        .add(new Dense(classes, "softmax")));
  }

  private static Sequential compile(Sequential model) {
    return model.compile(new Adam(1e-3), new CategoricalCrossentropy(), new CategoricalAccuracy("accuracy"));
  }
}
