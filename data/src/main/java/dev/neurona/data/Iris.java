package dev.neurona.data;

import dev.neurona.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fisher's Iris data set: 150 flowers, four measurements each (centimetres) and the species.
 *
 * <p>The rows are shipped with the library ({@code iris.csv} beside this class) in UCI's order with
 * UCI's two documented errata corrected, so the numbers match R's {@code iris} and scikit-learn's
 * {@code load_iris}. Rows 0–49 are setosa, 50–99 versicolor, 100–149 virginica.
 *
 * <pre>{@code
 * Iris iris = Iris.load().only("setosa", "versicolor");     // the first 100 rows
 * double[][] x = iris.features("sepal_length", "petal_length");
 * int[] y = iris.labels("versicolor");                      // versicolor +1, setosa -1
 * }</pre>
 *
 * <p>Instances are immutable; every accessor returns a fresh copy.
 */
public final class Iris {
  /** Column names, in file order. */
  public static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
  /** Species names; a row's species index points into this list. */
  public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

  private static final String RESOURCE = "iris.csv";

  private final double[][] features; // (n, 4)
  private final int[] species;       // (n,) index into SPECIES

  private Iris(double[][] features, int[] species) {
    this.features = features;
    this.species = species;
  }

  /** The full data set (150 rows), read from the library's bundled {@code iris.csv}. */
  public static Iris load() {
    try (InputStream in = Iris.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Iris: resource " + RESOURCE + " is missing from the neurona-core jar");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException("Iris: cannot read resource " + RESOURCE, e);
    }
  }

  /**
   * Parses Iris CSV: an optional header line starting with {@code sepal_length}, lines starting with
   * {@code #} ignored, then rows of four numbers and a species name ({@code setosa} or UCI's
   * {@code Iris-setosa}). {@code source} names the input in error messages.
   */
  public static Iris parse(Reader reader, String source) {
    List<double[]> rows = new ArrayList<>();
    List<Integer> names = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(reader)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith("sepal_length")) {
          continue;
        }
        String[] cells = s.split(",", -1);
        if (cells.length != 5) {
          throw new IllegalArgumentException(
              "Iris: " + source + " line " + lineNo + " has " + cells.length + " fields, expected 5: \"" + s + "\"");
        }
        double[] row = new double[4];
        for (int j = 0; j < 4; j++) {
          try {
            row[j] = Double.parseDouble(cells[j].strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Iris: " + source + " line " + lineNo + ": " + FEATURES.get(j)
                + " is not a number: \"" + cells[j] + "\"");
          }
          if (!Double.isFinite(row[j])) {
            throw new IllegalArgumentException("Iris: " + source + " line " + lineNo + ": " + FEATURES.get(j)
                + " is not finite: \"" + cells[j] + "\"");
          }
        }
        String name = cells[4].strip();
        int k = SPECIES.indexOf(name.startsWith("Iris-") ? name.substring(5) : name);
        if (k < 0) {
          throw new IllegalArgumentException("Iris: " + source + " line " + lineNo + ": unknown species \"" + name
              + "\", expected one of " + SPECIES);
        }
        rows.add(row);
        names.add(k);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Iris: cannot read " + source, e);
    }
    int[] sp = new int[names.size()];
    for (int i = 0; i < sp.length; i++) {
      sp[i] = names.get(i);
    }
    return new Iris(rows.toArray(new double[0][]), sp);
  }

  /** Number of rows. */
  public int size() {
    return species.length;
  }

  /** All four measurements, one row per flower: (n, 4), a copy. */
  public double[][] features() {
    return features(0, 1, 2, 3);
  }

  /** The named columns (see {@link #FEATURES}), in the order given: (n, columns.length), a copy. */
  public double[][] features(String... columns) {
    int[] idx = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      idx[c] = column(columns[c]);
    }
    return features(idx);
  }

  /** The columns with these indices (0–3), in the order given: (n, columns.length), a copy. */
  public double[][] features(int... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("Iris.features: no columns selected");
    }
    for (int c : columns) {
      if (c < 0 || c >= FEATURES.size()) {
        throw new IllegalArgumentException("Iris.features: column index " + c + " is out of range 0.." + (FEATURES.size() - 1));
      }
    }
    double[][] out = new double[size()][columns.length];
    for (int i = 0; i < out.length; i++) {
      for (int c = 0; c < columns.length; c++) {
        out[i][c] = features[i][columns[c]];
      }
    }
    return out;
  }

  /** All four measurements as a float32 tensor of shape (n, 4), for the neural-network layers. */
  public Tensor featureTensor() {
    float[] data = new float[size() * 4];
    for (int i = 0; i < size(); i++) {
      for (int j = 0; j < 4; j++) {
        data[i * 4 + j] = (float) features[i][j];
      }
    }
    return Tensor.of(data, size(), 4);
  }

  /** Each row's species as an index into {@link #SPECIES} (0 setosa, 1 versicolor, 2 virginica), a copy. */
  public int[] speciesIndex() {
    return species.clone();
  }

  /** The species name of row {@code row}. */
  public String species(int row) {
    if (row < 0 || row >= size()) {
      throw new IndexOutOfBoundsException("Iris.species: row " + row + " is out of range 0.." + (size() - 1));
    }
    return SPECIES.get(species[row]);
  }

  /** Labels in {-1, 1} for a one-vs-rest problem: {@code +1} for rows of {@code positive}, {@code -1} otherwise. */
  public int[] labels(String positive) {
    int k = speciesIndexOf(positive);
    int[] y = new int[size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = species[i] == k ? 1 : -1;
    }
    return y;
  }

  /** The rows whose species is one of {@code names}, in their original order. */
  public Iris only(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("Iris.only: no species given, expected some of " + SPECIES);
    }
    boolean[] keep = new boolean[SPECIES.size()];
    for (String n : names) {
      keep[speciesIndexOf(n)] = true;
    }
    List<double[]> rows = new ArrayList<>();
    List<Integer> sp = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (keep[species[i]]) {
        rows.add(features[i].clone());
        sp.add(species[i]);
      }
    }
    return new Iris(rows.toArray(new double[0][]), sp.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Index of a feature name in {@link #FEATURES}; throws naming the valid names. */
  public static int column(String name) {
    int c = FEATURES.indexOf(name);
    if (c < 0) {
      throw new IllegalArgumentException("Iris: unknown feature \"" + name + "\", expected one of " + FEATURES);
    }
    return c;
  }

  private static int speciesIndexOf(String name) {
    int k = SPECIES.indexOf(name);
    if (k < 0) {
      throw new IllegalArgumentException("Iris: unknown species \"" + name + "\", expected one of " + SPECIES);
    }
    return k;
  }

  /** {@code Iris(150 rows: setosa=50, versicolor=50, virginica=50)}. */
  @Override
  public String toString() {
    int[] counts = new int[SPECIES.size()];
    for (int s : species) {
      counts[s]++;
    }
    StringBuilder sb = new StringBuilder("Iris(").append(size()).append(" rows:");
    for (int k = 0; k < counts.length; k++) {
      sb.append(k == 0 ? " " : ", ").append(SPECIES.get(k)).append('=').append(counts[k]);
    }
    return sb.append(')').toString();
  }
}
