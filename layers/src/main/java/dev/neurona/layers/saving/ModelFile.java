package dev.neurona.layers.saving;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.saving.Safetensors.Named;
import dev.neurona.optim.Optimizer;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The model file: a zip holding {@code metadata.json}, {@code config.json} and
 * {@code model.safetensors} (the weights, see {@link Safetensors}); when the model's optimizer is
 * {@linkplain Optimizer#isResumable() resumable} (SGD, Adam), also {@code optimizer.json} (its
 * config, step count and the names of its state tensors) and {@code optimizer.safetensors} (those
 * tensors, {@code "<parameter>/<slot>"}, e.g. {@code "dense.kernel/m"}). Files without the optimizer
 * entries load as before.
 *
 * <p>Each layer in {@code config.json} is {@code {"module", "class_name", "type", "name", "config"}}.
 * Loading re-creates it through a {@link LayerRegistry}, never by loading a class named in the
 * file: {@code module} + {@code class_name} (written by every Neurona version so far) are matched,
 * as text, against the classes registered, and an entry with only a {@code type} names the
 * registered type directly.
 */
public final class ModelFile {
  /** The zip layout version this code writes and reads. */
  static final int FORMAT_VERSION = 1;
  static final String FORMAT = "neurona.sequential";
  static final String METADATA = "metadata.json";
  static final String CONFIG = "config.json";
  static final String WEIGHTS = "model.safetensors";
  static final String OPTIMIZER = "optimizer.json";
  static final String OPTIMIZER_STATE = "optimizer.safetensors";
  /** Largest JSON entry read into memory. */
  private static final long MAX_JSON_BYTES = Safetensors.MAX_HEADER_BYTES;
  private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private ModelFile() {}

  /** The library version recorded in saved files. */
  static String libraryVersion() {
    String v = ModelFile.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  // ---------------------------------------------------------------- save

  /** {@link #save(Sequential, Path, LayerRegistry)} with {@link LayerRegistry#standard()}. */
  public static void save(Sequential model, Path file) throws IOException {
    save(model, file, LayerRegistry.standard());
  }

  /**
   * Writes {@code model} to the zip {@code file}, through a temporary file in the same directory
   * moved into place, so a failed save never leaves a partial file. Everything that can fail on
   * the model's side (an unbuilt model, a layer type {@code registry} cannot re-create, a config
   * JSON cannot hold) fails before the first byte is written.
   */
  public static void save(Sequential model, Path file, LayerRegistry registry) throws IOException {
    if (model == null || file == null || registry == null) {
      throw new IllegalArgumentException("save: model, file and registry must not be null (model=" + model
          + ", file=" + file + ", registry=" + registry + ")");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.save: the input shape is not known yet;"
          + " declare it with input(...) or an InputLayer, or call fit/predict first");
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(target.toString(), null, "cannot save the model: directory " + dir + " does not exist");
    }
    byte[] config = Json.writePretty(configOf(model, registry)).getBytes(StandardCharsets.UTF_8);
    byte[] metadata = Json.writePretty(metadataOf(model)).getBytes(StandardCharsets.UTF_8);
    List<Named> weights = weights(model);
    byte[] header = Safetensors.header(tensorMetadata(model), weights);
    byte[] optimizerJson = null;
    List<Named> optimizerState = new ArrayList<>();
    byte[] optimizerHeader = null;
    Optimizer opt = model.optimizer();
    if (opt != null && opt.isResumable()) {
      Map<String, Tensor> state = opt.state();
      for (Map.Entry<String, Tensor> e : state.entrySet()) {
        optimizerState.add(new Named(e.getKey(), e.getValue().shape(), e.getValue().data()));
      }
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("config", opt.config());
      o.put("iterations", opt.iterations());
      o.put("state", new ArrayList<>(state.keySet()));
      optimizerJson = Json.writePretty(o).getBytes(StandardCharsets.UTF_8);
      optimizerHeader = Safetensors.header(tensorMetadata(model), optimizerState);
    }

    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        writeDeflated(zip, METADATA, metadata);
        writeDeflated(zip, CONFIG, config);
        writeStored(zip, WEIGHTS, header, weights);
        if (optimizerJson != null) {
          writeDeflated(zip, OPTIMIZER, optimizerJson);
          writeStored(zip, OPTIMIZER_STATE, optimizerHeader, optimizerState);
        }
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** The model's parameters as named tensors over their value arrays: written from on save, read into on load. */
  private static List<Named> weights(Sequential model) {
    List<Named> weights = new ArrayList<>();
    for (Parameter p : model.parameters()) {
      weights.add(new Named(p.name(), p.shape(), p.value().data()));
    }
    return weights;
  }

  /**
   * A safetensors entry, stored rather than deflated: float data barely compresses, and a stored
   * entry can be read in place. The bytes are produced twice, first only for the size and CRC the
   * zip header needs.
   */
  private static void writeStored(ZipOutputStream zip, String name, byte[] header, List<Named> tensors)
      throws IOException {
    CRC32 crc = new CRC32();
    long size;
    try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
      size = Safetensors.write(sink, header, tensors);
    }
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    Safetensors.write(zip, header, tensors);
    zip.closeEntry();
  }

