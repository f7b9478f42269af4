package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.init.GlorotUniform;
import dev.neurona.layers.init.Initializer;
import dev.neurona.layers.init.Initializers;
import dev.neurona.layers.init.Zeros;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The weights {@link Dense} and {@link Conv2D} share: a kernel and an optional bias of one value per
 * output, their initializers (Keras' defaults {@code glorot_uniform} and {@code zeros}), their
 * creation from one seeded generator, and their entries in the layer's config.
 */
final class KernelBias {
  private final Layer layer;
  private boolean useBias = true;
  private Initializer kernelInitializer = new GlorotUniform();
  private Initializer biasInitializer = new Zeros();
  private Parameter kernel;
  private Parameter bias;

  KernelBias(Layer layer) {
    this.layer = layer;
  }

  void useBias(boolean useBias) {
    layer.requireUnbuilt("useBias");
    this.useBias = useBias;
  }

  void kernelInitializer(Initializer init) {
    layer.requireUnbuilt("kernelInitializer");
    this.kernelInitializer = Configs.requireInitializer(layer.typeName(), "kernelInitializer", init);
  }

  void biasInitializer(Initializer init) {
    layer.requireUnbuilt("biasInitializer");
    this.biasInitializer = Configs.requireInitializer(layer.typeName(), "biasInitializer", init);
  }

  /**
   * Adds the weight {@code kernel} of {@code kernelShape} and, with a bias, {@code bias} of
   * {@code (outputs)}, filled in that order from one {@code Random(seed)}.
   */
  void build(Shape kernelShape, int outputs, long seed) {
    Random rng = new Random(seed);
    kernel = layer.addWeight("kernel", Tensor.zeros(kernelShape));
    kernelInitializer.fill(kernel.value(), rng);
    if (useBias) {
      bias = layer.addWeight("bias", Tensor.zeros(outputs));
      biasInitializer.fill(bias.value(), rng);
    }
  }

  /** The shapes {@link #build} gives {@code kernel} and {@code bias}, without creating them. */
  Map<String, Shape> shapes(Shape kernelShape, int outputs) {
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put("kernel", kernelShape);
    if (useBias) {
      s.put("bias", Shape.of(outputs));
    }
    return s;
  }

  /** The kernel; null before build. */
  Parameter kernel() {
    return kernel;
  }

  /** The bias; null before build or without bias. */
  Parameter bias() {
    return bias;
  }

  /** Appends {@code use_bias}, {@code kernel_initializer} and {@code bias_initializer} to a layer's config. */
  void putConfig(Map<String, Object> config) {
    config.put("use_bias", useBias);
    config.put("kernel_initializer", Initializers.toConfig(kernelInitializer));
    config.put("bias_initializer", Initializers.toConfig(biasInitializer));
  }

  /** Sets the three from a saved config (absent keys keep the defaults), naming {@code layerType} in errors. */
  void readConfig(String layerType, Map<String, Object> config) {
    useBias(Configs.bool(layerType, config, "use_bias", true));
    kernelInitializer(Configs.initializer(layerType, config, "kernel_initializer", new GlorotUniform()));
    biasInitializer(Configs.initializer(layerType, config, "bias_initializer", new Zeros()));
  }

  /** The layer's own config defaults plus those of the three entries above. */
  static Map<String, Object> defaults(Map<String, Object> layerDefaults) {
    Map<String, Object> d = new HashMap<>(layerDefaults);
    d.put("use_bias", true);
    d.put("kernel_initializer", "glorot_uniform");
    d.put("bias_initializer", "zeros");
    return Map.copyOf(d);
  }
}
