package dev.neurona.optim;

import dev.neurona.core.Parameter;
import java.util.List;

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
}
