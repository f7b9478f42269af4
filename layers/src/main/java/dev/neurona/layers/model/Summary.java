package dev.neurona.layers.model;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link Sequential#summary()}'s table, laid out as Keras 3 prints it. */
final class Summary {
  private Summary() {}

  /** The table; the model must be built. */
  static String of(Sequential model) {
    if (!model.isBuilt()) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.summary: the input shape is not known yet;"
          + " declare it with input(...) or an InputLayer, or call fit/predict first");
    }
    List<String[]> rows = new ArrayList<>();
    for (Layer l : model.layers()) {
      rows.add(new String[] {l.name() + " (" + l.typeName() + ")", batchShape(l.outputShape()),
          String.format(Locale.ROOT, "%,d", l.parameterCount())});
    }
    int[] w = {"Layer (type)".length(), "Output Shape".length(), "Param #".length()};
    for (String[] r : rows) {
      for (int c = 0; c < 3; c++) {
        w[c] = Math.max(w[c], r[c].length());
      }
    }
    w[0] = Math.max(w[0] + 2, 29);
    w[1] = Math.max(w[1] + 2, 26);
    w[2] = Math.max(w[2], 10);
    String thin = "_".repeat(w[0] + w[1] + w[2]);
    String thick = "=".repeat(w[0] + w[1] + w[2]);
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\"\n").append(thin).append('\n');
    sb.append(row(w, "Layer (type)", "Output Shape", "Param #")).append(thick).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      sb.append(row(w, rows.get(i)[0], rows.get(i)[1], rows.get(i)[2]));
      sb.append(i == rows.size() - 1 ? thick : thin).append('\n');
    }
    if (rows.isEmpty()) {
      sb.append(thick).append('\n');
    }
    long total = model.countParams();
    long trainable = 0;
    for (Parameter p : model.trainableParameters()) {
      trainable += p.size();
    }
    sb.append("Total params: ").append(countWithSize(total)).append('\n');
    sb.append("Trainable params: ").append(countWithSize(trainable)).append('\n');
    sb.append("Non-trainable params: ").append(countWithSize(total - trainable)).append('\n');
    return sb.toString();
  }

  /** One table row: the name left-aligned after a space, the shape left-aligned, the count right-aligned. */
  private static String row(int[] w, String a, String b, String c) {
    String name = a.length() >= w[0] - 1 ? a : a + " ".repeat(w[0] - 1 - a.length());
    String shape = b.length() >= w[1] ? b : b + " ".repeat(w[1] - b.length());
    String count = c.length() >= w[2] ? c : " ".repeat(w[2] - c.length()) + c;
    return " " + name + shape + count + "\n";
  }

  /** {@code (None, 28, 28, 32)}. */
  static String batchShape(Shape s) {
    StringBuilder sb = new StringBuilder("(None");
    for (int d : s.toArray()) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
  }

  /** {@code 3,274,634 (12.49 MB)}: the count and its float32 size in 1024-based units, as Keras 3 prints. */
  static String countWithSize(long count) {
    double bytes = count * 4.0;
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%,d (%.2f %s)", count, bytes, units[u]);
  }
}