  private static void writeDeflated(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static Map<String, Object> metadataOf(Sequential model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("format_version", FORMAT_VERSION);
    m.put("library", "neurona");
    m.put("library_version", libraryVersion());
    m.put("date_saved", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put("parameter_count", model.countParams());
    return m;
  }

  /** The {@code __metadata__} of both safetensors entries. */
  private static Map<String, Object> tensorMetadata(Sequential model) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "neurona");
    meta.put("model", model.name());
    meta.put("library_version", libraryVersion());
    return meta;
  }

  private static Map<String, Object> configOf(Sequential model, LayerRegistry registry) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", "Sequential");
    c.put("name", model.name());
    c.put("seed", model.seed());
    c.put("input_shape", model.inputShape().toArray());
    List<Object> ls = new ArrayList<>();
    for (Layer l : model.layers()) {
      Class<?> cls = l.getClass();
      String type = registry.typeOf(l.getClass());
      if (type == null) {
        throw new IllegalArgumentException("save: layer '" + l.name() + "' (" + l.typeName() + ") cannot be saved: its"
            + " class " + cls.getName() + " is not in the LayerRegistry, so load could not re-create it; register"
            + " its type with a factory (such as a static fromConfig(Map<String, Object>)) through a LayerProvider");
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("module", cls.getPackageName());
      e.put("class_name", cls.getName().substring(cls.getPackageName().length() + 1));
      e.put("type", type);
      e.put("name", l.name());
      Map<String, Object> cfg = l.config();
      try {
        Json.write(cfg);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("save: layer '" + l.name() + "' (" + l.typeName()
            + ") has a config that JSON cannot hold: " + ex.getMessage(), ex);
      }
      e.put("config", cfg);
      ls.add(e);
    }
    c.put("layers", ls);
    return c;
  }

  // ---------------------------------------------------------------- load

  /** {@link #load(Path, LayerRegistry)} with {@link LayerRegistry#standard()}. */
  public static Sequential load(Path file) throws IOException {
    return load(file, LayerRegistry.standard());
  }

