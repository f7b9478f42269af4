package dev.neurona.optim;

import dev.neurona.core.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates parameters from their accumulated gradients. State (momentum, Adam moments) is kept per
 * parameter and created on first use; the same optimizer must always be stepped with the same
 * parameters.
 */
public interface Optimizer {
  /** Applies one update to every trainable parameter in {@code params}, then advances the step count. */
  void step(List<Parameter> params);

  /** The learning rate the next {@link #step} will use. */
  float learningRate();

  /** Number of steps taken so far. */
  long iterations();

  /** Keras-style lower-case name, e.g. {@code sgd} or {@code adam}. */
  default String name() {
    return getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /**
   * The hyper-parameters as a JSON-friendly map ({@code String}, {@code Float}, {@code Long},
   * {@code Boolean} and nested maps), {@code name} first, with Keras argument names, so a model
   * can print or save them. {@code learning_rate} is a number for a constant rate, else the
   * schedule's {@link LearningRateSchedule#config()}.
   */
  default Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("learning_rate", learningRate());
    return c;
  }

  /**
   * Rebuilds an optimizer from its {@link #config()}: {@code name} is {@code sgd} or {@code adam}
   * (any case); absent hyper-parameters take their defaults. Numbers may be any {@link Number}.
   */
  static Optimizer fromConfig(Map<String, ?> config) {
    String owner = "Optimizer.fromConfig";
    String name = String.valueOf(Args.required(owner, config, "name")).toLowerCase(Locale.ROOT);
    switch (name) {
      case SGD.NAME:
        return SGD.fromConfig(config);
      case Adam.NAME:
        return Adam.fromConfig(config);
      default:
        throw new IllegalArgumentException(
            owner + ": unknown optimizer name '" + config.get("name") + "' (expected sgd or adam)");
    }
  }
}
