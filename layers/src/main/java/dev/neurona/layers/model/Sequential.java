package dev.neurona.layers.model;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.Activation;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.saving.ModelFile;
import dev.neurona.layers.saving.ModelFormatException;
import dev.neurona.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A stack of layers trained as in Keras:
 * <pre>{@code
 * Sequential model = new Sequential(
 *     new InputLayer(28, 28, 1),
 *     new Conv2D(32, 3, "relu"), new MaxPool2D(2), new Flatten(), new Dense(10, "softmax"));
 * System.out.println(model.summary());
 * model.compile(new Adam(1e-3f), new SparseCategoricalCrossentropy(), new Accuracy());
 * History h = model.fit(xTrain, yTrain, Fit.epochs(10).batchSize(128).validationSplit(0.1).verbose(true));
 * Map<String, Double> scores = model.evaluate(xTest, yTest);
 * model.save(Path.of("mnist.zip"));
 * }</pre>
 *
 * <p><b>Building.</b> Each layer is built as soon as its input shape is known: when it is added
 * after {@link #input} (or an {@link InputLayer}), or at the first {@code fit}/{@code predict}
 * from the data's sample shape. Unnamed layers are named Keras-style from their type:
 * {@code conv2d}, {@code conv2d_1}, {@code dense}, ...
 *
 * <p><b>Seeds.</b> One seed (default {@value #DEFAULT_SEED}, see {@link #seed(long)}) drives
 * everything random: layer {@code i} is built with a seed derived from the model seed and
 * {@code i} (weights, dropout masks), and the per-epoch shuffling is derived from it too unless
 * {@link Fit#seed} says otherwise. The same seed gives bit-identical weights for any thread count.
 */
public final class Sequential {
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42L;

  private String name = "sequential";
  private long seed = DEFAULT_SEED;
  private Shape inputShape;
  private final List<Layer> layers = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private Optimizer optimizer;
  private Loss loss;
  private final List<Metric> metrics = new ArrayList<>();
  private volatile boolean stopRequested;
  private int fitCount;

  /** An empty model; add layers with {@link #add}. */
  public Sequential() {}

  /** A model with these layers, in order; an {@link InputLayer} first declares the input shape. */
  public Sequential(Layer... layers) {
    for (Layer l : layers) {
      add(l);
    }
  }

  /** A model with this seed and these layers. */
  public Sequential(long seed, Layer... layers) {
    this.seed = seed;
    for (Layer l : layers) {
      add(l);
    }
  }

  // ---------------------------------------------------------------- structure

  /** The model's name, shown by {@link #summary()} ({@code sequential} by default). */
  public String name() {
    return name;
  }

  /** Renames the model. */
  public Sequential name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Sequential: name must not be blank, got '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** The seed that drives initialisation, shuffling and dropout. */
  public long seed() {
    return seed;
  }

  /** Sets the seed; only before any layer is built (weights are created from it). */
  public Sequential seed(long seed) {
    for (Layer l : layers) {
      if (l.isBuilt()) {
        throw new IllegalStateException(describe() + ": set the seed before layers are built; layer '"
            + l.name() + "' already is (call seed(...) before input(...) or add(...))");
      }
    }
    this.seed = seed;
    return this;
  }

  /** Declares the per-sample input shape, e.g. {@code input(28, 28, 1)}, and builds the layers added so far. */
  public Sequential input(int... shape) {
    return add(new InputLayer(shape));
  }

  /**
   * Appends a layer, names it if it has no name, and builds it if the input shape is known. An
   * {@link InputLayer} declares the input shape instead of becoming a layer.
   */
  public Sequential add(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException(describe() + ": cannot add a null layer (after " + layers.size() + " layers)");
    }
    if (layer instanceof InputLayer) {
      Shape s = ((InputLayer) layer).shape();
      if (inputShape != null && !inputShape.equals(s)) {
        throw new IllegalArgumentException(describe() + ": input shape is already " + inputShape + ", cannot declare " + s);
      }
      setInputShape(s);
      return this;
    }
    if (layers.contains(layer)) {
      throw new IllegalArgumentException(describe() + ": layer '" + layer.name() + "' is already in the model");
    }
    if (layer.isBuilt()) {
      throw new IllegalArgumentException(describe() + ": " + layer.typeName() + " '" + layer.name()
          + "' is already built (in another model?); layers cannot be shared, create a new one");
    }
    String n = layer.name();
    if (n == null) {
      n = uniqueName(snakeCase(layer.typeName()));
      layer.name(n);
    } else if (names.contains(n)) {
      throw new IllegalArgumentException(describe() + ": duplicate layer name '" + n + "' ("
          + layer.typeName() + "); every layer needs its own name");
    }
    layers.add(layer);
    names.add(n);
    if (layers.size() == 1) {
      layer.setNeedsInputGradient(false);
    }
    if (inputShape != null) {
      try {
        buildFrom(layers.size() - 1);
      } catch (RuntimeException e) {
        layers.remove(layers.size() - 1);
        names.remove(n);
        throw e;
      }
    }
    return this;
  }

  private void setInputShape(Shape s) {
    this.inputShape = s;
    buildFrom(0);
  }

  /** Builds layers {@code from..} in order, each from the previous one's output shape. */
  private void buildFrom(int from) {
    Shape in = from == 0 ? inputShape : layers.get(from - 1).outputShape();
    for (int i = from; i < layers.size(); i++) {
      Layer l = layers.get(i);
      l.build(in, layerSeed(i));
      in = l.outputShape();
    }
  }

  /** Layer {@code i}'s seed: a SplitMix64 mix of the model seed and the index. */
  long layerSeed(int index) {
    return mix(seed + 0x9E3779B97F4A7C15L * (index + 1));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private String uniqueName(String base) {
    if (!names.contains(base)) {
      return base;
    }
    for (int i = 1; ; i++) {
      String n = base + "_" + i;
      if (!names.contains(n)) {
        return n;
      }
    }
  }

  /** Keras' {@code to_snake_case}: {@code Conv2D} → {@code conv2d}, {@code MaxPool2D} → {@code max_pool2d}. */
  static String snakeCase(String type) {
    String s = type.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(Locale.ROOT);
  }

  /** The layers in order (without the input declaration). */
  public List<Layer> layers() {
    return Collections.unmodifiableList(layers);
  }

  /** The layer called {@code name}. */
  public Layer layer(String name) {
    for (Layer l : layers) {
      if (l.name().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException(describe() + " has no layer named '" + name + "'; it has " + layerNames());
  }

  private List<String> layerNames() {
    List<String> l = new ArrayList<>();
    for (Layer x : layers) {
      l.add(x.name());
    }
    return l;
  }

  /** The per-sample input shape, or null while it is not known. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The per-sample output shape, or null while the input shape is not known. */
  public Shape outputShape() {
    if (inputShape == null) {
      return null;
    }
    return layers.isEmpty() ? inputShape : layers.get(layers.size() - 1).outputShape();
  }

  /** Whether every layer is built (the input shape is known). */
  public boolean isBuilt() {
    return inputShape != null;
  }

  /** Every weight, layer by layer, in creation order. */
  public List<Parameter> parameters() {
    List<Parameter> ps = new ArrayList<>();
    for (Layer l : layers) {
      ps.addAll(l.parameters());
    }
    return ps;
  }

  /** The weights the optimizer updates. */
  public List<Parameter> trainableParameters() {
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : parameters()) {
      if (p.trainable()) {
        ps.add(p);
      }
    }
    return ps;
  }

  /** Total number of scalar weights. */
  public long countParams() {
    long n = 0;
    for (Layer l : layers) {
      n += l.parameterCount();
    }
    return n;
  }

  /** Copies of every weight, in {@link #parameters()} order (for {@link #setWeights}). */
  public List<Tensor> getWeights() {
    List<Tensor> w = new ArrayList<>();
    for (Parameter p : parameters()) {
      w.add(p.value().copy());
    }
    return w;
  }

  /** Copies {@code weights} (as returned by {@link #getWeights}) into the model's parameters. */
  public void setWeights(List<Tensor> weights) {
    List<Parameter> ps = parameters();
    if (weights == null || weights.size() != ps.size()) {
      throw new IllegalArgumentException(describe() + ".setWeights: expected " + ps.size() + " tensors, got "
          + (weights == null ? "null" : weights.size()));
    }
    for (int i = 0; i < ps.size(); i++) {
      Tensor.requireShape("setWeights: tensor " + i + " for '" + ps.get(i).name() + "'", weights.get(i), ps.get(i).shape());
    }
    for (int i = 0; i < ps.size(); i++) {
      ps.get(i).value().copyFrom(weights.get(i));
    }
  }

  // ---------------------------------------------------------------- summary

  /**
   * A Keras-style table of the layers: name (type), output shape with {@code None} for the batch,
   * parameter count; then the total, trainable and non-trainable counts with their float32 size.
   */
  public String summary() {
    requireBuilt("summary");
    List<String[]> rows = new ArrayList<>();
    for (Layer l : layers) {
      rows.add(new String[] {l.name() + " (" + l.typeName() + ")", batchShape(l.outputShape()),
          String.format(Locale.ROOT, "%,d", l.parameterCount())});
    }
    int w0 = "Layer (type)".length();
    int w1 = "Output Shape".length();
    int w2 = "Param #".length();
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].length());
      w1 = Math.max(w1, r[1].length());
      w2 = Math.max(w2, r[2].length());
    }
    w0 = Math.max(w0 + 2, 29);
    w1 = Math.max(w1 + 2, 26);
    w2 = Math.max(w2, 10);
    String thin = "_".repeat(w0 + w1 + w2);
    String thick = "=".repeat(w0 + w1 + w2);
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(name).append("\"\n").append(thin).append('\n');
    sb.append(row(w0, w1, w2, "Layer (type)", "Output Shape", "Param #")).append(thick).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      sb.append(row(w0, w1, w2, r[0], r[1], r[2]));
      sb.append(i == rows.size() - 1 ? thick : thin).append('\n');
    }
    if (rows.isEmpty()) {
      sb.append(thick).append('\n');
    }
    long total = countParams();
    long trainable = 0;
    for (Parameter p : trainableParameters()) {
      trainable += p.size();
    }
    sb.append("Total params: ").append(countWithSize(total)).append('\n');
    sb.append("Trainable params: ").append(countWithSize(trainable)).append('\n');
    sb.append("Non-trainable params: ").append(countWithSize(total - trainable)).append('\n');
    return sb.toString();
  }

  private static String row(int w0, int w1, int w2, String a, String b, String c) {
    String line = " " + pad(a, w0 - 1) + pad(b, w1) + padLeft(c, w2);
    return line + "\n";
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  private static String padLeft(String s, int w) {
    return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
  }

  /** {@code (None, 28, 28, 32)}. */
  static String batchShape(Shape s) {
    StringBuilder sb = new StringBuilder("(None");
    for (int d : s.toArray()) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
  }

  /** {@code 3,274,634 (12.49 MB)}: the count and its float32 size in 1024-based units, as Keras 3 prints. */
  static String countWithSize(long count) {
    double bytes = count * 4.0;
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%,d (%.2f %s)", count, bytes, units[u]);
  }

  // ---------------------------------------------------------------- compile

  /**
   * Keras' string form: {@code compile(new Adam(), "sparse_categorical_crossentropy", "accuracy")}.
   * Names are resolved by {@link Losses#of} and {@link Metrics#of} ({@code "accuracy"} picks the
   * variant that fits the loss).
   */
  public Sequential compile(Optimizer optimizer, String loss, String... metrics) {
    Loss l = Losses.of(loss);
    Metric[] m = new Metric[metrics == null ? 0 : metrics.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = Metrics.of(metrics[i], l.name());
    }
    return compile(optimizer, l, m);
  }

  /** Sets the optimizer, the loss and the metrics reported by {@code fit} and {@code evaluate}. */
  public Sequential compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    if (optimizer == null) {
      throw new IllegalArgumentException(describe() + ".compile: optimizer must not be null");
    }
    if (loss == null) {
      throw new IllegalArgumentException(describe() + ".compile: loss must not be null");
    }
    Set<String> seen = new HashSet<>();
    seen.add("loss");
    for (int i = 0; i < metrics.length; i++) {
      if (metrics[i] == null) {
        throw new IllegalArgumentException(describe() + ".compile: metric " + i + " is null");
      }
      String n = metrics[i].name();
      if (!seen.add(n)) {
        throw new IllegalArgumentException(describe() + ".compile: two metrics (or a metric and the loss) are named '"
            + n + "'");
      }
    }
    this.optimizer = optimizer;
    this.loss = loss;
    this.metrics.clear();
    this.metrics.addAll(List.of(metrics));
    return this;
  }

  /**
   * The compiled optimizer; for a model read by {@link #load}, the optimizer it was saved with (SGD
   * or Adam, with its step count and state) until it is compiled; else null.
   */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Sets the optimizer without compiling, as {@link #load} does with a saved one: {@link #optimizer()}
   * returns it and {@code fit} uses it once a loss is compiled; {@code compile} replaces it.
   */
  public Sequential optimizer(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException(describe() + ".optimizer: optimizer must not be null");
    }
    this.optimizer = optimizer;
    return this;
  }

  /** The compiled loss, or null. */
  public Loss loss() {
    return loss;
  }

  /** The compiled metrics. */
  public List<Metric> metrics() {
    return Collections.unmodifiableList(metrics);
  }

  // ---------------------------------------------------------------- fit

  /** Asks a running {@code fit} to stop after the current batch (the epoch still ends normally). */
  public void stopTraining() {
    stopRequested = true;
  }

  /** Whether {@link #stopTraining()} was called since the current (or last) {@code fit} began. */
  public boolean stopRequested() {
    return stopRequested;
  }

  /** Trains on tensors {@code x (n, ...input shape)} and {@code y (n, ...)} with default options. */
  public History fit(Tensor x, Tensor y) {
    return fit(x, y, Fit.defaults());
  }

  /** Trains on tensors {@code x (n, ...input shape)} and {@code y (n, ...)}. */
  public History fit(Tensor x, Tensor y, Fit options) {
    return fit(source("fit", x, y), options);
  }

  /**
   * Trains the model: for each epoch, shuffle (if asked), then per batch forward (training mode),
   * loss, backward, one optimizer step and zeroed gradients; then validation.
   *
   * @throws NonFiniteLossException when a batch's loss is NaN or infinite (with the history so far)
   */
  public History fit(DataSource data, Fit options) {
    if (options == null) {
      throw new IllegalArgumentException(describe() + ".fit: options must not be null (use Fit.defaults())");
    }
    requireCompiled("fit");
    checkSource("fit", "x", data);
    if (layers.isEmpty()) {
      throw new IllegalStateException(describe() + ".fit: the model has no layers");
    }
    int n = data.size();
    int batchSize = options.batchSize();
    int trainN = n;
    DataSource valSource = null;
    int[] valIdx = null;
    if (options.validationData() != null) {
      if (options.validationSplit() > 0) {
        throw new IllegalArgumentException(describe() + ".fit: give validationSplit (" + options.validationSplit()
            + ") or validationData, not both");
      }
      valSource = options.validationData();
      checkSource("fit", "validation data", valSource);
      if (!valSource.targetShape().equals(data.targetShape())) {
        throw new IllegalArgumentException(describe() + ".fit: validation targets have shape "
            + valSource.targetShape() + " per sample but training targets have " + data.targetShape());
      }
      valIdx = range(0, valSource.size());
    } else if (options.validationSplit() > 0) {
      // Keras: the last fraction, taken before shuffling.
      trainN = (int) Math.floor(n * (1.0 - options.validationSplit()));
      if (trainN == 0 || trainN == n) {
        throw new IllegalArgumentException(describe() + ".fit: validationSplit " + options.validationSplit() + " of "
            + n + " samples leaves " + trainN + " for training and " + (n - trainN) + " for validation; both need some");
      }
      valSource = data;
      valIdx = range(trainN, n);
    }
    int[] trainIdx = range(0, trainN);
    int steps = (trainN + batchSize - 1) / batchSize;
    int epochs = options.epochs();
    long shuffleSeed = options.seed() != null ? options.seed() : mix(seed ^ mix(0x5DEECE66DL + fitCount));
    fitCount++;
    Random rng = new Random(shuffleSeed);

    List<Callback> callbacks = new ArrayList<>(options.callbacks());
    if (options.verbose()) {
      callbacks.add(new ProgressBar(System.out));
    }
    List<Parameter> trainable = trainableParameters();
    List<Parameter> all = parameters();
    zeroGrads(all);
    Buffers trainBuf = new Buffers(data, batchSize);
    Buffers valBuf = valSource == null ? null : new Buffers(valSource, batchSize);
    History history = new History();
    stopRequested = false;
    FitInfo info = new FitInfo(epochs, steps, batchSize, trainN, valIdx == null ? 0 : valIdx.length);
    for (Callback c : callbacks) {
      c.onTrainBegin(this, info);
    }
    for (int epoch = 0; epoch < epochs; epoch++) {
      long t0 = System.nanoTime();
      if (options.shuffle()) {
        shuffle(trainIdx, rng);
      }
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch);
      }
      resetMetrics();
      double lossSum = 0;
      long seen = 0;
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int b = 0; b < steps; b++) {
        int from = b * batchSize;
        int to = Math.min(from + batchSize, trainN);
        Batch batch = trainBuf.get(to - from);
        data.fill(trainIdx, from, to, batch.x, batch.y);
        float l = trainStep(batch, trainable, all);
        if (!Float.isFinite(l)) {
          throw new NonFiniteLossException(describe() + ".fit: loss (" + loss.name() + ") is " + l + " at epoch "
              + (epoch + 1) + "/" + epochs + ", batch " + (b + 1) + "/" + steps + " (counting from 1); training"
              + " stopped before this batch changed the weights. The " + history.epochs()
              + " completed epoch(s) are in the exception's history(). Try a lower learning rate or check the data"
              + " for NaN/Inf.", history, epoch, b, l);
        }
        lossSum += (double) l * (to - from);
        seen += to - from;
        logs = currentLogs(lossSum / seen);
        Map<String, Double> view = Collections.unmodifiableMap(logs);
        for (Callback c : callbacks) {
          c.onBatchEnd(epoch, b, view);
        }
        if (stopRequested) {
          break;
        }
      }
      if (valSource != null) {
        for (Map.Entry<String, Double> e : evaluate(valSource, valIdx, valBuf).entrySet()) {
          logs.put("val_" + e.getKey(), e.getValue());
        }
      }
      history.addEpoch(logs, (System.nanoTime() - t0) / 1e9);
      Map<String, Double> view = Collections.unmodifiableMap(logs);
      for (Callback c : callbacks) {
        c.onEpochEnd(epoch, view);
      }
      if (stopRequested) {
        break;
      }
    }
    for (Callback c : callbacks) {
      c.onTrainEnd(history);
    }
    zeroGrads(all);
    return history;
  }

  /**
   * One optimisation step on one batch, like Keras' {@code train_on_batch}: forward (training
   * mode), loss, backward, optimizer step. {@code x (batch, ...input shape)}, {@code y (batch, ...target)}.
   * Metrics are reset and updated with this batch only. Returns the batch's mean loss; a non-finite
   * loss leaves the weights unchanged and throws {@link NonFiniteLossException}.
   */
  public float trainOnBatch(Tensor x, Tensor y) {
    requireCompiled("trainOnBatch");
    DataSource source = source("trainOnBatch", x, y);
    checkSource("trainOnBatch", "x", source);
    Batch step = new Batch(x, y);
    if (trainOnBatchGrad != null && trainOnBatchGrad.dim(0) == x.dim(0)) {
      step.grad = trainOnBatchGrad;
    }
    resetMetrics();
    float l = trainStep(step, trainableParameters(), parameters());
    if (!Float.isFinite(l)) {
      throw new NonFiniteLossException(describe() + ".trainOnBatch: loss (" + loss.name() + ") is " + l
          + "; the weights were left unchanged", new History(), 0, 0, l);
    }
    trainOnBatchGrad = step.grad;
    return l;
  }

  /** One step on a filled batch; returns the batch's mean loss (the weights are left alone if it is not finite). */
  private float trainStep(Batch batch, List<Parameter> trainable, List<Parameter> all) {
    Tensor out = forwardAll(batch.x, true);
    Layer last = layers.get(layers.size() - 1);
    Tensor grad = batch.grad(outputShape());
    int backFrom;
    float l;
    if (fused(last)) {
      l = loss.computeFromSoftmax(out, batch.y, grad);
      backFrom = layers.size() - 1;
    } else {
      l = loss.compute(out, batch.y, grad);
      backFrom = layers.size();
    }
    if (!Float.isFinite(l)) {
      return l;
    }
    for (Metric m : metrics) {
      m.update(out, batch.y);
    }
    // Fused: dLoss/dz = (p - y)/batch goes straight to the softmax layer's pre-activation.
    Tensor d = backFrom == layers.size() ? grad : ((HasActivation) last).backwardFromPreActivation(grad);
    for (int i = backFrom - 1; i >= 0; i--) {
      d = layers.get(i).backward(d);
    }
    optimizer.step(trainable);
    zeroGrads(all);
    return l;
  }

  private boolean fused(Layer last) {
    return last instanceof HasActivation && ((HasActivation) last).activation() == Activation.SOFTMAX
        && loss.fusesWithSoftmax();
  }

  private Tensor forwardAll(Tensor x, boolean training) {
    Tensor t = x;
    for (Layer l : layers) {
      t = l.forward(t, training);
    }
    Tensor.requireShape(describe() + ": output of the last layer", t, outputShape().prepend(x.dim(0)));
    return t;
  }

  private Map<String, Double> currentLogs(double meanLoss) {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", meanLoss);
    for (Metric m : metrics) {
      logs.put(m.name(), m.result());
    }
    return logs;
  }

  private void resetMetrics() {
    for (Metric m : metrics) {
      m.reset();
    }
  }

  private static void zeroGrads(List<Parameter> ps) {
    for (Parameter p : ps) {
      p.zeroGrad();
    }
  }

  private static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  // ---------------------------------------------------------------- evaluate / predict

  /** Loss and metrics on {@code x}, {@code y} in batches of 32. */
  public Map<String, Double> evaluate(Tensor x, Tensor y) {
    return evaluate(x, y, 32);
  }

  /** Loss and metrics on {@code x}, {@code y}: {@code {loss=..., accuracy=...}} (inference mode). */
  public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
    return evaluate(source("evaluate", x, y), batchSize);
  }

  /** Loss and metrics over a data source (inference mode). */
  public Map<String, Double> evaluate(DataSource data, int batchSize) {
    requireCompiled("evaluate");
    checkBatchSize("evaluate", batchSize);
    checkSource("evaluate", "x", data);
    return evaluate(data, range(0, data.size()), new Buffers(data, batchSize));
  }

  private Map<String, Double> evaluate(DataSource data, int[] idx, Buffers buf) {
    resetMetrics();
    double lossSum = 0;
    for (int from = 0; from < idx.length; from += buf.batchSize) {
      int to = Math.min(from + buf.batchSize, idx.length);
      Batch batch = buf.get(to - from);
      data.fill(idx, from, to, batch.x, batch.y);
      Tensor out = forwardAll(batch.x, false);
      lossSum += (double) loss.compute(out, batch.y, null) * (to - from);
      for (Metric m : metrics) {
        m.update(out, batch.y);
      }
    }
    Map<String, Double> r = currentLogs(lossSum / idx.length);
    resetMetrics();
    return r;
  }

  /** Outputs for {@code x (n, ...input shape)} in batches of 32. */
  public Tensor predict(Tensor x) {
    return predict(x, 32);
  }

  /** A new tensor {@code (n, ...output shape)} of the model's outputs for {@code x} (inference mode). */
  public Tensor predict(Tensor x, int batchSize) {
    checkBatchSize("predict", batchSize);
    checkX("predict", x);
    if (layers.isEmpty()) {
      throw new IllegalStateException(describe() + ".predict: the model has no layers");
    }
    int n = x.dim(0);
    Shape out = outputShape();
    Tensor result = Tensor.zeros(out.prepend(n));
    int xs = inputShape.size();
    int os = out.size();
    Tensor full = null;
    for (int from = 0; from < n; from += batchSize) {
      int cnt = Math.min(batchSize, n - from);
      Tensor xb;
      if (cnt == batchSize) {
        full = full == null ? Tensor.zeros(inputShape.prepend(batchSize)) : full;
        xb = full;
      } else {
        xb = Tensor.zeros(inputShape.prepend(cnt)); // the one smaller last batch
      }
      System.arraycopy(x.data(), from * xs, xb.data(), 0, cnt * xs);
      Tensor y = forwardAll(xb, false);
      System.arraycopy(y.data(), 0, result.data(), from * os, cnt * os);
    }
    return result;
  }

  /**
   * The predicted class of each sample: the arg-max of its output vector (first index on ties), or,
   * for a single output unit (a sigmoid), 1 when it is above 0.5.
   */
  public int[] predictClasses(Tensor x) {
    Tensor p = predict(x);
    Shape out = outputShape();
    if (out.rank() != 1) {
      throw new IllegalStateException(describe() + ".predictClasses: needs one output vector per sample, but the"
          + " output shape is " + out);
    }
    int k = out.dim(0);
    int n = p.dim(0);
    int[] classes = new int[n];
    float[] d = p.data();
    for (int i = 0; i < n; i++) {
      int off = i * k;
      if (k == 1) {
        classes[i] = d[off] > 0.5f ? 1 : 0;
        continue;
      }
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (d[off + c] > d[off + best]) {
          best = c;
        }
      }
      classes[i] = best;
    }
    return classes;
  }

  // ---------------------------------------------------------------- saving

  /**
   * Writes the model to a zip: {@code metadata.json} (format version, library version, date,
   * parameter count), {@code config.json} (name, seed, input shape, each layer's type, name and
   * config) and {@code model.safetensors} (the weights, readable by numpy/PyTorch). The file is
   * written to a temporary file in the same directory and moved into place, so a failed save never
   * leaves a partial file. A model compiled with SGD or Adam also gets {@code optimizer.json} and
   * {@code optimizer.safetensors}: the optimizer's hyper-parameters, step count and state (momentum,
   * moments), so training can go on exactly where it stopped:
   * {@code Sequential m = Sequential.load(file); m.compile(m.optimizer(), loss, metrics); m.fit(...)}.
   * The loss and metrics are not saved.
   */
  public void save(Path file) throws IOException {
    ModelFile.save(this, file);
  }

  /**
   * Reads a model written by {@link #save}: checks the format version, re-creates each layer from
   * its type and config, builds it, and checks every tensor's name, dtype, shape and byte range
   * before copying the weights, and rebuilds the saved optimizer, if any, as {@link #optimizer()}.
   * Compile it again before training or evaluating.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static Sequential load(Path file) throws IOException {
    return ModelFile.load(file);
  }

  // ---------------------------------------------------------------- checks

  private DataSource source(String op, Tensor x, Tensor y) {
    if (x == null || y == null) {
      throw new IllegalArgumentException(describe() + "." + op + ": x and y must not be null (x="
          + (x == null ? "null" : x.shape()) + ", y=" + (y == null ? "null" : y.shape()) + ")");
    }
    if (x.rank() < 1 || y.rank() < 1) {
      throw new IllegalArgumentException(describe() + "." + op + ": x " + x.shape() + " and y " + y.shape()
          + " need a first (sample) dimension");
    }
    if (x.dim(0) != y.dim(0)) {
      throw new IllegalArgumentException(describe() + "." + op + ": x has " + x.dim(0) + " samples " + x.shape()
          + " but y has " + y.dim(0) + " " + y.shape());
    }
    return DataSource.of(x, y);
  }

  private void checkSource(String op, String what, DataSource data) {
    if (data == null) {
      throw new IllegalArgumentException(describe() + "." + op + ": " + what + " must not be null");
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException(describe() + "." + op + ": " + what + " has no samples");
    }
    checkSampleShape(op, what, data.sampleShape(), null);
  }

  private void checkX(String op, Tensor x) {
    if (x == null) {
      throw new IllegalArgumentException(describe() + "." + op + ": x must not be null");
    }
    if (x.rank() < 1 || x.dim(0) == 0) {
      throw new IllegalArgumentException(describe() + "." + op + ": x " + x.shape() + " has no samples");
    }
    checkSampleShape(op, "x", x.shape().dropFirst(), x.shape());
  }

  /** Builds from the data's sample shape if needed, else checks it equals the input shape. */
  private void checkSampleShape(String op, String what, Shape sample, Shape whole) {
    if (inputShape == null) {
      setInputShape(sample);
      return;
    }
    if (!sample.equals(inputShape)) {
      throw new IllegalArgumentException(describe() + "." + op + ": " + what + " has samples of shape " + sample
          + (whole == null ? "" : " (" + what + " is " + whole + ")") + " but the model's input shape is "
          + inputShape);
    }
  }

  private void checkBatchSize(String op, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(describe() + "." + op + ": batchSize must be >= 1, got " + batchSize);
    }
  }

  private void requireCompiled(String op) {
    if (optimizer == null || loss == null) {
      throw new IllegalStateException(describe() + "." + op
          + ": the model is not compiled; call compile(optimizer, loss, metrics...) first");
    }
  }

  private void requireBuilt(String op) {
    if (inputShape == null) {
      throw new IllegalStateException(describe() + "." + op + ": the input shape is not known yet; declare it with"
          + " input(...) or an InputLayer, or call fit/predict first");
    }
  }

  private String describe() {
    return "Sequential '" + name + "'";
  }

  /** {@code Sequential 'sequential' [conv2d (Conv2D), dense (Dense)], 34,826 params}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(describe()).append(" [");
    for (int i = 0; i < layers.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(layers.get(i).name()).append(" (").append(layers.get(i).typeName()).append(')');
    }
    return sb.append("], ").append(String.format(Locale.ROOT, "%,d", countParams())).append(" params").toString();
  }

  // ---------------------------------------------------------------- batch buffers

  /** The tensors of one batch, allocated once per batch size and reused. */
  /** The dLoss/dOutput buffer reused by {@link #trainOnBatch} while the batch size stays the same. */
  private Tensor trainOnBatchGrad;

  private static final class Batch {
    final Tensor x;
    final Tensor y;
    Tensor grad;

    Batch(Tensor x, Tensor y) {
      this.x = x;
      this.y = y;
    }

    /** dLoss/dOutput buffer {@code (batch, ...output shape)}. */
    Tensor grad(Shape out) {
      if (grad == null) {
        grad = Tensor.zeros(out.prepend(x.dim(0)));
      }
      return grad;
    }
  }

  /** A full-size batch and, if the data does not divide evenly, one smaller last batch. */
  private static final class Buffers {
    final DataSource data;
    final int batchSize;
    private Batch full;
    private Batch tail;

    Buffers(DataSource data, int batchSize) {
      this.data = data;
      this.batchSize = batchSize;
    }

    Batch get(int n) {
      if (n == batchSize) {
        return full = full != null ? full : alloc(n);
      }
      if (tail == null || tail.x.dim(0) != n) {
        tail = alloc(n);
      }
      return tail;
    }

    private Batch alloc(int n) {
      return new Batch(Tensor.zeros(data.sampleShape().prepend(n)), Tensor.zeros(data.targetShape().prepend(n)));
    }
  }
}
