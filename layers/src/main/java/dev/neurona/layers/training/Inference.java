package dev.neurona.layers.training;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Workspace;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Metric;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Batches.Batch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

/**
 * The inference side of a model, safe from any number of threads at once: {@code predict} and
 * {@code evaluate} run every layer's {@link Layer#infer} with a {@link Workspace} that belongs to the
 * call, under the read lock of {@link Sequential#weightsLock()} (so a train step never changes the
 * weights under them), and check that the outputs are finite.
 *
 * <p>Workspaces are pooled: a call takes one (or makes one) and puts it back, so a serving thread
 * reuses the buffers of its earlier calls. Each call begins with {@link Workspace#beginCall}, so
 * weights packed for the GEMM are packed once per call of several batches and never carried into
 * the next call. The pool keeps at most {@link #POOL} idle workspaces; a
 * burst of more concurrent calls than that leaves the extra ones to the garbage collector.
 */
final class Inference {
  /** Idle workspaces kept: two per processor, at least 4. */
  private static final int POOL = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final Sequential model;
  private final ConcurrentLinkedDeque<Workspace> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  Inference(Sequential model) {
    this.model = model;
  }

  /** {@code x} through every layer's inference pass, batch by batch, into a new tensor {@code (n, ...output shape)}. */
  Tensor predict(Tensor x, int batchSize, String op) {
    int n = x.dim(0);
    Shape in = model.inputShape();
    Shape out = model.outputShape();
    Tensor result = Tensor.zeros(out.prepend(n));
    int xs = in.size();
    int os = out.size();
    Workspace ws = take();
    Lock read = readLock();
    try {
      ws.beginCall(passes(n, batchSize));
      for (int from = 0; from < n; from += batchSize) {
        int cnt = Math.min(batchSize, n - from);
        ws.reset();
        Tensor xb = x;
        if (cnt != n) { // a slice of x: copied, as a tensor is a whole array
          xb = ws.tensor(in.prepend(cnt));
          System.arraycopy(x.data(), from * xs, xb.data(), 0, cnt * xs);
        }
        Tensor y = run(xb, ws);
        requireFinite(op, xb, y, from);
        System.arraycopy(y.data(), 0, result.data(), from * os, cnt * os);
      }
    } finally {
      read.unlock();
      give(ws);
    }
    return result;
  }

  /**
   * {@code x} through every layer's inference pass, batch by batch, keeping each layer's output: a
   * new tensor {@code (n, ...output shape of layer i)} per layer, in layer order. Each output is
   * copied out of the workspace as soon as its layer returns it (a later layer may reuse the buffer,
   * and an identity layer returns its input itself).
   */
  List<Tensor> outputs(Tensor x, int batchSize, String op) {
    int n = x.dim(0);
    Shape in = model.inputShape();
    List<Layer> layers = model.layers();
    List<Tensor> result = new ArrayList<>(layers.size());
    for (Layer l : layers) {
      result.add(Tensor.zeros(l.outputShape().prepend(n)));
    }
    int xs = in.size();
    Workspace ws = take();
    Lock read = readLock();
    try {
      ws.beginCall(passes(n, batchSize));
      for (int from = 0; from < n; from += batchSize) {
        int cnt = Math.min(batchSize, n - from);
        ws.reset();
        Tensor xb = x;
        if (cnt != n) {
          xb = ws.tensor(in.prepend(cnt));
          System.arraycopy(x.data(), from * xs, xb.data(), 0, cnt * xs);
        }
        Tensor t = xb;
        for (int i = 0; i < layers.size(); i++) {
          Layer l = layers.get(i);
          t = l.infer(t, ws);
          Tensor.requireShape("Sequential '" + model.name() + "': output of layer '" + l.name() + "'", t,
              l.outputShape().prepend(cnt));
          int bad = firstNonFinite(t.data());
          if (bad >= 0) {
            throw notFinite(op, xb, from, i, t, bad);
          }
          int os = l.outputShape().size();
          System.arraycopy(t.data(), 0, result.get(i).data(), from * os, cnt * os);
        }
      }
    } finally {
      read.unlock();
      give(ws);
    }
    return result;
  }

