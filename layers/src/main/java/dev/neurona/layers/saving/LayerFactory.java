package dev.neurona.layers.saving;

import dev.neurona.layers.Layer;
import java.util.Map;

/**
 * Re-creates a layer from the config it was saved with; registered, with its type name, in a
 * {@link LayerRegistry}. A layer's static {@code fromConfig} is one: {@code Dense::fromConfig}.
 */
@FunctionalInterface
public interface LayerFactory {
  /**
   * A new, unbuilt layer with the hyper-parameters in {@code config} (what {@link Layer#config()}
   * returned, as JSON reads it back: numbers may be any {@link Number}, pairs are lists).
   *
   * @throws IllegalArgumentException naming the key and the value that do not fit
   */
  Layer fromConfig(Map<String, Object> config);
}
