package dev.neurona.spark;

import dev.neurona.core.Parallel;
import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Shuffle;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Activation;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.Layer;
import dev.neurona.layers.SeededLayer;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Losses;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.loss.Metrics;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.NonFiniteParameterException;
import dev.neurona.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The executor side of a round: a replica of the model (rebuilt once per fit and executor from the
 * broadcast model file, then reused), set to the round's weights, trains on the partition's batches
 * of the round and returns its contribution to {@link Partial}.
 *
 * <p>Every task starts from the broadcast alone (weights, optimizer state, Dropout call counters,
 * the partition's sample order from the seed), so a task that fails and runs again computes the
 * same bits, and nothing it did before failing reaches the driver.
 */
final class Worker {
  /** Runs before each task's round (tests inject failures through it); null in normal use. */
  interface TaskProbe {
    /** Called with the round's index, the partition and the task's attempt number (0 for the first). */
    void beforeRound(int round, int partition, int attempt);
  }

  static volatile TaskProbe probe;

  /** Idle replicas by fit; the two most recent fits are kept. */
  private static final Map<String, Deque<Replica>> REPLICAS = new LinkedHashMap<>(4, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Replica>> eldest) {
      return size() > 2;
    }
  };
  /** Each partition's sample order, by fit and partition; the two most recent fits' are kept. */
  private static final Map<String, Order> ORDERS = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Order> eldest) {
      return size() > 2 * 256;
    }
  };

  private Worker() {}

  /** The model of one task at a time, with its buffers. */
  private static final class Replica {
    final Sequential model;
    final List<Parameter> params;
    final List<Parameter> trainable = new ArrayList<>();
    final List<SeededLayer> seeded = new ArrayList<>();
    final Loss loss;
    final boolean fused;
    final Map<Integer, Tensor[]> buffers = new TreeMap<>();

    Replica(Job job) {
      Path tmp = null;
      try {
        tmp = Files.createTempFile("neurona-spark-", ".zip");
        Files.write(tmp, job.modelZip);
        model = Sequential.load(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException("neurona-spark: cannot re-create the model from the broadcast model file"
            + " in a temporary file (" + tmp + "): " + e.getMessage(), e);
      } finally {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException ignored) {
            // a temporary file left behind is harmless
          }
        }
      }
      params = model.parameters();
      for (int i : job.trainable) {
        trainable.add(params.get(i));
      }
      for (Layer l : model.layers()) {
        if (l instanceof SeededLayer s) {
          seeded.add(s);
        }
      }
      loss = Losses.of(job.loss);
      Layer last = model.layers().get(model.layers().size() - 1);
      fused = last instanceof HasActivation h && h.activation() == Activation.SOFTMAX && loss.fusesWithSoftmax();
    }

    /** The batch tensors {x, y, dLoss/dOutput} for {@code n} samples. */
    Tensor[] batch(int n, Shape target) {
      return buffers.computeIfAbsent(n, k -> new Tensor[] {
          Tensor.zeros(model.inputShape().prepend(k)), Tensor.zeros(target.prepend(k)),
          Tensor.zeros(model.outputShape().prepend(k))});
    }
  }

  /** A partition's sample order and the generator that shuffles it each epoch. */
  private static final class Order {
    final Random rng;
    final int[] order;
    int epoch = -1;

    Order(long seed, int n) {
      rng = new Random(seed);
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
  }

  /** The seed of partition {@code p}'s shuffles: the fit's seed for partition 0 (as {@code fit}), spread apart for the others. */
  static long partitionSeed(long seed, int p) {
    return seed + 0x9E3779B97F4A7C15L * p;
  }

  /** Runs one task's round: each block of the partition (there is one) adds its leaf to {@code acc}. */
  static Partial run(Job job, Round round, Partial acc, Block block, int partition, int attempt) {
    TaskProbe pr = probe;
    if (pr != null) {
      pr.beforeRound(round.index, partition, attempt);
    }
    if (job.threads > 0 && Parallel.threads() != job.threads) {
      Parallel.setThreads(job.threads);
    }
    Replica r = take(job);
    try {
      return acc.add(partition, train(job, round, r, block, partition));
    } finally {
      give(job, r);
    }
  }

  private static Partial.Node train(Job job, Round round, Replica r, Block block, int partition) {
    for (int i = 0; i < r.params.size(); i++) {
      float[] w = round.weights[i];
      System.arraycopy(w, 0, r.params.get(i).value().data(), 0, w.length);
      r.params.get(i).zeroGrad();
    }
    Optimizer opt = null;
    if (job.parameterAveraging) {
      opt = Optimizer.fromConfig(round.optimizerConfig);
      Map<String, Tensor> state = new TreeMap<>();
      for (int k = 0; k < round.stateKeys.length; k++) {
        state.put(round.stateKeys[k], Tensor.of(round.state[k].clone(), round.stateShapes[k]));
      }
      opt.restoreState(round.iterations, state);
    }
    Metric[] metrics = new Metric[job.metrics.length];
    for (int k = 0; k < metrics.length; k++) {
      metrics[k] = Metrics.of(job.metrics[k], job.loss);
    }
    int[] order = order(job, partition, round.epoch, block);
    Partial.Node leaf = new Partial.Node(metrics.length);
    Shape target = Shape.of(job.targetShape);
    int b = job.batchSize;
    for (int s = round.firstStep; s < round.firstStep + round.steps; s++) {
      int from = s * b;
      if (from >= block.size) {
        break;
      }
      int to = Math.min(from + b, block.size);
      long step = round.stepsBefore + (s - round.firstStep);
      for (int k = 0; k < r.seeded.size(); k++) {
        r.seeded.get(k).callCount(job.seededBase[k] + step * job.partitions + partition);
      }
      Tensor[] t = r.batch(to - from, target);
      block.fill(order, from, to, t[0], t[1]);
      float l = forwardBackward(r, t[0], t[1], t[2], metrics);
      if (!Float.isFinite(l)) {
        return failed(leaf, "loss (" + r.loss.name() + ") is " + l, partition, s, l);
      }
      int n = to - from;
      leaf.lossSum += (double) l * n;
      for (int k = 0; k < metrics.length; k++) {
        leaf.metricSums[k] += metrics[k].result() * n;
      }
      leaf.samples += n;
      leaf.steps++;
      if (opt != null) {
        try {
          opt.step(r.trainable);
        } catch (NonFiniteParameterException e) {
          return failed(leaf, e.getMessage(), partition, s, l);
        } finally {
          for (Parameter p : r.params) {
            p.zeroGrad();
          }
        }
      }
    }
    if (leaf.samples == 0) {
      return leaf; // this partition has no batch left in this round
    }
    List<float[]> vectors = new ArrayList<>();
    for (Parameter p : r.trainable) {
      vectors.add((opt == null ? p.grad() : p.value()).data().clone());
    }
    if (opt != null) {
      Map<String, Tensor> state = opt.state();
      leaf.stateKeys = state.keySet().toArray(new String[0]);
      leaf.stateShapes = new int[leaf.stateKeys.length][];
      int k = 0;
      for (Tensor v : state.values()) {
        leaf.stateShapes[k++] = v.shape().toArray();
        vectors.add(v.data());
      }
    }
    leaf.vectors = vectors.toArray(new float[0][]);
    leaf.weight = leaf.samples;
    leaf.contributors = 1;
    return leaf;
  }

  private static Partial.Node failed(Partial.Node leaf, String what, int partition, int step, float loss) {
    leaf.failure = what;
    leaf.failedPartition = partition;
    leaf.failedStep = step;
    leaf.failedLoss = loss;
    leaf.vectors = null;
    leaf.contributors = 0;
    leaf.weight = 0;
    return leaf;
  }

  /**
   * One batch forward (training mode), loss and backward, as {@code Trainer}'s train step computes
   * them (the fused softmax path included); the gradients are added to each parameter's
   * {@code grad()}. Returns the batch's mean loss; when it is not finite nothing is propagated back.
   */
  static float forwardBackward(Replica r, Tensor x, Tensor y, Tensor grad, Metric[] metrics) {
    List<Layer> layers = r.model.layers();
    Tensor out = r.model.forwardForBackward(x, true);
    float loss = r.fused ? r.loss.computeFromSoftmax(out, y, grad) : r.loss.compute(out, y, grad);
    if (!Float.isFinite(loss)) {
      return loss;
    }
    for (Metric m : metrics) {
      m.reset();
      m.update(out, y);
    }
    Layer last = layers.get(layers.size() - 1);
    Tensor d = r.fused ? ((HasActivation) last).backwardFromPreActivation(grad) : last.backward(grad);
    r.model.backwardFrom(layers.size() - 2, d); // as Trainer
    return loss;
  }

  /** The partition's sample order for {@code epoch}: {@code epoch + 1} shuffles of {@code 0..n-1}, as {@code fit} does. */
  private static int[] order(Job job, int partition, int epoch, Block block) {
    if (!job.shuffle) {
      Order o = new Order(0, block.size);
      return o.order;
    }
    String key = job.id + "/" + partition;
    Order o;
    synchronized (ORDERS) {
      o = ORDERS.get(key);
      if (o == null || o.epoch > epoch || o.order.length != block.size) {
        o = new Order(partitionSeed(job.shuffleSeed, partition), block.size);
        ORDERS.put(key, o);
      }
    }
    synchronized (o) {
      while (o.epoch < epoch) {
        Shuffle.shuffle(o.order, o.rng);
        o.epoch++;
      }
      return o.order.clone();
    }
  }

  private static Replica take(Job job) {
    synchronized (REPLICAS) {
      Deque<Replica> idle = REPLICAS.get(job.id);
      Replica r = idle == null ? null : idle.pollFirst();
      if (r != null) {
        return r;
      }
    }
    return new Replica(job);
  }

  private static void give(Job job, Replica r) {
    synchronized (REPLICAS) {
      REPLICAS.computeIfAbsent(job.id, k -> new ArrayDeque<>()).offerFirst(r);
    }
  }

  /** Forgets the replicas and orders of the fit {@code id} on this JVM (the driver's, in local mode). */
  static void forget(String id) {
    synchronized (REPLICAS) {
      REPLICAS.remove(id);
    }
    synchronized (ORDERS) {
      Iterator<String> it = ORDERS.keySet().iterator();
      while (it.hasNext()) {
        if (it.next().startsWith(id + "/")) {
          it.remove();
        }
      }
    }
  }
}
