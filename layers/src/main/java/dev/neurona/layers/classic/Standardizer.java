package dev.neurona.layers.classic;

/**
 * Feature standardisation: {@code x'ⱼ = (xⱼ − μⱼ) / σⱼ} with each column's mean {@code μⱼ} and
 * population standard deviation {@code σⱼ} (NumPy's default {@code std()}, as in the tutorial), so
 * every column of the fitted data has mean 0 and standard deviation 1.
 *
 * <p>Gradient descent converges for learning rates below {@code 2/λmax(XᵀX)}; standardising shrinks
 * {@code λmax} for features measured in large units (and makes the cost's contours rounder), which is
 * why ADALINE diverges with {@code η = 0.01} on raw Iris measurements and converges after this step.
 *
 * <pre>{@code
 * Standardizer s = Standardizer.fit(xTrain);
 * double[][] xs = s.transform(xTrain);
 * }</pre>
 */
public final class Standardizer {
  private final double[] mean;
  private final double[] std;

  private Standardizer(double[] mean, double[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Learns each column's mean and population standard deviation from {@code x} (n, d). Throws if a
   * column is constant, naming it, since it cannot be scaled to unit variance.
   */
  public static Standardizer fit(double[][] x) {
    if (x == null || x.length == 0) {
      throw new IllegalArgumentException("Standardizer.fit: x has no rows");
    }
    int d = LinearUnit.checkRows("Standardizer.fit", x);
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= x.length;
    }
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        double c = row[j] - mean[j];
        std[j] += c * c;
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(std[j] / x.length);
      if (!(std[j] > 0)) {
        throw new IllegalArgumentException(
            "Standardizer.fit: column " + j + " is constant (every value " + x[0][j] + "); cannot scale it to unit variance");
      }
    }
    return new Standardizer(mean, std);
  }

  /** Fits on {@code x} and returns {@code x} standardised: the one-liner for a training set. */
  public static double[][] standardize(double[][] x) {
    return fit(x).transform(x);
  }

  /** {@code (x − μ) / σ} row by row: (n, d) → (n, d), a new array. */
  public double[][] transform(double[][] x) {
    if (x == null) {
      throw new IllegalArgumentException("Standardizer.transform: x is null");
    }
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = transformRow("x[" + i + "]", x[i]);
    }
    return out;
  }

  /** {@code (x − μ) / σ} for one sample: (d,) → (d,), a new array. */
  public double[] transform(double[] x) {
    return transformRow("sample", x);
  }

  /** The inverse, {@code x' σ + μ}, for one sample: maps standardised values back to the original units. */
  public double[] inverse(double[] xs) {
    checkLength("sample", xs);
    double[] out = new double[xs.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = xs[j] * std[j] + mean[j];
    }
    return out;
  }

  /** Each column's mean, a copy. */
  public double[] mean() {
    return mean.clone();
  }

  /** Each column's population standard deviation, a copy. */
  public double[] std() {
    return std.clone();
  }

  private double[] transformRow(String what, double[] x) {
    checkLength(what, x);
    double[] out = new double[x.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = (x[j] - mean[j]) / std[j];
    }
    return out;
  }

  private void checkLength(String what, double[] x) {
    if (x == null || x.length != mean.length) {
      throw new IllegalArgumentException("Standardizer: " + what + " has "
          + (x == null ? "no values (null)" : x.length + " features") + ", fitted on " + mean.length);
    }
  }
}
