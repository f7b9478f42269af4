package dev.neurona.examples.flowers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class names that earlier versions of this example kept beside the model file, as
 * {@code class_names.txt} (one name per line, label {@code k} on line {@code k + 1}). The model file
 * now carries them ({@code Sequential.classNames()}); this reads the old side file, so that a model
 * trained before still predicts with names.
 */
final class ClassNames {
  static final String FILE_NAME = "class_names.txt";

  private ClassNames() {}

  /** The names file of {@code modelFile}: {@code class_names.txt} in the same folder. */
  static Path fileFor(Path modelFile) {
    Path parent = modelFile.toAbsolutePath().getParent();
    return parent == null ? Path.of(FILE_NAME) : parent.resolve(FILE_NAME);
  }

  /**
   * The names saved beside {@code modelFile}; there must be exactly {@code classes} of them (the
   * model's output width).
   *
   * @throws IOException naming the file when it is missing or does not fit the model
   */
  static List<String> load(Path modelFile, int classes) throws IOException {
    Path file = fileFor(modelFile);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException("the class names of " + modelFile + " are missing: expected " + file
          + " (one name per line, written beside the model by ./neurona flowers)");
    }
    List<String> names = new ArrayList<>();
    for (String line : lines) {
      if (!line.isEmpty()) {
        names.add(line);
      }
    }
    if (names.size() != classes) {
      throw new IOException(file + " lists " + names.size() + " class names " + names + " but the model "
          + modelFile + " has " + classes + " outputs");
    }
    return List.copyOf(names);
  }
}
