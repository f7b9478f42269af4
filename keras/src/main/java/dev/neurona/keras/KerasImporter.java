package dev.neurona.keras;

import dev.neurona.core.Parameter;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras model config ({@code {"class_name": "Sequential" | "Functional" | "Model", "config": ...}})
 * to a built Neurona {@code Sequential}. A functional model must be a plain chain: one input, each
 * layer called once on the output of the layer before it, the last layer the one output.
 */
final class KerasImporter {
  private KerasImporter() {}

  /** One imported layer: its Keras class and name, and the Neurona layer (null for the InputLayer). */
  record Imported(String kerasClass, String kerasName, Layer layer) {}

  /** The model and, in Keras' order, its layers (what the weights files are keyed by). */
  record Result(Sequential model, List<Imported> layers, boolean functional) {}

  static Result importModel(ImportContext ctx, Object modelConfig) throws IOException {
    if (!(modelConfig instanceof Map)) {
      throw ctx.malformed("the model config is not a JSON object: " + KerasJson.describe(modelConfig));
    }
    Map<?, ?> m = (Map<?, ?>) modelConfig;
    Object cls = m.get("class_name");
    Object cfg = m.get("config");
    if (!(cls instanceof String)) {
      throw ctx.malformed("the model config has no class_name: " + KerasJson.describe(modelConfig));
    }
    boolean functional = cls.equals("Functional") || cls.equals("Model");
    if (!cls.equals("Sequential") && !functional) {
      throw ctx.unsupported(null, (String) cls, null, null,
          "Neurona reads Sequential models and functional models that are a plain chain");
    }
    List<?> entries;
    Map<?, ?> config;
    if (cfg instanceof List) { // Keras 2.2: a Sequential's config is its list of layers
      entries = (List<?>) cfg;
      config = Map.of();
    } else if (cfg instanceof Map && ((Map<?, ?>) cfg).get("layers") instanceof List) {
      config = (Map<?, ?>) cfg;
      entries = (List<?>) config.get("layers");
    } else {
      throw ctx.malformed("the " + cls + " config has no list of layers");
    }
    Sequential model = new Sequential();
    Object name = config.get("name");
    if (name instanceof String && !((String) name).isBlank()) {
      model.name((String) name);
    }
    List<Map<String, Object>> layerEntries = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map) || !(((Map<?, ?>) entries.get(i)).get("class_name") instanceof String)
          || !(((Map<?, ?>) entries.get(i)).get("config") instanceof Map)) {
        throw ctx.malformed("layer " + i + " of the model config is not {class_name, config}: "
            + KerasJson.describe(entries.get(i)));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) entries.get(i);
      layerEntries.add(e);
    }
    if (functional) {
      checkChain(ctx, config, layerEntries);
    }
    int[] inputShape = null;
    Object buildShape = config.get("build_input_shape");
    List<Imported> imported = new ArrayList<>();
    List<Layer> layers = new ArrayList<>();
    for (Map<String, Object> e : layerEntries) {
      String kerasClass = (String) e.get("class_name");
      @SuppressWarnings("unchecked")
      Map<String, Object> lc = new LinkedHashMap<>((Map<String, Object>) e.get("config"));
      String layerName = lc.get("name") instanceof String ? (String) lc.get("name") : (String) e.get("name");
      if (layerName == null) {
        throw ctx.malformed("a " + kerasClass + " layer has no name");
      }
      checkModule(ctx, kerasClass, layerName, e);
      if (kerasClass.equals("InputLayer")) {
        if (inputShape != null || !layers.isEmpty()) {
          throw ctx.unsupported(layerName, kerasClass, null, null, "an InputLayer after the first layer");
        }
        Object shape = lc.containsKey("batch_shape") ? lc.get("batch_shape") : lc.get("batch_input_shape");
        inputShape = shape(ctx, layerName, shape);
        KerasLayers.Options o = new KerasLayers.Options(ctx, kerasClass, layerName, lc);
        o.get("batch_shape");
        o.get("batch_input_shape");
        o.get("input_shape");
        o.finish(); // sparse, ragged: must be false
        imported.add(new Imported(kerasClass, layerName, null));
        continue;
      }
      if (inputShape == null && layers.isEmpty()) { // Keras 2: the first layer carries the input shape
        Object shape = lc.containsKey("batch_input_shape") ? lc.remove("batch_input_shape") : lc.remove("batch_shape");
        if (shape != null) {
          inputShape = shape(ctx, layerName, shape);
        }
      }
      Layer layer = KerasLayers.toNeurona(ctx, kerasClass, layerName, lc);
      imported.add(new Imported(kerasClass, layerName, layer));
      layers.add(layer);
    }
    if (inputShape == null && buildShape != null) {
      inputShape = shape(ctx, model.name(), buildShape);
    }
    if (inputShape == null) {
      throw ctx.malformed("the model config does not record the input shape (no InputLayer, batch_input_shape"
          + " or build_input_shape)");
    }
    model.input(inputShape);
    for (Imported im : imported) {
      if (im.layer() == null) {
        continue;
      }
      try {
        model.add(im.layer());
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UnsupportedKerasModelException(ctx.layer(im.kerasName(), im.kerasClass()) + " cannot be built on input "
            + model.outputShape() + " in Neurona: " + e.getMessage(), im.kerasClass(), null);
      }
    }
    for (int i = 0; i < layerEntries.size(); i++) {
      Object trainable = ((Map<?, ?>) layerEntries.get(i).get("config")).get("trainable");
      if (Boolean.FALSE.equals(trainable) && imported.get(i).layer() != null) {
        for (Parameter p : imported.get(i).layer().parameters()) {
          p.trainable(false);
        }
      }
    }
    return new Result(model, imported, functional);
  }

  /** Refuses layers Keras would look up outside Keras (custom or registered objects). */
  private static void checkModule(ImportContext ctx, String kerasClass, String layerName, Map<String, Object> e)
      throws UnsupportedKerasModelException {
    Object module = e.get("module");
    Object registered = e.get("registered_name");
    if ((module != null && !(module instanceof String && ((String) module).startsWith("keras")))
        || (registered != null && !registered.equals(kerasClass))) {
      throw ctx.unsupported(layerName, kerasClass, null, null, "a custom layer (module " + KerasJson.describe(module)
          + ", registered_name " + KerasJson.describe(registered) + ")");
    }
  }

  /** {@code [null, 28, 28, 1]} → {@code {28, 28, 1}}. */
  private static int[] shape(ImportContext ctx, String layer, Object v) throws KerasFormatException {
    if (!(v instanceof List) || ((List<?>) v).size() < 2) {
      throw ctx.malformed("layer '" + layer + "': the input shape " + KerasJson.describe(v)
          + " is not [batch, dimensions...]");
    }
    List<?> l = (List<?>) v;
    int[] dims = new int[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      if (!(l.get(i) instanceof Long) || (Long) l.get(i) < 1 || (Long) l.get(i) > Integer.MAX_VALUE) {
        throw ctx.malformed("layer '" + layer + "': the input shape " + KerasJson.describe(v)
            + " must have a known size >= 1 in every dimension after the batch (Neurona builds every layer for one shape)");
      }
      dims[i - 1] = (int) (long) (Long) l.get(i);
    }
    return dims;
  }

  // ---------------------------------------------------------------- functional chains

  /**
   * Checks that a functional model is a chain in the order its config lists the layers: layer
   * {@code i} has one inbound node with one tensor, from layer {@code i - 1}, and is the output.
   */
  private static void checkChain(ImportContext ctx, Map<?, ?> config, List<Map<String, Object>> layers)
      throws IOException {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> e : layers) {
      Object n = e.get("name");
      if (n == null && e.get("config") instanceof Map) {
        n = ((Map<?, ?>) e.get("config")).get("name");
      }
      if (!(n instanceof String)) {
        throw ctx.malformed("a functional layer has no name: " + KerasJson.describe(e));
      }
      names.add((String) n);
    }
    List<String> inputs = tensorNames(ctx, config.get("input_layers"), "input_layers");
    List<String> outputs = tensorNames(ctx, config.get("output_layers"), "output_layers");
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw ctx.unsupported(null, "Functional", null, null, "a model with " + inputs.size() + " inputs and "
          + outputs.size() + " outputs; Neurona reads plain chains (one input, one output)");
    }
    if (layers.isEmpty() || !names.get(0).equals(inputs.get(0)) || !"InputLayer".equals(layers.get(0).get("class_name"))) {
      throw ctx.unsupported(null, "Functional", null, null, "the first layer listed is not the model's InputLayer "
          + KerasJson.describe(inputs.get(0)));
    }
    for (int i = 1; i < layers.size(); i++) {
      Map<String, Object> e = layers.get(i);
      String cls = (String) e.get("class_name");
      Object nodes = e.get("inbound_nodes");
      if (!(nodes instanceof List) || ((List<?>) nodes).size() != 1) {
        throw ctx.unsupported(names.get(i), cls, null, null, "a layer called " + (nodes instanceof List
            ? ((List<?>) nodes).size() : 0) + " times; Neurona reads plain chains (each layer called once)");
      }
      List<String> sources = nodeInputs(ctx, names.get(i), cls, ((List<?>) nodes).get(0));
      if (sources.size() != 1 || !sources.get(0).equals(names.get(i - 1))) {
        throw ctx.unsupported(names.get(i), cls, null, null, "its input comes from " + sources + ", not from the layer"
            + " before it ('" + names.get(i - 1) + "'); Neurona reads functional models that are a plain chain");
      }
    }
    if (!outputs.get(0).equals(names.get(names.size() - 1))) {
      throw ctx.unsupported(null, "Functional", null, null, "the output '" + outputs.get(0)
          + "' is not the last layer of the chain '" + names.get(names.size() - 1) + "'");
    }
  }

  /** {@code ["input_layer", 0, 0]} (Keras 3, one tensor) or {@code [["input_1", 0, 0]]} → the layer names. */
  private static List<String> tensorNames(ImportContext ctx, Object v, String key) throws KerasFormatException {
    List<String> out = new ArrayList<>();
    if (v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).get(0) instanceof String) {
      out.add((String) ((List<?>) v).get(0));
      return out;
    }
    if (v instanceof List) {
      for (Object t : (List<?>) v) {
        if (t instanceof List && !((List<?>) t).isEmpty() && ((List<?>) t).get(0) instanceof String) {
          out.add((String) ((List<?>) t).get(0));
        } else {
          throw ctx.malformed(key + " " + KerasJson.describe(v) + " is not a list of [layer, node, tensor]");
        }
      }
      return out;
    }
    throw ctx.malformed(key + " " + KerasJson.describe(v) + " is not a list of [layer, node, tensor]");
  }

  /**
   * The layers feeding one inbound node: Keras 3's {@code {"args": [keras_tensor...], "kwargs": {...}}}
   * or Keras 2's {@code [["name", node, tensor, {kwargs}], ...]}. Node and tensor indices must be 0;
   * the only call argument accepted is {@code training} (the model's own training flag overrides it).
   */
  private static List<String> nodeInputs(ImportContext ctx, String layer, String cls, Object node) throws IOException {
    List<String> out = new ArrayList<>();
    if (node instanceof Map) {
      Object args = ((Map<?, ?>) node).get("args");
      Object kwargs = ((Map<?, ?>) node).get("kwargs");
      checkKwargs(ctx, layer, cls, kwargs);
      if (!(args instanceof List)) {
        throw ctx.malformed("layer '" + layer + "': inbound node " + KerasJson.describe(node) + " has no args");
      }
      for (Object a : (List<?>) args) {
        Object history = a instanceof Map && ((Map<?, ?>) a).get("config") instanceof Map
            ? ((Map<?, ?>) ((Map<?, ?>) a).get("config")).get("keras_history") : null;
        if (!(history instanceof List) || ((List<?>) history).size() != 3 || !(((List<?>) history).get(0) instanceof String)) {
          throw ctx.unsupported(layer, cls, null, null, "its call argument " + KerasJson.describe(a)
              + " is not one Keras tensor");
        }
        List<?> h = (List<?>) history;
        if (!Long.valueOf(0).equals(h.get(1)) || !Long.valueOf(0).equals(h.get(2))) {
          throw ctx.unsupported(layer, cls, null, null, "it reads output " + h + " of a shared or multi-output layer");
        }
        out.add((String) h.get(0));
      }
      return out;
    }
    if (node instanceof List) {
      for (Object t : (List<?>) node) {
        if (!(t instanceof List) || ((List<?>) t).size() < 3 || !(((List<?>) t).get(0) instanceof String)) {
          throw ctx.malformed("layer '" + layer + "': inbound tensor " + KerasJson.describe(t) + " is not [layer, node, tensor, kwargs]");
        }
        List<?> h = (List<?>) t;
        if (!Long.valueOf(0).equals(h.get(1)) || !Long.valueOf(0).equals(h.get(2))) {
          throw ctx.unsupported(layer, cls, null, null, "it reads output " + h + " of a shared or multi-output layer");
        }
        if (h.size() > 3) {
          checkKwargs(ctx, layer, cls, h.get(3));
        }
        out.add((String) h.get(0));
      }
      return out;
    }
    throw ctx.malformed("layer '" + layer + "': inbound node " + KerasJson.describe(node) + " is not a node");
  }

  private static void checkKwargs(ImportContext ctx, String layer, String cls, Object kwargs) throws IOException {
    if (kwargs == null) {
      return;
    }
    if (!(kwargs instanceof Map)) {
      throw ctx.malformed("layer '" + layer + "': call arguments " + KerasJson.describe(kwargs) + " are not an object");
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) kwargs).entrySet()) {
      String k = String.valueOf(e.getKey());
      if (k.equals("training") || e.getValue() == null) {
        continue;
      }
      throw ctx.unsupported(layer, cls, "call argument " + k, e.getValue(), null);
    }
  }
}
