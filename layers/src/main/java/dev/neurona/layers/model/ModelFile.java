package dev.neurona.layers.model;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.optim.Optimizer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * {@code model.safetensors}; when the model was compiled with SGD or Adam, also
 * {@code optimizer.json} (its config, step count and the names of its state tensors) and
 * {@code optimizer.safetensors} (those tensors, {@code "<parameter>/<slot>"}, e.g.
 * {@code "dense.kernel/m"}). Files without the optimizer entries load as before.
 *
 * <p>Safetensors layout: an 8-byte little-endian header length {@code N}, {@code N} bytes of JSON
 * {@code {"__metadata__": {...}, "dense.kernel": {"dtype": "F32", "shape": [2, 8],
 * "data_offsets": [0, 64]}, ...}} (padded with spaces to a multiple of 8), then the little-endian
 * float32 data, offsets relative to its start. {@code safetensors.numpy.load_file} and
 * {@code safetensors.torch.load_file} read it.
 */
final class ModelFile {
  /** The zip layout version this code writes and reads. */
  static final int FORMAT_VERSION = 1;
  static final String FORMAT = "neurona.sequential";
  static final String METADATA = "metadata.json";
  static final String CONFIG = "config.json";
  static final String WEIGHTS = "model.safetensors";
  static final String OPTIMIZER = "optimizer.json";
  static final String OPTIMIZER_STATE = "optimizer.safetensors";
  /** Largest JSON entry or safetensors header read into memory (the safetensors library's own limit). */
  private static final long MAX_JSON_BYTES = 100L << 20;
  private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  private ModelFile() {}

  /** The library version recorded in saved files. */
  static String libraryVersion() {
    String v = ModelFile.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  // ---------------------------------------------------------------- save

  static void save(Sequential model, Path file) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("save: file must not be null");
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(target.toString(), null, "cannot save the model: directory " + dir + " does not exist");
    }
    // Everything that can fail on the model's side is done before the first byte is written.
    byte[] config = Json.writePretty(configOf(model)).getBytes(StandardCharsets.UTF_8);
    byte[] metadata = Json.writePretty(metadataOf(model)).getBytes(StandardCharsets.UTF_8);
    List<Named> weights = weights(model);
    byte[] header = safetensorsHeader(model, weights);
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
      optimizerHeader = safetensorsHeader(model, optimizerState);
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

  /** A tensor to write or to read into: its name, shape and data. */
  private static final class Named {
    final String name;
    final Shape shape;
    final float[] data;

    Named(String name, Shape shape, float[] data) {
      this.name = name;
      this.shape = shape;
      this.data = data;
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
      size = writeSafetensors(sink, header, tensors);
    }
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    writeSafetensors(zip, header, tensors);
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

  private static Map<String, Object> configOf(Sequential model) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("class_name", "Sequential");
    c.put("name", model.name());
    c.put("seed", model.seed());
    c.put("input_shape", model.inputShape().toArray());
    List<Object> ls = new ArrayList<>();
    for (Layer l : model.layers()) {
      Class<?> cls = l.getClass();
      checkLoadable(l, cls);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("module", cls.getPackageName());
      e.put("class_name", cls.getName().substring(cls.getPackageName().length() + 1));
      e.put("type", l.typeName());
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

  /** Fails the save (not a later load) when {@code load} could not re-create this layer. */
  private static void checkLoadable(Layer l, Class<?> cls) {
    try {
      fromConfigMethod(cls);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("save: layer '" + l.name() + "' cannot be saved: " + ex.getMessage(), ex);
    }
  }

  private static Method fromConfigMethod(Class<?> cls) {
    Method m;
    try {
      m = cls.getMethod("fromConfig", Map.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("class " + cls.getName()
          + " has no public static fromConfig(Map<String, Object>) to re-create it");
    }
    if (!Modifier.isStatic(m.getModifiers()) || !Layer.class.isAssignableFrom(m.getReturnType())
        || !Modifier.isPublic(cls.getModifiers())) {
      throw new IllegalArgumentException("class " + cls.getName()
          + " needs to be public with a public static fromConfig(Map<String, Object>) returning the layer");
    }
    return m;
  }

  private static byte[] safetensorsHeader(Sequential model, List<Named> tensors) {
    Map<String, Object> h = new LinkedHashMap<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "neurona");
    meta.put("model", model.name());
    meta.put("library_version", libraryVersion());
    h.put("__metadata__", meta);
    long offset = 0;
    for (Named p : tensors) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", "F32");
      t.put("shape", p.shape.toArray());
      long end = offset + 4L * p.data.length;
      t.put("data_offsets", new long[] {offset, end});
      h.put(p.name, t);
      offset = end;
    }
    byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // keeps the float data 8-byte aligned, as safetensors does
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  /** Writes the safetensors bytes; returns how many. */
  private static long writeSafetensors(OutputStream out, byte[] header, List<Named> tensors) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length);
    out.write(buf.array(), 0, 8);
    out.write(header);
    long n = 8L + header.length;
    for (Named p : tensors) {
      float[] d = p.data;
      for (int i = 0; i < d.length; ) {
        buf.clear();
        int k = Math.min(d.length - i, buf.capacity() / 4);
        buf.asFloatBuffer().put(d, i, k);
        out.write(buf.array(), 0, 4 * k);
        i += k;
      }
      n += 4L * d.length;
    }
    return n;
  }

