package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Compares analytic gradients with central differences, for layers, losses and anything chained
 * by hand.
 *
 * <p>For each checked element {@code v}: {@code numeric = (L(v + h) - L(v - h)) / (2h)}, with the loss
 * {@code L} accumulated in double precision and {@code 2h} the float32 distance actually stepped.
 * The error is {@code |analytic - numeric| / max(|analytic|, |numeric|, floor)}: relative for large
 * gradients, absolute (scaled by {@code 1/floor}) near zero, where float32 noise dominates. A check
 * fails when any element's error exceeds the tolerance; the message lists the worst element of every
 * tensor.
 *
 * <p>Float32 needs a large step (default {@code 1e-2}); keep inputs further than the step from
 * kinks (ReLU at 0, pooling ties), or the difference quotient straddles them.
 *
 * <pre>{@code
 * GradientCheck.create().checkLayer(layer, input);            // L = Σ r ⊙ layer(x), r seeded
 * GradientCheck.create().checkLoss(loss, predictions, targets);
 * GradientCheck.create().check(() -> lossOfEverything(), targets);  // a network chained by hand
 * }</pre>
 */
public final class GradientCheck {
  private double step = 1e-2;
  private double tolerance = 1e-2;
  private double floor = 1e-2;
  private int maxPerTensor = Integer.MAX_VALUE;
  private long seed = 1234;
  private boolean training = true;
  private Runnable beforeForward = () -> {};

  private GradientCheck() {}

  /** A checker with step 1e-2, tolerance 1e-2, absolute floor 1e-2, every element checked. */
  public static GradientCheck create() {
    return new GradientCheck();
  }

  /** The finite-difference step {@code h}. */
  public GradientCheck step(double h) {
    this.step = h;
    return this;
  }

  /** The largest acceptable error. */
  public GradientCheck tolerance(double tol) {
    this.tolerance = tol;
    return this;
  }

  /** The denominator's floor: below it errors are absolute ({@code |a - n| / floor}). */
  public GradientCheck floor(double floor) {
    this.floor = floor;
    return this;
  }

  /** Checks at most {@code n} elements per tensor, chosen by the seed (all when the tensor is smaller). */
  public GradientCheck maxPerTensor(int n) {
    this.maxPerTensor = n;
    return this;
  }

  /** Seed for the weights {@code r} of {@code L = Σ r ⊙ y} and for the element sample. */
  public GradientCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The {@code training} flag passed to {@link Layer#forward} (default true). */
  public GradientCheck training(boolean training) {
    this.training = training;
    return this;
  }

  /** Runs before every forward pass, e.g. to rewind a dropout layer's call counter so the mask repeats. */
  public GradientCheck beforeForward(Runnable hook) {
    this.beforeForward = hook;
    return this;
  }

  /** A tensor whose values are perturbed, and the analytic gradient to compare with (copied). */
  public record Target(String name, Tensor value, Tensor analytic) {
    public Target {
      if (!value.shape().equals(analytic.shape())) {
        throw new IllegalArgumentException("gradient of " + name + " has shape " + analytic.shape() + ", value " + value.shape());
      }
      analytic = analytic.copy();
    }
  }

  /** The worst element of one tensor. */
  public record Worst(String name, int index, double analytic, double numeric, double error, int checked) {
    @Override
    public String toString() {
      return String.format("%s: worst element %d analytic=%.6g numeric=%.6g error=%.3g (%d elements checked)",
          name, index, analytic, numeric, error, checked);
    }
  }

  /** The worst element of each checked tensor. */
  public record Report(List<Worst> worst) {
    /** The largest error over all tensors. */
    public double maxError() {
      double m = 0;
      for (Worst w : worst) {
        m = Math.max(m, w.error());
      }
      return m;
    }

    /** The report line of tensor {@code name}. */
    public Worst of(String name) {
      for (Worst w : worst) {
        if (w.name().equals(name)) {
          return w;
        }
      }
      throw new IllegalArgumentException("no tensor '" + name + "' in " + worst);
    }
  }

  /**
   * Checks a built layer on {@code input} with {@code L = Σ r ⊙ layer(input)} for a seeded {@code r} in
   * [-1, 1): the gradient with respect to the input (backward's return value) and to every parameter.
   */
  public Report checkLayer(Layer layer, Tensor input) {
    layer.setNeedsInputGradient(true);
    beforeForward.run();
    Tensor y = layer.forward(input, training);
    Tensor r = Tensor.uniform(y.shape(), -1f, 1f, seed);
    for (Parameter p : layer.parameters()) {
      p.zeroGrad();
    }
    Tensor dX = layer.backward(r);
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("input", input, dX));
    for (Parameter p : layer.parameters()) {
      targets.add(new Target(p.name(), p.value(), p.grad()));
    }
    return check(() -> {
      beforeForward.run();
      return dot(r, layer.forward(input, training));
    }, targets);
  }

