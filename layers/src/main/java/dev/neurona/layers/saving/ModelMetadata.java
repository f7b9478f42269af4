package dev.neurona.layers.saving;

import dev.neurona.core.Shape;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code metadata.json} says about a model besides the format: the class names of its outputs
 * ({@link Sequential#classNames()}) and its free-form entries ({@link Sequential#metadata()}):
 * <pre>{@code
 * {"format": "neurona.sequential", "format_version": 1, ..., "parameter_count": 34826,
 *  "class_names": ["daisy", "dandelion", "roses", "sunflowers", "tulips"],
 *  "user_metadata": {"preprocessing": "pixels 0..255"}}
 * }</pre>
 * Both keys are written only when there is something to say, so files without them (all files
 * before them) load as before. Reading is strict, as for the configs: a key this version does not
 * know is refused (unless {@link ModelFile.LoadOptions#lenient()}), and the values go through the
 * checks of {@link Sequential#classNames(List)} and {@link Sequential#metadata(String, String)}
 * (sizes capped, names distinct, their count fitting the output), every failure a
 * {@link ModelFormatException} naming the file and the entry.
 */
final class ModelMetadata {
  static final String CLASS_NAMES = "class_names";
  static final String USER_METADATA = "user_metadata";
  /** The keys {@code metadata.json} may hold. */
  private static final Set<String> KNOWN = Set.of("format", "format_version", "library", "library_version", "date_saved",
      "parameter_count", CLASS_NAMES, USER_METADATA);

  private ModelMetadata() {}

  /**
   * Adds the model's class names and metadata to {@code meta}, the {@code metadata.json} being
   * written.
   *
   * @throws IllegalStateException when the class names no longer fit the output (layers were added
   *     after they were set), so the file would not load
   */
  static void put(Map<String, Object> meta, Sequential model) {
    List<String> names = model.classNames();
    if (!names.isEmpty()) {
      Shape out = model.outputShape();
      int k = out.rank() == 0 ? 1 : out.dim(out.rank() - 1);
      if (names.size() != k && !(k == 1 && names.size() == 2)) { // the rule of Sequential.classNames
        throw new IllegalStateException("Sequential '" + model.name() + "'.save: its " + names.size()
            + " class names do not fit the output shape " + out + " (expected " + k + (k == 1 ? " or 2" : "")
            + "); set them again with classNames(...) after changing the layers");
      }
      meta.put(CLASS_NAMES, new ArrayList<>(names));
    }
    Map<String, String> user = model.metadata();
    if (!user.isEmpty()) {
      meta.put(USER_METADATA, user);
    }
  }

  /** Refuses a key of {@code metadata.json} this version does not know, unless {@code lenient}. */
  static void checkKeys(String where, Map<String, Object> meta, boolean lenient) throws ModelFormatException {
    if (lenient) {
      return;
    }
    for (String key : meta.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new ModelFormatException(where + " has unknown key \"" + Json.shorten(key) + "\" (value "
            + Json.describe(meta.get(key)) + "); known keys: " + new TreeSet<>(KNOWN) + ". Load with"
            + " ModelFile.LoadOptions.lenient() to ignore keys this version does not know");
      }
    }
  }

  /**
   * Gives the built {@code model} the class names and metadata of {@code meta}, checked by
   * {@link Sequential#classNames(List)} and {@link Sequential#metadata(String, String)}.
   */
  static void apply(String where, Map<String, Object> meta, Sequential model) throws ModelFormatException {
    Object names = meta.get(CLASS_NAMES);
    if (names != null) {
      if (!(names instanceof List)) {
        throw new ModelFormatException(where + ": \"" + CLASS_NAMES + "\" must be a list of strings, got "
            + Json.describe(names));
      }
      List<String> list = new ArrayList<>();
      for (Object n : (List<?>) names) {
        if (!(n instanceof String)) {
          throw new ModelFormatException(where + ": \"" + CLASS_NAMES + "\" must be a list of strings, but item "
              + list.size() + " is " + Json.describe(n));
        }
        list.add((String) n);
      }
      try {
        model.classNames(list);
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(where + ": \"" + CLASS_NAMES + "\": " + e.getMessage(), e);
      }
    }
    Object user = meta.get(USER_METADATA);
    if (user != null) {
      if (!(user instanceof Map)) {
        throw new ModelFormatException(where + ": \"" + USER_METADATA + "\" must be an object of strings, got "
            + Json.describe(user));
      }
      for (Map.Entry<?, ?> e : ((Map<?, ?>) user).entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!(e.getValue() instanceof String)) {
          throw new ModelFormatException(where + ": \"" + USER_METADATA + "\": entry \"" + Json.shorten(key)
              + "\" must be a string, got " + Json.describe(e.getValue()));
        }
        try {
          model.metadata(key, (String) e.getValue());
        } catch (IllegalArgumentException ex) {
          throw new ModelFormatException(where + ": \"" + USER_METADATA + "\": " + ex.getMessage(), ex);
        }
      }
    }
  }
}
