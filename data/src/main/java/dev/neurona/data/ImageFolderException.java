package dev.neurona.data;

import java.io.IOException;

/**
 * An image folder's layout is not usable: the root does not exist or is not a directory, it has no
 * class sub-folders, or a class folder holds no image. The message names the folder and says what
 * was found there.
 */
public final class ImageFolderException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A message naming the folder and the problem. */
  public ImageFolderException(String message) {
    super(message);
  }
}