  /**
   * The exception for layer {@code i}'s output {@code t} (for batch {@code x}, whose first sample is
   * sample {@code first} of the call), which is not finite at element {@code bad} while the outputs
   * of the layers before it are: names the input sample when the input itself is not finite, else
   * the layer and its first non-finite weight.
   */
  private NonFiniteOutputException notFinite(String op, Tensor x, int first, int i, Tensor t, int bad) {
    List<Layer> layers = model.layers();
    Layer l = layers.get(i);
    int per = t.size() / t.dim(0);
    String head = "Sequential '" + model.name() + "'." + op + ": the output of " + l.typeName() + " '" + l.name()
        + "' (layer " + (i + 1) + " of " + layers.size() + ") is " + t.data()[bad] + " for sample " + (first + bad / per)
        + " at element " + bad % per;
    int inX = firstNonFinite(x.data());
    if (inX >= 0) {
      int perIn = x.size() / x.dim(0);
      return new NonFiniteOutputException(head + "; the input itself is not finite: sample " + (first + inX / perIn)
          + " holds " + x.data()[inX] + " at element " + inX % perIn, null, first + inX / perIn, x.data()[inX]);
    }
    return new NonFiniteOutputException(head + ", the first layer whose output is not finite" + weightNote(l), l.name(),
        first + bad / per, t.data()[bad]);
  }

  /** One sample {@code (input shape)} as a batch of one, without copying it. */
  float[] predict(float[] sample, String op) {
    Shape in = model.inputShape();
    Tensor x = Tensor.of(sample, in.prepend(1));
    Workspace ws = take();
    Lock read = readLock();
    try {
      ws.beginCall(1);
      Tensor y = run(x, ws);
      requireFinite(op, x, y, 0);
      return y.data().clone();
    } finally {
      read.unlock();
      give(ws);
    }
  }

  /**
   * The mean loss and the metrics over samples {@code idx} of {@code data}, in {@code batches};
   * {@code metrics} must be this call's own (or held by it alone): they are reset, then counted.
   */
  Map<String, Double> evaluate(DataSource data, int[] idx, Batches batches, Loss loss, List<Metric> metrics, String op) {
    for (Metric m : metrics) {
      m.reset();
    }
    double lossSum = 0;
    Workspace ws = take();
    Lock read = readLock();
    try {
      ws.beginCall(passes(idx.length, batches.batchSize));
      for (int from = 0; from < idx.length; from += batches.batchSize) {
        int to = Math.min(from + batches.batchSize, idx.length);
        Batch batch = batches.fill(idx, from, to);
        ws.reset();
        Tensor out = run(batch.x, ws);
        requireFinite(op, batch.x, out, from);
        float l = loss.compute(out, batch.y, null);
        if (!Float.isFinite(l)) {
          throw new NonFiniteLossException("Sequential '" + model.name() + "'." + op + ": the loss (" + loss.name()
              + ") of the batch of samples " + from + ".." + (to - 1) + " is " + l + " although every output is"
              + " finite: the outputs are too large for this loss in float, or the targets are not finite",
              new History(), 0, from / batches.batchSize, l);
        }
        lossSum += (double) l * (to - from);
        for (Metric m : metrics) {
          m.update(out, batch.y);
        }
      }
    } finally {
      read.unlock();
      give(ws);
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("loss", lossSum / idx.length);
    for (Metric m : metrics) {
      r.put(m.name(), m.result());
    }
    return r;
  }

  /**
   * Every layer's {@link Layer#infer} on one batch; the caller has reset {@code ws}. A convolution
   * followed by max pooling runs fused ({@link Conv2D#inferMaxPool}): the convolution's output, four
   * times the pooled one, never goes to memory; a 3×3 or 5×5 one pooled 2×2 runs as a Winograd
   * convolution, within float rounding of the layer-by-layer values rather than their bits. A rescaling
   * before such a pair folds into the convolution's copies of the images where it reads them
   * ({@link Conv2D#inferRescaledMaxPool}, the same bits).
   */
  private Tensor run(Tensor x, Workspace ws) {
    Tensor t = x;
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (i + 2 < layers.size() && layers.get(i + 1) instanceof Conv2D
          && ((Conv2D) layers.get(i + 1)).fusesRescaling(l, layers.get(i + 2))) {
        t = ((Conv2D) layers.get(i + 1)).inferRescaledMaxPool(t, (Rescaling) l, (MaxPool2D) layers.get(i + 2), ws);
        i += 2;
      } else if (l instanceof Conv2D && i + 1 < layers.size() && ((Conv2D) l).fusesMaxPool(layers.get(i + 1))) {
        t = ((Conv2D) l).inferMaxPool(t, (MaxPool2D) layers.get(++i), ws);
      } else {
        t = l.infer(t, ws);
      }
    }
    Tensor.requireShape("Sequential '" + model.name() + "': output of the last layer", t,
        model.outputShape().prepend(x.dim(0)));
    return t;
  }

