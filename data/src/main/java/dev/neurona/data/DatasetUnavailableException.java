package dev.neurona.data;

import java.io.IOException;

/**
 * A data set's files were not found and could not be fetched. The message lists the files needed,
 * the directories searched, why the automatic fetch failed and how to provide the files by hand;
 * it is meant to be shown to the user as it is.
 */
public final class DatasetUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A message for the user and the fetch failure that caused it (may be {@code null}). */
  public DatasetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