  /**
   * Reads a model written by {@link #save}: checks the format version, re-creates each layer through
   * {@code registry} from its type and config, builds it, and checks every tensor's name, dtype,
   * shape and byte range before copying the weights; a saved optimizer is rebuilt, with its step
   * count and state, as the model's {@link Sequential#optimizer()}.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static Sequential load(Path file, LayerRegistry registry) throws IOException {
    if (file == null || registry == null) {
      throw new IllegalArgumentException("load: file and registry must not be null (file=" + file + ", registry="
          + registry + ")");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException | EOFException e) { // EOF: a damaged end-of-central-directory record points past the end
      throw new ModelFormatException(file + ": not a Neurona model file: not a readable zip (" + e.getMessage()
          + "); the file may be truncated or corrupt", e);
    }
    try (zip) {
      Map<String, Object> meta = readJson(file, zip, METADATA);
      checkFormat(file, meta);
      Map<String, Object> config = readJson(file, zip, CONFIG);
      Sequential model = buildModel(file, config, registry);
      readTensors(file, zip, WEIGHTS, weights(model), "the model's parameters");
      if (zip.getEntry(OPTIMIZER) != null) {
        model.optimizer(readOptimizer(file, zip, model));
      }
      return model;
    }
  }

  private static ZipEntry entry(Path file, ZipFile zip, String name) throws ModelFormatException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new ModelFormatException(file + ": missing entry " + name + " (not a Neurona model file?)");
    }
    return e;
  }

  private static Map<String, Object> readJson(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry e = entry(file, zip, name);
    if (e.getSize() > MAX_JSON_BYTES) {
      throw new ModelFormatException(file + ": entry " + name + " is " + e.getSize() + " bytes, more than the "
          + MAX_JSON_BYTES + " allowed");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(e)) {
      bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
    } catch (IOException ex) {
      throw new ModelFormatException(file + ": entry " + name + " is truncated or corrupt (" + ex + ")", ex);
    }
    if (e.getSize() >= 0 && bytes.length != e.getSize()) {
      throw new ModelFormatException(file + ": entry " + name + " is truncated: read " + bytes.length
          + " of its " + e.getSize() + " bytes");
    }
    try {
      return Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(file + ": " + name + " is not valid: " + ex.getMessage(), ex);
    }
  }

  private static void checkFormat(Path file, Map<String, Object> meta) throws ModelFormatException {
    Object format = meta.get("format");
    if (!FORMAT.equals(format)) {
      throw new ModelFormatException(file + ": " + METADATA + " says format " + Json.describe(format)
          + ", expected \"" + FORMAT + "\"");
    }
    Object v = meta.get("format_version");
    if (!(v instanceof Long)) {
      throw new ModelFormatException(file + ": " + METADATA + " has no integer format_version (got "
          + Json.describe(v) + ")");
    }
    long version = (Long) v;
    if (version != FORMAT_VERSION) {
      throw new ModelFormatException(file + ": format_version " + version + " (saved by Neurona "
          + meta.get("library_version") + ") is not supported; this Neurona (" + libraryVersion()
          + ") reads format_version " + FORMAT_VERSION);
    }
  }

  private static Sequential buildModel(Path file, Map<String, Object> config, LayerRegistry registry)
      throws ModelFormatException {
    String where = file + ": " + CONFIG;
    if (!"Sequential".equals(config.get("class_name"))) {
      throw new ModelFormatException(where + ": class_name is " + Json.describe(config.get("class_name"))
          + ", expected \"Sequential\"");
    }
    Sequential model = new Sequential();
    try {
      model.name(string(where, config, "name"));
      model.seed(integer(where, config, "seed"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
    Object layersValue = config.get("layers");
    if (!(layersValue instanceof List)) {
      throw new ModelFormatException(where + ": \"layers\" must be a list, got " + Json.describe(layersValue));
    }
    List<?> entries = (List<?>) layersValue;
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.get(i) instanceof Map)) {
        throw new ModelFormatException(where + ": layer " + i + " must be an object, got " + Json.describe(entries.get(i)));
      }
      layers.add(createLayer(where + ": layer " + i, (Map<?, ?>) entries.get(i), registry));
    }
    try {
      model.input(intList(where, config, "input_shape"));
      for (Layer l : layers) {
        model.add(l);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFormatException(where + ": cannot rebuild the model: " + e.getMessage(), e);
    }
    return model;
  }

  /** One {@code config.json} layer entry, re-created through the registry and named. */
  private static Layer createLayer(String where, Map<?, ?> e, LayerRegistry registry) throws ModelFormatException {
    boolean javaForm = e.containsKey("class_name");
    Object module = !javaForm ? null : e.containsKey("module") ? e.get("module") : "dev.neurona.layers";
    Object typeValue = javaForm ? e.get("class_name") : e.get("type");
    Object name = e.get("name");
    Object cfg = e.get("config");
    if (javaForm && (!(module instanceof String) || !PACKAGE_NAME.matcher((String) module).matches())) {
      throw new ModelFormatException(where + ": \"module\" is not a Java package name: " + Json.describe(module));
    }
    if (javaForm && (!(typeValue instanceof String) || !JAVA_NAME.matcher((String) typeValue).matches())) {
      throw new ModelFormatException(where + ": \"class_name\" is not a Java class name: " + Json.describe(typeValue));
    }
    if (!(typeValue instanceof String)) {
      throw new ModelFormatException(where + ": \"type\" must be a string, got " + Json.describe(typeValue));
    }
    if (!(name instanceof String)) {
      throw new ModelFormatException(where + ": \"name\" must be a string, got " + Json.describe(name));
    }
    if (!(cfg instanceof Map)) {
      throw new ModelFormatException(where + " '" + name + "': \"config\" must be an object, got " + Json.describe(cfg));
    }
    String what = where + " '" + name + "'";
    String shown = (String) typeValue;
    String type = javaForm ? registry.typeOfClassName(module + "." + shown) : registry.contains(shown) ? shown : null;
    if (type == null) {
      throw new ModelFormatException(what + " has unknown layer type '" + shown + "': "
          + (javaForm ? module + "." + shown + " is not a Layer class known to the LayerRegistry" : "no such type")
          + " (registered: " + registry.types() + "); a layer of your own needs a LayerProvider");
    }
    Map<String, Object> config = new LinkedHashMap<>();
    for (Map.Entry<?, ?> c : ((Map<?, ?>) cfg).entrySet()) {
      config.put((String) c.getKey(), c.getValue()); // the parser gives string keys
    }
    Layer layer;
    try {
      layer = registry.create(type, config);
    } catch (RuntimeException ex) {
      throw new ModelFormatException(what + " (" + shown + "): bad config " + Json.write(cfg) + ": " + ex.getMessage(), ex);
    }
    try {
      layer.name((String) name);
    } catch (IllegalArgumentException | IllegalStateException ex) {
      throw new ModelFormatException(what + ": " + ex.getMessage(), ex);
    }
    return layer;
  }

