package dev.neurona.benchmarks;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.examples.mnist.MnistModels;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.loss.SparseCategoricalCrossentropy;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import java.util.Random;

/**
 * The tutorial networks the benchmarks time, exactly as {@code ../shared/anchors/bench_tf.py} builds
 * them for TensorFlow, so one run of each gives a ratio: {@code mnist-cnn} (TensorFlow's MNIST CNN,
 * bench_tf's {@code mnist99}), {@code mnist-keras} (Keras' one-convolution CNN, {@code keras-mnist}),
 * {@code captcha} (the captcha letter CNN, 20×20×1, 32 classes) and {@code flowers} (the flowers CNN,
 * 180×180×3, 5 classes, logits, with Dropout(0.2) before Flatten).
 */
final class Nets {
  private Nets() {}

  /** The named network, built (not compiled) with weights from {@code seed}. */
  static Sequential build(String net, long seed) {
    switch (net) {
      case "mnist-cnn":
      case "mnist-keras":
        return MnistModels.byName(net, seed);
      case "captcha":
        return new Sequential(seed)
            .input(20, 20, 1)
            .add(new Conv2D(20, 5, "same", "relu"))
            .add(new MaxPool2D(2))
            .add(new Conv2D(50, 5, "same", "relu"))
            .add(new MaxPool2D(2))
            .add(new Flatten())
            .add(new Dense(500, "relu"))
            .add(new Dense(32, "softmax"));
      case "flowers":
        return new Sequential(seed)
            .input(180, 180, 3)
            .add(new Rescaling(1.0 / 255))
            .add(new Conv2D(16, 3, "same", "relu"))
            .add(new MaxPool2D(2))
            .add(new Conv2D(32, 3, "same", "relu"))
            .add(new MaxPool2D(2))
            .add(new Conv2D(64, 3, "same", "relu"))
            .add(new MaxPool2D(2))
            .add(new Dropout(0.2))
            .add(new Flatten())
            .add(new Dense(128, "relu"))
            .add(new Dense(5));
      default:
        throw new IllegalArgumentException("unknown net '" + net + "'; use mnist-cnn, mnist-keras, captcha or flowers");
    }
  }

  /** The named network compiled as bench_tf.py compiles it: Adam(1e-3), sparse categorical cross-entropy. */
  static Sequential compiled(String net, long seed) {
    Sequential model = build(net, seed);
    boolean logits = net.equals("flowers");
    return model.compile(new Adam(1e-3), new SparseCategoricalCrossentropy(logits));
  }

  /** A seeded random batch for {@code model}: inputs uniform in [0, 1) ([0, 255) for flowers' raw pixels). */
  static Tensor inputs(Sequential model, int batch, Random rnd) {
    Shape s = model.inputShape();
    float high = s.equals(Shape.of(180, 180, 3)) ? 255f : 1f;
    int[] dims = new int[s.rank() + 1];
    dims[0] = batch;
    for (int i = 0; i < s.rank(); i++) {
      dims[i + 1] = s.dim(i);
    }
    return Tensor.zeros(dims).fillUniform(0f, high, rnd);
  }

  /** Sparse class labels for {@code model}'s output classes. */
  static Tensor labels(Sequential model, int batch, Random rnd) {
    int classes = model.outputShape().dim(0);
    Tensor y = Tensor.zeros(batch);
    for (int i = 0; i < batch; i++) {
      y.data()[i] = rnd.nextInt(classes);
    }
    return y;
  }
}