  // ---------------------------------------------------------------- load

  static Sequential load(Path file) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("load: file must not be null");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such model file");
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new ModelFormatException(file + ": not a Neurona model file: not a readable zip (" + e.getMessage()
          + "); the file may be truncated or corrupt", e);
    }
    try (zip) {
      Map<String, Object> meta = readJson(file, zip, METADATA);
      checkFormat(file, meta);
      Map<String, Object> config = readJson(file, zip, CONFIG);
      Sequential model = buildModel(file, config);
      readTensors(file, zip, WEIGHTS, weights(model), "the model's parameters");
      if (zip.getEntry(OPTIMIZER) != null) {
        model.restoreOptimizer(readOptimizer(file, zip, model));
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

  private static Sequential buildModel(Path file, Map<String, Object> config) throws ModelFormatException {
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
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) entries.get(i);
      layers.add(createLayer(where + ": layer " + i, e));
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

  private static Layer createLayer(String where, Map<String, Object> e) throws ModelFormatException {
    Object module = e.getOrDefault("module", "dev.neurona.layers");
    Object className = e.containsKey("class_name") ? e.get("class_name") : e.get("type");
    Object name = e.get("name");
    Object cfg = e.get("config");
    if (!(module instanceof String) || !PACKAGE_NAME.matcher((String) module).matches()) {
      throw new ModelFormatException(where + ": \"module\" is not a Java package name: " + Json.describe(module));
    }
    if (!(className instanceof String) || !JAVA_NAME.matcher((String) className).matches()) {
      throw new ModelFormatException(where + ": \"class_name\" is not a Java class name: " + Json.describe(className));
    }
    if (!(name instanceof String)) {
      throw new ModelFormatException(where + ": \"name\" must be a string, got " + Json.describe(name));
    }
    if (!(cfg instanceof Map)) {
      throw new ModelFormatException(where + " '" + name + "': \"config\" must be an object, got " + Json.describe(cfg));
    }
    String fqcn = module + "." + className;
    String what = where + " '" + name + "'";
    Class<?> cls;
    try {
      cls = Class.forName(fqcn, false, ModelFile.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError ex) {
      throw new ModelFormatException(what + " has unknown layer type '" + className + "' (no class " + fqcn + ")", ex);
    }
    if (!Layer.class.isAssignableFrom(cls)) {
      throw new ModelFormatException(what + ": " + fqcn + " is not a Layer");
    }
    Method m;
    try {
      m = fromConfigMethod(cls);
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(what + ": " + ex.getMessage(), ex);
    }
    Layer layer;
    try {
      layer = (Layer) m.invoke(null, cfg);
    } catch (InvocationTargetException ex) {
      Throwable c = ex.getCause();
      throw new ModelFormatException(what + " (" + className + "): bad config " + Json.write(cfg) + ": " + c.getMessage(), c);
    } catch (IllegalAccessException ex) {
      throw new ModelFormatException(what + ": cannot call " + fqcn + ".fromConfig: " + ex.getMessage(), ex);
    }
    if (layer == null) {
      throw new ModelFormatException(what + ": " + fqcn + ".fromConfig returned null");
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

  private static int[] intList(String where, Map<String, Object> m, String key) throws ModelFormatException {
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

  /** One tensor of the header, checked against the parameter it will fill. */
  private static final class Slot {
    final Named tensor;
    final long begin;
    final long end;

    Slot(Named tensor, long begin, long end) {
      this.tensor = tensor;
      this.begin = begin;
      this.end = end;
    }
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

  /** Reads a safetensors entry into {@code expected} (names, shapes, destination arrays), checking everything first. */
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
      byte[] lenBytes = in.readNBytes(8);
      if (lenBytes.length < 8) {
        throw new ModelFormatException(where + " is truncated: " + lenBytes.length + " bytes, not even the 8-byte header length");
      }
      long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_JSON_BYTES) {
        throw new ModelFormatException(where + ": header length " + headerLen + " runs past the end of the "
            + size + "-byte entry (or is not a valid length); the file is truncated or corrupt");
      }
      byte[] headerBytes = in.readNBytes((int) headerLen);
      if (headerBytes.length != headerLen) {
        throw new ModelFormatException(where + " is truncated inside its " + headerLen + "-byte header");
      }
      Map<String, Object> header;
      try {
        header = Json.parseObject(new String(headerBytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ex) {
        throw new ModelFormatException(where + ": the header is not valid JSON: " + ex.getMessage(), ex);
      }
      long dataLen = size - 8 - headerLen;
      List<Slot> slots = checkHeader(where, header, expected, expectedWhat, dataLen);
      // Everything is known to fit: copy the data straight into the destinations.
      ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
      for (Slot s : slots) {
        float[] d = s.tensor.data;
        for (int i = 0; i < d.length; ) {
          int k = Math.min(d.length - i, buf.capacity() / 4);
          int got = in.readNBytes(buf.array(), 0, 4 * k);
          if (got != 4 * k) {
            throw new ModelFormatException(where + " is truncated inside tensor '" + s.tensor.name + "'");
          }
          buf.clear();
          buf.asFloatBuffer().get(d, i, k);
          i += k;
        }
      }
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

  /** Checks names, dtypes, shapes and byte ranges; returns the tensors in data order. */
  private static List<Slot> checkHeader(String where, Map<String, Object> header, List<Named> expected,
      String expectedWhat, long dataLen) throws ModelFormatException {
    Map<String, Named> params = new LinkedHashMap<>();
    for (Named p : expected) {
      params.put(p.name, p);
    }
    Set<String> inFile = new TreeSet<>(header.keySet());
    inFile.remove("__metadata__");
    Set<String> missing = new TreeSet<>(params.keySet());
    missing.removeAll(inFile);
    Set<String> extra = new TreeSet<>(inFile);
    extra.removeAll(params.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new ModelFormatException(where + ": tensors do not match " + expectedWhat
          + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra));
    }
    Object meta = header.get("__metadata__");
    if (meta != null && !(meta instanceof Map)) {
      throw new ModelFormatException(where + ": __metadata__ must be an object, got " + Json.describe(meta));
    }
    List<Slot> slots = new ArrayList<>();
    for (Named p : params.values()) {
      String t = where + ": tensor '" + p.name + "'";
      Object v = header.get(p.name);
      if (!(v instanceof Map)) {
        throw new ModelFormatException(t + " must be an object, got " + Json.describe(v));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> info = (Map<String, Object>) v;
      Object dtype = info.get("dtype");
      if (!"F32".equals(dtype)) {
        throw new ModelFormatException(t + " has dtype " + Json.describe(dtype) + "; only \"F32\" is supported");
      }
      Shape shape = Shape.of(intList(t, info, "shape"));
      if (!shape.equals(p.shape)) {
        throw new ModelFormatException(t + " has shape " + shape + " but the model's parameter has shape " + p.shape);
      }
      Object offs = info.get("data_offsets");
      if (!(offs instanceof List) || ((List<?>) offs).size() != 2 || !(((List<?>) offs).get(0) instanceof Long)
          || !(((List<?>) offs).get(1) instanceof Long)) {
        throw new ModelFormatException(t + ": data_offsets must be [begin, end], got " + Json.describe(offs));
      }
      long begin = (Long) ((List<?>) offs).get(0);
      long end = (Long) ((List<?>) offs).get(1);
      if (begin < 0 || end < begin || end - begin != 4L * p.data.length) {
        throw new ModelFormatException(t + ": data_offsets [" + begin + ", " + end + "] do not hold the "
            + 4L * p.data.length + " bytes of an F32 " + shape);
      }
      if (end > dataLen) {
        throw new ModelFormatException(t + ": bytes [" + begin + ", " + end + ") lie past the end of the "
            + dataLen + " data bytes; the file is truncated or corrupt");
      }
      slots.add(new Slot(p, begin, end));
    }
    slots.sort(Comparator.comparingLong(s -> s.begin));
    long at = 0;
    for (Slot s : slots) {
      if (s.begin != at) {
        throw new ModelFormatException(where + ": tensor '" + s.tensor.name + "' starts at byte " + s.begin
            + " but the previous tensor ends at " + at + " (tensors must tile the data without gaps or overlaps)");
      }
      at = s.end;
    }
    if (at != dataLen) {
      throw new ModelFormatException(where + ": the tensors cover " + at + " bytes but the data section has "
          + dataLen + " (trailing or missing bytes)");
    }
    return slots;
  }
}
