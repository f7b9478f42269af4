package dev.neurona.keras;

import java.io.IOException;

/**
 * A file that cannot be loaded as a Keras model or weights: not a model file, truncated or damaged,
 * inconsistent (a weight listed but missing), or weights that do not fit the model. The message names
 * the file and, where one is concerned, the layer, the weight and both shapes.
 */
public final class KerasFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  KerasFormatException(String message) {
    super(message);
  }

  KerasFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
