package dev.neurona.layers.model;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.SplitMix;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.saving.LayerRegistry;
import dev.neurona.layers.saving.ModelFile;
import dev.neurona.layers.saving.ModelFormatException;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.Gradients;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.NonFiniteOutputException;
import dev.neurona.layers.training.Trainer;
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
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * A stack of layers trained as in Keras:
 * <pre>{@code
 * Sequential model = new Sequential(
 *     new InputLayer(28, 28, 1),
 *     new Conv2D(32, 3, "relu"), new MaxPool2D(2), new Flatten(), new Dense(10, "softmax"));
 * System.out.println(model.summary());
 * model.compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
 * History h = model.fit(xTrain, yTrain, Fit.defaults().epochs(10).batchSize(128).validationSplit(0.1).verbose(true));
 * Map<String, Double> scores = model.evaluate(xTest, yTest);
 * model.save(Path.of("mnist.zip"));
 * }</pre>
 *
 * <p>The model holds its layers, their names and weights; training is its {@link Trainer}'s and
 * the file format {@link ModelFile}'s. Each layer is built as soon as its input shape is known:
 * when added after {@link #input} (or an {@link InputLayer}), or at the first {@code fit} or
 * {@code predict}, from the data. Unnamed layers are named Keras-style: {@code conv2d},
 * {@code conv2d_1}, {@code dense}, ...
 *
 * <p>Any layer's output is at hand, as in Keras' {@code Model(inputs, model.layers[i].output)}:
 * {@link #upTo} gives a sub-model over the same layer objects (and so the same weights), and
 * {@link #outputs} every layer's output in one pass. {@link #classNames(List)} names the output
 * columns and {@link #metadata(String, String)} keeps free-form entries; both are saved in the
 * model file, so a loaded model can say what it predicts.
 *
 * <p>One seed (default {@value #DEFAULT_SEED}) drives everything random: layer {@code i} is built
 * with a seed mixed from it and {@code i} (weights, dropout masks), and the shuffling is derived
 * from it unless {@link Fit#seed} says otherwise; the same seed gives the same bits for any thread
 * count.
 *
 * <p><b>Threads.</b> Once built, a model can serve any number of threads at once:
 * {@link #predict(Tensor)}, {@link #predict(float[])}, {@link #predictClasses} and {@link #evaluate}
 * may be called concurrently, and each call returns exactly the bits it would return alone. Each
 * call runs the layers' {@link Layer#infer inference pass} with a workspace of its own (kept in a
 * small pool, so a serving thread allocates nothing after its first call) and only reads the
 * weights; the calls share a read lock and never wait for each other. (The kernels share the library's one thread team,
 * {@link dev.neurona.core.Parallel}: a loop started while another thread's loop has the team runs on
 * its caller's thread alone, with the same bits.) Concurrent evaluations read their data sources
 * from their own threads, which the in-memory ones allow. Training is one call at a time: a second
 * {@code fit}, {@code trainOnBatch} or {@code gradients} on another thread while one runs throws
 * {@link IllegalStateException} naming the thread that trains.
 *
 * <p>Training while other threads predict is allowed, and every prediction sees the weights of one
 * step, never a mix: each train step (forward, backward, optimizer update) holds the write lock of
 * {@link #weightsLock()}, each prediction or evaluation call its read lock, for the whole call. So
 * a step waits for the predictions running when it starts, and a prediction started during a step
 * waits for it to end (the lock is fair: neither side starves). {@link #setWeights} takes the write
 * lock too; {@link #getWeights} and {@link #save} the read lock. Changing weights by hand (through
 * {@link Parameter#value()}) while other threads predict is safe only under the write lock. Adding
 * layers, renaming, or compiling while other threads use the model is not supported: build and
 * compile it first, then share it.
 *
 * <p><b>Finite by construction.</b> {@code predict}, {@code predictClasses} and {@code evaluate}
 * never return a NaN or infinite output (nor a loss averaged over one): they throw
 * {@link NonFiniteOutputException}, naming the first layer whose output was not finite and its
 * first non-finite weight. {@code fit} and {@code trainOnBatch} stop with
 * {@link dev.neurona.layers.training.NonFiniteLossException} when a batch's loss is not finite, and
 * with {@link dev.neurona.layers.training.NonFiniteGradientException} when its gradients are not
 * (or their squares overflow float): SGD and Adam check them before changing anything, so the
 * weights and the optimizer's state keep their values from before that batch.
 */
public final class Sequential {
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42L;

  private String name = "sequential";
  private long seed = DEFAULT_SEED;
  /** Written once the layers are built (volatile: a thread that sees it sees built layers). */
  private volatile Shape inputShape;
  private final List<Layer> layers = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  /**
   * Train steps and weight changes hold its write lock; predictions, evaluations and saves its read
   * lock. A sub-model from {@link #upTo} shares its model's lock, as it shares its layers.
   */
  private final ReentrantReadWriteLock weightsLock;
  private final Trainer trainer = new Trainer(this);
  /** The names of the output columns, saved with the model; empty when not set. */
  private volatile List<String> classNames = List.of();
  /** Free-form key/value pairs saved with the model, in insertion order; guarded by {@code this}. */
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** An empty model; add layers with {@link #add}. */
  public Sequential() {
    this.weightsLock = new ReentrantReadWriteLock(true);
  }

  /** A model with these layers, in order; an {@link InputLayer} first declares the input shape. */
  public Sequential(Layer... layers) {
    this(DEFAULT_SEED, layers);
  }

  /** A model with this seed and these layers. */
  public Sequential(long seed, Layer... layers) {
    this.weightsLock = new ReentrantReadWriteLock(true);
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
   * Builds every layer for this per-sample input shape, as Keras' {@code build(input_shape)}; what
   * {@code fit} and {@code predict} do with the data's sample shape when no input was declared.
   *
   * @throws IllegalArgumentException when another input shape is already declared
   */
  public synchronized Sequential build(Shape inputShape) {
    if (inputShape == null) {
      throw new IllegalArgumentException(describe() + ".build: inputShape must not be null");
    }
    if (this.inputShape != null && !this.inputShape.equals(inputShape)) {
      throw new IllegalArgumentException(describe() + ": input shape is already " + this.inputShape + ", cannot declare "
          + inputShape);
    }
    if (this.inputShape == null) {
      // Layers first, then the shape: a thread that sees the shape (predict checks it) sees them built.
      buildFrom(0, inputShape);
      this.inputShape = inputShape;
    }
    return this;
  }

  /**
   * Appends a layer, names it if it has no name, and builds it if the input shape is known. An
   * {@link InputLayer} declares the input shape instead of becoming a layer.
   */
  public synchronized Sequential add(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException(describe() + ": cannot add a null layer (after " + layers.size() + " layers)");
    }
    if (layer instanceof InputLayer) {
      return build(((InputLayer) layer).shape());
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
    if (inputShape != null) {
      try {
        buildFrom(layers.size() - 1, layers.size() == 1 ? inputShape : layers.get(layers.size() - 2).outputShape());
      } catch (RuntimeException e) {
        layers.remove(layers.size() - 1);
        names.remove(n);
        throw e;
      }
    }
    return this;
  }

  /** Builds layers {@code from..} in order: layer {@code from} for {@code in}, each next one from the previous one's output shape. */
  private void buildFrom(int from, Shape in) {
    for (int i = from; i < layers.size(); i++) {
      Layer l = layers.get(i);
      l.build(in, layerSeed(i));
      in = l.outputShape();
    }
    markInputGradients();
  }

  /**
   * Tells each layer whether the backward pass needs its dInput: only when a layer before it has
   * parameters (they are known once the layers are built). So the first layer skips it, and so does
   * the first convolution after parameter-free preprocessing (Rescaling, the augmentation layers),
   * where it would cost more than the kernel gradient: the flowers network's first convolution
   * (180×180×3 → 16) took 55 ms of backward per batch of 32 with it and 24 without
   * ({@code LayerProfile flowers 32 10}, JDK 25, 2 threads). {@link Trainer#gradients} asks every layer
   * for it while it computes the gradient with respect to the input.
   */
  private void markInputGradients() {
    boolean wanted = false;
    for (Layer l : layers) {
      l.setNeedsInputGradient(wanted);
      wanted |= !l.parameters().isEmpty();
    }
  }

  /** Layer {@code i}'s seed: a SplitMix64 mix of the model seed and the index. */
  long layerSeed(int index) {
    return SplitMix.at(seed, index);
  }

  private String uniqueName(String base) {
    String n = base;
    for (int i = 1; names.contains(n); i++) {
      n = base + "_" + i;
    }
    return n;
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

  /**
   * Whether layer {@code i} is a convolution that training runs together with the max pooling after it
   * ({@link Conv2D#fusesMaxPoolBackward}): {@link #forwardForBackward} and {@link #backwardFrom} take
   * the pair in one call each way.
   */
  public boolean trainsWithNext(int i) {
    return i + 1 < layers.size() && layers.get(i) instanceof Conv2D
        && ((Conv2D) layers.get(i)).fusesMaxPoolBackward(layers.get(i + 1));
  }

  /**
   * Forward as training runs it, keeping what {@link #backwardFrom} needs: each layer's
   * {@link Layer#forward}, except that a convolution and the max pooling after it that backwardFrom
   * takes together go forward together too ({@link Conv2D#forwardMaxPool}: the same bits, without
   * storing the convolution's output).
   *
   * @param training as in {@link Layer#forward} (dropout and augmentation active)
   * @return the last layer's output
   */
  public Tensor forwardForBackward(Tensor x, boolean training) {
    Tensor t = x;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (trainsWithNext(i)) {
        t = ((Conv2D) l).forwardMaxPool(t, (MaxPool2D) layers.get(++i));
      } else {
        t = l.forward(t, training);
      }
    }
    return t;
  }

  /**
   * Backward as training runs it, from {@code d}, dLoss/dOutput of layer {@code last}, down to layer 0:
   * each layer's {@link Layer#backward}, except that a convolution and the max pooling after it go
   * backward together ({@link Conv2D#backwardMaxPool}: the same bits, without writing the pooling's
   * dInput). Stops where a layer returns null (no layer below it needs its dInput).
   *
   * @return dLoss/dInput of layer 0 when every layer was asked for it, else null
   */
  public Tensor backwardFrom(int last, Tensor d) {
    for (int i = last; i >= 0 && d != null; i--) {
      Layer l = layers.get(i);
      if (i > 0 && trainsWithNext(i - 1)) {
        d = ((Conv2D) layers.get(--i)).backwardMaxPool((MaxPool2D) l, d);
      } else {
        d = l.backward(d);
      }
    }
    return d;
  }

  /** The layer called {@code name}. */
  public Layer layer(String name) {
    List<String> all = new ArrayList<>();
    for (Layer l : layers) {
      if (l.name().equals(name)) {
        return l;
      }
      all.add(l.name());
    }
    throw new IllegalArgumentException(describe() + " has no layer named '" + name + "'; it has " + all);
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

  // ---------------------------------------------------------------- intermediate outputs

  /** A sub-model over {@code parent}'s layers {@code 0..last}: the same objects, the same weights lock. */
  private Sequential(Sequential parent, int last) {
    this.weightsLock = parent.weightsLock;
    Layer end = parent.layers.get(last);
    this.name = parent.name + "_to_" + end.name();
    this.seed = parent.seed;
    for (int i = 0; i <= last; i++) {
      Layer l = parent.layers.get(i);
      layers.add(l);
      names.add(l.name());
    }
    this.inputShape = parent.inputShape;
  }

  /**
   * A model whose layers are this model's first layers, up to and including layer {@code index}
   * (0-based, in {@link #layers()} order): Keras' {@code Model(inputs=model.inputs,
   * outputs=model.layers[index].output)}. Its {@code predict(x)} is that layer's output for
   * {@code x}:
   * <pre>{@code
   * Sequential features = model.upTo(1);               // conv2d, max_pool2d
   * Tensor maps = features.predict(letter);            // (1, 10, 10, 20): what the first pooling gives
   * }</pre>
   *
   * <p>The sub-model shares the layers themselves, so it has no weights of its own: a change to the
   * weights of either model (training, {@link #setWeights}) is seen by both. It also shares this
   * model's {@link #weightsLock()}, so predictions on it are as safe beside this model's training as
   * predictions on this model are: each sees the weights of one step. It starts uncompiled, with this
   * model's seed and input shape, no class names and no metadata, and is named
   * {@code <model>_to_<layer>}. Layers may be added to it (they are its own); do not train it and
   * this model at the same time on different threads, as their layers are the same objects.
   *
   * @param index the last layer to keep, in {@code [0, layers().size())}
   * @return the sub-model
   * @throws IllegalStateException when the model is not built yet (its layers have no weights)
   * @throws IllegalArgumentException when {@code index} is not a layer's index, naming the layers
   */
  public synchronized Sequential upTo(int index) {
    if (index < 0 || index >= layers.size()) {
      throw new IllegalArgumentException(describe() + ".upTo: layer index " + index + " is not in [0, " + layers.size()
          + "); the layers are " + layerList());
    }
    requireBuilt("upTo");
    return new Sequential(this, index);
  }

  /**
   * {@link #upTo(int)} for the layer called {@code layerName}: the sub-model ends with that layer.
   *
   * @throws IllegalArgumentException when no layer has that name, naming the layers there are
   */
  public synchronized Sequential upTo(String layerName) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(layerName)) {
        return upTo(i);
      }
    }
    throw new IllegalArgumentException(describe() + ".upTo: no layer is named '" + layerName + "'; the layers are "
        + layerList());
  }

  /** {@link #outputs(Tensor, int)} in batches of 32. */
  public List<Tensor> outputs(Tensor x) {
    return trainer.outputs(x, 32);
  }

  /**
   * Every layer's output for {@code x (n, ...input shape)}, in one inference pass: element {@code i}
   * is a new tensor {@code (n, ...layers().get(i).outputShape())}, the output of layer {@code i},
   * bit for bit what {@code upTo(i).predict(x, batchSize)} returns. The last element is
   * {@code predict(x, batchSize)}. Safe from any number of threads at once, as {@code predict} is;
   * it keeps all the outputs, so mind the memory for a large {@code x}.
   *
   * @throws NonFiniteOutputException when an output is NaN or infinite, naming the first layer whose output was
   */
  public List<Tensor> outputs(Tensor x, int batchSize) {
    return trainer.outputs(x, batchSize);
  }

  private List<String> layerList() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      all.add(i + ": " + layers.get(i).name() + " (" + layers.get(i).typeName() + ")");
    }
    return all;
  }

  private void requireBuilt(String op) {
    if (inputShape == null) {
      throw new IllegalStateException(describe() + "." + op + ": the input shape is not known yet, so the layers have no"
          + " weights; declare it with input(...) or an InputLayer, or call fit/predict first");
    }
  }

  // ---------------------------------------------------------------- weights

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
    return parameters().stream().filter(Parameter::trainable).collect(Collectors.toList());
  }

  /** Total number of scalar weights. */
  public long countParams() {
    return layers.stream().mapToLong(Layer::parameterCount).sum();
  }

  /** Copies of every weight, in {@link #parameters()} order (for {@link #setWeights}), all from one step (read lock). */
  public List<Tensor> getWeights() {
    weightsLock.readLock().lock();
    try {
      return parameters().stream().map(p -> p.value().copy()).collect(Collectors.toList());
    } finally {
      weightsLock.readLock().unlock();
    }
  }

  /**
   * Copies {@code weights} (as returned by {@link #getWeights}) into the model's parameters, under
   * the write lock of {@link #weightsLock()}: predictions running on other threads see the old
   * weights or the new ones, never a mix.
   */
  public void setWeights(List<Tensor> weights) {
    List<Parameter> ps = parameters();
    if (weights == null || weights.size() != ps.size()) {
      throw new IllegalArgumentException(describe() + ".setWeights: expected " + ps.size() + " tensors, got "
          + (weights == null ? "null" : weights.size()));
    }
    for (int i = 0; i < ps.size(); i++) {
      Tensor.requireShape("setWeights: tensor " + i + " for '" + ps.get(i).name() + "'", weights.get(i), ps.get(i).shape());
    }
    Lock write = writeLock("setWeights");
    try {
      for (int i = 0; i < ps.size(); i++) {
        ps.get(i).value().copyFrom(weights.get(i));
      }
    } finally {
      write.unlock();
    }
  }

  /**
   * The lock that keeps predictions from seeing a half-changed set of weights. Train steps and
   * {@link #setWeights} hold its write lock; {@code predict}, {@code predictClasses},
   * {@code evaluate}, {@link #getWeights} and {@link #save} hold its read lock, each for its whole
   * call. It is fair, so a stream of predictions cannot starve training, nor training predictions.
   * Hold its write lock to change weights by hand while other threads may predict; a thread that
   * holds its read lock must not train (that would wait for itself), and the training calls throw
   * {@link IllegalStateException} instead.
   *
   * @return the model's read-write lock for its weights
   */
  public ReentrantReadWriteLock weightsLock() {
    return weightsLock;
  }

  /** Takes the write lock for {@code op}, or throws if this thread holds the read lock (it would wait forever). */
  private Lock writeLock(String op) {
    if (weightsLock.getReadHoldCount() > 0) {
      throw new IllegalStateException(describe() + "." + op + ": this thread holds the read lock of weightsLock()"
          + " (inside a prediction?), so it cannot change the weights");
    }
    Lock write = weightsLock.writeLock();
    write.lock();
    return write;
  }

  // ---------------------------------------------------------------- metadata saved with the model

  /**
   * Most characters that the class names and the metadata keys and values may hold together
   * (262,144): what {@link #save} writes must stay far below the size a model file's JSON may have.
   */
  public static final int MAX_METADATA_CHARS = 1 << 18;
  /** Most metadata entries a model may carry (1,024). */
  public static final int MAX_METADATA_ENTRIES = 1 << 10;
  /** Longest class name (1,024 characters). */
  public static final int MAX_CLASS_NAME_CHARS = 1 << 10;
  /** A metadata key: 1 to 128 of {@code A-Z a-z 0-9 _ . -}. */
  private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  /**
   * Names the model's output columns, so that a saved model says what it predicts: column {@code k}
   * of {@link #predict} is class {@code names.get(k)}. Saved with the model and read back by
   * {@link #load}:
   * <pre>{@code
   * model.classNames(folder.classNames());   // [daisy, dandelion, roses, sunflowers, tulips]
   * model.save(file);
   * Sequential.load(file).classNames();      // the same list
   * }</pre>
   *
   * <p>The names must be distinct, each 1 to {@value #MAX_CLASS_NAME_CHARS} characters; when the
   * output shape is known, there must be as many as the last dimension of the output, or two for a
   * single output unit (a sigmoid's "no" and "yes"). {@link #save} checks that count again. An empty
   * list removes the names.
   *
   * @param names the names, in column order
   * @return this model
   * @throws IllegalArgumentException naming the offending name, or the counts that differ
   */
  public Sequential classNames(List<String> names) {
    if (names == null) {
      throw new IllegalArgumentException(describe() + ".classNames: names must not be null (an empty list removes them)");
    }
    List<String> copy = new ArrayList<>(names.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isEmpty() || n.length() > MAX_CLASS_NAME_CHARS) {
        throw new IllegalArgumentException(describe() + ".classNames: class " + i + " must have 1 to "
            + MAX_CLASS_NAME_CHARS + " characters, got " + (n == null ? "null" : n.isEmpty() ? "an empty name"
            : n.length() + " characters ('" + n.substring(0, 40) + "…')"));
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException(describe() + ".classNames: class '" + n + "' is named twice (" + i
            + " and " + copy.indexOf(n) + ")");
      }
      copy.add(n);
    }
    Shape out = outputShape();
    if (!copy.isEmpty() && out != null && !classCountFits(out, copy.size())) {
      throw new IllegalArgumentException(describe() + ".classNames: " + copy.size() + " names for the output shape " + out
          + ": expected " + out.dim(out.rank() - 1) + " (the last dimension)" + (out.dim(out.rank() - 1) == 1
          ? " or 2 (no, yes)" : ""));
    }
    synchronized (this) {
      checkBudget("classNames", copy, metadata);
      classNames = List.copyOf(copy);
    }
    return this;
  }

  /** The names of the output columns set by {@link #classNames(List)} or read by {@link #load}; empty when none. */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * Whether {@code count} class names fit the output shape {@code out}: as many as its last
   * dimension, or two for a single unit (the saving code checks saved names with the same rule).
   */
  private static boolean classCountFits(Shape out, int count) {
    int k = out.rank() == 0 ? 1 : out.dim(out.rank() - 1);
    return count == k || (k == 1 && count == 2);
  }

  /**
   * Sets a free-form entry saved with the model (in {@code metadata.json}) and read back by
   * {@link #load}: what produced it, how its inputs must be prepared, a label encoder's settings.
   * Keys are 1 to 128 of {@code A-Z a-z 0-9 _ . -}; at most {@value #MAX_METADATA_ENTRIES}
   * entries; the keys, values and class names together at most {@value #MAX_METADATA_CHARS}
   * characters.
   *
   * @param key the key
   * @param value the value; null removes the entry
   * @return this model
   * @throws IllegalArgumentException for a bad key, or when the limits would be passed
   */
  public synchronized Sequential metadata(String key, String value) {
    if (key == null || !METADATA_KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(describe() + ".metadata: key must be 1 to 128 of A-Z a-z 0-9 _ . -, got "
          + (key == null ? "null" : "'" + (key.length() > 140 ? key.substring(0, 140) + "…" : key) + "'"));
    }
    if (value == null) {
      metadata.remove(key);
      return this;
    }
    Map<String, String> next = new LinkedHashMap<>(metadata);
    next.put(key, value);
    if (next.size() > MAX_METADATA_ENTRIES) {
      throw new IllegalArgumentException(describe() + ".metadata: cannot add key '" + key + "': the model already has"
          + " the most entries allowed, " + MAX_METADATA_ENTRIES);
    }
    checkBudget("metadata", classNames, next);
    metadata.put(key, value);
    return this;
  }

  /** The value of metadata entry {@code key}, or null when there is none. */
  public synchronized String metadata(String key) {
    return metadata.get(key);
  }

  /** A copy of every metadata entry, in the order they were first set. */
  public synchronized Map<String, String> metadata() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  private void checkBudget(String op, List<String> names, Map<String, String> meta) {
    long chars = 0;
    for (String n : names) {
      chars += n.length();
    }
    for (Map.Entry<String, String> e : meta.entrySet()) {
      chars += e.getKey().length() + e.getValue().length();
    }
    if (chars > MAX_METADATA_CHARS) {
      throw new IllegalArgumentException(describe() + "." + op + ": the class names and metadata would hold " + chars
          + " characters, more than the " + MAX_METADATA_CHARS + " a model file takes");
    }
  }

  // ---------------------------------------------------------------- summary

  /**
   * A Keras-style table of the layers: name (type), output shape with {@code None} for the batch,
   * parameter count; then the total, trainable and non-trainable counts with their float32 size.
   */
  public String summary() {
    return Summary.of(this);
  }

  private String describe() {
    return "Sequential '" + name + "'";
  }

  /** {@code Sequential 'sequential' [conv2d (Conv2D), dense (Dense)], 34,826 params}. */
  @Override
  public String toString() {
    List<String> ls = new ArrayList<>();
    for (Layer l : layers) {
      ls.add(l.name() + " (" + l.typeName() + ")");
    }
    return describe() + " [" + String.join(", ", ls) + "], " + String.format(Locale.ROOT, "%,d params", countParams());
  }

  // ---------------------------------------------------------------- training: see Trainer

  /** Keras' string form: {@code compile(new Adam(), "sparse_categorical_crossentropy", "accuracy")}. */
  public Sequential compile(Optimizer optimizer, String loss, String... metrics) {
    trainer.compile(optimizer, loss, metrics);
    return this;
  }

  /** Sets the optimizer, the loss and the metrics reported by {@code fit} and {@code evaluate}. */
  public Sequential compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    trainer.compile(optimizer, loss, metrics);
    return this;
  }

  /** The compiled optimizer; for a model read by {@link #load}, the one saved with it until compiled; else null. */
  public Optimizer optimizer() {
    return trainer.optimizer();
  }

  /** Sets the optimizer without compiling, as {@link #load} does with a saved one; {@code compile} replaces it. */
  public Sequential optimizer(Optimizer optimizer) {
    trainer.optimizer(optimizer);
    return this;
  }

  /** The compiled loss, or null. */
  public Loss loss() {
    return trainer.loss();
  }

  /** The compiled metrics. */
  public List<Metric> metrics() {
    return trainer.metrics();
  }

  /** Asks a running {@code fit} to stop after the current batch (the epoch still ends normally). */
  public void stopTraining() {
    trainer.stopTraining();
  }

  /** Whether {@link #stopTraining()} was called since the current (or last) {@code fit} began. */
  public boolean stopRequested() {
    return trainer.stopRequested();
  }

  /** Forgets a stop request, as {@code fit} does when it begins (for training loops outside this module). */
  public void clearStopRequest() {
    trainer.clearStopRequest();
  }

  /** Trains on tensors {@code x (n, ...input shape)} and {@code y (n, ...)} with default options. */
  public History fit(Tensor x, Tensor y) {
    return trainer.fit(x, y, Fit.defaults());
  }

  /** Trains on tensors {@code x (n, ...input shape)} and {@code y (n, ...)}: see {@link Trainer#fit}. */
  public History fit(Tensor x, Tensor y, Fit options) {
    return trainer.fit(x, y, options);
  }

  /** Trains on a data source: see {@link Trainer#fit}. */
  public History fit(DataSource data, Fit options) {
    return trainer.fit(data, options);
  }

  /** One optimisation step on one batch, like Keras' {@code train_on_batch}: see {@link Trainer#trainOnBatch}. */
  public float trainOnBatch(Tensor x, Tensor y) {
    return trainer.trainOnBatch(x, y);
  }

  /** Loss and metrics on {@code x}, {@code y} in batches of 32. */
  public Map<String, Double> evaluate(Tensor x, Tensor y) {
    return trainer.evaluate(x, y, 32);
  }

  /** Loss and metrics on {@code x}, {@code y}: {@code {loss=..., accuracy=...}} (inference mode). */
  public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
    return trainer.evaluate(x, y, batchSize);
  }

  /** Loss and metrics over a data source (inference mode). */
  public Map<String, Double> evaluate(DataSource data, int batchSize) {
    return trainer.evaluate(data, batchSize);
  }

  /** Outputs for {@code x (n, ...input shape)} in batches of 32. */
  public Tensor predict(Tensor x) {
    return trainer.predict(x, 32);
  }

  /** A new tensor {@code (n, ...output shape)} of the model's outputs for {@code x} (inference mode). */
  public Tensor predict(Tensor x, int batchSize) {
    return trainer.predict(x, batchSize);
  }

  /**
   * The output for one sample, the single-sample form of {@link #predict(Tensor)} for serving:
   * safe to call from any number of threads at once, with no copy of the input.
   *
   * @param sample the sample's values, {@code inputShape().size()} of them in row-major (NHWC) order; not modified
   * @return a new array of the {@code outputShape().size()} outputs
   * @throws NonFiniteOutputException when an output is NaN or infinite, naming the first layer whose output was
   */
  public float[] predict(float[] sample) {
    return trainer.predict(sample);
  }

  /** The predicted class of each sample: {@link Trainer#predictClasses}. */
  public int[] predictClasses(Tensor x) {
    return trainer.predictClasses(x);
  }

  /**
   * The loss on {@code x}, {@code y} and its gradient with respect to every parameter (by dotted
   * name) and to {@code x}, changing nothing the model keeps: see {@link Trainer#gradients}.
   */
  public Gradients gradients(Tensor x, Tensor y) {
    return trainer.gradients(x, y);
  }

  // ---------------------------------------------------------------- saving: see ModelFile

  /**
   * Writes the model to a zip: config, weights (safetensors) and a resumable optimizer's state, see
   * {@link ModelFile}; {@code m = load(file); m.compile(m.optimizer(), loss); m.fit(...)} then goes on
   * exactly where training stopped. The loss and metrics are not saved. Holds the read lock of
   * {@link #weightsLock()}: saved from another thread while one trains, the file has the weights and
   * optimizer state of one step.
   */
  public void save(Path file) throws IOException {
    weightsLock.readLock().lock();
    try {
      ModelFile.save(this, file);
    } finally {
      weightsLock.readLock().unlock();
    }
  }

  /**
   * {@link #save(Path)} with {@code options}: {@code ModelFile.SaveOptions.defaults().includeOptimizer(false)}
   * leaves the optimizer's state out (Keras' {@code include_optimizer=False}), for a smaller file
   * that is only used to predict; {@link #saveWeights} writes the weights alone, without the config.
   */
  public void save(Path file, ModelFile.SaveOptions options) throws IOException {
    weightsLock.readLock().lock();
    try {
      ModelFile.save(this, file, LayerRegistry.standard(), options);
    } finally {
      weightsLock.readLock().unlock();
    }
  }

  /**
   * Reads a model written by {@link #save}, with its saved optimizer as {@link #optimizer()}, its
   * {@link #classNames()} and {@link #metadata()}; compile it before training or evaluating.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static Sequential load(Path file) throws IOException {
    return ModelFile.load(file);
  }

  /**
   * Writes only the weights, in the safetensors layout (readable from numpy or PyTorch): see
   * {@link ModelFile#saveWeights}; {@link #loadWeights} reads them back.
   */
  public void saveWeights(Path file) throws IOException {
    weightsLock.readLock().lock(); // the weights of one step, as save writes them
    try {
      ModelFile.saveWeights(this, file);
    } finally {
      weightsLock.readLock().unlock();
    }
  }

  /**
   * Reads weights written by {@link #saveWeights} into this model, whose parameters must have the
   * same names and shapes: see {@link ModelFile#loadWeights}.
   *
   * @throws ModelFormatException naming the file and what does not fit
   */
  public void loadWeights(Path file) throws IOException {
    ModelFile.loadWeights(this, file);
  }

  /**
   * {@link #load(Path)} with {@code options}: {@link ModelFile.LoadOptions#lenient()} ignores
   * config keys this version does not know, to read a file a newer Neurona wrote.
   *
   * @throws ModelFormatException naming the file and what is wrong with it
   */
  public static Sequential load(Path file, ModelFile.LoadOptions options) throws IOException {
    return ModelFile.load(file, LayerRegistry.standard(), options);
  }
}
