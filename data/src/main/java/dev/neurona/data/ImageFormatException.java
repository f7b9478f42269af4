package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file could not be decoded: it is empty, truncated, not an image at all, or in a variant
 * no installed reader handles. The message names the file and says what was found, e.g.
 * {@code "…/roses/a.jpg: not a JPEG, PNG, GIF or BMP image: it starts with 3c 68 74 6d ("<htm")"}.
 */
public final class ImageFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The file (transient: paths are not serializable). */
  private final transient Path file;
  private final String reason;

  /** {@code file}: the image; {@code reason}: what is wrong with it, without the file name. */
  public ImageFormatException(Path file, String reason) {
    this(file, reason, null);
  }

  /** As {@link #ImageFormatException(Path, String)}, with the decoder's own exception as the cause. */
  public ImageFormatException(Path file, String reason, Throwable cause) {
    super((file == null ? "image" : file.toString()) + ": " + reason, cause);
    this.file = file;
    this.reason = reason;
  }

  /**
   * For an image that is not a local file (e.g. one read from a Hadoop file system): {@code name}
   * (its URI, say) names it in the message; {@link #file()} is {@code null}.
   */
  public ImageFormatException(String name, String reason, Throwable cause) {
    super((name == null ? "image" : name) + ": " + reason, cause);
    this.file = null;
    this.reason = reason;
  }

  /** The file that could not be decoded (may be {@code null} for an image given as bytes or after deserialization). */
  public Path file() {
    return file;
  }

  /** What is wrong with the file, without its name (e.g. {@code "empty file (0 bytes)"}). */
  public String reason() {
    return reason;
  }
}