  /**
   * Throws {@link NonFiniteOutputException} when {@code y}, the outputs of batch {@code x} (whose
   * first sample is sample {@code first} of the call), holds a NaN or an infinity. The check is a
   * sweep over the outputs only; when it fails, the batch runs again layer by layer to name the
   * first layer whose output is not finite, and that layer's first non-finite weight if it has one.
   */
  private void requireFinite(String op, Tensor x, Tensor y, int first) {
    int bad = firstNonFinite(y.data());
    if (bad < 0) {
      return;
    }
    int perSample = y.size() / y.dim(0);
    int sample = first + bad / perSample;
    String head = "Sequential '" + model.name() + "'." + op + ": the output for sample " + sample + " is "
        + y.data()[bad] + " (element " + bad % perSample + "); ";
    int inX = firstNonFinite(x.data());
    if (inX >= 0) {
      int perIn = x.size() / x.dim(0);
      throw new NonFiniteOutputException(head + "the input itself is not finite: sample " + (first + inX / perIn)
          + " holds " + x.data()[inX] + " at element " + inX % perIn, null, first + inX / perIn, x.data()[inX]);
    }
    Workspace scratch = new Workspace();
    Tensor t = x;
    List<Layer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      t = l.infer(t, scratch);
      int at = firstNonFinite(t.data());
      if (at >= 0) {
        int per = t.size() / t.dim(0);
        throw new NonFiniteOutputException(head + "the first layer whose output is not finite is " + l.typeName()
            + " '" + l.name() + "' (layer " + (i + 1) + " of " + layers.size() + "): " + t.data()[at] + " for sample "
            + (first + at / per) + " at element " + at % per + weightNote(l), l.name(), first + at / per, t.data()[at]);
      }
    }
    // Not reproduced layer by layer (cannot happen with deterministic layers): report the output alone.
    throw new NonFiniteOutputException(head + "its source could not be traced to one layer", null, sample, y.data()[bad]);
  }

  /**
   * {@code "; its weight 'dense.kernel' is NaN at index 17 (shape (4, 3))"} for the layer's first
   * non-finite weight; when its weights are all finite, that its finite inputs overflowed.
   */
  private static String weightNote(Layer l) {
    for (Parameter p : l.parameters()) {
      int at = firstNonFinite(p.value().data());
      if (at >= 0) {
        return "; its weight '" + p.name() + "' is " + p.value().data()[at] + " at index " + at + " (shape " + p.shape()
            + ")";
      }
    }
    return l.parameters().isEmpty() ? "" : " (its weights are finite: its finite inputs were too large for float)";
  }

  /** Batches of {@code batchSize} in {@code n} samples. */
  private static int passes(int n, int batchSize) {
    return (int) ((n + (long) batchSize - 1) / batchSize);
  }

  private static int firstNonFinite(float[] a) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        return i;
      }
    }
    return -1;
  }

  private Lock readLock() {
    Lock read = model.weightsLock().readLock();
    read.lock();
    return read;
  }

  private Workspace take() {
    Workspace ws = idle.pollFirst();
    if (ws == null) {
      return new Workspace();
    }
    idleCount.decrementAndGet();
    return ws;
  }

  private void give(Workspace ws) {
    if (idleCount.incrementAndGet() <= POOL) {
      idle.offerFirst(ws);
    } else {
      idleCount.decrementAndGet();
    }
  }
}
