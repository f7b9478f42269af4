package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of a {@link StatefulCallback}'s saved state: every getter checks presence and
 * type, and {@link #done()} rejects keys nobody asked for, so a state that does not fit the
 * callback fails with its key named instead of being half applied.
 */
final class StateValues {
  private final String owner;
  private final Map<String, Object> state;
  private final Set<String> unread;

  StateValues(String owner, Map<String, Object> state) {
    if (state == null) {
      throw new IllegalArgumentException(owner + ".restoreState: state is null");
    }
    this.owner = owner;
    this.state = state;
    this.unread = new TreeSet<>(state.keySet());
  }

  private Object get(String key, Class<?> type, String what) {
    Object v = state.get(key);
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(owner + ".restoreState: '" + key + "' must be " + what + ", got "
          + (v == null ? "nothing" : v.getClass().getSimpleName() + " " + v));
    }
    unread.remove(key);
    return v;
  }

  /** A whole number in {@code [min, max]}. */
  long integer(String key, long min, long max) {
    long v = (Long) get(key, Long.class, "an integer");
    if (v < min || v > max) {
      throw new IllegalArgumentException(owner + ".restoreState: '" + key + "' must be in [" + min + ", " + max
          + "], got " + v);
    }
    return v;
  }

  /** A number (any double, NaN and infinities included). */
  double number(String key) {
    return (Double) get(key, Double.class, "a number");
  }

  boolean bool(String key) {
    return (Boolean) get(key, Boolean.class, "a boolean");
  }

  /** Whether {@code key} is present (to read optional entries). */
  boolean has(String key) {
    return state.containsKey(key);
  }

  Tensor tensor(String key) {
    return (Tensor) get(key, Tensor.class, "a tensor");
  }

  /** Throws naming the keys that no getter read. */
  void done() {
    if (!unread.isEmpty()) {
      throw new IllegalArgumentException(owner + ".restoreState: unknown entries " + unread);
    }
  }
}
