package dev.neurona.keras;

import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Neurona {@code Sequential} as Keras 3's {@code config.json}: what {@code model.get_config()} would give. */
final class KerasExport {
  private KerasExport() {}

  /** The config of a built model; {@code compile_config} only when Keras has the training configuration. */
  static Map<String, Object> config(Sequential model, List<String> issues) throws UnsupportedKerasModelException {
    List<Object> batchShape = KerasLayers.batchShape(model.inputShape());
    List<Object> layers = new ArrayList<>();
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("batch_shape", batchShape);
    input.put("dtype", "float32");
    input.put("sparse", false);
    input.put("ragged", false);
    input.put("name", uniqueInputName(model));
    input.put("optional", false);
    Map<String, Object> inputEntry = new LinkedHashMap<>();
    inputEntry.put("module", "keras.layers");
    inputEntry.put("class_name", "InputLayer");
    inputEntry.put("config", input);
    inputEntry.put("registered_name", null);
    layers.add(inputEntry);
    for (Layer l : model.layers()) {
      layers.add(KerasLayers.toKeras(l));
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", model.name());
    c.put("trainable", true);
    c.put("dtype", KerasLayers.dtypePolicy());
    c.put("layers", layers);
    c.put("build_input_shape", batchShape);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", "keras");
    m.put("class_name", "Sequential");
    m.put("config", c);
    m.put("registered_name", null);
    Map<String, Object> build = new LinkedHashMap<>();
    build.put("input_shape", batchShape);
    m.put("build_config", build);
    Map<String, Object> compile = KerasTraining.compileConfig(model, issues);
    if (compile != null) {
      m.put("compile_config", compile);
    }
    return m;
  }

  private static String uniqueInputName(Sequential model) {
    String name = "input_layer";
    for (int i = 1; hasLayer(model, name); i++) {
      name = "input_layer_" + i;
    }
    return name;
  }

  private static boolean hasLayer(Sequential model, String name) {
    for (Layer l : model.layers()) {
      if (l.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
