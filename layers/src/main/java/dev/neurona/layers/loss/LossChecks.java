package dev.neurona.layers.loss;

import dev.neurona.core.Tensor;

/** Shape and label checks shared by the losses and metrics; every message names the loss or metric. */
final class LossChecks {
  /** Keras' {@code epsilon()}: probabilities are clipped to {@code [EPS, 1 - EPS]} before the log. */
  static final float EPS = 1e-7f;

  private LossChecks() {}

  /** Predictions must be {@code (batch, classes)}. */
  static void requireMatrix(String who, Tensor predictions) {
    if (predictions == null) {
      throw new IllegalArgumentException(who + ": predictions are null");
    }
    if (predictions.rank() != 2) {
      throw new IllegalArgumentException(who + ": predictions must have shape (batch, classes), got " + predictions.shape());
    }
  }

  /** Sparse targets: shape {@code (batch)} or {@code (batch, 1)}, each a whole number in {@code [0, classes)}. */
  static void requireSparseLabels(String who, Tensor predictions, Tensor targets) {
    requireMatrix(who, predictions);
    int batch = predictions.dim(0);
    int classes = predictions.dim(1);
    if (targets == null) {
      throw new IllegalArgumentException(who + ": targets are null (expected shape (" + batch + ",))");
    }
    boolean ok = targets.rank() == 1 && targets.dim(0) == batch
        || targets.rank() == 2 && targets.dim(0) == batch && targets.dim(1) == 1;
    if (!ok) {
      throw new IllegalArgumentException(who + ": targets must be class indices of shape (" + batch + ",) for predictions "
          + predictions.shape() + ", got " + targets.shape());
    }
    float[] t = targets.data();
    for (int b = 0; b < batch; b++) {
      float v = t[b];
      if (!(v >= 0 && v < classes) || v != Math.rint(v)) {
        throw new IllegalArgumentException(who + ": label of sample " + b + " is " + v + ", expected a class index in [0, "
            + (classes - 1) + "]");
      }
    }
  }

  /** Dense targets: the predictions' shape, or {@code (batch)} for predictions {@code (batch, 1)}; values in [lo, hi]. */
  static void requireDenseTargets(String who, Tensor predictions, Tensor targets, boolean checkRange) {
    if (predictions == null) {
      throw new IllegalArgumentException(who + ": predictions are null");
    }
    if (targets == null) {
      throw new IllegalArgumentException(who + ": targets are null (expected shape " + predictions.shape() + ")");
    }
    boolean same = targets.shape().equals(predictions.shape());
    boolean column = predictions.rank() == 2 && predictions.dim(1) == 1 && targets.rank() == 1
        && targets.dim(0) == predictions.dim(0);
    if (!same && !column) {
      throw new IllegalArgumentException(who + ": targets have shape " + targets.shape() + ", expected " + predictions.shape()
          + " like the predictions");
    }
    if (predictions.rank() == 0 || predictions.dim(0) == 0) {
      throw new IllegalArgumentException(who + ": empty batch " + predictions.shape());
    }
    float[] t = targets.data();
    int per = t.length / predictions.dim(0);
    for (int i = 0; i < t.length; i++) {
      float v = t[i];
      if (checkRange ? !(v >= 0f && v <= 1f) : !Float.isFinite(v)) {
        throw new IllegalArgumentException(who + ": target of sample " + i / per + " (element " + i % per + ") is " + v
            + (checkRange ? ", expected a value in [0, 1]" : ", expected a finite number"));
      }
    }
  }

  /**
   * Sign labels, as the classic learners use them: the shape rules of {@link #requireDenseTargets},
   * and every target exactly {@code -1} or {@code +1}.
   */
  static void requireSignLabels(String who, Tensor predictions, Tensor targets) {
    requireDenseTargets(who, predictions, targets, false);
    float[] t = targets.data();
    int per = t.length / predictions.dim(0);
    for (int i = 0; i < t.length; i++) {
      if (t[i] != 1f && t[i] != -1f) {
        throw new IllegalArgumentException(who + ": target of sample " + i / per + " (element " + i % per + ") is " + t[i]
            + ", expected -1 or 1");
      }
    }
  }

  /** {@code grad}, when given, must have the predictions' shape. */
  static void requireGrad(String who, Tensor predictions, Tensor grad) {
    if (grad != null && !grad.shape().equals(predictions.shape())) {
      throw new IllegalArgumentException(who + ": grad has shape " + grad.shape() + ", expected " + predictions.shape());
    }
  }

  /** {@code p} clipped to {@code [EPS, 1 - EPS]}. */
  static float clip(float p) {
    return Math.min(Math.max(p, EPS), 1f - EPS);
  }

  /** {@code log Σ_c e^{z[off+c]}}, computed as {@code max + log Σ e^{z - max}} so nothing overflows. */
  static double logSumExp(float[] z, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, z[off + c]);
    }
    double s = 0;
    for (int c = 0; c < n; c++) {
      s += Math.exp(z[off + c] - max);
    }
    return max + Math.log(s);
  }
}
