package dev.neurona.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Keras writes and reads: objects become {@link LinkedHashMap}s (key order kept), arrays
 * {@link ArrayList}s, numbers {@link Long} (integers) or {@link Double}, and Python's {@code NaN} and
 * {@code Infinity} are accepted. The writer separates as Python's {@code json.dumps} does.
 */
final class KerasJson {
  private static final int MAX_DEPTH = 256;

  private KerasJson() {}

  /** Parses {@code text}; the message of the exception says where it went wrong. */
  static Object parse(String text) {
    Parser p = new Parser(text);
    p.space();
    Object v = p.value(0);
    p.space();
    if (p.i != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return v;
  }

  /** Compact JSON, as {@code json.dumps}: {@code {"a": 1, "b": [1, 2]}}. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON cannot hold the number " + d);
      }
      // A float is written as the shortest decimal of its float value (0.001f as 0.001, not 0.0010000000474974513).
      sb.append(v instanceof Float ? Float.toString((Float) v) : Double.toString(d));
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        write(sb, o);
      }
      sb.append(']');
    } else if (v instanceof int[]) {
      List<Object> l = new ArrayList<>();
      for (int x : (int[]) v) {
        l.add((long) x);
      }
      write(sb, l);
    } else if (v instanceof Number) {
      write(sb, ((Number) v).doubleValue());
    } else {
      throw new IllegalArgumentException("JSON cannot hold a " + v.getClass().getName() + ": " + v);
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
        default:
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** A short description of a parsed value for error messages: {@code "relu"}, {@code 3}, {@code an object}. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      String s = write(v);
      return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
    if (v instanceof List || v instanceof String) {
      String s = write(v);
      return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
    return String.valueOf(v);
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      int from = Math.max(0, i - 20);
      int to = Math.min(s.length(), i + 20);
      return new IllegalArgumentException("bad JSON at character " + i + ": " + what + " (near \"" + s.substring(from, to) + "\")");
    }

    void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH);
      }
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': return word("true", Boolean.TRUE);
        case 'f': return word("false", Boolean.FALSE);
        case 'n': return word("null", null);
        case 'N': return word("NaN", Double.NaN);
        case 'I': return word("Infinity", Double.POSITIVE_INFINITY);
        default:
          if (c == '-' && s.startsWith("-Infinity", i)) {
            return word("-Infinity", Double.NEGATIVE_INFINITY);
          }
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object word(String w, Object v) {
      if (!s.startsWith(w, i)) {
        throw error("expected " + w);
      }
      i += w.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      Map<String, Object> m = new LinkedHashMap<>();
      i++;
      space();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        space();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw error("expected a string key");
        }
        String k = string();
        space();
        if (i >= s.length() || s.charAt(i) != ':') {
          throw error("expected ':'");
        }
        i++;
        space();
        m.put(k, value(depth + 1));
        space();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
        } else if (i < s.length() && s.charAt(i) == '}') {
          i++;
          return m;
        } else {
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array(int depth) {
      List<Object> l = new ArrayList<>();
      i++;
      space();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        space();
        l.add(value(depth + 1));
        space();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
        } else if (i < s.length() && s.charAt(i) == ']') {
          i++;
          return l;
        } else {
          throw error("expected ',' or ']'");
        }
      }
    }

    String string() {
      StringBuilder sb = new StringBuilder();
      i++;
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
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            i += 4;
            break;
          default:
            throw error("bad escape \\" + e);
        }
      }
    }

    Object number() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      boolean integral = true;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
          i++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          i++;
        } else {
          break;
        }
      }
      String t = s.substring(start, i);
      try {
        if (integral) {
          try {
            return Long.parseLong(t);
          } catch (NumberFormatException tooLong) {
            return Double.parseDouble(t);
          }
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error("bad number '" + t + "'");
      }
    }
  }
}