  private static String string(String where, Map<String, Object> m, String key) throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof String)) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be a string, got " + Json.describe(v));
    }
    return (String) v;
  }

  private static long integer(String where, Map<String, Object> m, String key) throws ModelFormatException {
    Object v = m.get(key);
    if (!(v instanceof Long)) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be an integer, got " + Json.describe(v));
    }
    return (Long) v;
  }

  static int[] intList(String where, Map<?, ?> m, String key) throws ModelFormatException {
    Object v = m.get(key);
    int[] r = v instanceof List ? new int[((List<?>) v).size()] : null;
    for (int i = 0; r != null && i < r.length; i++) {
      Object x = ((List<?>) v).get(i);
      if (!(x instanceof Long) || (Long) x < 0 || (Long) x > Integer.MAX_VALUE) {
        r = null;
      } else {
        r[i] = (int) (long) (Long) x;
      }
    }
    if (r == null) {
      throw new ModelFormatException(where + ": \"" + key + "\" must be a list of non-negative integers, got "
          + Json.describe(v));
    }
    return r;
  }

  /**
   * The optimizer saved beside the weights: rebuilt from its config, with its step count and state
   * (each tensor checked against the shape of the parameter it belongs to).
   */
  private static Optimizer readOptimizer(Path file, ZipFile zip, Sequential model) throws IOException {
    String where = file + ": " + OPTIMIZER;
    Map<String, Object> o = readJson(file, zip, OPTIMIZER);
    Object cfg = o.get("config");
    if (!(cfg instanceof Map)) {
      throw new ModelFormatException(where + ": 'config' must be an object, got " + Json.describe(cfg));
    }
    long iterations = integer(where, o, "iterations");
    if (iterations < 0) {
      throw new ModelFormatException(where + ": 'iterations' must be >= 0, got " + iterations);
    }
    Object keys = o.get("state");
    if (!(keys instanceof List)) {
      throw new ModelFormatException(where + ": 'state' must be a list of tensor names, got " + Json.describe(keys));
    }
    Optimizer opt;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> c = (Map<String, Object>) cfg;
      opt = Optimizer.fromConfig(c);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
    Map<String, Parameter> params = new LinkedHashMap<>();
    for (Parameter p : model.parameters()) {
      params.put(p.name(), p);
    }
    List<Named> tensors = new ArrayList<>();
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (Object k : (List<?>) keys) {
      String key = k instanceof String ? (String) k : null;
      int cut = key == null ? -1 : key.lastIndexOf('/');
      Parameter p = cut <= 0 ? null : params.get(key.substring(0, cut));
      if (p == null) {
        throw new ModelFormatException(where + ": state tensor " + Json.describe(k)
            + " is not '<parameter>/<slot>' for a parameter of the model");
      }
      Tensor t = Tensor.zeros(p.shape());
      tensors.add(new Named(key, p.shape(), t.data()));
      state.put(key, t);
    }
    readTensors(file, zip, OPTIMIZER_STATE, tensors, "the state listed in " + OPTIMIZER);
    try {
      opt.restoreState(iterations, state);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
    return opt;
  }

  /** Reads a safetensors entry into {@code expected}, checking everything first, then the entry's CRC-32. */
  private static void readTensors(Path file, ZipFile zip, String name, List<Named> expected, String expectedWhat)
      throws IOException {
    ZipEntry e = entry(file, zip, name);
    String where = file + ": " + name;
    long size = e.getSize();
    if (size < 0) {
      throw new ModelFormatException(where + ": the zip does not record the entry's size");
    }
    CRC32 crc = new CRC32();
    try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
      Safetensors.read(in, size, where, expected, expectedWhat);
      if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
        throw new ModelFormatException(where + " is corrupt: its CRC-32 is " + Long.toHexString(crc.getValue())
            + " but the zip recorded " + Long.toHexString(e.getCrc()));
      }
    } catch (ModelFormatException ex) {
      throw ex;
    } catch (IOException ex) {
      throw new ModelFormatException(where + " is truncated or corrupt (" + ex + ")", ex);
    }
  }

  // ---------------------------------------------------------------- weights only (ModelCheckpoint's saveWeightsOnly)

  /**
   * Writes only the model's weights to {@code file}, in the safetensors layout (the
   * {@code model.safetensors} entry of a model file on its own, not a zip), readable by
   * {@code safetensors.numpy.load_file}; {@link #loadWeights} reads it back into a model of the same
   * architecture. The file is written whole or not at all (a temporary file moved into place).
   */
  public static void saveWeights(Sequential model, Path file) throws IOException {
    if (model == null || file == null) {
      throw new IllegalArgumentException("saveWeights: model and file must not be null (model=" + model + ", file="
          + file + ")");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.saveWeights: the input shape is not known yet;"
          + " declare it with input(...) or an InputLayer, or call fit/predict first");
    }
    List<Named> weights = weights(model);
    byte[] header = Safetensors.header(tensorMetadata(model), weights);
    AtomicFiles.write(file, out -> Safetensors.write(out, header, weights));
  }

  /**
   * Reads weights written by {@link #saveWeights} into {@code model}, whose parameters must have the
   * same names and shapes. Everything is checked and read before the first weight changes, so a bad
   * file leaves the model as it was.
   *
   * @throws ModelFormatException naming the file and what does not fit
   */
  public static void loadWeights(Sequential model, Path file) throws IOException {
    if (model == null || file == null) {
      throw new IllegalArgumentException("loadWeights: model and file must not be null (model=" + model + ", file="
          + file + ")");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such weights file");
    }
    List<Parameter> params = model.parameters();
    List<Named> read = new ArrayList<>();
    for (Parameter p : params) {
      read.add(new Named(p.name(), p.shape(), new float[p.size()]));
    }
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      Safetensors.read(in, Files.size(file), file.toString(), read, "the parameters of Sequential '" + model.name() + "'");
    }
    for (int i = 0; i < params.size(); i++) {
      float[] dst = params.get(i).value().data();
      System.arraycopy(read.get(i).data(), 0, dst, 0, dst.length);
    }
  }
}
