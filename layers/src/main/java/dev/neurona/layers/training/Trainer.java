package dev.neurona.layers.training;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Shuffle;
import dev.neurona.core.SplitMix;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.Activation;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.Layer;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Batches.Batch;
import dev.neurona.optim.NonFiniteParameterException;
import dev.neurona.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The training side of a {@link Sequential} model, as Keras' {@code Trainer}: what {@code compile}
 * set (optimizer, loss, metrics) and the loops that use it: {@link #fit}, {@link #trainOnBatch},
 * {@link #evaluate}, {@link #predict}. Every model creates its own and delegates those methods to
 * it; there is no need to create another.
 *
 * <p>{@code fit} reads as Keras' does: for each epoch, shuffle; for each batch, one train step
 * (forward in training mode, loss, backward, optimizer step, zeroed gradients) and the batch
 * callbacks; then validation and the epoch callbacks.
 *
 * <p>Threads: {@link #predict}, {@link #predictClasses} and {@link #evaluate} may run on any number
 * of threads at once (see {@link Inference}); each evaluation counts its metrics in its own copies
 * ({@link Metric#fresh()}). Training ({@link #fit}, {@link #trainOnBatch}, {@link #gradients}) is one
 * call at a time, since the layers keep their activations and gradients in reused buffers; a second
 * one on another thread throws {@link IllegalStateException}. Each train step holds the write lock
 * of {@link Sequential#weightsLock()}, so predictions on other threads see the weights of one step.
 */
public final class Trainer {
  private final Sequential model;
  private Optimizer optimizer;
  private Loss loss;
  private final List<Metric> metrics = new ArrayList<>();
  private volatile boolean stopRequested;
  /** Counts {@code fit} calls: each one shuffles with its own seed derived from the model's. */
  private int fitCount;
  /** The dLoss/dOutput buffer {@link #trainOnBatch} reuses while the batch size stays the same. */
  private Tensor trainOnBatchGrad;
  private final Inference inference;
  /** The thread running fit, trainOnBatch or gradients (null when none); {@link #trainingDepth} counts its nested calls. */
  private final AtomicReference<Thread> trainingThread = new AtomicReference<>();
  private int trainingDepth;
  /** Held while a metric that cannot be copied ({@link Metric#fresh()} null) is in use: by evaluate, and by training. */
  private final ReentrantLock sharedMetrics = new ReentrantLock();
  private boolean metricsShared;

  /** The trainer of {@code model} (which creates its own). */
  public Trainer(Sequential model) {
    if (model == null) {
      throw new IllegalArgumentException("Trainer: model must not be null");
    }
    this.model = model;
    this.inference = new Inference(model);
  }

  // ---------------------------------------------------------------- compile

  /**
   * Keras' string form: {@code compile(new Adam(), "sparse_categorical_crossentropy", "accuracy")}.
   * Names are resolved by {@link Losses#of} and {@link Metrics#of} ({@code "accuracy"} picks the
   * variant that fits the loss).
   */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    Loss l = Losses.of(loss);
    Metric[] m = new Metric[metrics == null ? 0 : metrics.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = Metrics.of(metrics[i], l.name());
    }
    compile(optimizer, l, m);
  }

  /** Sets the optimizer, the loss and the metrics reported by {@code fit} and {@code evaluate}. */
  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
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
    this.metricsShared = metricCopies() == null;
  }

  /** The optimizer set by {@code compile} or {@link #optimizer(Optimizer)}, or null. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Sets the optimizer without compiling (a loaded model's saved one); {@code compile} replaces it. */
  public void optimizer(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException(describe() + ".optimizer: optimizer must not be null");
    }
    this.optimizer = optimizer;
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

  /**
   * Forgets a stop request, as {@code fit} does when it begins: for a training loop of another
   * module (the Spark trainer) that runs callbacks such as {@link EarlyStopping}.
   */
  public void clearStopRequest() {
    stopRequested = false;
  }

  /** Trains on tensors {@code x (n, ...input shape)} and {@code y (n, ...)}. */
  public History fit(Tensor x, Tensor y, Fit options) {
    return fit(source("fit", x, y), options);
  }

  /**
   * Trains the model: for each epoch, shuffle (if asked), then per batch one train step (forward
   * in training mode, loss, backward, one optimizer step, zeroed gradients) and the batch
   * callbacks; then validation and the epoch callbacks.
   *
   * <p>With a {@link BackupAndRestore} among the callbacks, the training state is backed up after
   * each epoch's callbacks, and a backup found when the fit begins (right after
   * {@link Callback#onTrainBegin}) is resumed from: the epochs it holds are skipped, their shuffles
   * replayed, and training goes on bit for bit as if it had never stopped.
   *
   * @throws NonFiniteLossException when a batch's loss is NaN or infinite (with the history so far)
   * @throws NonFiniteGradientException when a batch's gradients are not finite (or their squares
   *     overflow): the optimizer refused the step, so the weights and its state are those from before
   *     that batch (with the history so far)
   * @throws NonFiniteOutputException when a validation output is NaN or infinite
   * @throws IllegalStateException when another thread is training the model
   */
  public History fit(DataSource data, Fit options) {
    try (TrainingCall call = beginTraining("fit")) {
      return runFit(data, options);
    }
  }

  private History runFit(DataSource data, Fit options) {
    if (options == null) {
      throw new IllegalArgumentException(describe() + ".fit: options must not be null (use Fit.defaults())");
    }
    requireCompiled("fit");
    checkSource("fit", "x", data);
    requireLayers("fit");
    Split split = split(data, options);
    int batchSize = options.batchSize();
    int steps = (split.train.length + batchSize - 1) / batchSize;
    int epochs = options.epochs();
    long shuffleSeed = shuffleSeed(options);
    CallbackList callbacks = new CallbackList(options);
    BackupAndRestore backup = callbacks.backup();
    if (backup != null && !optimizer.isResumable()) {
      throw new IllegalStateException(describe() + ".fit: BackupAndRestore cannot save the state of the optimizer "
          + optimizer + "; use SGD or Adam");
    }
    List<Parameter> trainable = model.trainableParameters();
    List<Parameter> all = model.parameters();
    zeroGrads(all);
    Batches trainBatches = new Batches(data, batchSize);
    Batches valBatches = split.valData == null ? null : new Batches(split.valData, batchSize);
    History history = new History();
    stopRequested = false;

    FitInfo info = new FitInfo(epochs, steps, batchSize, split.train.length, split.val.length);
    callbacks.onTrainBegin(model, info);
    int initialEpoch = 0;
    boolean stoppedBefore = false;
    TrainingState resumed = backup == null ? null : backup.restore(model, info, options, callbacks.all());
    if (resumed != null) {
      shuffleSeed = resumed.shuffleSeed();
      fitCount = resumed.fitCount();
      initialEpoch = resumed.epoch();
      stoppedBefore = stopRequested = resumed.stopped();
    }
    Random rng = new Random(shuffleSeed);
    for (int e = 0; e < initialEpoch && options.shuffle(); e++) {
      Shuffle.shuffle(split.train, rng); // replays the shuffles of the epochs restored: the same order and generator state
    }
    for (int epoch = initialEpoch; epoch < epochs && !stoppedBefore; epoch++) {
      long t0 = System.nanoTime();
      if (options.shuffle()) {
        Shuffle.shuffle(split.train, rng);
      }
      callbacks.onEpochBegin(epoch);
      resetMetrics();
      double lossSum = 0;
      long seen = 0;
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int b = 0; b < steps; b++) {
        int from = b * batchSize;
        int to = Math.min(from + batchSize, split.train.length);
        float l;
        try {
          l = trainStep(trainBatches.fill(split.train, from, to), trainable, all);
        } catch (NonFiniteParameterException e) {
          throw refused(e, ".fit: at epoch " + (epoch + 1) + "/" + epochs + ", batch " + (b + 1) + "/" + steps
              + " (counting from 1), with " + history.epochs() + " completed epoch(s) in the exception's history()",
              history, epoch, b);
        }
        if (!Float.isFinite(l) && callbacks.has(TerminateOnNaN.class)) {
          // Keras' TerminateOnNaN: the batch's logs show the loss, the epoch ends here, training stops gracefully.
          callbacks.onBatchEnd(epoch, b, Collections.unmodifiableMap(logs = currentLogs(l)));
          break;
        }
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
        callbacks.onBatchEnd(epoch, b, Collections.unmodifiableMap(logs));
        if (stopRequested) {
          break;
        }
      }
      if (split.valData != null) {
        for (Map.Entry<String, Double> e : evaluate(split.valData, split.val, valBatches, "fit (validation)").entrySet()) {
          logs.put("val_" + e.getKey(), e.getValue());
        }
      }
      history.addEpoch(epoch, logs, (System.nanoTime() - t0) / 1e9);
      callbacks.onEpochEnd(epoch, Collections.unmodifiableMap(logs));
      if (backup != null) {
        backup.save(model, BackupAndRestore.capture(model, epoch + 1, stopRequested, fitCount, shuffleSeed,
            options.shuffle(), info, callbacks.all()));
      }
      if (stopRequested) {
        break;
      }
    }
    callbacks.onTrainEnd(history);
    zeroGrads(all);
    return history;
  }

  /** The training samples (in order, shuffled in place each epoch) and the validation source and samples. */
  private record Split(int[] train, DataSource valData, int[] val) {}

  /**
   * Keras' rules: {@code validationData} is used as given; {@code validationSplit} holds out the
   * last fraction of the samples, taken before shuffling.
   */
  private Split split(DataSource data, Fit options) {
    int n = data.size();
    DataSource val = options.validationData();
    if (val != null) {
      if (options.validationSplit() > 0) {
        throw new IllegalArgumentException(describe() + ".fit: give validationSplit (" + options.validationSplit()
            + ") or validationData, not both");
      }
      checkSource("fit", "validation data", val);
      if (!val.targetShape().equals(data.targetShape())) {
        throw new IllegalArgumentException(describe() + ".fit: validation targets have shape "
            + val.targetShape() + " per sample but training targets have " + data.targetShape());
      }
      return new Split(range(0, n), val, range(0, val.size()));
    }
    if (options.validationSplit() > 0) {
      int trainN = (int) Math.floor(n * (1.0 - options.validationSplit()));
      if (trainN == 0 || trainN == n) {
        throw new IllegalArgumentException(describe() + ".fit: validationSplit " + options.validationSplit() + " of "
            + n + " samples leaves " + trainN + " for training and " + (n - trainN) + " for validation; both need some");
      }
      return new Split(range(0, trainN), data, range(trainN, n));
    }
    return new Split(range(0, n), null, new int[0]);
  }

  /** {@link Fit#seed()} if given, else one derived from the model's seed and the number of earlier fits. */
  private long shuffleSeed(Fit options) {
    long derived = SplitMix.mix(model.seed() ^ SplitMix.mix(0x5DEECE66DL + fitCount));
    fitCount++;
    return options.seed() != null ? options.seed() : derived;
  }

  /**
   * One optimisation step on one batch, like Keras' {@code train_on_batch}: forward (training
   * mode), loss, backward, optimizer step. {@code x (batch, ...input shape)}, {@code y (batch, ...target)}.
   * Metrics are reset and updated with this batch only. Returns the batch's mean loss; a non-finite
   * loss leaves the weights unchanged and throws {@link NonFiniteLossException}; gradients the
   * optimizer refuses leave them unchanged and throw {@link NonFiniteGradientException}.
   */
  public float trainOnBatch(Tensor x, Tensor y) {
    requireCompiled("trainOnBatch");
    DataSource source = source("trainOnBatch", x, y);
    checkSource("trainOnBatch", "x", source);
    try (TrainingCall call = beginTraining("trainOnBatch")) {
      boolean reuse = trainOnBatchGrad != null && trainOnBatchGrad.dim(0) == x.dim(0);
      Batch batch = reuse ? new Batch(x, y, trainOnBatchGrad) : new Batch(x, y);
      resetMetrics();
      float l;
      try {
        l = trainStep(batch, model.trainableParameters(), model.parameters());
      } catch (NonFiniteParameterException e) {
        throw refused(e, ".trainOnBatch", new History(), 0, 0);
      }
      if (!Float.isFinite(l)) {
        throw new NonFiniteLossException(describe() + ".trainOnBatch: loss (" + loss.name() + ") is " + l
            + "; the weights were left unchanged", new History(), 0, 0, l);
      }
      trainOnBatchGrad = batch.grad(model.outputShape());
      return l;
    }
  }

  /** The optimizer's {@code e} for a training call: the model, {@code where} (e.g. {@code .fit: at epoch 2/8, …}) and the layer added. */
  private NonFiniteGradientException refused(NonFiniteParameterException e, String where, History history, int epoch,
      int batch) {
    Layer owner = null;
    for (Layer l : model.layers()) {
      for (Parameter p : l.parameters()) {
        if (p.name().equals(e.parameter())) {
          owner = l;
        }
      }
    }
    String layer = owner == null ? "" : ": " + owner.typeName() + " '" + owner.name() + "'";
    return new NonFiniteGradientException(describe() + where + layer + ": " + e.getMessage(), e,
        owner == null ? null : owner.name(), history, epoch, batch);
  }

  /** What {@link #beginTraining} returns: closing it ends the training call. */
  private interface TrainingCall extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Marks the calling thread as the one training (nested calls from it, e.g. from a callback, are
   * allowed), or throws naming the thread that already is. Also takes {@link #sharedMetrics} when
   * a compiled metric cannot be copied, so that no evaluation counts in it meanwhile.
   */
  private TrainingCall beginTraining(String op) {
    if (model.weightsLock().getReadHoldCount() > 0) {
      throw new IllegalStateException(describe() + "." + op + ": this thread holds the read lock of the model's"
          + " weightsLock() (inside a prediction?), and a train step would wait for it forever");
    }
    Thread me = Thread.currentThread();
    for (Thread owner = trainingThread.get(); owner != me; owner = trainingThread.get()) {
      if (owner != null) {
        throw new IllegalStateException(describe() + "." + op + ": the model is already training on thread '"
            + owner.getName() + "'; fit, trainOnBatch and gradients run one call at a time");
      }
      if (trainingThread.compareAndSet(null, me)) {
        break;
      }
    }
    trainingDepth++;
    boolean holdMetrics = metricsShared;
    if (holdMetrics) {
      sharedMetrics.lock();
    }
    return () -> {
      if (holdMetrics) {
        sharedMetrics.unlock();
      }
      if (--trainingDepth == 0) {
        trainingThread.set(null);
      }
    };
  }

  /**
   * The loss on one batch {@code x}, {@code y} and its gradient with respect to every parameter and
   * to {@code x}, computed as a train step computes them (the fused softmax path included), in
   * inference mode as {@link #evaluate} runs: Dropout is the identity, so the result is repeatable.
   * Nothing the model keeps changes: not the weights, the optimizer's state and step count,
   * Dropout's mask counter, the metrics, nor the gradients held in each {@link Parameter#grad()}
   * (they are set aside and put back).
   */
  public Gradients gradients(Tensor x, Tensor y) {
    requireCompiled("gradients");
    checkSource("gradients", "x", source("gradients", x, y));
    requireLayers("gradients");
    try (TrainingCall call = beginTraining("gradients")) {
      Lock write = model.weightsLock().writeLock();
      write.lock();
      try {
        return computeGradients(x, y);
      } finally {
        write.unlock();
      }
    }
  }

  private Gradients computeGradients(Tensor x, Tensor y) {
    List<Parameter> params = model.parameters();
    List<Tensor> held = new ArrayList<>(params.size());
    for (Parameter p : params) {
      held.add(p.grad().copy());
      p.zeroGrad();
    }
    // Layers with no parameters before them skip dInput (Sequential.markInputGradients); here it is wanted.
    List<Layer> layers = model.layers();
    boolean[] needed = new boolean[layers.size()];
    for (int i = 0; i < needed.length; i++) {
      needed[i] = layers.get(i).needsInputGradient();
      layers.get(i).setNeedsInputGradient(true);
    }
    try {
      Tensor out = forwardAll(x, false);
      Tensor grad = Tensor.zeros(out.shape());
      float l = lossAndGradient(out, y, grad);
      Tensor dx = backwardAll(grad).copy();
      Map<String, Tensor> byName = new LinkedHashMap<>();
      for (Parameter p : params) {
        byName.put(p.name(), p.grad().copy());
      }
      return new Gradients(l, byName, dx);
    } finally {
      for (int i = 0; i < needed.length; i++) {
        layers.get(i).setNeedsInputGradient(needed[i]);
      }
      for (int i = 0; i < params.size(); i++) {
        params.get(i).grad().copyFrom(held.get(i));
      }
    }
  }

  /**
   * One step on a filled batch, under the write lock of the model's weights; returns the batch's
   * mean loss (the weights are left alone if it is not finite, and if the optimizer refuses the
   * gradients: then it throws {@link NonFiniteParameterException}, with the gradients zeroed).
   */
  private float trainStep(Batch batch, List<Parameter> trainable, List<Parameter> all) {
    Lock write = model.weightsLock().writeLock();
    write.lock();
    try {
      Tensor out = forwardAll(batch.x, true);
      Tensor grad = batch.grad(model.outputShape());
      float l = lossAndGradient(out, batch.y, grad);
      if (!Float.isFinite(l)) {
        return l;
      }
      for (Metric m : metrics) {
        m.update(out, batch.y);
      }
      backwardAll(grad);
      try {
        optimizer.step(trainable);
      } finally {
        zeroGrads(all);
      }
      return l;
    } finally {
      write.unlock();
    }
  }

  /**
   * The batch's mean loss, with dLoss/dOutput written to {@code grad}; when the last layer is a
   * softmax and the loss fuses with it, dLoss/dz before the softmax instead.
   */
  private float lossAndGradient(Tensor out, Tensor y, Tensor grad) {
    return fused() ? loss.computeFromSoftmax(out, y, grad) : loss.compute(out, y, grad);
  }

  /**
   * Backward through the layers from {@code grad} (see {@link #lossAndGradient}) down to the first one
   * with parameters; returns dLoss/dInput when every layer was asked for it ({@link #gradients}), else null.
   */
  private Tensor backwardAll(Tensor grad) {
    List<Layer> layers = model.layers();
    Layer last = layers.get(layers.size() - 1);
    // Fused: dLoss/dz = (p - y)/batch goes straight to the softmax layer's pre-activation.
    Tensor d = fused() ? ((HasActivation) last).backwardFromPreActivation(grad) : last.backward(grad);
    // A layer with no parameters before it returns no dInput (Sequential.markInputGradients): the
    // layers before it have nothing to compute.
    return model.backwardFrom(layers.size() - 2, d);
  }

  private boolean fused() {
    List<Layer> layers = model.layers();
    Layer last = layers.get(layers.size() - 1);
    return last instanceof HasActivation && ((HasActivation) last).activation() == Activation.SOFTMAX
        && loss.fusesWithSoftmax();
  }

  private Tensor forwardAll(Tensor x, boolean training) {
    Tensor t = model.forwardForBackward(x, training);
    Tensor.requireShape(describe() + ": output of the last layer", t, model.outputShape().prepend(x.dim(0)));
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


  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  // ---------------------------------------------------------------- evaluate / predict

  /** Loss and metrics on {@code x}, {@code y}: {@code {loss=..., accuracy=...}} (inference mode). */
  public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
    return evaluate(source("evaluate", x, y), batchSize);
  }

  /**
   * Loss and metrics over a data source (inference mode); safe from several threads at once.
   *
   * @throws NonFiniteOutputException when an output is NaN or infinite, naming the first layer whose output was
   * @throws NonFiniteLossException when the outputs are finite but a batch's loss is not (bad targets)
   */
  public Map<String, Double> evaluate(DataSource data, int batchSize) {
    requireCompiled("evaluate");
    checkBatchSize("evaluate", batchSize);
    checkSource("evaluate", "x", data);
    requireLayers("evaluate");
    return evaluate(data, range(0, data.size()), new Batches(data, batchSize), "evaluate");
  }

  /** The inference pass over samples {@code idx}, counting the metrics in copies of its own (or, if one cannot be copied, in the compiled ones, held). */
  private Map<String, Double> evaluate(DataSource data, int[] idx, Batches batches, String op) {
    List<Metric> own = metricCopies();
    if (own != null) {
      return inference.evaluate(data, idx, batches, loss, own, op);
    }
    sharedMetrics.lock();
    try {
      return inference.evaluate(data, idx, batches, loss, metrics, op);
    } finally {
      resetMetrics();
      sharedMetrics.unlock();
    }
  }

  /** Fresh copies of the compiled metrics ({@link Metric#fresh()}), or null when one of them cannot be copied. */
  private List<Metric> metricCopies() {
    List<Metric> copies = new ArrayList<>(metrics.size());
    for (Metric m : metrics) {
      Metric c = m.fresh();
      if (c == null) {
        return null;
      }
      copies.add(c);
    }
    return copies;
  }

  /**
   * A new tensor {@code (n, ...output shape)} of the model's outputs for {@code x} (inference mode),
   * batch by batch; safe from several threads at once, each call returning the bits it would alone.
   *
   * @throws NonFiniteOutputException when an output is NaN or infinite, naming the first layer whose output was
   */
  public Tensor predict(Tensor x, int batchSize) {
    checkBatchSize("predict", batchSize);
    checkX("predict", x);
    requireLayers("predict");
    return inference.predict(x, batchSize, "predict");
  }

  /**
   * Every layer's output for {@code x}, in layer order: {@link Sequential#outputs(Tensor, int)}. Runs
   * as {@link #predict} does (inference mode, a workspace of its own, the read lock of the weights),
   * so it is safe from several threads at once and beside training.
   *
   * @throws NonFiniteOutputException when a layer's output is NaN or infinite, naming the first such layer
   */
  public List<Tensor> outputs(Tensor x, int batchSize) {
    checkBatchSize("outputs", batchSize);
    checkX("outputs", x);
    requireLayers("outputs");
    return inference.outputs(x, batchSize, "outputs");
  }

  /**
   * The model's outputs for one sample, given flat in row-major order: {@link Sequential#predict(float[])}.
   *
   * @throws NonFiniteOutputException when an output is NaN or infinite, naming the first layer whose output was
   */
  public float[] predict(float[] sample) {
    Shape in = model.inputShape();
    if (in == null) {
      throw new IllegalStateException(describe() + ".predict: the input shape is not known yet; declare it with"
          + " input(...) or an InputLayer (a flat sample cannot tell its shape)");
    }
    if (sample == null || sample.length != in.size()) {
      throw new IllegalArgumentException(describe() + ".predict: a sample of input shape " + in + " has " + in.size()
          + " values, got " + (sample == null ? "null" : sample.length));
    }
    requireLayers("predict");
    return inference.predict(sample, "predict");
  }

  /**
   * The predicted class of each sample: the arg-max of its output vector (first index on ties), or,
   * for a single output unit (a sigmoid), 1 when it is above 0.5.
   */
  public int[] predictClasses(Tensor x) {
    Tensor p = predict(x, 32);
    Shape out = model.outputShape();
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

  /** Builds the model from the data's sample shape if needed, else checks it equals the input shape. */
  private void checkSampleShape(String op, String what, Shape sample, Shape whole) {
    Shape in = model.inputShape();
    if (in == null) {
      model.build(sample);
      return;
    }
    if (!sample.equals(in)) {
      throw new IllegalArgumentException(describe() + "." + op + ": " + what + " has samples of shape " + sample
          + (whole == null ? "" : " (" + what + " is " + whole + ")") + " but the model's input shape is " + in);
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

  private void requireLayers(String op) {
    if (model.layers().isEmpty()) {
      throw new IllegalStateException(describe() + "." + op + ": the model has no layers");
    }
  }

  private String describe() {
    return "Sequential '" + model.name() + "'";
  }
}
