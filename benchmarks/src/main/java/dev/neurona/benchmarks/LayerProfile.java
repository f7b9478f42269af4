package dev.neurona.benchmarks;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Workspace;
import dev.neurona.layers.model.Sequential;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where a training step's time goes: forward and backward time per layer of an MNIST network at a
 * given batch size (not JMH: a quick profile to find the kernel that dominates). With a fourth
 * argument {@code infer}, the inference pass instead: each layer's {@code infer} time, as
 * {@code predict} runs it (a convolution and its max pooling fused).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *   dev.neurona.benchmarks.LayerProfile [mnist-cnn|mnist-keras|captcha|flowers] [batch] [steps] [infer]</pre>
 */
public final class LayerProfile {
  private LayerProfile() {}

  /** Milliseconds of warm-up before the profile counts: the JIT compiles the small layers' kernels late. */
  private static final long WARM_UP_MILLIS = 3000;

  public static void main(String[] args) {
    String net = args.length > 0 ? args[0] : "mnist-cnn";
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Sequential model = Nets.build(net, 1);
    List<Layer> layers = model.layers();
    Random rnd = new Random(3);
    Tensor x = Nets.inputs(model, batch, rnd);
    if (args.length > 3 && args[3].equals("infer")) {
      profileInference(net, batch, steps, layers, x);
      return;
    }
    long[] fwd = new long[layers.size()];
    long[] bwd = new long[layers.size()];
    warmUp(() -> step(model, x, rnd, null, null));
    for (int s = 0; s < steps; s++) {
      step(model, x, rnd, fwd, bwd);
    }
    double total = 0;
    for (int i = 0; i < layers.size(); i++) {
      total += fwd[i] + bwd[i];
    }
    System.out.printf(Locale.ROOT, "%s, batch %d, %d threads, %d steps (ms per step)%n", net, batch, Parallel.threads(), steps);
    System.out.printf(Locale.ROOT, "%-28s %10s %10s %7s%n", "layer", "forward", "backward", "share");
    for (int i = 0; i < layers.size(); i++) {
      System.out.printf(Locale.ROOT, "%-28s %10.2f %10.2f %6.1f%%%n", layers.get(i).name() + " (" + layers.get(i).typeName() + ")",
          fwd[i] / 1e6 / steps, bwd[i] / 1e6 / steps, 100.0 * (fwd[i] + bwd[i]) / total);
    }
    System.out.printf(Locale.ROOT, "total %.2f ms per step = %.0f images/s (layers only, no optimizer)%n",
        total / 1e6 / steps, batch / (total / 1e9 / steps));
  }

  /**
   * Runs {@code step} at least ten times and for {@link #WARM_UP_MILLIS}, uncounted. Ten steps alone
   * left the captcha network's last dense layer (20 µs once compiled) at 0.15–0.57 ms per step.
   */
  private static void warmUp(Runnable step) {
    long end = System.nanoTime() + WARM_UP_MILLIS * 1_000_000L;
    for (int s = 0; s < 10 || System.nanoTime() < end; s++) {
      step.run();
    }
  }

  /** One step's forward and backward, layer by layer; each layer's time added to {@code fwd} and {@code bwd} unless null. */
  private static void step(Sequential model, Tensor x, Random rnd, long[] fwd, long[] bwd) {
    List<Layer> layers = model.layers();
    Tensor t = x;
    for (int i = 0; i < layers.size(); i++) { // as Sequential.forwardForBackward
      long t0 = System.nanoTime();
      Layer l = layers.get(i);
      int line = i;
      if (model.trainsWithNext(i)) {
        t = ((Conv2D) l).forwardMaxPool(t, (MaxPool2D) layers.get(++i)); // both layers' time on the convolution's line
      } else {
        t = l.forward(t, true);
      }
      if (fwd != null) {
        fwd[line] += System.nanoTime() - t0;
      }
    }
    Tensor d = Tensor.zeros(t.shape()).fillUniform(-1e-3f, 1e-3f, rnd);
    for (int i = layers.size() - 1; i >= 0 && d != null; i--) { // as Sequential.backwardFrom
      long t0 = System.nanoTime();
      Layer l = layers.get(i);
      if (i > 0 && model.trainsWithNext(i - 1)) {
        d = ((Conv2D) layers.get(--i)).backwardMaxPool((MaxPool2D) l, d); // both layers' time on the convolution's line
      } else {
        d = l.backward(d);
      }
      if (bwd != null) {
        bwd[i] += System.nanoTime() - t0;
      }
    }
    model.parameters().forEach(p -> p.zeroGrad());
  }

  /**
   * Each layer's {@link Layer#infer} time per call, with one reused workspace, as {@code predict} runs
   * them: a convolution and the max pooling after it fused (and a rescaling before them, where it folds in),
   * timed together.
   */
  private static void profileInference(String net, int batch, int steps, List<Layer> layers, Tensor x) {
    long[] time = new long[layers.size()];
    int[] span = new int[layers.size()];
    Workspace ws = new Workspace();
    warmUp(() -> call(layers, x, ws, null, span));
    for (int s = 0; s < steps; s++) {
      call(layers, x, ws, time, span);
    }
    double total = 0;
    for (long t : time) {
      total += t;
    }
    System.out.printf(Locale.ROOT, "%s inference, batch %d, %d threads, %d calls (ms per call)%n", net, batch,
        Parallel.threads(), steps);
    for (int i = 0; i < layers.size(); i += span[i]) {
      StringBuilder name = new StringBuilder(layers.get(i).name());
      for (int j = i + 1; j < i + span[i]; j++) {
        name.append(" + ").append(layers.get(j).name());
      }
      System.out.printf(Locale.ROOT, "%-28s %10.2f %6.1f%%%n", name, time[i] / 1e6 / steps, 100.0 * time[i] / total);
    }
    System.out.printf(Locale.ROOT, "total %.2f ms per call = %.0f images/s%n", total / 1e6 / steps,
        batch / (total / 1e9 / steps));
  }

  /** One inference call, layer by layer; each layer's time added to {@code time} unless null, {@code span[i]} the layers run together from i. */
  private static void call(List<Layer> layers, Tensor x, Workspace ws, long[] time, int[] span) {
    ws.reset();
    Tensor t = x;
    for (int i = 0; i < layers.size(); i += span[i]) {
      long t0 = System.nanoTime();
      Layer l = layers.get(i);
      // fused as predict runs them
      if (i + 2 < layers.size() && layers.get(i + 1) instanceof Conv2D
          && ((Conv2D) layers.get(i + 1)).fusesRescaling(l, layers.get(i + 2))) {
        t = ((Conv2D) layers.get(i + 1)).inferRescaledMaxPool(t, (Rescaling) l, (MaxPool2D) layers.get(i + 2), ws);
        span[i] = 3;
      } else if (l instanceof Conv2D && i + 1 < layers.size() && ((Conv2D) l).fusesMaxPool(layers.get(i + 1))) {
        t = ((Conv2D) l).inferMaxPool(t, (MaxPool2D) layers.get(i + 1), ws);
        span[i] = 2;
      } else {
        t = l.infer(t, ws);
        span[i] = 1;
      }
      if (time != null) {
        time[i] += System.nanoTime() - t0;
      }
    }
  }
}
