package dev.neurona.spark;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.Layer;
import dev.neurona.layers.SeededLayer;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.BackupAndRestore;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.FitInfo;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ProgressBar;
import dev.neurona.layers.training.TerminateOnNaN;
import dev.neurona.optim.NonFiniteParameterException;
import dev.neurona.optim.Optimizer;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training of a compiled {@link Sequential} on Apache Spark, with the
 * feel of {@code fit}:
 * <pre>{@code
 * SampleSet train = SampleSet.parallelize(sc, mnist.train(), 4);          // 4 partitions = 4 workers
 * History h = SparkTrainer.parameterAveraging(8)                          // or gradientAveraging()
 *     .fit(model, train, Fit.defaults().epochs(3).batchSize(64)          // 64 samples per worker and step
 *         .validationData(mnist.test()).callbacks(new ModelCheckpoint(...)));
 * }</pre>
 *
 * <p>Training goes in <em>rounds</em>. At the start of each, the driver broadcasts the model's
 * weights (and, for parameter averaging, the optimizer's state); every partition trains on its own
 * samples; Spark's {@code treeAggregate} brings the results back (see {@link Partial}: the same
 * bits whatever the order tasks finish in), and the driver updates the model. Two modes, those of
 * deeplearning4j:
 * <ul>
 *   <li>{@link #gradientAveraging()}: one step per round. Each worker computes the gradient of its
 *       batch; the driver averages them (weighted by batch size) and takes one optimizer step: the
 *       same as single-machine training with a batch {@code partitions} times larger. With one
 *       partition it <em>is</em> {@code fit}, bit for bit.
 *   <li>{@link #parameterAveraging(int) parameterAveraging(n)}: {@code n} steps per round. Each
 *       worker takes {@code n} optimizer steps on its own batches from the broadcast weights and
 *       optimizer state; the driver averages the resulting weights and optimizer state. {@code n}
 *       times fewer rounds, so {@code n} times less communication, at the price of workers that
 *       drift apart between rounds. With one partition it is {@code fit} too.
 * </ul>
 *
 * <p>The {@link Fit} options mean what they mean for {@code fit}: {@code epochs}; {@code batchSize}
 * per worker and step; {@code shuffle} and {@code seed} (partition {@code p} shuffles its own samples
 * every epoch with {@code java.util.Random(seed + p·0x9E3779B97F4A7C15)}, so partition 0 as {@code
 * fit} would; without a seed one is derived from the model's); {@code validationData}, evaluated on
 * the driver after every epoch; callbacks, called on the driver with one "batch" per round
 * ({@code onBatchEnd} gets the running mean of the workers' losses and metrics), so
 * {@code ModelCheckpoint}, {@code EarlyStopping}, {@code CSVLogger}, {@code ReduceLROnPlateau},
 * {@code TerminateOnNaN} and {@code verbose(true)}'s progress bar work as usual.
 * {@code validationSplit} cannot hold out part of a distributed set and {@code BackupAndRestore}
 * cannot restore one; both are refused. An epoch has {@code ceil(max partition size / batchSize)}
 * steps; a partition with fewer samples sits out the steps it has no batch for.
 *
 * <p>Determinism: for a seed and a fixed partitioning, the result is the same bits on every run,
 * whatever the number of executors, task order or retries: every task starts from the broadcast
 * alone, Dropout's masks are drawn from the step and partition, and the partial results are summed
 * in a fixed order. A task that fails and is retried by Spark computes the same contribution again,
 * and nothing from its failed attempt reaches the model.
 *
 * <p>Workers: each task rebuilds the model once per executor and fit from the broadcast model file
 * (layers through {@code LayerRegistry}, so a custom layer needs its {@code LayerProvider} on the
 * executors) and keeps it for the next rounds. The loss and metrics travel by name and are
 * re-created with {@link Losses#of} and {@link Metrics#of}; a loss or metric those do not re-create
 * is refused before training. Each task computes with the library's thread team
 * ({@code dev.neurona.core.Parallel}); {@link #threadsPerWorker(int)} sizes it on the executors: give
 * each task the executor's cores ({@code spark.task.cpus}) and as many threads.
 *
 * <p>Instances are immutable: each setter returns a new trainer. {@code fit} runs on the driver
 * thread that calls it, one fit per model at a time.
 */
public final class SparkTrainer {
  private final boolean parameterAveraging;
  private final int everySteps;
  private final int threads;
  private final int depth;
  private final RoundListener listener;

  private SparkTrainer(boolean parameterAveraging, int everySteps, int threads, int depth, RoundListener listener) {
    this.parameterAveraging = parameterAveraging;
    this.everySteps = everySteps;
    this.threads = threads;
    this.depth = depth;
    this.listener = listener;
  }

  /** Gradient averaging: every step, the workers' gradients are averaged and the driver takes the step. */
  public static SparkTrainer gradientAveraging() {
    return new SparkTrainer(false, 1, 0, 2, null);
  }

  /**
   * Parameter averaging: every {@code everySteps} steps, the workers' weights and optimizer states
   * are averaged.
   *
   * @param everySteps local steps per round, {@code >= 1}
   * @return the trainer
   */
  public static SparkTrainer parameterAveraging(int everySteps) {
    if (everySteps < 1) {
      throw new IllegalArgumentException("SparkTrainer.parameterAveraging: everySteps must be >= 1, got " + everySteps);
    }
    return new SparkTrainer(true, everySteps, 0, 2, null);
  }

  /**
   * This trainer with the library's thread team set to {@code n} threads in every worker task
   * ({@code Parallel.setThreads} on the executors); 0, the default, leaves the executors' setting
   * ({@code -Dneurona.threads} or their processors).
   *
   * @param n threads per worker, {@code >= 0}
   * @return a new trainer
   */
  public SparkTrainer threadsPerWorker(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("SparkTrainer.threadsPerWorker: n must be >= 0 (0 = leave as is), got " + n);
    }
    return new SparkTrainer(parameterAveraging, everySteps, n, depth, listener);
  }

  /**
   * This trainer with {@code treeAggregate}'s depth (default 2): more levels spread the summing
   * of many partitions' results over the executors.
   *
   * @param depth the depth, {@code >= 1}
   * @return a new trainer
   */
  public SparkTrainer aggregationDepth(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("SparkTrainer.aggregationDepth: depth must be >= 1, got " + depth);
    }
    return new SparkTrainer(parameterAveraging, everySteps, threads, depth, listener);
  }

  /**
   * This trainer telling {@code listener} about every round (time, samples, bytes moved).
   *
   * @param listener called on the driver after each round
   * @return a new trainer
   */
  public SparkTrainer listener(RoundListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("SparkTrainer.listener: listener must not be null");
    }
    return new SparkTrainer(parameterAveraging, everySteps, threads, depth, listener);
  }

  /** Whether this trainer averages parameters (true) or gradients (false). */
  public boolean averagesParameters() {
    return parameterAveraging;
  }

  /** Local steps per round: 1 for gradient averaging. */
  public int everySteps() {
    return everySteps;
  }

  /**
   * Trains {@code model} on {@code data}, round by round, as described above; the model (weights,
   * optimizer state and step count, Dropout counters) ends as trained.
   *
   * @param model a compiled model whose input shape is {@code data}'s sample shape
   * @param data the training samples, one share per partition
   * @param options epochs, batch size per worker, shuffling, validation data, callbacks, verbosity
   * @return the per-epoch losses and metrics ({@code loss}: the mean of the workers' batch losses;
   *     {@code val_...}: evaluated on the driver)
   * @throws SparkTrainingException when a worker's loss or the update is not finite (the model keeps
   *     the weights from before that round)
   * @throws IllegalArgumentException when the model, data and options do not fit, naming what differs
   */
  public History fit(Sequential model, SampleSet data, Fit options) {
    Plan plan = plan(model, data, options);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.blocks().context());
    Broadcast<Job> job = sc.broadcast(plan.job);
    try {
      return run(model, data, options, plan, sc, job);
    } finally {
      job.destroy();
      Worker.forget(plan.job.id);
    }
  }

  /** What {@link #fit} works out before the first round. */
  private record Plan(Job job, long[] sizes, int stepsPerEpoch, int roundsPerEpoch, Loss loss, List<Metric> metrics,
      List<Parameter> params, List<Parameter> trainable, List<SeededLayer> seeded, List<Callback> callbacks) {}

  private Plan plan(Sequential model, SampleSet data, Fit options) {
    if (model == null || data == null || options == null) {
      throw new IllegalArgumentException("SparkTrainer.fit: model, data and options must not be null (model=" + model
          + ", data=" + data + ", options=" + options + ")");
    }
    String who = "SparkTrainer.fit (" + model.name() + ")";
    Optimizer optimizer = model.optimizer();
    Loss loss = model.loss();
    if (optimizer == null || loss == null) {
      throw new IllegalStateException(who + ": the model is not compiled; call compile(optimizer, loss, metrics...) first");
    }
    if (model.layers().isEmpty()) {
      throw new IllegalStateException(who + ": the model has no layers");
    }
    if (!model.isBuilt()) {
      model.build(data.sampleShape());
    } else if (!model.inputShape().equals(data.sampleShape())) {
      throw new IllegalArgumentException(who + ": the data's samples have shape " + data.sampleShape()
          + " but the model's input shape is " + model.inputShape());
    }
    if (options.validationSplit() > 0) {
      throw new IllegalArgumentException(who + ": validationSplit (" + options.validationSplit() + ") cannot hold out"
          + " part of a distributed set; give validationData (evaluated on the driver)");
    }
    DataSource val = options.validationData();
    if (val != null && (!val.sampleShape().equals(data.sampleShape()) || !val.targetShape().equals(data.targetShape()))) {
      throw new IllegalArgumentException(who + ": validation samples " + val.sampleShape() + " with targets "
          + val.targetShape() + " do not match the training samples " + data.sampleShape() + " with targets "
          + data.targetShape());
    }
    if (parameterAveraging && !optimizer.isResumable()) {
      throw new IllegalArgumentException(who + ": parameter averaging moves the optimizer's state between driver and"
          + " workers, which " + optimizer.name() + " (" + optimizer.getClass().getName() + ") cannot restore; use SGD"
          + " or Adam, or gradient averaging");
    }
    Loss shipped = resolve(who, "loss '" + loss.name() + "'", loss, () -> Losses.of(loss.name()));
    String[] metricNames = new String[model.metrics().size()];
    for (int i = 0; i < metricNames.length; i++) {
      Metric m = model.metrics().get(i);
      resolve(who, "metric '" + m.name() + "'", m, () -> Metrics.of(m.name(), loss.name()));
      metricNames[i] = m.name();
    }
    List<Callback> callbacks = new ArrayList<>(options.callbacks());
    for (Callback c : callbacks) {
      if (c instanceof BackupAndRestore) {
        throw new IllegalArgumentException(who + ": BackupAndRestore cannot restore a distributed fit; use"
            + " ModelCheckpoint (it runs on the driver) and start again from the saved model");
      }
    }
    if (options.verbose()) {
      callbacks.add(new ProgressBar(System.out));
    }
    long[] sizes = data.partitionSizes();
    long max = 0;
    long total = 0;
    for (long s : sizes) {
      max = Math.max(max, s);
      total += s;
    }
    if (total == 0) {
      throw new IllegalArgumentException(who + ": the data has no samples (" + sizes.length + " empty partitions)");
    }
    int b = options.batchSize();
    int stepsPerEpoch = (int) ((max + b - 1) / b);
    int roundsPerEpoch = (stepsPerEpoch + everySteps - 1) / everySteps;

    List<Parameter> params = model.parameters();
    List<Parameter> trainable = new ArrayList<>();
    List<Integer> trainableIdx = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i).trainable()) {
        trainable.add(params.get(i));
        trainableIdx.add(i);
      }
    }
    List<SeededLayer> seeded = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof SeededLayer s) {
        seeded.add(s);
      }
    }
    long[] base = new long[seeded.size()];
    for (int k = 0; k < base.length; k++) {
      base[k] = seeded.get(k).callCount();
    }
    long shuffleSeed = options.seed() != null ? options.seed() : mix(model.seed() ^ 0x5DEECE66DL);
    Job job = new Job(UUID.randomUUID().toString(), modelFile(model), shipped.name(), metricNames, parameterAveraging, b,
        options.shuffle(), shuffleSeed, sizes.length, threads, base,
        trainableIdx.stream().mapToInt(Integer::intValue).toArray(), data.targetShape().toArray());
    return new Plan(job, sizes, stepsPerEpoch, roundsPerEpoch, loss, model.metrics(), params, trainable, seeded,
        callbacks);
  }

  private interface Lookup<T> {
    T get();
  }

  /** What the workers will re-create for {@code given}: by name, and of the same class, or an error naming it. */
  private static <T> T resolve(String who, String what, T given, Lookup<T> byName) {
    T found;
    try {
      found = byName.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(who + ": the workers re-create the " + what + " by its name, and cannot: "
          + e.getMessage(), e);
    }
    if (found.getClass() != given.getClass()) {
      throw new IllegalArgumentException(who + ": the workers re-create the " + what + " by its name, which gives a "
          + found.getClass().getSimpleName() + ", not the compiled " + given.getClass().getSimpleName());
    }
    return found;
  }

  /** The model file (layers, weights, optimizer) as bytes, written through a temporary file. */
  private static byte[] modelFile(Sequential model) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("neurona-spark-", ".zip");
      model.save(tmp);
      return Files.readAllBytes(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("SparkTrainer.fit (" + model.name() + "): cannot write the model to a temporary"
          + " file (" + tmp + ") to send it to the workers: " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  private History run(Sequential model, SampleSet data, Fit options, Plan plan, JavaSparkContext sc,
      Broadcast<Job> job) {
    Optimizer optimizer = model.optimizer();
    int epochs = options.epochs();
    int partitions = plan.sizes.length;
    long total = 0;
    for (long s : plan.sizes) {
      total += s;
    }
    DataSource val = options.validationData();
    FitInfo info = new FitInfo(epochs, plan.roundsPerEpoch, options.batchSize(), (int) Math.min(Integer.MAX_VALUE, total),
        val == null ? 0 : val.size());
    boolean terminateOnNaN = plan.callbacks.stream().anyMatch(c -> c instanceof TerminateOnNaN);
    History history = new History();
    model.clearStopRequest();
    for (Callback c : plan.callbacks) {
      c.onTrainBegin(model, info);
    }
    long stepsDone = 0;
    int roundIndex = 0;
    boolean stop = false;
    for (int epoch = 0; epoch < epochs && !stop; epoch++) {
      long t0 = System.nanoTime();
      for (Callback c : plan.callbacks) {
        c.onEpochBegin(epoch);
      }
      double lossSum = 0;
      double[] metricSums = new double[plan.metrics.size()];
      long seen = 0;
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int r = 0; r < plan.roundsPerEpoch; r++) {
        long r0 = System.nanoTime();
        int first = r * everySteps;
        int steps = Math.min(everySteps, plan.stepsPerEpoch - first);
        Round round = round(model, optimizer, plan, roundIndex, epoch, first, steps, stepsDone);
        Broadcast<Round> bc = sc.broadcast(round);
        Partial.Node result;
        try {
          int metrics = plan.metrics.size();
          result = data.blocks().treeAggregate(new Partial(partitions, metrics), (acc, block) -> {
            TaskContext tc = TaskContext.get();
            return Worker.run(job.value(), bc.value(), acc, block, tc.partitionId(), tc.attemptNumber());
          }, Partial::merge, depth).root();
        } finally {
          bc.destroy();
        }
        if (result.failure != null) {
          if (terminateOnNaN) {
            Map<String, Double> nanLogs = new LinkedHashMap<>(logs);
            nanLogs.put("loss", (double) result.failedLoss);
            for (Callback c : plan.callbacks) {
              c.onBatchEnd(epoch, r, Collections.unmodifiableMap(nanLogs));
            }
            logs = nanLogs;
            stop = true;
            break;
          }
          throw new SparkTrainingException("SparkTrainer.fit (" + model.name() + "): at epoch " + (epoch + 1) + "/"
              + epochs + ", round " + (r + 1) + "/" + plan.roundsPerEpoch + " (counting from 1), partition "
              + result.failedPartition + ", its batch " + (result.failedStep + 1) + " of the epoch: "
              + result.failure + "; the model keeps the weights from before this round. The " + history.epochs()
              + " completed epoch(s) are in the exception's history(). Try a lower learning rate or check the data"
              + " for NaN/Inf.", history, epoch, r, result.failedPartition);
        }
        apply(model, optimizer, plan, result, round, history, epoch, r);
        stepsDone += result.steps;
        for (int k = 0; k < plan.seeded.size(); k++) {
          plan.seeded.get(k).callCount(plan.job.seededBase[k] + stepsDone * partitions);
        }
        lossSum += result.lossSum;
        for (int k = 0; k < metricSums.length; k++) {
          metricSums[k] += result.metricSums[k];
        }
        seen += result.samples;
        logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / seen);
        for (int k = 0; k < metricSums.length; k++) {
          logs.put(plan.metrics.get(k).name(), metricSums[k] / seen);
        }
        if (listener != null) {
          long down = round.floats() * 4;
          long up = 0;
          for (float[] v : result.vectors) {
            up += 4L * v.length;
          }
          listener.onRound(new RoundInfo(epoch, r, plan.roundsPerEpoch, result.steps, result.samples,
              (System.nanoTime() - r0) / 1e9, partitions, down, up));
        }
        for (Callback c : plan.callbacks) {
          c.onBatchEnd(epoch, r, Collections.unmodifiableMap(logs));
        }
        roundIndex++;
        if (model.stopRequested()) {
          stop = true;
          break;
        }
      }
      if (val != null) {
        for (Map.Entry<String, Double> e : model.evaluate(val, options.batchSize()).entrySet()) {
          logs.put("val_" + e.getKey(), e.getValue());
        }
      }
      history.addEpoch(epoch, logs, (System.nanoTime() - t0) / 1e9);
      for (Callback c : plan.callbacks) {
        c.onEpochEnd(epoch, Collections.unmodifiableMap(logs));
      }
      stop |= model.stopRequested();
    }
    for (Callback c : plan.callbacks) {
      c.onTrainEnd(history);
    }
    return history;
  }

  /** The broadcast of one round: every weight, and the optimizer for parameter averaging. */
  private Round round(Sequential model, Optimizer optimizer, Plan plan, int index, int epoch, int first, int steps,
      long stepsBefore) {
    float[][] weights = new float[plan.params.size()][];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = plan.params.get(i).value().data().clone();
    }
    if (!parameterAveraging) {
      return new Round(index, epoch, first, steps, stepsBefore, weights, null, 0, null, null, null);
    }
    Map<String, Tensor> state = optimizer.state();
    String[] keys = state.keySet().toArray(new String[0]);
    float[][] values = new float[keys.length][];
    int[][] shapes = new int[keys.length][];
    for (int k = 0; k < keys.length; k++) {
      values[k] = state.get(keys[k]).data();
      shapes[k] = state.get(keys[k]).shape().toArray();
    }
    return new Round(index, epoch, first, steps, stepsBefore, weights, copy(optimizer.config(), optimizer.name()), optimizer.iterations(),
        keys, values, shapes);
  }

  /** A serializable deep copy of an optimizer config (maps, strings, numbers, booleans). */
  private static LinkedHashMap<String, Serializable> copy(Map<String, ?> config, String optimizer) {
    LinkedHashMap<String, Serializable> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        Map<String, Object> nested = new LinkedHashMap<>();
        for (Map.Entry<?, ?> n : m.entrySet()) {
          nested.put(String.valueOf(n.getKey()), n.getValue());
        }
        out.put(e.getKey(), copy(nested, optimizer));
      } else if (v == null || v instanceof Serializable) {
        out.put(e.getKey(), (Serializable) v);
      } else {
        throw new IllegalArgumentException("SparkTrainer.fit: the config of optimizer " + optimizer + " holds "
            + v.getClass().getName() + " at '" + e.getKey() + "', which cannot be sent to the workers");
      }
    }
    return out;
  }

  /** Updates the driver's model from a round's result, under the write lock of its weights. */
  private void apply(Sequential model, Optimizer optimizer, Plan plan, Partial.Node result, Round round,
      History history, int epoch, int r) {
    float[][] mean = Partial.mean(result);
    if (mean == null) {
      return; // no partition had a batch in this round
    }
    Lock write = model.weightsLock().writeLock();
    write.lock();
    try {
      List<Parameter> trainable = plan.trainable;
      if (!parameterAveraging) {
        for (int i = 0; i < trainable.size(); i++) {
          System.arraycopy(mean[i], 0, trainable.get(i).grad().data(), 0, mean[i].length);
        }
        try {
          optimizer.step(trainable);
        } catch (NonFiniteParameterException e) {
          throw new SparkTrainingException("SparkTrainer.fit (" + model.name() + "): at epoch " + (epoch + 1)
              + ", round " + (r + 1) + " (counting from 1), the averaged gradients were refused: " + e.getMessage()
              + "; the model keeps the weights from before this round. The " + history.epochs() + " completed"
              + " epoch(s) are in the exception's history().", history, epoch, r, -1);
        } finally {
          for (Parameter p : plan.params) {
            p.zeroGrad();
          }
        }
        return;
      }
      for (int i = 0; i < trainable.size(); i++) {
        System.arraycopy(mean[i], 0, trainable.get(i).value().data(), 0, mean[i].length);
      }
      Map<String, Tensor> state = new TreeMap<>();
      for (int k = 0; k < result.stateKeys.length; k++) {
        state.put(result.stateKeys[k], Tensor.of(mean[trainable.size() + k], result.stateShapes[k]));
      }
      optimizer.restoreState(round.iterations + result.steps, state);
    } finally {
      write.unlock();
    }
  }

  /** SplitMix64's finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "SparkTrainer(" + (parameterAveraging ? "parameter averaging every " + everySteps + " steps"
        : "gradient averaging") + (threads > 0 ? ", " + threads + " threads per worker" : "")
        + ", aggregation depth " + depth + ")";
  }
}
