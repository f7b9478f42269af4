package dev.neurona.examples.launch;

import dev.neurona.layers.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The line an example prints after saving its model: which file, how big, and what the size is made of. */
public final class SavedModel {
  private SavedModel() {}

  /**
   * E.g. {@code model: out/mnist/model.zip, 39.3 MB (13.1 MB of weights; the rest is the optimizer's
   * state, to resume training)}, for a model saved with {@link Sequential#save(Path)}; the weights are
   * 4 bytes per parameter.
   */
  public static String describe(Path file, Sequential model) throws IOException {
    long size = Files.size(file);
    long weights = 4 * model.countParams();
    String rest = size > weights * 3 / 2 ? "; the rest is the optimizer's state, to resume training" : "";
    return String.format(Locale.ROOT, "model: %s, %s (%s of weights%s)", file, mb(size), mb(weights), rest);
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