  /** Checks {@code loss.compute}'s gradient with respect to the predictions. */
  public Report checkLoss(Loss loss, Tensor predictions, Tensor targets) {
    Tensor grad = Tensor.zeros(predictions.shape());
    loss.compute(predictions, targets, grad);
    return check(() -> loss.compute(predictions, targets, null), List.of(new Target("predictions", predictions, grad)));
  }

  /**
   * The general check: {@code loss} recomputes the scalar from the current tensor values; each target
   * holds a tensor (perturbed in place, then restored) and its analytic gradient.
   */
  public Report check(DoubleSupplier loss, List<Target> targets) {
    List<Worst> worst = new ArrayList<>();
    boolean failed = false;
    for (Target t : targets) {
      float[] v = t.value().data();
      float[] a = t.analytic().data();
      int[] idx = sample(t.name(), v.length);
      Worst w = null;
      for (int i : idx) {
        float orig = v[i];
        v[i] = (float) (orig + step);
        float up = v[i];
        double lUp = loss.getAsDouble();
        v[i] = (float) (orig - step);
        float down = v[i];
        double lDown = loss.getAsDouble();
        v[i] = orig;
        double numeric = (lUp - lDown) / ((double) up - down);
        double err = Math.abs(a[i] - numeric) / Math.max(Math.max(Math.abs(a[i]), Math.abs(numeric)), floor);
        if (w == null || err > w.error() || Double.isNaN(err)) {
          w = new Worst(t.name(), i, a[i], numeric, err, idx.length);
        }
      }
      if (w != null) {
        worst.add(w);
        failed |= !(w.error() <= tolerance);
      }
    }
    loss.getAsDouble(); // leave the layers' caches as at the unperturbed point
    Report report = new Report(worst);
    if (failed) {
      StringBuilder sb = new StringBuilder(String.format(
          "gradient check failed (step %.1e, tolerance %.1e, floor %.1e):", step, tolerance, floor));
      for (Worst w : worst) {
        sb.append("\n  ").append(w.error() <= tolerance ? "ok    " : "FAILED").append(' ').append(w);
      }
      throw new AssertionError(sb.toString());
    }
    return report;
  }

  private int[] sample(String name, int n) {
    if (n <= maxPerTensor) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    Random rng = new Random(seed * 31 + name.hashCode());
    for (int i = 0; i < maxPerTensor; i++) {
      int j = i + rng.nextInt(n - i);
      int tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    return java.util.Arrays.copyOf(perm, maxPerTensor);
  }

  /** {@code Σ r ⊙ y} in double precision. */
  public static double dot(Tensor r, Tensor y) {
    float[] a = r.data();
    float[] b = y.data();
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** A seeded uniform tensor in [lo, hi) whose values are all at least {@code gap} away from 0 (for ReLU). */
  public static Tensor awayFromZero(long seed, float lo, float hi, float gap, int... dims) {
    Tensor t = Tensor.uniform(dev.neurona.core.Shape.of(dims), lo, hi, seed);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      if (Math.abs(d[i]) < gap) {
        d[i] = d[i] < 0 ? -gap - Math.abs(d[i]) : gap + d[i];
      }
    }
    return t;
  }
}
