package dev.neurona.examples.captcha;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * The intermediate outputs of a model, for the feature-map pictures: runs each layer's
 * {@code forward(x, false)} in turn from {@link Sequential#layers()} and keeps a copy of every output.
 * A stop-gap until the library offers this (Keras' {@code Model(inputs, layer.output)}); kept in one
 * place so that it can be swapped for that API.
 */
public final class LayerOutputs {
  private LayerOutputs() {}

  /**
   * The outputs of layers {@code 0..last} (inclusive) for the batch {@code x}, in layer order; each a
   * copy, since layers reuse their output buffers.
   */
  public static List<Tensor> upTo(Sequential model, Tensor x, int last) {
    List<Layer> layers = model.layers();
    if (last < 0 || last >= layers.size()) {
      throw new IllegalArgumentException("LayerOutputs.upTo: layer index " + last + " is not in [0, " + layers.size()
          + ") of model '" + model.name() + "'");
    }
    List<Tensor> out = new ArrayList<>(last + 1);
    Tensor t = x;
    for (int i = 0; i <= last; i++) {
      t = layers.get(i).forward(t, false);
      out.add(t.copy());
    }
    return out;
  }
}
