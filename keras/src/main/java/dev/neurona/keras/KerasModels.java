package dev.neurona.keras;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Optimizer;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Keras model files in and out of Neurona.
 *
 * <pre>{@code
 * Sequential model = KerasModels.load(Path.of("mnist.keras"));     // .keras, legacy .h5, or a Neurona zip
 * KerasModels.loadWeights(myModel, Path.of("mnist.weights.h5"));   // into a model built in Java
 * KerasModels.save(model, Path.of("from-neurona.keras"));          // Keras 3 loads it
 * }</pre>
 *
 * <p>Files are recognised by their content, not their name: a zip holding {@code config.json} and
 * {@code model.weights.h5} is a Keras 3 archive, a zip holding {@code model.safetensors} a Neurona
 * model, an HDF5 file with a {@code model_config} attribute a legacy whole-model file (Keras 3's
 * legacy saver or Keras 2), any other HDF5 file a weights file. The supported layers and options are
 * listed in the {@linkplain dev.neurona.keras package documentation}.
 *
 * <p>Errors: a file that is damaged or is not a model file gives a {@link KerasFormatException}; a
 * model that uses what Neurona does not implement gives an {@link UnsupportedKerasModelException};
 * both name the file, and the layer, key and value concerned. Warnings (a training configuration that
 * cannot be restored, an initializer Neurona lacks) go to the {@link System.Logger} named
 * {@code dev.neurona.keras}; nothing is printed.
 *
 * <p>Thread safety: the methods keep no state; a model must not be used by another thread while
 * weights are loaded into it or it is saved.
 */
public final class KerasModels {
  private static final System.Logger LOG = System.getLogger("dev.neurona.keras");
  /** The Keras version whose {@code .keras} layout {@link #save} writes. */
  static final String KERAS_VERSION = "3.15.1";
  static final String CONFIG = "config.json";
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";
  private static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

  private KerasModels() {}

  /** What a model file holds, as {@link #detect} recognises it from its content. */
  public enum Format {
    /** A Neurona model zip ({@code Sequential.save}). */
    NEURONA("Neurona model (zip)"),
    /** A Keras 3 archive ({@code model.save("x.keras")}). */
    KERAS("Keras 3 archive (.keras)"),
    /** A legacy HDF5 whole-model file ({@code model.save("x.h5")}, Keras 2 or Keras 3's legacy saver). */
    KERAS_H5("legacy Keras HDF5 model (.h5)"),
    /** An HDF5 file of weights only ({@code model.save_weights("x.weights.h5")}). */
    WEIGHTS_H5("Keras HDF5 weights (.weights.h5)");

    private final String description;

    Format(String description) {
      this.description = description;
    }

    /**
     * A short description for people.
     *
     * @return e.g. {@code Keras 3 archive (.keras)}
     */
    public String description() {
      return description;
    }
  }

  // ---------------------------------------------------------------- detect

