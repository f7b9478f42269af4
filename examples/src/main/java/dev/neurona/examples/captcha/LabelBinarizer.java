package dev.neurona.examples.captcha;

import dev.neurona.core.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps class names (here the captcha symbols) to one-hot columns and back, like scikit-learn's
 * {@code LabelBinarizer}: {@link #fit} sorts the distinct labels (so the 32 symbols become columns
 * {@code 2, 3, …, 9, A, B, …, Z}), {@link #transform} gives one-hot rows, {@link #symbol} reads a
 * column back. The tutorial pickles its binarizer next to the model; this one is written as a small
 * JSON file ({@link #toJson}, {@link #fromJson}, {@link #save}, {@link #load}):
 * <pre>{@code {"type": "LabelBinarizer", "classes": ["2", "3", ..., "Z"]}}</pre>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class LabelBinarizer {
  private final List<String> classes;
  private final Map<String, Integer> columns = new HashMap<>();

  private LabelBinarizer(List<String> classes) {
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("LabelBinarizer: no classes");
    }
    for (int i = 0; i < classes.size(); i++) {
      String c = classes.get(i);
      if (c == null || c.isEmpty()) {
        throw new IllegalArgumentException("LabelBinarizer: class " + i + " is " + (c == null ? "null" : "empty"));
      }
      if (columns.put(c, i) != null) {
        throw new IllegalArgumentException("LabelBinarizer: class '" + c + "' appears twice in " + classes);
      }
    }
    this.classes = List.copyOf(classes);
  }

  /** The distinct {@code labels}, sorted, as the columns (scikit-learn's {@code fit}). */
  public static LabelBinarizer fit(Collection<String> labels) {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("LabelBinarizer.fit: no labels");
    }
    for (String l : labels) {
      if (l == null) {
        throw new IllegalArgumentException("LabelBinarizer.fit: a label is null");
      }
    }
    return new LabelBinarizer(new ArrayList<>(new TreeSet<>(labels)));
  }

  /** Exactly these classes, in this order (no duplicates). */
  public static LabelBinarizer of(List<String> classes) {
    if (classes == null) {
      throw new IllegalArgumentException("LabelBinarizer.of: classes is null");
    }
    return new LabelBinarizer(new ArrayList<>(classes));
  }

  /** The class of each column. */
  public List<String> classes() {
    return classes;
  }

  /** The number of columns. */
  public int size() {
    return classes.size();
  }

  /** The column of {@code label}; throws naming the label and the known classes when it is unknown. */
  public int column(String label) {
    Integer c = columns.get(label);
    if (c == null) {
      throw new IllegalArgumentException("LabelBinarizer: unknown label '" + label + "'; the classes are " + classes);
    }
    return c;
  }

  /** The class of column {@code column}. */
  public String symbol(int column) {
    if (column < 0 || column >= classes.size()) {
      throw new IllegalArgumentException("LabelBinarizer: column " + column + " is not in [0, " + classes.size() + ")");
    }
    return classes.get(column);
  }

  /** One-hot rows {@code (n, size())}: row i has a 1 in the column of {@code labels[i]}. */
  public Tensor transform(List<String> labels) {
    Tensor y = Tensor.zeros(labels.size(), classes.size());
    float[] d = y.data();
    for (int i = 0; i < labels.size(); i++) {
      d[i * classes.size() + column(labels.get(i))] = 1f;
    }
    return y;
  }

  /** The class of each row of {@code scores (n, size())}: the column with the largest score (first on ties). */
  public List<String> inverseTransform(Tensor scores) {
    if (scores.rank() != 2 || scores.dim(1) != classes.size()) {
      throw new IllegalArgumentException("LabelBinarizer.inverseTransform: scores must be (n, " + classes.size()
          + "), got " + scores.shape());
    }
    List<String> out = new ArrayList<>(scores.dim(0));
    float[] d = scores.data();
    int k = classes.size();
    for (int i = 0; i < scores.dim(0); i++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (d[i * k + c] > d[i * k + best]) {
          best = c;
        }
      }
      out.add(classes.get(best));
    }
    return out;
  }

  /** {@code {"type": "LabelBinarizer", "classes": [...]}}, one line. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"type\": \"LabelBinarizer\", \"classes\": [");
    for (int i = 0; i < classes.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      quote(sb, classes.get(i));
    }
    return sb.append("]}").toString();
  }

  /**
   * Reads the form {@link #toJson} writes (whitespace free, keys in any order; other keys are an
   * error). The message quotes the offending text.
   */
  public static LabelBinarizer fromJson(String json) {
    if (json == null) {
      throw new IllegalArgumentException("LabelBinarizer.fromJson: text is null");
    }
    Parser p = new Parser(json);
    List<String> classes = null;
    boolean typed = false;
    p.expect('{');
    if (!p.peek('}')) {
      do {
        String key = p.string();
        p.expect(':');
        switch (key) {
          case "type":
            String type = p.string();
            if (!type.equals("LabelBinarizer")) {
              throw p.error("type must be \"LabelBinarizer\", got \"" + type + "\"");
            }
            typed = true;
            break;
          case "classes":
            classes = new ArrayList<>();
            p.expect('[');
            if (!p.peek(']')) {
              do {
                classes.add(p.string());
              } while (p.comma());
            }
            p.expect(']');
            break;
          default:
            throw p.error("unknown key \"" + key + "\"");
        }
      } while (p.comma());
    }
    p.expect('}');
    p.end();
    if (!typed || classes == null) {
      throw p.error("needs both \"type\" and \"classes\"");
    }
    try {
      return new LabelBinarizer(classes);
    } catch (IllegalArgumentException e) {
      throw p.error(e.getMessage());
    }
  }

  /** Writes {@link #toJson} (and a newline) to {@code file}. */
  public void save(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson() + "\n", StandardCharsets.UTF_8);
  }

  /** Reads a file written by {@link #save}; errors name the file. */
  public static LabelBinarizer load(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the label file " + file + ": " + e, e);
    }
    try {
      return fromJson(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("label file " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelBinarizer && ((LabelBinarizer) o).classes.equals(classes);
  }

  @Override
  public int hashCode() {
    return classes.hashCode();
  }

  /** {@code LabelBinarizer[2, 3, …]}. */
  @Override
  public String toString() {
    return "LabelBinarizer" + classes;
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Just enough JSON for {@code {"key": "string" | ["string", ...]}}. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean peek(char c) {
      skip();
      return i < s.length() && s.charAt(i) == c;
    }

    void expect(char c) {
      skip();
      if (i >= s.length() || s.charAt(i) != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    boolean comma() {
      if (peek(',')) {
        i++;
        return true;
      }
      return false;
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            i += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    void end() {
      skip();
      if (i != s.length()) {
        throw error("unexpected text after the object");
      }
    }

    IllegalArgumentException error(String what) {
      String shown = s.length() > 120 ? s.substring(0, 117) + "..." : s;
      return new IllegalArgumentException("LabelBinarizer.fromJson: " + what + " at offset " + Math.min(i, s.length())
          + " of '" + shown + "'");
    }
  }
}
