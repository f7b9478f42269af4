package dev.neurona.keras.cli;

import dev.neurona.keras.KerasModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./neurona inspect FILE...}: prints the format, summary and training configuration of any
 * model file (Neurona zip, {@code .keras}, {@code .h5}, {@code .weights.h5}). A command, not library
 * code: this package is not exported.
 */
public final class Inspect {
  private Inspect() {}

  /**
   * Runs the command.
   *
   * @param args the files to describe
   */
  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println("Usage: ./neurona inspect FILE...\n"
          + "Prints the summary of a model file: a Neurona zip, a Keras .keras archive, a legacy Keras .h5 model"
          + " or a .weights.h5 file (recognised by content).");
      System.exit(args.length == 0 ? 2 : 0);
    }
    int code = 0;
    for (String a : args) {
      Path p = Path.of(a);
      try {
        if (!Files.isRegularFile(p)) {
          throw new IOException(a + ": no such file");
        }
        System.out.println(KerasModels.describe(p));
      } catch (IOException | RuntimeException e) {
        System.err.println("inspect: " + e.getMessage());
        code = 1;
      }
    }
    System.exit(code);
  }
}
