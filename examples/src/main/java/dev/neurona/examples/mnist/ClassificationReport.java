package dev.neurona.examples.mnist;

import java.util.List;
import java.util.Locale;

/**
 * Confusion matrix and per-class precision / recall / F1, printed like scikit-learn's
 * {@code classification_report} and {@code confusion_matrix}.
 */
public final class ClassificationReport {
  private final List<String> classNames;
  /** {@code confusion[true][predicted]} counts. */
  private final int[][] confusion;
  private final int total;

  public ClassificationReport(List<String> classNames, int[] trueLabels, int[] predicted) {
    if (trueLabels.length != predicted.length) {
      throw new IllegalArgumentException("ClassificationReport: " + trueLabels.length + " true labels but "
          + predicted.length + " predictions");
    }
    int k = classNames.size();
    this.classNames = List.copyOf(classNames);
    this.confusion = new int[k][k];
    for (int i = 0; i < trueLabels.length; i++) {
      int t = trueLabels[i];
      int p = predicted[i];
      if (t < 0 || t >= k || p < 0 || p >= k) {
        throw new IllegalArgumentException("ClassificationReport: sample " + i + " has true label " + t
            + " and prediction " + p + "; both must be in [0, " + k + ")");
      }
      confusion[t][p]++;
    }
    this.total = trueLabels.length;
  }

  /** {@code [true][predicted]} counts (a copy). */
  public int[][] confusion() {
    int[][] c = new int[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  public int correct() {
    int s = 0;
    for (int i = 0; i < confusion.length; i++) {
      s += confusion[i][i];
    }
    return s;
  }

  public int total() {
    return total;
  }

  public double accuracy() {
    return total == 0 ? 0 : (double) correct() / total;
  }

  private int support(int c) {
    int s = 0;
    for (int p : confusion[c]) {
      s += p;
    }
    return s;
  }

  private int predictedCount(int c) {
    int s = 0;
    for (int[] row : confusion) {
      s += row[c];
    }
    return s;
  }

  public double precision(int c) {
    int n = predictedCount(c);
    return n == 0 ? 0 : (double) confusion[c][c] / n;
  }

  public double recall(int c) {
    int n = support(c);
    return n == 0 ? 0 : (double) confusion[c][c] / n;
  }

  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** scikit-learn's layout: one row per class, then accuracy, macro and weighted averages. */
  public String report() {
    int w = Math.max(12, classNames.stream().mapToInt(String::length).max().orElse(0) + 2);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%" + w + "s %9s %9s %9s %9s%n", "", "precision", "recall", "f1-score", "support"));
    sb.append('\n');
    double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0;
    for (int c = 0; c < classNames.size(); c++) {
      int s = support(c);
      sb.append(String.format(Locale.ROOT, "%" + w + "s %9.4f %9.4f %9.4f %9d%n", classNames.get(c), precision(c), recall(c), f1(c), s));
      mp += precision(c);
      mr += recall(c);
      mf += f1(c);
      wp += precision(c) * s;
      wr += recall(c) * s;
      wf += f1(c) * s;
    }
    int k = classNames.size();
    sb.append('\n');
    sb.append(String.format(Locale.ROOT, "%" + w + "s %9s %9s %9.4f %9d%n", "accuracy", "", "", accuracy(), total));
    sb.append(String.format(Locale.ROOT, "%" + w + "s %9.4f %9.4f %9.4f %9d%n", "macro avg", mp / k, mr / k, mf / k, total));
    sb.append(String.format(Locale.ROOT, "%" + w + "s %9.4f %9.4f %9.4f %9d%n", "weighted avg", wp / total, wr / total, wf / total, total));
    return sb.toString();
  }

  /** The confusion matrix as text: rows are true classes, columns predictions. */
  public String confusionText() {
    int w = 6;
    StringBuilder sb = new StringBuilder("true \\ predicted\n");
    sb.append(String.format(Locale.ROOT, "%" + w + "s", ""));
    for (int c = 0; c < classNames.size(); c++) {
      sb.append(String.format(Locale.ROOT, "%" + w + "d", c));
    }
    sb.append('\n');
    for (int t = 0; t < classNames.size(); t++) {
      sb.append(String.format(Locale.ROOT, "%" + w + "d", t));
      for (int p = 0; p < classNames.size(); p++) {
        sb.append(String.format(Locale.ROOT, "%" + w + "d", confusion[t][p]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
