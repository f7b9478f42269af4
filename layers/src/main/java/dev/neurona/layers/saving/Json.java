package dev.neurona.layers.saving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and parser for model files (no dependency).
 *
 * <p>Writing accepts {@code Map} (string keys), {@code List}, arrays of primitives, {@code String},
 * {@code Number}, {@code Boolean}, enums (written by name) and {@code null}. Floats are written with
 * {@link Float#toString} so that {@code 0.1f} reads back as exactly {@code 0.1f}; NaN and infinities
 * are rejected (JSON has no such numbers).
 *
 * <p>Parsing returns {@code LinkedHashMap<String, Object>} (key order kept), {@code ArrayList<Object>},
 * {@code String}, {@code Long} for integers, {@code Double} for other numbers, {@code Boolean} and
 * {@code null}. Numbers are never silently changed: an integer beyond 64 bits or a number beyond the
 * range of a double ({@code 1e999}) is an error, not a wrapped value or an infinity.
 */
final class Json {
  private Json() {}

  /** Compact JSON text for {@code value}. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "$", -1, 0);
    return sb.toString();
  }

  /** JSON text indented by two spaces per level, for files people read. */
  static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "$", 2, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, String path, int indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Float || v instanceof Double) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON cannot hold " + v + " (at " + path + ")");
      }
      sb.append(v instanceof Float ? Float.toString((Float) v) : Double.toString(d));
    } else if (v instanceof Number) {
      sb.append(((Number) v).longValue());
    } else if (v instanceof Enum) {
      quote(sb, ((Enum<?>) v).name().toLowerCase(java.util.Locale.ROOT));
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey() + " (at " + path + ")");
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, depth + 1);
        quote(sb, (String) e.getKey());
        sb.append(indent >= 0 ? ": " : ":");
        write(sb, e.getValue(), path + "." + e.getKey(), indent, depth + 1);
      }
      if (!first) {
        newline(sb, indent, depth);
      }
      sb.append('}');
    } else if (v instanceof Iterable) {
      List<Object> items = new ArrayList<>();
      for (Object o : (Iterable<?>) v) {
        items.add(o);
      }
      writeList(sb, items, path, indent, depth);
    } else if (v.getClass().isArray()) {
      List<Object> items = new ArrayList<>();
      int n = java.lang.reflect.Array.getLength(v);
      for (int i = 0; i < n; i++) {
        items.add(java.lang.reflect.Array.get(v, i));
      }
      writeList(sb, items, path, indent, depth);
    } else {
      throw new IllegalArgumentException("JSON cannot hold a " + v.getClass().getName() + " (" + v + ") at " + path);
    }
  }

  private static void writeList(StringBuilder sb, List<Object> items, String path, int indent, int depth) {
    // Lists of scalars stay on one line even when pretty-printing: shapes read as [3, 3, 1, 32].
    boolean flat = true;
    for (Object o : items) {
      flat &= !(o instanceof Map || o instanceof Iterable || o != null && o.getClass().isArray());
    }
    sb.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(flat && indent >= 0 ? ", " : ",");
      }
      if (!flat) {
        newline(sb, indent, depth + 1);
      }
      write(sb, items.get(i), path + "[" + i + "]", indent, depth + 1);
    }
    if (!flat && !items.isEmpty()) {
      newline(sb, indent, depth);
    }
    sb.append(']');
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n');
      for (int i = 0; i < indent * depth; i++) {
        sb.append(' ');
      }
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Parses one JSON value; throws {@link IllegalArgumentException} naming the position on bad input. */
  static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, got " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  /** A short description of a parsed value for error messages: its kind, and its text cut to 100 characters. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof String) {
      return "the string \"" + shorten((String) v) + "\"";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
  }

  /** {@code s}, or its first 100 characters and how many more there are: messages stay readable whatever a file holds. */
  static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "… (" + (s.length() - 100) + " more characters)";
  }

  private static final class Parser {
    private static final int MAX_DEPTH = 256;
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("malformed JSON at character " + pos + ": " + what);
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH);
      }
      if (pos >= s.length()) {
        throw error("unexpected end of text");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        default:
          if (c == '-' || c >= '0' && c <= '9') {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    private Map<String, Object> object(int depth) {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a string key");
        }
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        if (m.containsKey(key)) {
          throw error("duplicate key \"" + key + "\"");
        }
        m.put(key, value(depth + 1));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    private List<Object> array(int depth) {
      List<Object> l = new ArrayList<>();
      pos++;
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        skipSpace();
        l.add(value(depth + 1));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          if (pos >= s.length()) {
            throw error("unterminated escape");
          }
          char e = s.charAt(pos++);
          switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u':
              if (pos + 4 > s.length()) {
                throw error("short \\u escape");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("bad \\u escape");
              }
              pos += 4;
              break;
            default:
              throw error("bad escape '\\" + e + "'");
          }
        } else if (c < 0x20) {
          throw error("control character in string");
        } else {
          sb.append(c);
        }
      }
    }

    private Object number() {
      int start = pos;
      boolean integral = true;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          pos++;
        } else {
          break;
        }
      }
      String t = s.substring(start, pos);
      double d;
      try {
        if (integral) {
          return Long.parseLong(t);
        }
        d = Double.parseDouble(t);
      } catch (NumberFormatException ex) {
        pos = start;
        boolean digits = t.matches("-?[0-9]+");
        throw error(digits ? "integer " + shorten(t) + " does not fit in 64 bits" : "bad number '" + shorten(t) + "'");
      }
      if (Double.isInfinite(d)) {
        pos = start;
        throw error("number " + shorten(t) + " is out of range (beyond ±1.8e308)");
      }
      return d;
    }
  }
}
