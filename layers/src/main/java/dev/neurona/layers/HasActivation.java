package dev.neurona.layers;

import dev.neurona.core.Tensor;

/**
 * A layer whose output is {@code activation(z)} for a pre-activation {@code z} it computes (Dense,
 * Conv2D, and the activation layers themselves). Lets the model fuse softmax with cross-entropy:
 * it passes dLoss/dz directly to {@link #backwardFromPreActivation}.
 */
public interface HasActivation {
  Activation activation();

  /** Backward pass given dLoss/dz (the gradient before the activation), instead of dLoss/dOutput. */
  Tensor backwardFromPreActivation(Tensor dZ);
}
