package dev.neurona.layers.saving;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.saving.Safetensors.Named;
import dev.neurona.layers.training.BackupAndRestore;
import dev.neurona.layers.training.TrainingState;
import dev.neurona.layers.training.TrainingState.CallbackState;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One backup of a training run, the files {@link BackupAndRestore} writes after an epoch into a
 * directory of their own:
 * <ul>
 *   <li>{@value #MODEL}: the model file ({@link ModelFile}): config, weights and the optimizer (its
 *       config with the learning rate, its step count, which drives the schedule, and its buffers);</li>
 *   <li>{@value #STATE}: the {@link TrainingState}: the epoch, the shuffling seed, every seeded
 *       layer's call counter, each stateful callback's numbers;</li>
 *   <li>{@value #TENSORS}: the tensors in the callbacks' state (e.g. {@code EarlyStopping}'s best
 *       weights), named {@code "<callback index>/<key>"}, in the safetensors layout.</li>
 * </ul>
 * {@link #write} writes each file whole and forces it to the disk; the caller makes the directory
 * appear at once (a rename), so that a directory of that name is always complete.
 *
 * <p>{@code training.json}:
 * <pre>{@code
 * {"format": "neurona.training_state", "format_version": 1,
 *  "epoch": 3, "epochs": 8, "stopped": false, "fit_count": 1, "shuffle": true, "shuffle_seed": 42,
 *  "samples": 55000, "batch_size": 128, "validation_samples": 5000,
 *  "seeded_layers": {"dropout": 1290},
 *  "callbacks": [{"type": "dev.neurona.layers.training.EarlyStopping",
 *                 "integers": {"wait": 0, "best_epoch": 2, "stopped_epoch": -1},
 *                 "numbers": {"best": 0.0273}, "booleans": {}, "tensors": {}}]}
 * }</pre>
 * Numbers are written so that they read back bit for bit; NaN and the infinities, which JSON lacks,
 * as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. {@link #read} is strict:
 * every key must be known and present, with the right type and range, and the tensors must be
 * exactly those listed.
 */
public final class TrainingCheckpoint {
  /** The model file in a backup directory. */
  public static final String MODEL = "model.zip";
  /** The training state in a backup directory. */
  public static final String STATE = "training.json";
  /** The callbacks' tensors in a backup directory. */
  public static final String TENSORS = "callbacks.safetensors";

  static final String FORMAT = "neurona.training_state";
  static final int FORMAT_VERSION = 1;
  /** Largest {@code training.json} read: it holds a few numbers per callback and layer. */
  static final long MAX_STATE_BYTES = 16L << 20;
  private static final Set<String> KEYS = Set.of("format", "format_version", "epoch", "epochs", "stopped", "fit_count",
      "shuffle", "shuffle_seed", "samples", "batch_size", "validation_samples", "seeded_layers", "callbacks");
  private static final Set<String> CALLBACK_KEYS = Set.of("type", "integers", "numbers", "booleans", "tensors");

  private TrainingCheckpoint() {}

  /**
   * What a backup directory holds.
   *
   * @param model the model read from {@value #MODEL}, with its optimizer as {@link Sequential#optimizer()}
   * @param state the training state
   */
  public record Contents(Sequential model, TrainingState state) {}

  // ---------------------------------------------------------------- write

  /**
   * Writes {@code model} (with its optimizer, which must be resumable) and {@code state} into the
   * existing directory {@code dir}. Everything that can be wrong with the state (a value of a type
   * the format cannot hold, a bad key) fails before the first file is written.
   *
   * @throws IllegalArgumentException naming the callback and key of a value that cannot be saved
   */
  public static void write(Path dir, Sequential model, TrainingState state) throws IOException {
    if (dir == null || model == null || state == null) {
      throw new IllegalArgumentException("TrainingCheckpoint.write: dir, model and state must not be null (dir=" + dir
          + ", model=" + model + ", state=" + state + ")");
    }
    if (model.optimizer() == null || !model.optimizer().isResumable()) {
      throw new IllegalArgumentException("TrainingCheckpoint.write: the optimizer of Sequential '" + model.name()
          + "' (" + model.optimizer() + ") cannot save its state; a backup needs SGD or Adam");
    }
    List<Named> tensors = new ArrayList<>();
    byte[] json = Json.writePretty(stateJson(state, tensors)).getBytes(StandardCharsets.UTF_8);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "neurona");
    meta.put("content", "training callbacks' state");
    byte[] header = Safetensors.header(meta, tensors);

    ModelFile.save(model, dir.resolve(MODEL));
    AtomicFiles.write(dir.resolve(STATE), out -> out.write(json));
    AtomicFiles.write(dir.resolve(TENSORS), out -> Safetensors.write(out, header, tensors));
  }

  private static Map<String, Object> stateJson(TrainingState s, List<Named> tensors) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("format", FORMAT);
    j.put("format_version", FORMAT_VERSION);
    j.put("epoch", s.epoch());
    j.put("epochs", s.epochs());
    j.put("stopped", s.stopped());
    j.put("fit_count", s.fitCount());
    j.put("shuffle", s.shuffle());
    j.put("shuffle_seed", s.shuffleSeed());
    j.put("samples", s.samples());
    j.put("batch_size", s.batchSize());
    j.put("validation_samples", s.validationSamples());
    j.put("seeded_layers", new LinkedHashMap<>(s.seededLayers()));
    List<Object> cbs = new ArrayList<>();
    for (int i = 0; i < s.callbacks().size(); i++) {
      CallbackState c = s.callbacks().get(i);
      String where = "callback " + i + " (" + c.type() + ")";
      Map<String, Object> integers = new LinkedHashMap<>();
      Map<String, Object> numbers = new LinkedHashMap<>();
      Map<String, Object> booleans = new LinkedHashMap<>();
      Map<String, Object> shapes = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : c.values().entrySet()) {
        String key = e.getKey();
        checkKey(where, key);
        Object v = e.getValue();
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
          integers.put(key, ((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
          numbers.put(key, number(((Number) v).doubleValue()));
        } else if (v instanceof Boolean) {
          booleans.put(key, v);
        } else if (v instanceof Tensor) {
          Tensor t = (Tensor) v;
          shapes.put(key, t.shape().toArray());
          tensors.add(new Named(i + "/" + key, t.shape(), t.data()));
        } else {
          throw new IllegalArgumentException("TrainingCheckpoint: " + where + " has state '" + key + "' = " + v
              + (v == null ? "" : " (" + v.getClass().getName() + ")")
              + "; a saved state holds Long, Integer, Double, Float, Boolean or Tensor values");
        }
      }
      Map<String, Object> cj = new LinkedHashMap<>();
      cj.put("type", c.type());
      cj.put("integers", integers);
      cj.put("numbers", numbers);
      cj.put("booleans", booleans);
      cj.put("tensors", shapes);
      cbs.add(cj);
    }
    j.put("callbacks", cbs);
    return j;
  }

  private static void checkKey(String where, String key) {
    if (key == null || key.isBlank() || key.indexOf('/') >= 0) {
      throw new IllegalArgumentException("TrainingCheckpoint: " + where + " has a state key " + Json.describe(key)
          + "; keys must be non-blank and free of '/'");
    }
  }

  /** A double as JSON holds it exactly: the number, or a string for NaN and the infinities. */
  private static Object number(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return d;
  }

  // ---------------------------------------------------------------- read

  /**
   * Reads a backup directory written by {@link #write}.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static Contents read(Path dir) throws IOException {
    if (dir == null) {
      throw new IllegalArgumentException("TrainingCheckpoint.read: dir must not be null");
    }
    Path stateFile = dir.resolve(STATE);
    Path tensorFile = dir.resolve(TENSORS);
    for (Path f : List.of(dir.resolve(MODEL), stateFile, tensorFile)) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f.toString(), null, "the backup " + dir + " has no " + f.getFileName()
            + " (it holds " + MODEL + ", " + STATE + " and " + TENSORS + ")");
      }
    }
    long size = Files.size(stateFile);
    if (size > MAX_STATE_BYTES) {
      throw new ModelFormatException(stateFile + " is " + size + " bytes, more than the " + MAX_STATE_BYTES + " allowed");
    }
    Map<String, Object> j;
    try {
      j = Json.parseObject(Files.readString(stateFile, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
      throw new ModelFormatException(stateFile + " is not valid JSON: " + e.getMessage(), e);
    }
    List<Named> tensors = new ArrayList<>();
    TrainingState state = parseState(stateFile.toString(), j, tensors);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tensorFile), 1 << 16)) {
      Safetensors.read(in, Files.size(tensorFile), tensorFile.toString(), tensors, "the tensors listed in " + STATE);
    }
    Sequential model = ModelFile.load(dir.resolve(MODEL));
    if (model.optimizer() == null) {
      throw new ModelFormatException(dir.resolve(MODEL) + " holds no optimizer state; it is not a training backup");
    }
    return new Contents(model, state);
  }

  private static TrainingState parseState(String where, Map<String, Object> j, List<Named> tensors)
      throws ModelFormatException {
    exactKeys(where, j, KEYS);
    if (!FORMAT.equals(j.get("format"))) {
      throw new ModelFormatException(where + ": \"format\" is " + Json.describe(j.get("format")) + ", expected \""
          + FORMAT + "\"");
    }
    long version = integer(where, j, "format_version", 0, Long.MAX_VALUE);
    if (version != FORMAT_VERSION) {
      throw new ModelFormatException(where + ": format_version " + version + " is not supported; this Neurona reads "
          + FORMAT_VERSION);
    }
    int epochs = (int) integer(where, j, "epochs", 1, Integer.MAX_VALUE);
    int epoch = (int) integer(where, j, "epoch", 0, epochs);
    boolean stopped = bool(where, j, "stopped");
    int fitCount = (int) integer(where, j, "fit_count", 1, Integer.MAX_VALUE);
    boolean shuffle = bool(where, j, "shuffle");
    long seed = integer(where, j, "shuffle_seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int samples = (int) integer(where, j, "samples", 1, Integer.MAX_VALUE);
    int batchSize = (int) integer(where, j, "batch_size", 1, Integer.MAX_VALUE);
    int validation = (int) integer(where, j, "validation_samples", 0, Integer.MAX_VALUE);
    Map<String, Object> layersJson = object(where, j, "seeded_layers");
    Map<String, Long> layers = new LinkedHashMap<>();
    for (String name : layersJson.keySet()) {
      if (name.isBlank()) {
        throw new ModelFormatException(where + ": \"seeded_layers\" has a blank layer name");
      }
      layers.put(name, integer(where + ": seeded_layers", layersJson, name, 0, Long.MAX_VALUE));
    }
    Object cbValue = j.get("callbacks");
    if (!(cbValue instanceof List)) {
      throw new ModelFormatException(where + ": \"callbacks\" must be a list, got " + Json.describe(cbValue));
    }
    List<CallbackState> callbacks = new ArrayList<>();
    List<?> cbList = (List<?>) cbValue;
    for (int i = 0; i < cbList.size(); i++) {
      String w = where + ": callback " + i;
      if (!(cbList.get(i) instanceof Map)) {
        throw new ModelFormatException(w + " must be an object, got " + Json.describe(cbList.get(i)));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) cbList.get(i);
      exactKeys(w, c, CALLBACK_KEYS);
      Object type = c.get("type");
      if (!(type instanceof String) || ((String) type).isBlank()) {
        throw new ModelFormatException(w + ": \"type\" must be a non-blank string, got " + Json.describe(type));
      }
      w += " (" + type + ")";
      Map<String, Object> values = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      for (Map.Entry<String, Object> e : object(w, c, "integers").entrySet()) {
        key(w, e.getKey(), seen);
        if (!(e.getValue() instanceof Long)) {
          throw new ModelFormatException(w + ": integers." + e.getKey() + " must be an integer, got "
              + Json.describe(e.getValue()));
        }
        values.put(e.getKey(), e.getValue());
      }
      for (Map.Entry<String, Object> e : object(w, c, "numbers").entrySet()) {
        key(w, e.getKey(), seen);
        values.put(e.getKey(), readNumber(w + ": numbers." + e.getKey(), e.getValue()));
      }
      for (Map.Entry<String, Object> e : object(w, c, "booleans").entrySet()) {
        key(w, e.getKey(), seen);
        if (!(e.getValue() instanceof Boolean)) {
          throw new ModelFormatException(w + ": booleans." + e.getKey() + " must be true or false, got "
              + Json.describe(e.getValue()));
        }
        values.put(e.getKey(), e.getValue());
      }
      Map<String, Object> shapes = object(w, c, "tensors");
      for (String key : shapes.keySet()) {
        key(w, key, seen);
        Shape shape = Shape.of(ModelFile.intList(w + ": tensors", shapes, key));
        Tensor t = Tensor.zeros(shape);
        tensors.add(new Named(i + "/" + key, shape, t.data()));
        values.put(key, t);
      }
      callbacks.add(new CallbackState((String) type, values));
    }
    return new TrainingState(epoch, epochs, stopped, fitCount, shuffle, seed, samples, batchSize, validation, layers,
        callbacks);
  }

  private static void exactKeys(String where, Map<String, Object> m, Set<String> expected) throws ModelFormatException {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(m.keySet());
    Set<String> unknown = new TreeSet<>(m.keySet());
    unknown.removeAll(expected);
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new ModelFormatException(where + ":" + (missing.isEmpty() ? "" : " missing " + missing)
          + (unknown.isEmpty() ? "" : " unknown " + unknown) + " (expected exactly " + new TreeSet<>(expected) + ")");
    }
  }

  private static void key(String where, String key, Set<String> seen) throws ModelFormatException {
    if (key.isBlank() || key.indexOf('/') >= 0) {
      throw new ModelFormatException(where + ": state key " + Json.describe(key) + " is blank or contains '/'");
    }
    if (!seen.add(key)) {
      throw new ModelFormatException(where + ": state key \"" + key + "\" appears in two sections");
    }
  }

  private static double readNumber(String where, Object v) throws ModelFormatException {
    if (v instanceof Double) {
      return (Double) v;
    }
    if ("NaN".equals(v)) {
      return Double.NaN;
    }
    if ("Infinity".equals(v)) {
      return Double.POSITIVE_INFINITY;
    }
    if ("-Infinity".equals(v)) {
      return Double.NEGATIVE_INFINITY;
    }
    throw new ModelFormatException(where + " must be a number with a decimal point or exponent, or \"NaN\","
        + " \"Infinity\", \"-Infinity\"; got " + Json.describe(v));
  }

  private static long integer(String where, Map<String, Object> m, String key, long min, long max)
      throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Long)) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be an integer, got " + Json.describe(v));
    }
    long x = (Long) v;
    if (x < min || x > max) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be in [" + min + ", " + max + "], got " + x);
    }
    return x;
  }

  private static boolean bool(String where, Map<String, Object> m, String key) throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Boolean)) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be true or false, got " + Json.describe(v));
    }
    return (Boolean) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String where, Map<String, Object> m, String key)
      throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Map)) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be an object, got " + Json.describe(v));
    }
    return (Map<String, Object>) v;
  }
}
