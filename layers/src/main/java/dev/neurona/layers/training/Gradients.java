package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradients of a compiled model's loss on one batch, from {@link Sequential#gradients}: for
 * saliency maps, for checking a layer's backward pass, or for an optimizer of your own. The
 * tensors are copies the caller owns.
 *
 * @param loss the batch's mean loss
 * @param parameters dLoss/dParameter for every parameter, trainable or not, by its dotted name
 *     ({@code "conv2d.kernel"}), in {@link Sequential#parameters()} order; unmodifiable
 * @param input dLoss/dx, shaped as {@code x}
 */
public record Gradients(float loss, Map<String, Tensor> parameters, Tensor input) {
  /** Keeps an unmodifiable copy of {@code parameters}, in its order. */
  public Gradients {
    if (parameters == null || input == null) {
      throw new IllegalArgumentException("Gradients: parameters and input must not be null (parameters="
          + parameters + ", input=" + input + ")");
    }
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** dLoss/dParameter for the parameter called {@code name}, e.g. {@code "dense.kernel"}. */
  public Tensor parameter(String name) {
    Tensor g = parameters.get(name);
    if (g == null) {
      throw new IllegalArgumentException("Gradients: no parameter named '" + name + "'; there are "
          + parameters.keySet());
    }
    return g;
  }
}