  /**
   * Recognises a model file by its content.
   *
   * @param file the file
   * @return its format
   * @throws KerasFormatException when it is none of the {@link Format}s, naming the file
   * @throws IOException when it cannot be read
   */
  public static Format detect(Path file) throws IOException {
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      try (ZipFile zip = openZip(file)) {
        if (zip.getEntry(CONFIG) != null && (zip.getEntry(WEIGHTS) != null || zip.getEntry("model.weights.json") != null)) {
          return Format.KERAS;
        }
        if (zip.getEntry("model.safetensors") != null) {
          return Format.NEURONA;
        }
        throw new KerasFormatException(file + ": a zip archive that is neither a Keras model (" + CONFIG + " + "
            + WEIGHTS + ") nor a Neurona model (model.safetensors)");
      }
    }
    if (n == 8 && Arrays.equals(head, Hdf5.SIGNATURE)) {
      try (HdfFile h5 = Hdf5.open(file)) {
        return Hdf5.hasAttribute(h5, "model_config", file.toString()) ? Format.KERAS_H5 : Format.WEIGHTS_H5;
      }
    }
    throw new KerasFormatException(file + ": not a model file: it is neither a zip archive (.keras, Neurona) nor HDF5"
        + " (.h5); it starts with the bytes " + hex(head, n));
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", b[i] & 0xff));
    }
    return n == 0 ? "(empty file)" : sb.toString();
  }

  private static ZipFile openZip(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new KerasFormatException(file + ": not a complete zip archive, truncated or damaged (" + e.getMessage() + ")", e);
    }
  }

  // ---------------------------------------------------------------- load

  /**
   * Loads a model: a Keras 3 {@code .keras} archive, a legacy Keras {@code .h5} model, or a Neurona
   * zip (as {@code Sequential.load}), recognised by content. A Keras model comes back with its layer
   * names and weights; compiled as in Keras when Neurona has its optimizer, loss and metrics (with
   * the optimizer's state, so training resumes), else uncompiled with a warning.
   *
   * @param file the model file
   * @return the built model
   * @throws UnsupportedKerasModelException when the model uses a layer, option or topology Neurona lacks
   * @throws KerasFormatException when the file is damaged, is not a model, or is a weights-only file
   * @throws IOException when it cannot be read
   */
  public static Sequential load(Path file) throws IOException {
    Format f = detect(file);
    switch (f) {
      case NEURONA:
        return Sequential.load(file);
      case KERAS:
        return loadKeras(file);
      case KERAS_H5:
        return loadLegacy(file);
      default:
        throw new KerasFormatException(file + ": a weights-only file (no model config); build the model and call"
            + " KerasModels.loadWeights(model, file)");
    }
  }

  private static Sequential loadKeras(Path file) throws IOException {
    ImportContext ctx = new ImportContext(file.toString());
    Map<String, Object> config;
    byte[] weights;
    try (ZipFile zip = openZip(file)) {
      config = jsonObject(ctx, readEntry(file, zip, CONFIG), CONFIG);
      if (zip.getEntry(WEIGHTS) == null) {
        throw ctx.unsupported(null, "model.weights.json", null, null, "sharded weights");
      }
      weights = readEntry(file, zip, WEIGHTS);
    }
    KerasImporter.Result r = KerasImporter.importModel(ctx, config);
    String where = file + "!" + WEIGHTS;
    try (HdfFile h5 = Hdf5.open(weights, where)) {
      assignKeras3(new ImportContext(where), layersOf(r), h5, true);
      Object cc = config.get("compile_config");
      if (cc instanceof Map) {
        Map<?, ?> c = (Map<?, ?>) cc;
        compile(ctx, r.model(), c.get("optimizer"), c.get("loss"), c.get("metrics"), stringKeys(c),
            () -> keras3OptimizerVars(where, h5));
      }
    }
    logWarnings(ctx);
    return r.model();
  }

  private static Sequential loadLegacy(Path file) throws IOException {
    ImportContext ctx = new ImportContext(file.toString());
    try (HdfFile h5 = Hdf5.open(file)) {
      String modelConfig = Hdf5.stringAttribute(h5, "model_config", ctx.file);
      KerasImporter.Result r = KerasImporter.importModel(ctx, jsonObject(ctx, modelConfig, "the model_config attribute"));
      Group weights = Hdf5.group(h5, "model_weights", ctx.file);
      if (weights == null) {
        throw ctx.malformed("no model_weights group");
      }
      assignLegacy(ctx, r.model(), weights);
      String training = Hdf5.stringAttribute(h5, "training_config", ctx.file);
      if (training != null) {
        Map<String, Object> t = jsonObject(ctx, training, "the training_config attribute");
        compile(ctx, r.model(), t.get("optimizer_config"), t.get("loss"), t.get("metrics"), t,
            () -> legacyOptimizerVars(ctx, h5));
      }
      logWarnings(ctx);
      return r.model();
    }
  }

  /** Supplies Keras' optimizer variables in order (iterations first), or null when the file has none. */
  private interface OptimizerVars {
    List<Object> read() throws IOException;
  }

  private static void compile(ImportContext ctx, Sequential model, Object optimizer, Object loss, Object metrics,
      Map<String, Object> others, OptimizerVars vars) throws IOException {
    KerasTraining.Compiled c = KerasTraining.read(ctx, optimizer, loss, metrics, others);
    if (c == null) {
      return;
    }
    model.compile(c.optimizer(), c.loss(), c.metrics().toArray(new dev.neurona.layers.loss.Metric[0]));
    List<Object> v = vars.read();
    if (v == null || v.isEmpty()) {
      return;
    }
    List<Tensor> tensors = new ArrayList<>();
    for (Object o : v) {
      tensors.add(o instanceof Tensor ? (Tensor) o : null);
    }
    long iterations = v.get(0) instanceof Long ? (Long) v.get(0) : -1;
    String why = iterations < 0 ? "the first optimizer variable is not the step count"
        : KerasTraining.restoreState(c.optimizer(), model, tensors, iterations);
    if (why != null) {
      ctx.warnings.add("the " + c.kerasOptimizer() + " state was not restored (" + why + "); training starts"
          + " from a fresh optimizer");
    }
  }

  private static List<Object> keras3OptimizerVars(String where, HdfFile h5) throws IOException {
    Node n = Hdf5.at(h5, "optimizer/vars", where);
    if (!(n instanceof Group)) {
      return null;
    }
    List<Dataset> ds = numbered(where, (Group) n);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      Dataset d = ds.get(i);
      out.add(i == 0 ? (Object) Hdf5.readLong(d, where, "optimizer variable 0 (iterations)")
          : Hdf5.readAny(d, where, "optimizer variable " + i));
    }
    return out;
  }

  private static List<Object> legacyOptimizerVars(ImportContext ctx, HdfFile h5) throws IOException {
    Group g = Hdf5.group(h5, "optimizer_weights", ctx.file);
    if (g == null) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    List<String> names = Hdf5.stringsAttribute(g, "weight_names", ctx.file);
    for (int i = 0; i < names.size(); i++) {
      Node n = Hdf5.at(g, names.get(i), ctx.file);
      if (!(n instanceof Dataset)) {
        throw ctx.malformed("optimizer_weights lists '" + names.get(i) + "' but has no such dataset");
      }
      out.add(i == 0 ? (Object) Hdf5.readLong((Dataset) n, ctx.file, names.get(i))
          : Hdf5.readAny((Dataset) n, ctx.file, names.get(i)));
    }
    return out;
  }

  private static void logWarnings(ImportContext ctx) {
    List<String> all = new ArrayList<>();
    if (!ctx.trainingIssues.isEmpty()) {
      all.add(ctx.file + ": the model is loaded uncompiled, since its training configuration has no Neurona"
          + " equivalent: " + String.join("; ", ctx.trainingIssues));
    }
    all.addAll(ctx.warnings);
    for (String w : all) {
      LOG.log(Level.WARNING, w);
    }
  }

  // ---------------------------------------------------------------- weights

  /**
   * Loads weights into {@code model}, which must have the file's layers: a Keras 3
   * {@code .weights.h5} (matched as Keras matches them, by layer class and position:
   * {@code layers/conv2d}, {@code layers/conv2d_1}, ...), a legacy weights or whole-model
   * {@code .h5} (matched by layer name), or the weights inside a {@code .keras} archive. Strict:
   * every layer with weights must find its weights with the same count and shapes, and the file may
   * hold no weights the model has no place for; nothing is changed unless everything fits.
   *
   * @param model a built model
   * @param file the weights file
   * @throws KerasFormatException naming the file, the layer and both shapes when something does not fit
   * @throws IOException when the file cannot be read
   */
  public static void loadWeights(Sequential model, Path file) throws IOException {
    if (model == null || !model.isBuilt()) {
      throw new IllegalArgumentException("loadWeights: the model must be built (declare its input shape) before"
          + " weights are loaded from " + file);
    }
    Format f = detect(file);
    ImportContext ctx = new ImportContext(file.toString());
    List<KerasImporter.Imported> layers = new ArrayList<>();
    for (Layer l : model.layers()) {
      layers.add(new KerasImporter.Imported(KerasLayers.kerasClass(l), l.name(), l));
    }
    switch (f) {
      case KERAS: {
        byte[] weights;
        try (ZipFile zip = openZip(file)) {
          weights = readEntry(file, zip, WEIGHTS);
        }
        try (HdfFile h5 = Hdf5.open(weights, file + "!" + WEIGHTS)) {
          assignKeras3(new ImportContext(file + "!" + WEIGHTS), layers, h5, false);
        }
        return;
      }
      case KERAS_H5:
      case WEIGHTS_H5:
        try (HdfFile h5 = Hdf5.open(file)) {
          Group legacy = f == Format.KERAS_H5 ? Hdf5.group(h5, "model_weights", ctx.file)
              : Hdf5.hasAttribute(h5, "layer_names", ctx.file) ? h5 : null;
          if (legacy != null) {
            assignLegacy(ctx, model, legacy);
          } else {
            assignKeras3(ctx, layers, h5, false);
          }
        }
        return;
      default:
        throw new KerasFormatException(file + ": a Neurona model zip, not Keras weights; load it with Sequential.load");
    }
  }

  private static List<KerasImporter.Imported> layersOf(KerasImporter.Result r) {
    List<KerasImporter.Imported> out = new ArrayList<>();
    for (KerasImporter.Imported im : r.layers()) {
      if (im.layer() != null || r.functional()) {
        out.add(im);
      }
    }
    return out;
  }

  /**
   * Keras 3's layout: {@code layers/<snake_case class>[_k]/vars/<i>}, the k-th layer of that class in
   * the model's list. All reads happen before any weight is copied.
   */
  private static void assignKeras3(ImportContext ctx, List<KerasImporter.Imported> layers, HdfFile h5, boolean fromArchive)
      throws IOException {
    Group root = Hdf5.group(h5, "layers", ctx.file);
    if (root == null) {
      throw ctx.malformed("no 'layers' group: not a Keras 3 weights file (its groups: " + Hdf5.children(h5, ctx.file) + ")");
    }
    Map<String, Integer> used = new HashMap<>();
    Set<String> matched = new HashSet<>();
    List<Parameter> targets = new ArrayList<>();
    List<Tensor> values = new ArrayList<>();
    for (KerasImporter.Imported im : layers) {
      String path = uniqueName(KerasLayers.snake(im.kerasClass()), used);
      List<Parameter> ps = im.layer() == null ? List.of() : im.layer().parameters();
      Node vars = Hdf5.at(root, path + "/vars", ctx.file);
      List<Dataset> ds = vars instanceof Group ? numbered(ctx.file, (Group) vars) : List.of();
      String fileName = vars == null ? null : Hdf5.stringAttribute(vars, "name", ctx.file);
      String what = "layer '" + im.kerasName() + "' (" + im.kerasClass() + ")"
          + (fileName != null && !fileName.equals(im.kerasName()) ? ", saved as '" + fileName + "'," : "");
      if (ds.size() != ps.size()) {
        throw ctx.malformed(what + " has " + ps.size() + " weight tensors " + shapes(ps) + " but the file has "
            + ds.size() + " under layers/" + path + "/vars");
      }
      for (int i = 0; i < ps.size(); i++) {
        targets.add(ps.get(i));
        values.add(Hdf5.readTensor(ds.get(i), ps.get(i).shape(), ctx.file, what + " weight " + i
            + " (" + ps.get(i).name() + ")"));
      }
      matched.add(path);
    }
    for (String child : Hdf5.children(root, ctx.file)) {
      Node vars = Hdf5.at(root, child + "/vars", ctx.file);
      if (!matched.contains(child) && vars instanceof Group && !numbered(ctx.file, (Group) vars).isEmpty()) {
        String name = Hdf5.stringAttribute(vars, "name", ctx.file);
        throw ctx.malformed("the file has weights under layers/" + child + (name == null ? "" : " (layer '" + name + "')")
            + " for which the model has no layer" + (fromArchive ? "" : " (model layers: " + layerList(layers) + ")"));
      }
    }
    copy(targets, values);
  }

  /** Keras 2's and the legacy saver's layout: a group per layer name, listing its datasets in {@code weight_names}. */
  private static void assignLegacy(ImportContext ctx, Sequential model, Group weights) throws IOException {
    List<Parameter> targets = new ArrayList<>();
    List<Tensor> values = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Layer l : model.layers()) {
      names.add(l.name());
      List<Parameter> ps = l.parameters();
      Group g = Hdf5.group(weights, l.name(), ctx.file);
      List<String> weightNames = g == null ? List.of() : Hdf5.stringsAttribute(g, "weight_names", ctx.file);
      String what = "layer '" + l.name() + "' (" + l.typeName() + ")";
      if (weightNames.size() != ps.size()) {
        throw ctx.malformed(what + " has " + ps.size() + " weight tensors " + shapes(ps) + " but the file has "
            + weightNames.size() + (g == null ? " (no group '" + l.name() + "'; legacy files match layers by name, and"
            + " its layers are " + Hdf5.stringsAttribute(weights, "layer_names", ctx.file) + ")" : " " + weightNames));
      }
      for (int i = 0; i < ps.size(); i++) {
        Node n = Hdf5.at(g, weightNames.get(i), ctx.file);
        if (!(n instanceof Dataset)) {
          throw ctx.malformed(what + ": weight_names lists '" + weightNames.get(i) + "' but there is no such dataset");
        }
        targets.add(ps.get(i));
        values.add(Hdf5.readTensor((Dataset) n, ps.get(i).shape(), ctx.file, what + " weight '" + weightNames.get(i) + "'"));
      }
    }
    List<String> fileLayers = Hdf5.stringsAttribute(weights, "layer_names", ctx.file);
    for (String n : fileLayers) {
      Group g = Hdf5.group(weights, n, ctx.file);
      if (!names.contains(n) && g != null && !Hdf5.stringsAttribute(g, "weight_names", ctx.file).isEmpty()) {
        throw ctx.malformed("the file has weights for layer '" + n + "', which the model does not have (model layers: "
            + names + ")");
      }
    }
    copy(targets, values);
  }

  private static void copy(List<Parameter> targets, List<Tensor> values) {
    for (int i = 0; i < targets.size(); i++) {
      targets.get(i).value().copyFrom(values.get(i));
    }
  }

  /** The datasets {@code 0, 1, 2, ...} of a {@code vars} group, in numeric order; anything else is an error. */
  private static List<Dataset> numbered(String where, Group vars) throws KerasFormatException {
    List<String> names = Hdf5.children(vars, where);
    Dataset[] out = new Dataset[names.size()];
    for (String n : names) {
      int i;
      try {
        i = Integer.parseInt(n);
      } catch (NumberFormatException e) {
        i = -1;
      }
      Node node = Hdf5.child(vars, n, where);
      if (i < 0 || i >= out.length || !(node instanceof Dataset)) {
        throw new KerasFormatException(where + ": " + vars.getPath() + " should hold datasets 0.." + (out.length - 1)
            + ", found '" + n + "'");
      }
      out[i] = (Dataset) node;
    }
    return Arrays.asList(out);
  }

  /** Keras' {@code _get_unique_name}: {@code conv2d}, then {@code conv2d_1}, {@code conv2d_2}, ... */
  static String uniqueName(String name, Map<String, Integer> used) {
    Integer n = used.get(name);
    if (n == null) {
      used.put(name, 0);
      return name;
    }
    used.put(name, n + 1);
    return name + "_" + (n + 1);
  }

  private static String shapes(List<Parameter> ps) {
    List<String> s = new ArrayList<>();
    for (Parameter p : ps) {
      s.add(p.shape().toString());
    }
    return s.toString();
  }

  private static String layerList(List<KerasImporter.Imported> layers) {
    List<String> s = new ArrayList<>();
    for (KerasImporter.Imported im : layers) {
      s.add(im.kerasName());
    }
    return s.toString();
  }

  // ---------------------------------------------------------------- save

  /**
   * Writes {@code model} as a Keras 3 {@code .keras} archive: {@code config.json} (a Keras
   * {@code Sequential} with Keras' layer configs), {@code metadata.json} and {@code model.weights.h5}.
   * A model compiled with SGD or Adam (constant, exponential or cosine learning rate) and Keras'
   * losses and metrics also gets its {@code compile_config} and the optimizer's step count and state,
   * so Keras resumes training; otherwise it is written uncompiled, with a warning. The file is
   * written through a temporary file in the same directory.
   *
   * @param model a built model of layers Keras has (Neurona's classic units have no Keras layer)
   * @param file the archive to write, by convention {@code *.keras}
   * @throws UnsupportedKerasModelException naming the layer when one has no Keras equivalent
   * @throws IOException when writing fails
   */
  public static void save(Sequential model, Path file) throws IOException {
    if (model == null || file == null) {
      throw new IllegalArgumentException("KerasModels.save: model and file must not be null (model=" + model
          + ", file=" + file + ")");
    }
    if (!model.isBuilt()) {
      throw new IllegalStateException("KerasModels.save: model '" + model.name() + "' is not built; declare its input"
          + " shape first");
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(target.toString(), null, "cannot save: directory " + dir + " does not exist");
    }
    List<String> issues = new ArrayList<>();
    Map<String, Object> config = KerasExport.config(model, issues);
    byte[] metadata = KerasJson.write(metadata(model)).getBytes(StandardCharsets.UTF_8);
    byte[] configBytes = KerasJson.write(config).getBytes(StandardCharsets.UTF_8);
    boolean compiled = config.containsKey("compile_config");
    for (String i : issues) {
      LOG.log(Level.WARNING, file + ": saved without the training configuration: " + i);
    }

    Path h5 = Files.createTempFile(dir, "." + target.getFileName() + ".", ".h5.tmp");
    Path zipTemp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      byte[] weights = writeWeights(model, h5, compiled);
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(zipTemp), 1 << 16);
          ZipOutputStream zip = new ZipOutputStream(os)) {
        put(zip, METADATA, metadata);
        put(zip, CONFIG, configBytes);
        put(zip, WEIGHTS, weights);
      }
      try {
        Files.move(zipTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(zipTemp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      Files.deleteIfExists(h5);
      if (!done) {
        Files.deleteIfExists(zipTemp);
      }
    }
  }

  private static Map<String, Object> metadata(Sequential model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keras_version", KERAS_VERSION);
    m.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    m.put("saved_by", "neurona");
    m.put("neurona_seed", model.seed());
    return m;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  /**
   * Writes {@code layers/<class>[_k]/vars/<i>} for each layer with weights and, when compiled,
   * {@code optimizer/vars/<i>}, then reads the file back and checks every dataset's shape and values.
   */
  private static byte[] writeWeights(Sequential model, Path h5, boolean compiled) throws IOException {
    Map<String, Object> written = new LinkedHashMap<>();
    Hdf5.Writer w = new Hdf5.Writer(h5);
    try {
      Map<String, Integer> used = new HashMap<>();
      for (Layer l : model.layers()) {
        String path = "layers/" + uniqueName(KerasLayers.snake(KerasLayers.kerasClass(l)), used) + "/vars";
        List<Parameter> ps = l.parameters();
        if (ps.isEmpty()) {
          continue; // no empty groups (see Hdf5.Writer); Keras reads a missing group as no weights
        }
        WritableGroup g = w.group(path);
        g.putAttribute("name", l.name());
        for (int i = 0; i < ps.size(); i++) {
          g.putDataset(Integer.toString(i), Hdf5.nested(ps.get(i).value()));
          written.put(path + "/" + i, ps.get(i).value());
        }
      }
      if (compiled) {
        List<Object> vars = KerasTraining.optimizerVariables(model);
        WritableGroup g = w.group("optimizer/vars");
        g.putAttribute("name", model.optimizer().name());
        for (int i = 0; i < vars.size(); i++) {
          Object v = vars.get(i);
          g.putDataset(Integer.toString(i), v instanceof Tensor ? Hdf5.nested((Tensor) v) : v);
          written.put("optimizer/vars/" + i, v);
        }
      }
    } finally {
      w.close();
    }
    byte[] bytes = Files.readAllBytes(h5);
    verify(h5.toString(), bytes, written);
    return bytes;
  }

  /** Reads the written HDF5 back: a writer bug must fail the save, not produce a file Keras rejects. */
  private static void verify(String where, byte[] bytes, Map<String, Object> written) throws IOException {
    try (HdfFile f = Hdf5.open(bytes, where)) {
      for (Map.Entry<String, Object> e : written.entrySet()) {
        Node n = Hdf5.at(f, e.getKey(), where);
        boolean ok = n instanceof Dataset;
        if (ok && e.getValue() instanceof Tensor) {
          Tensor t = (Tensor) e.getValue();
          ok = Arrays.equals(Hdf5.readTensor((Dataset) n, t.shape(), where, e.getKey()).data(), t.data());
        } else if (ok && e.getValue() instanceof Long) {
          ok = Hdf5.readLong((Dataset) n, where, e.getKey()) == (Long) e.getValue();
        }
        if (!ok) {
          throw new IOException(where + ": the HDF5 writer produced a file whose " + e.getKey()
              + " does not read back as written");
        }
      }
    }
  }

  // ---------------------------------------------------------------- describe

  /**
   * A description of any model file for people: its format, the model's summary, the class names
   * and metadata it carries (Neurona zips), and its training configuration (or, for a weights-only file, each layer's weight shapes). What {@code ./neurona
   * inspect FILE} prints.
   *
   * @param file a Neurona zip, {@code .keras}, {@code .h5} or {@code .weights.h5} file
   * @return several lines of text
   * @throws IOException as {@link #load} does
   */
  public static String describe(Path file) throws IOException {
    Format f = detect(file);
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(": ").append(f.description());
    if (f == Format.KERAS) {
      try (ZipFile zip = openZip(file)) {
        if (zip.getEntry(METADATA) != null) {
          Object v = KerasJson.parse(new String(readEntry(file, zip, METADATA), StandardCharsets.UTF_8));
          if (v instanceof Map && ((Map<?, ?>) v).get("keras_version") != null) {
            sb.append(", Keras ").append(((Map<?, ?>) v).get("keras_version"));
          }
        }
      } catch (IllegalArgumentException e) {
        sb.append(", unreadable ").append(METADATA);
      }
    }
    sb.append('\n');
    if (f == Format.WEIGHTS_H5) {
      try (HdfFile h5 = Hdf5.open(file)) {
        describeWeights(sb, h5, h5, file.toString(), "");
      }
      return sb.toString();
    }
    Sequential m = load(file);
    sb.append(m.summary());
    if (!m.classNames().isEmpty()) {
      sb.append("\nClass names (").append(m.classNames().size()).append("): ")
          .append(String.join(", ", m.classNames())).append('\n');
    }
    if (!m.metadata().isEmpty()) {
      sb.append("\nMetadata:\n");
      m.metadata().forEach((k, v) -> sb.append("  ").append(k).append(" = ").append(v).append('\n'));
    }
    Optimizer opt = m.optimizer();
    if (opt == null) {
      sb.append("\nNot compiled.\n");
    } else if (m.loss() == null) {
      sb.append("\nOptimizer ").append(opt).append(", step ").append(opt.iterations())
          .append(" (the file keeps no loss or metrics: compile before training).\n");
    } else {
      List<String> metrics = new ArrayList<>();
      m.metrics().forEach(x -> metrics.add(x.name()));
      sb.append("\nCompiled: optimizer ").append(opt).append(", step ").append(opt.iterations())
          .append("; loss ").append(m.loss().name()).append("; metrics ").append(metrics).append('\n');
    }
    return sb.toString();
  }

  private static void describeWeights(StringBuilder sb, HdfFile h5, Group g, String where, String indent) throws IOException {
    for (String name : Hdf5.children(g, where)) {
      Node n = Hdf5.child(g, name, where);
      if (n instanceof Dataset) {
        sb.append(indent).append(name).append(' ').append(Arrays.toString(Hdf5.dims((Dataset) n, where))).append('\n');
      } else if (n instanceof Group) {
        sb.append(indent).append(name).append("/\n");
        describeWeights(sb, h5, (Group) n, where, indent + "  ");
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] readEntry(Path file, ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new KerasFormatException(file + ": the archive has no " + name);
    }
    if (e.getSize() > MAX_ENTRY_BYTES) {
      throw new KerasFormatException(file + ": " + name + " is " + e.getSize() + " bytes, more than this reader takes");
    }
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    } catch (ZipException ex) {
      throw new KerasFormatException(file + ": " + name + " is truncated or damaged (" + ex.getMessage() + ")", ex);
    }
  }

  private static Map<String, Object> jsonObject(ImportContext ctx, Object text, String what) throws KerasFormatException {
    String s = text instanceof byte[] ? new String((byte[]) text, StandardCharsets.UTF_8) : (String) text;
    if (s == null) {
      throw ctx.malformed("no " + what);
    }
    Object v;
    try {
      v = KerasJson.parse(s);
    } catch (IllegalArgumentException e) {
      throw new KerasFormatException(ctx.file + ": " + what + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(v instanceof Map)) {
      throw ctx.malformed(what + " is not a JSON object");
    }
    return stringKeys((Map<?, ?>) v);
  }

  private static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    return out;
  }
}
