package dev.neurona.layers;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares the per-sample input shape of a model, like Keras' {@code keras.Input(shape=(28, 28, 1))}:
 * {@code new Sequential(new InputLayer(28, 28, 1), new Conv2D(...), ...)}.
 *
 * <p>It is the identity, has no weights, and is not one of the model's layers: the model reads its
 * shape and does not list it in {@code summary()}.
 */
public final class InputLayer extends Layer {
  private final Shape shape;

  /** The per-sample shape, without the batch dimension, e.g. {@code (28, 28, 1)}; every dimension {@code >= 1}. */
  public InputLayer(int... shape) {
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException("InputLayer: shape must have at least one dimension, got "
          + (shape == null ? "null" : "()"));
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 1) {
        throw new IllegalArgumentException("InputLayer: dimension " + i + " of shape "
            + Shape.of(shape) + " must be >= 1, got " + shape[i]);
      }
    }
    this.shape = Shape.of(shape);
  }

  /** Re-creates the layer from {@link #config()} ({@code {"shape": [28, 28, 1]}}). */
  public static InputLayer fromConfig(Map<String, Object> config) {
    Object s = config == null ? null : config.get("shape");
    if (!(s instanceof List)) {
      throw new IllegalArgumentException("InputLayer.fromConfig: \"shape\" must be a list of integers, got " + s);
    }
    List<?> l = (List<?>) s;
    int[] dims = new int[l.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Configs.toInt("InputLayer", "shape", l.get(i), s);
    }
    return new InputLayer(dims);
  }

  /** The declared per-sample shape. */
  public Shape shape() {
    return shape;
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (!shape.equals(inputShape)) {
      throw new IllegalArgumentException(describe() + ": declared shape " + shape + " but got input " + inputShape);
    }
    return shape;
  }

  /** Identity: {@code x} is returned as it is. */
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    return x;
  }

  /** Identity: {@code x} is returned as it is. */
  @Override
  public Tensor infer(Tensor x, Workspace ws) {
    checkInput(x);
    return x;
  }

  /** Identity. */
  @Override
  public Tensor backward(Tensor dOut) {
    return needsInputGradient ? dOut : null;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    List<Integer> dims = new ArrayList<>();
    for (int d : shape.toArray()) {
      dims.add(d);
    }
    c.put("shape", dims);
    return c;
  }
}
