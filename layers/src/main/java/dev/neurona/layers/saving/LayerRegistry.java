package dev.neurona.layers.saving;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.ReLU;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Sigmoid;
import dev.neurona.layers.Softmax;
import dev.neurona.layers.Tanh;
import dev.neurona.layers.preprocessing.RandomContrast;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomTranslation;
import dev.neurona.layers.preprocessing.RandomZoom;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The layer types a model file may hold: for each, the type name written in {@code config.json},
 * its class, and the {@link LayerFactory} that re-creates it from its config. Loading finds layers
 * only here; it never loads a class named in a file.
 *
 * <p>{@link #standard()}, which {@code Sequential.save} and {@code load} use, holds the built-in
 * layers and whatever every {@link LayerProvider} on the class or module path registers. A new
 * built-in layer is one line in {@link #builtIn()}:
 * <pre>{@code
 * registry.register("Dense", Dense.class, Dense::fromConfig);
 * }</pre>
 *
 * <p>Thread-safe: registering and looking up may happen from any thread.
 */
public final class LayerRegistry {
  private record Registration(String type, Class<? extends Layer> layerClass, LayerFactory factory) {}

  private static LayerRegistry standard;

  private final Map<String, Registration> byType = new TreeMap<>();
  private final Map<Class<? extends Layer>, Registration> byClass = new HashMap<>();

  /** An empty registry; {@link #builtIn()} is one with Neurona's layers in it. */
  public LayerRegistry() {}

  /** A new registry with Neurona's built-in layers, one line each. */
  public static LayerRegistry builtIn() {
    LayerRegistry r = new LayerRegistry();
    r.register("Conv2D", Conv2D.class, Conv2D::fromConfig);
    r.register("Dense", Dense.class, Dense::fromConfig);
    r.register("Dropout", Dropout.class, Dropout::fromConfig);
    r.register("Flatten", Flatten.class, Flatten::fromConfig);
    r.register("InputLayer", InputLayer.class, InputLayer::fromConfig);
    r.register("MaxPool2D", MaxPool2D.class, MaxPool2D::fromConfig);
    r.register("ReLU", ReLU.class, ReLU::fromConfig);
    r.register("Rescaling", Rescaling.class, Rescaling::fromConfig);
    r.register("Sigmoid", Sigmoid.class, Sigmoid::fromConfig);
    r.register("Softmax", Softmax.class, Softmax::fromConfig);
    r.register("Tanh", Tanh.class, Tanh::fromConfig);
    r.register("RandomContrast", RandomContrast.class, RandomContrast::fromConfig);
    r.register("RandomFlip", RandomFlip.class, RandomFlip::fromConfig);
    r.register("RandomRotation", RandomRotation.class, RandomRotation::fromConfig);
    r.register("RandomTranslation", RandomTranslation.class, RandomTranslation::fromConfig);
    r.register("RandomZoom", RandomZoom.class, RandomZoom::fromConfig);
    return r;
  }

  /**
   * The registry save and load use: {@link #builtIn()} plus the types of every {@link LayerProvider}
   * that {@link ServiceLoader} finds, created on first use. Types registered on it later are seen
   * by every later save and load.
   *
   * @throws IllegalStateException naming the provider when one cannot be loaded or registers a
   *     type twice (the next call tries again)
   */
  public static synchronized LayerRegistry standard() {
    if (standard == null) {
      LayerRegistry r = builtIn();
      try {
        for (LayerProvider p : ServiceLoader.load(LayerProvider.class)) {
          try {
            p.registerLayers(r);
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException("LayerProvider " + p.getClass().getName() + ": " + e.getMessage(), e);
          }
        }
      } catch (java.util.ServiceConfigurationError e) {
        throw new IllegalStateException("LayerRegistry: cannot load a LayerProvider: " + e.getMessage(), e);
      }
      standard = r;
    }
    return standard;
  }

  /**
   * Registers a layer type: files name it {@code type}, {@code layerClass} is the class whose
   * instances are saved under it, and {@code factory} re-creates one from its config.
   *
   * @return this registry, for chaining
   * @throws IllegalArgumentException when an argument is null or blank, or the type or the class is
   *     already registered
   */
  public synchronized LayerRegistry register(String type, Class<? extends Layer> layerClass, LayerFactory factory) {
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("LayerRegistry.register: type must not be blank, got '" + type + "'");
    }
    if (layerClass == null || factory == null) {
      throw new IllegalArgumentException("LayerRegistry.register('" + type + "'): layerClass and factory must not be"
          + " null (layerClass=" + layerClass + ", factory=" + factory + ")");
    }
    Registration taken = byType.get(type);
    if (taken != null) {
      throw new IllegalArgumentException("LayerRegistry.register: type '" + type + "' is already registered, for "
          + taken.layerClass().getName() + " (cannot register it again for " + layerClass.getName() + ")");
    }
    taken = byClass.get(layerClass);
    if (taken != null) {
      throw new IllegalArgumentException("LayerRegistry.register: " + layerClass.getName() + " is already registered,"
          + " as type '" + taken.type() + "' (cannot register it again as '" + type + "')");
    }
    Registration r = new Registration(type, layerClass, factory);
    byType.put(type, r);
    byClass.put(layerClass, r);
    return this;
  }

  /** Whether {@code type} is registered. */
  public synchronized boolean contains(String type) {
    return byType.containsKey(type);
  }

  /** The registered type names, sorted. */
  public synchronized Set<String> types() {
    return Collections.unmodifiableSet(new TreeSet<>(byType.keySet()));
  }

  /**
   * A new layer of {@code type} from its config, made by the registered factory (whose exceptions,
   * naming a bad key, pass through).
   *
   * @throws IllegalArgumentException when {@code type} is not registered
   * @throws IllegalStateException when the factory returns null or a layer of another class
   */
  public Layer create(String type, Map<String, Object> config) {
    Registration r;
    synchronized (this) {
      r = byType.get(type);
    }
    if (r == null) {
      throw new IllegalArgumentException("LayerRegistry: unknown layer type '" + type + "'; registered: " + types());
    }
    Layer layer = r.factory().fromConfig(config);
    if (!r.layerClass().isInstance(layer)) {
      throw new IllegalStateException("LayerRegistry: the factory of type '" + type + "' returned "
          + (layer == null ? "null" : "a " + layer.getClass().getName()) + ", not a " + r.layerClass().getName());
    }
    return layer;
  }

  /** The type {@code layerClass} is registered as, or null. */
  synchronized String typeOf(Class<? extends Layer> layerClass) {
    Registration r = byClass.get(layerClass);
    return r == null ? null : r.type();
  }

  /** The type registered for the class with this binary name (compared as text, nothing is loaded), or null. */
  synchronized String typeOfClassName(String className) {
    for (Registration r : byType.values()) {
      if (r.layerClass().getName().equals(className)) {
        return r.type();
      }
    }
    return null;
  }

  /** {@code LayerRegistry[Conv2D, Dense, ...]}. */
  @Override
  public String toString() {
    return "LayerRegistry" + types();
  }
}
