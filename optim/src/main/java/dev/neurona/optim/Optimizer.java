package dev.neurona.optim;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Updates parameters from their accumulated gradients. State (momentum, Adam moments) is kept per
 * parameter and created on first use; the same optimizer must always be stepped with the same
 * parameters.
 *
 * <p>A <em>resumable</em> optimizer ({@link #isResumable()}) can be saved with a model and rebuilt
 * exactly: {@link #fromConfig} re-creates it from {@link #config()}, and {@link #state()} /
 * {@link #restoreState} carry its per-parameter buffers and step count. SGD and Adam are.
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
   * Whether {@link #fromConfig}{@code (config())}, {@link #state()} and {@link #restoreState} rebuild
   * this optimizer exactly, so that a saved model resumes training where it stopped. False by
   * default; true for every {@link AbstractOptimizer}.
   */
  default boolean isResumable() {
    return false;
  }

  /**
   * A copy of the per-parameter state, to save and later {@link #restoreState restore}: one tensor
   * per parameter and slot, keyed {@code "<parameter name>/<slot>"}, with the parameter's shape,
   * sorted by key. Empty by default (an optimizer without state, or one that cannot restore it).
   */
  default Map<String, Tensor> state() {
    return Map.of();
  }

  /**
   * Continues from a saved {@link #state()} and step count, as if this optimizer had taken those
   * steps. The default cannot: it throws {@link UnsupportedOperationException} naming the optimizer.
   *
   * @throws IllegalArgumentException naming the key when the state does not fit this optimizer
   */
  default void restoreState(long iterations, Map<String, Tensor> state) {
    throw new UnsupportedOperationException(name() + ".restoreState: " + getClass().getName()
        + " is not resumable; it cannot continue from a saved state");
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
