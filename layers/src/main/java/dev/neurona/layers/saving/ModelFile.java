package dev.neurona.layers.saving;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.saving.Safetensors.Named;
import dev.neurona.optim.Optimizer;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The model file: a zip holding {@code metadata.json}, {@code config.json} and
 * {@code model.safetensors} (the weights, see {@link Safetensors}); when the model's optimizer is
 * {@linkplain Optimizer#isResumable() resumable} (SGD, Adam), also {@code optimizer.json} (its
 * config, step count and the names of its state tensors) and {@code optimizer.safetensors} (those
 * tensors, {@code "<parameter>/<slot>"}, e.g. {@code "dense.kernel/m"}). Files without the optimizer
 * entries load as before. {@code metadata.json} also carries the model's
 * {@linkplain Sequential#classNames() class names} and {@linkplain Sequential#metadata() metadata}
 * when it has them.
 *
 * <p>Each layer in {@code config.json} is {@code {"module", "class_name", "type", "name", "config"}}.
 * Loading re-creates it through a {@link LayerRegistry}, never by loading a class named in the
 * file: {@code module} + {@code class_name} (written by every Neurona version so far) are matched,
 * as text, against the classes registered, and an entry with only a {@code type} names the
 * registered type directly.
 *
 * <p>Loading treats the file as untrusted input: sizes are checked against the bytes really there
 * before anything is allocated, every layer's and the optimizer's config is read strictly (see
 * {@link LoadOptions}), and weights must be finite. Whatever is wrong with a file, damage or
 * malice, {@code load} throws a {@link ModelFormatException} naming the file and the entry.
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
   * What {@link ModelFile#save(Sequential, Path, LayerRegistry, SaveOptions)} writes besides the
   * config and the weights. {@link #defaults()} includes a resumable optimizer's state (Keras'
   * {@code include_optimizer=True}); {@code includeOptimizer(false)} leaves it out, for a model that
   * is only deployed: the file is then about a third the size for Adam (two moments per weight),
   * half for SGD with momentum, and {@link ModelFile#load} gives a model without an optimizer, to be
   * compiled before training. Immutable.
   */
  public static final class SaveOptions {
    private static final SaveOptions DEFAULTS = new SaveOptions(true);

    private final boolean includeOptimizer;

    private SaveOptions(boolean includeOptimizer) {
      this.includeOptimizer = includeOptimizer;
    }

    /** The default: the optimizer's state is included when the optimizer is resumable (SGD, Adam). */
    public static SaveOptions defaults() {
      return DEFAULTS;
    }

    /** These options with or without the optimizer's state (Keras' {@code include_optimizer}). */
    public SaveOptions includeOptimizer(boolean include) {
      return include == includeOptimizer ? this : new SaveOptions(include);
    }

    /** Whether a resumable optimizer's config, step count and state are written. */
    public boolean includesOptimizer() {
      return includeOptimizer;
    }

    /** {@code SaveOptions.defaults().includeOptimizer(false)}, or {@code SaveOptions.defaults()}. */
    @Override
    public String toString() {
      return includeOptimizer ? "SaveOptions.defaults()" : "SaveOptions.defaults().includeOptimizer(false)";
    }
  }

  /** {@link #save(Sequential, Path, LayerRegistry, SaveOptions)} with {@link SaveOptions#defaults()}. */
  public static void save(Sequential model, Path file, LayerRegistry registry) throws IOException {
    save(model, file, registry, SaveOptions.defaults());
  }

  /**
   * Writes {@code model} to the zip {@code file}, through a temporary file in the same directory
   * moved into place, so a failed save never leaves a partial file. Everything that can fail on
   * the model's side (an unbuilt model, a layer type {@code registry} cannot re-create, a config
   * JSON cannot hold) fails before the first byte is written.
   *
   * <p>Otherwise it is an ordinary write of {@code file}: a new file gets the permissions the umask
   * gives, an existing one keeps its own; a symbolic link is followed (the file it points to is
   * replaced, the link stays); errors name {@code file}. The temporary file is removed when the save
   * fails, and one left behind by a killed process is removed by the next save of the same file.
   * {@code options} say whether the optimizer's state goes in (see {@link SaveOptions}).
   */
  public static void save(Sequential model, Path file, LayerRegistry registry, SaveOptions options) throws IOException {
    if (model == null || file == null || registry == null || options == null) {
      throw new IllegalArgumentException("save: model, file, registry and options must not be null (model=" + model
          + ", file=" + file + ", registry=" + registry + ", options=" + options + ")");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.save: the input shape is not known yet;"
          + " declare it with input(...) or an InputLayer, or call fit/predict first");
    }
    byte[] config = Json.writePretty(configOf(model, registry)).getBytes(StandardCharsets.UTF_8);
    byte[] metadata = Json.writePretty(metadataOf(model)).getBytes(StandardCharsets.UTF_8);
    List<Named> weights = weights(model);
    byte[] header = Safetensors.header(tensorMetadata(model), weights);
    Optimizer opt = model.optimizer();
    boolean withOptimizer = options.includesOptimizer() && opt != null && opt.isResumable();
    List<Named> optimizerState = new ArrayList<>();
    Map<String, Object> o = new LinkedHashMap<>();
    if (withOptimizer) {
      Map<String, Tensor> state = opt.state();
      for (Map.Entry<String, Tensor> e : state.entrySet()) {
        optimizerState.add(new Named(e.getKey(), e.getValue().shape(), e.getValue().data()));
      }
      o.put("config", opt.config());
      o.put("iterations", opt.iterations());
      o.put("state", new ArrayList<>(state.keySet()));
    }
    byte[] optimizerJson = withOptimizer ? Json.writePretty(o).getBytes(StandardCharsets.UTF_8) : null;
    byte[] optimizerHeader = withOptimizer ? Safetensors.header(tensorMetadata(model), optimizerState) : null;

    AtomicWrite.write(file, out -> {
      try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, 1 << 16))) {
        writeDeflated(zip, METADATA, metadata);
        writeDeflated(zip, CONFIG, config);
        writeStored(zip, WEIGHTS, header, weights);
        if (withOptimizer) {
          writeDeflated(zip, OPTIMIZER, optimizerJson);
          writeStored(zip, OPTIMIZER_STATE, optimizerHeader, optimizerState);
        }
      }
    });
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
    ModelMetadata.put(m, model);
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

  /**
   * How {@link ModelFile#load(Path, LayerRegistry, LoadOptions)} treats config keys it does not
   * know. {@link #strict()}, the default, rejects a key that no layer or optimizer reads, naming
   * both: a typo such as {@code "activatoin"} must not load silently as the default.
   * {@link #lenient()} ignores such keys, to read a file a newer Neurona wrote. Everything else —
   * sizes, numbers, weights — is checked the same way under both.
   */
  public static final class LoadOptions {
    private static final LoadOptions STRICT = new LoadOptions(false);
    private static final LoadOptions LENIENT = new LoadOptions(true);

    private final boolean ignoreUnknownKeys;

    private LoadOptions(boolean ignoreUnknownKeys) {
      this.ignoreUnknownKeys = ignoreUnknownKeys;
    }

    /** The default: a config key that no layer or optimizer reads is an error. */
    public static LoadOptions strict() {
      return STRICT;
    }

    /** Config keys that no layer or optimizer reads are ignored (forward compatibility). */
    public static LoadOptions lenient() {
      return LENIENT;
    }

    /** Whether unknown config keys are ignored rather than rejected. */
    public boolean ignoresUnknownKeys() {
      return ignoreUnknownKeys;
    }

    /** {@code LoadOptions.strict()} or {@code LoadOptions.lenient()}. */
    @Override
    public String toString() {
      return ignoreUnknownKeys ? "LoadOptions.lenient()" : "LoadOptions.strict()";
    }
  }

  /** {@link #load(Path, LayerRegistry, LoadOptions)} with {@link LayerRegistry#standard()}, strict. */
  public static Sequential load(Path file) throws IOException {
    return load(file, LayerRegistry.standard(), LoadOptions.strict());
  }

  /** {@link #load(Path, LayerRegistry, LoadOptions)}, strict. */
  public static Sequential load(Path file, LayerRegistry registry) throws IOException {
    return load(file, registry, LoadOptions.strict());
  }

  /**
   * Reads a model written by {@link #save}. Nothing is allocated on the file's word before it is
   * checked: every entry's size against the bytes the zip really holds (JSON entries are read to at
   * most 4 MiB, however far they would inflate; tensor headers to 8 MiB); the format version;
   * each layer, re-created through {@code registry} from its type and config (unknown keys rejected
   * unless {@code options} is lenient; numbers that do not fit their type rejected); the shapes of
   * the weights every layer will create against the safetensors header, before the layers are built;
   * then each tensor's name and shape, its bytes, finiteness and the entry's CRC-32. A saved optimizer
   * is rebuilt, with its step count and state, as the model's {@link Sequential#optimizer()}.
   *
   * @throws ModelFormatException naming the file, the entry and what is wrong with it, for any
   *     damaged or hostile file
   * @throws NoSuchFileException when there is no such file
   */
  public static Sequential load(Path file, LayerRegistry registry, LoadOptions options) throws IOException {
    if (file == null || registry == null || options == null) {
      throw new IllegalArgumentException("load: file, registry and options must not be null (file=" + file
          + ", registry=" + registry + ", options=" + options + ")");
    }
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a directory, not a model file");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    try (ModelZip zip = ModelZip.open(file)) {
      Map<String, Object> meta = zip.json(METADATA);
      checkFormat(zip, meta);
      ModelMetadata.checkKeys(zip.where(METADATA), meta, options.ignoresUnknownKeys());
      Plan plan = plan(zip, zip.json(CONFIG), registry, options);
      checkWeightShapes(zip, plan, zip.header(WEIGHTS));
      Sequential model = build(zip, plan);
      ModelMetadata.apply(zip.where(METADATA), meta, model);
      zip.readTensors(WEIGHTS, weights(model), "the model's parameters");
      if (zip.has(OPTIMIZER)) {
        model.optimizer(readOptimizer(zip, model, options));
      }
      return model;
    }
  }

  private static void checkFormat(ModelZip zip, Map<String, Object> meta) throws ModelFormatException {
    String where = zip.where(METADATA);
    Object format = meta.get("format");
    if (!FORMAT.equals(format)) {
      throw new ModelFormatException(where + " says format " + Json.describe(format) + ", expected \"" + FORMAT + "\"");
    }
    Object v = meta.get("format_version");
    if (!(v instanceof Long)) {
      throw new ModelFormatException(where + " has no integer format_version (got " + Json.describe(v) + ")");
    }
    long version = (Long) v;
    if (version != FORMAT_VERSION) {
      Object saved = meta.get("library_version");
      throw new ModelFormatException(zip.file() + ": format_version " + version + " (saved by Neurona "
          + (saved instanceof String ? Json.shorten((String) saved) : Json.describe(saved)) + ") is not supported;"
          + " this Neurona (" + libraryVersion() + ") reads format_version " + FORMAT_VERSION);
    }
  }

  /** The model {@code config.json} describes: its layers created and named, none built yet. */
  private record Plan(String name, long seed, int[] inputShape, List<Layer> layers) {}

  private static Plan plan(ModelZip zip, Map<String, Object> config, LayerRegistry registry, LoadOptions options)
      throws ModelFormatException {
    String where = zip.where(CONFIG);
    if (!"Sequential".equals(config.get("class_name"))) {
      throw new ModelFormatException(where + ": class_name is " + Json.describe(config.get("class_name"))
          + ", expected \"Sequential\"");
    }
    String name = string(where, config, "name");
    long seed = integer(where, config, "seed");
    int[] inputShape = intList(where, config, "input_shape");
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
      layers.add(createLayer(where + ": layer " + i, (Map<?, ?>) entries.get(i), registry, options));
    }
    return new Plan(name, seed, inputShape, layers);
  }

  /**
   * Checks the weights each layer will create — for every layer that says which ({@link
   * Layer#weightShapes}) — against the tensors of {@code header}, before any layer is built: a file
   * declaring {@code Dense(55555555)} fails here, not with an {@link OutOfMemoryError}.
   */
  private static void checkWeightShapes(ModelZip zip, Plan plan, Safetensors.Header header) throws ModelFormatException {
    String where = zip.where(WEIGHTS);
    Shape in;
    try {
      in = Shape.of(plan.inputShape());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(zip.where(CONFIG) + ": input_shape: " + e.getMessage(), e);
    }
    for (Layer l : plan.layers()) {
      Map<String, Shape> shapes;
      try {
        shapes = l.weightShapes(in);
        Shape out = l.computeOutputShape(in);
        in = out;
      } catch (RuntimeException e) {
        throw new ModelFormatException(zip.where(CONFIG) + ": cannot rebuild the model: " + e.getMessage(), e);
      }
      if (shapes == null) {
        continue;
      }
      for (Map.Entry<String, Shape> w : shapes.entrySet()) {
        String name = l.name() + "." + w.getKey();
        Safetensors.TensorInfo t = header.tensors().get(name);
        if (t == null || !t.shape().equals(w.getValue())) {
          throw new ModelFormatException(where + ": layer '" + l.name() + "' (" + l.typeName() + ") of " + CONFIG
              + " creates weight '" + name + "' of shape " + w.getValue() + " (" + w.getValue().size() + " floats), but"
              + (t == null ? " the file has no such tensor" : " the file's tensor has shape " + t.shape()));
        }
      }
    }
  }

  /** Builds the planned model: names, seed, input shape, then each layer, whose weights are now known to fit the file. */
  private static Sequential build(ModelZip zip, Plan plan) throws ModelFormatException {
    try {
      Sequential model = new Sequential().name(plan.name()).seed(plan.seed());
      model.input(plan.inputShape());
      for (Layer l : plan.layers()) {
        model.add(l);
      }
      return model;
    } catch (RuntimeException e) {
      throw new ModelFormatException(zip.where(CONFIG) + ": cannot rebuild the model: " + e.getMessage(), e);
    }
  }

  /** One {@code config.json} layer entry, re-created through the registry, named and checked against its config. */
  private static Layer createLayer(String where, Map<?, ?> e, LayerRegistry registry, LoadOptions options)
      throws ModelFormatException {
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
    String what = where + " '" + Json.shorten((String) name) + "'";
    if (!(cfg instanceof Map)) {
      throw new ModelFormatException(what + ": \"config\" must be an object, got " + Json.describe(cfg));
    }
    String shown = Json.shorten((String) typeValue);
    String type = javaForm ? registry.typeOfClassName(module + "." + typeValue)
        : registry.contains((String) typeValue) ? (String) typeValue : null;
    if (type == null) {
      throw new ModelFormatException(what + " has unknown layer type '" + shown + "': "
          + (javaForm ? Json.shorten(module + "." + typeValue) + " is not a Layer class known to the LayerRegistry"
              : "no such type") + " (registered: " + registry.types() + "); a layer of your own needs a LayerProvider");
    }
    Map<String, Object> config = new LinkedHashMap<>();
    for (Map.Entry<?, ?> c : ((Map<?, ?>) cfg).entrySet()) {
      config.put((String) c.getKey(), c.getValue()); // the parser gives string keys
    }
    Layer layer;
    try {
      layer = registry.create(type, config);
    } catch (RuntimeException ex) {
      throw new ModelFormatException(what + " (" + shown + "): bad config " + Json.shorten(Json.write(cfg)) + ": "
          + ex.getMessage(), ex);
    }
    Map<String, Object> made;
    try {
      layer.name((String) name);
      made = layer.config();
    } catch (RuntimeException ex) {
      throw new ModelFormatException(what + ": " + ex.getMessage(), ex);
    }
    ConfigCheck.check(what + " (" + shown + ")", config, made, options.ignoresUnknownKeys());
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
          + Json.describe(v) + (v instanceof List ? " " + Json.shorten(v.toString()) : ""));
    }
    return r;
  }

  /**
   * The optimizer saved beside the weights: rebuilt from its config (checked as a layer's is), with
   * its step count and state; each state tensor is checked against the header, and against the shape
   * of the parameter it belongs to, before it is allocated.
   */
  private static Optimizer readOptimizer(ModelZip zip, Sequential model, LoadOptions options) throws IOException {
    String where = zip.where(OPTIMIZER);
    Map<String, Object> o = zip.json(OPTIMIZER);
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
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) cfg;
    Optimizer opt;
    Map<String, Object> made;
    try {
      opt = Optimizer.fromConfig(c);
      made = opt.config();
    } catch (RuntimeException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
    ConfigCheck.check(where + ": the optimizer (" + opt.name() + ")", c, made, options.ignoresUnknownKeys());
    Map<String, Parameter> params = new LinkedHashMap<>();
    for (Parameter p : model.parameters()) {
      params.put(p.name(), p);
    }
    Map<String, Shape> expected = new LinkedHashMap<>();
    for (Object k : (List<?>) keys) {
      String key = k instanceof String ? (String) k : null;
      int cut = key == null ? -1 : key.lastIndexOf('/');
      Parameter p = cut <= 0 ? null : params.get(key.substring(0, cut));
      if (p == null) {
        throw new ModelFormatException(where + ": state tensor " + Json.describe(k)
            + " is not '<parameter>/<slot>' for a parameter of the model");
      }
      if (expected.put(key, p.shape()) != null) {
        throw new ModelFormatException(where + ": state tensor \"" + key + "\" is listed twice");
      }
    }
    Safetensors.checkExpected(zip.header(OPTIMIZER_STATE), expected, zip.where(OPTIMIZER_STATE),
        "the state listed in " + OPTIMIZER);
    // Now known to be in the file with these shapes: allocate and read.
    List<Named> tensors = new ArrayList<>();
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      Tensor t = Tensor.zeros(e.getValue());
      tensors.add(new Named(e.getKey(), e.getValue(), t.data()));
      state.put(e.getKey(), t);
    }
    zip.readTensors(OPTIMIZER_STATE, tensors, "the state listed in " + OPTIMIZER);
    try {
      opt.restoreState(iterations, state);
    } catch (RuntimeException e) {
      throw new ModelFormatException(where + ": " + e.getMessage(), e);
    }
    return opt;
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
   * same names and shapes (no tensor missing, none extra), as float32 and finite. Everything is
   * checked and read before the first weight changes, so a bad file leaves the model as it was; the
   * weights then change under the write lock of {@link Sequential#weightsLock()}, so predictions on
   * other threads see the old weights or the new ones, never a mix.
   *
   * @throws ModelFormatException naming the file and what does not fit
   */
  public static void loadWeights(Sequential model, Path file) throws IOException {
    if (model == null || file == null) {
      throw new IllegalArgumentException("loadWeights: model and file must not be null (model=" + model + ", file="
          + file + ")");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.loadWeights: the model has no weights yet;"
          + " declare its input shape with input(...) or an InputLayer before loading weights into it");
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
    // Everything read and checked: now change the weights, all at once for other threads (as setWeights does).
    if (model.weightsLock().getReadHoldCount() > 0) {
      throw new IllegalStateException("Sequential '" + model.name() + "'.loadWeights: this thread holds the read lock of"
          + " weightsLock() (inside a prediction?), so it cannot change the weights");
    }
    Lock write = model.weightsLock().writeLock();
    write.lock();
    try {
      for (int i = 0; i < params.size(); i++) {
        float[] dst = params.get(i).value().data();
        System.arraycopy(read.get(i).data(), 0, dst, 0, dst.length);
      }
    } finally {
      write.unlock();
    }
  }
}
