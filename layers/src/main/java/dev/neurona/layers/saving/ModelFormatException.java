package dev.neurona.layers.saving;

import java.io.IOException;

/** A model file that cannot be loaded: its message names the file and what is wrong with it. */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  ModelFormatException(String message) {
    super(message);
  }

  ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
