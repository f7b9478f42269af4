package dev.neurona.layers.classic;

import java.util.Arrays;

/**
 * A single linear threshold unit, the common part of {@link Perceptron} and {@link Adaline}: weights
 * {@code w} (one per feature) and a bias {@code b}, the net input {@code z = w·x + b}, an activation
 * {@code φ(z)}, and the prediction {@code +1 if φ(z) >= 0 else -1}. The two subclasses differ only
 * in the activation and in how {@link #fit} learns {@code w} and {@code b}.
 *
 * <p><b>Why double.</b> Neurona's tensors are float32, but these classic learners are reference
 * implementations of the textbook rules (Raschka, <i>Python Machine Learning</i>, ch. 2, which uses
 * NumPy's float64): the samples are plain {@code double[][]} rows, so the numbers match the tutorial's,
 * and the divergence the tutorial shows for ADALINE with a large learning rate (a cost near 1e33 after
 * ten epochs) stays finite, where float32 would overflow after a dozen epochs.
 *
 * <p>Labels are {@code -1} or {@code +1}. Weights start at zero. A unit is mutable: {@link #fit}
 * replaces the weights and the history of any previous fit.
 */
public abstract sealed class LinearUnit permits Perceptron, Adaline {
  final double eta;
  final int epochs;
  double[] w; // (features,), null until fitted
  double b;

  LinearUnit(double eta, int epochs) {
    if (!(eta > 0) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException(typeName() + ": eta (learning rate) must be a finite number > 0, got " + eta);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException(typeName() + ": epochs must be >= 1, got " + epochs);
    }
    this.eta = eta;
    this.epochs = epochs;
  }

  /**
   * Learns the weights from samples {@code x} (rows, one per sample; all of one length) and labels
   * {@code y} (each {@code -1} or {@code +1}); replaces any previous fit. Returns this unit.
   */
  public abstract LinearUnit fit(double[][] x, int[] y);

  /** The activation {@code φ(z)} applied to the net input. */
  public abstract double activation(double z);

  /** Number of epochs the last {@link #fit} ran (at most {@link #epochs()}); the length of its history. */
  public abstract int epochsRun();

  /** Net input {@code z = w·x + b} of one sample. */
  public double netInput(double[] x) {
    requireSample("netInput", x);
    return dot(x);
  }

  /** Net input of each row of {@code x}: (n, features) → (n,). */
  public double[] netInput(double[][] x) {
    requireSamples("netInput", x);
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      z[i] = dot(x[i]);
    }
    return z;
  }

  /** The class label of one sample: {@code +1} if {@code φ(w·x + b) >= 0}, else {@code -1}. */
  public int predict(double[] x) {
    requireSample("predict", x);
    return threshold(x);
  }

  /** The class label of each row of {@code x}: (n, features) → (n,). */
  public int[] predict(double[][] x) {
    requireSamples("predict", x);
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = threshold(x[i]);
    }
    return out;
  }

  /** Fraction of rows of {@code x} whose predicted label equals {@code y}. */
  public double accuracy(double[][] x, int[] y) {
    checkData(typeName() + ".accuracy", x, y);
    requireSamples("accuracy", x);
    int hit = 0;
    for (int i = 0; i < x.length; i++) {
      if (threshold(x[i]) == y[i]) {
        hit++;
      }
    }
    return (double) hit / x.length;
  }

  /** A copy of the learned weights, one per feature. */
  public double[] weights() {
    requireFitted("weights");
    return w.clone();
  }

  /** The learned bias (the tutorial's {@code w_[0]}). */
  public double bias() {
    requireFitted("bias");
    return b;
  }

  /** The learning rate. */
  public double eta() {
    return eta;
  }

  /** The maximum number of passes over the training set. */
  public int epochs() {
    return epochs;
  }

  /** Whether {@link #fit} has run. */
  public boolean isFitted() {
    return w != null;
  }

  // ---- for the subclasses: unchecked maths and shared validation ----

  /** {@code w·x + b}, no checks. */
  final double dot(double[] x) {
    double z = b;
    for (int j = 0; j < w.length; j++) {
      z += w[j] * x[j];
    }
    return z;
  }

  /** {@code +1 if φ(w·x + b) >= 0 else -1}, no checks. */
  final int threshold(double[] x) {
    return activation(dot(x)) >= 0 ? 1 : -1;
  }

  /** Validates training data; returns the number of features. */
  final int checkData(String where, double[][] x, int[] y) {
    if (x == null) {
      throw new IllegalArgumentException(where + ": x is null");
    }
    if (y == null) {
      throw new IllegalArgumentException(where + ": y is null");
    }
    if (x.length == 0) {
      throw new IllegalArgumentException(where + ": x has no rows");
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException(where + ": x has " + x.length + " rows but y has " + y.length + " labels");
    }
    int d = checkRows(where, x);
    for (int i = 0; i < y.length; i++) {
      if (y[i] != 1 && y[i] != -1) {
        throw new IllegalArgumentException(where + ": y[" + i + "] = " + y[i] + "; labels must be -1 or 1");
      }
    }
    return d;
  }

  /** Checks that every row is non-null, of one length {@code >= 1}, and finite; returns that length. */
  static int checkRows(String where, double[][] x) {
    if (x[0] == null || x[0].length == 0) {
      throw new IllegalArgumentException(where + ": x[0] has no features");
    }
    int d = x[0].length;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == null || x[i].length != d) {
        throw new IllegalArgumentException(where + ": x[" + i + "] has "
            + (x[i] == null ? "no row (null)" : x[i].length + " features") + ", but x[0] has " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Double.isFinite(x[i][j])) {
          throw new IllegalArgumentException(where + ": x[" + i + "][" + j + "] is " + x[i][j] + "; features must be finite");
        }
      }
    }
    return d;
  }

  final void requireFitted(String method) {
    if (w == null) {
      throw new IllegalStateException(typeName() + "." + method + ": not fitted; call fit(x, y) first");
    }
  }

  private void requireSample(String method, double[] x) {
    requireFitted(method);
    if (x == null || x.length != w.length) {
      throw new IllegalArgumentException(typeName() + "." + method + ": sample has "
          + (x == null ? "no values (null)" : x.length + " features") + ", the unit was fitted on " + w.length);
    }
  }

  private void requireSamples(String method, double[][] x) {
    requireFitted(method);
    if (x == null) {
      throw new IllegalArgumentException(typeName() + "." + method + ": x is null");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] == null || x[i].length != w.length) {
        throw new IllegalArgumentException(typeName() + "." + method + ": x[" + i + "] has "
            + (x[i] == null ? "no values (null)" : x[i].length + " features") + ", the unit was fitted on " + w.length);
      }
    }
  }

  final String typeName() {
    return getClass().getSimpleName();
  }

  /** {@code 0, 1, ..., n-1}. */
  static int[] identity(int n) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    return order;
  }
}
