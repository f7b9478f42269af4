package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.loss.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Compares a backward pass with central finite differences: for a layer, every element of
 * dLoss/dInput and of every parameter gradient; for a loss, dLoss/dPredictions; for anything
 * chained by hand, the tensors you list.
 *
 * <p>For each checked element {@code v}: {@code numeric = (L(v + h) - L(v - h)) / (2h)}. Layers
 * compute in float32, so the perturbed values are float32; everything else is double: the scalar
 * {@code L} is summed in double, and {@code 2h} is the float32 distance actually stepped, not the
 * step requested. Per element the check computes the absolute error {@code |analytic - numeric|}
 * and the relative error {@code |analytic - numeric| / max(|analytic|, |numeric|, floor)} — relative
 * for large gradients, absolute (scaled by {@code 1/floor}) near zero, where float32 noise dominates.
 * The {@link Report} holds, per tensor, the largest of each and the element with the largest relative
 * error; a tensor passes when that error is at most the tolerance.
 *
 * <p>Float32 needs a large step (default {@code 1e-2}). Keep inputs further than the step from
 * kinks — ReLU at 0 ({@link #awayFromZero}), pooling ties — or the difference quotient straddles them.
 *
 * <pre>{@code
 * Dense dense = new Dense(4, Activation.TANH);
 * dense.build(Shape.of(6), 42);
 * GradientCheck.Report r = GradientCheck.create().checkLayer(dense, Tensor.uniform(Shape.of(3, 6), -1, 1, 7));
 * System.out.println(r);   // one line per tensor: input, dense.kernel, dense.bias
 * r.assertPassed();        // throws AssertionError listing every tensor when one fails
 *
 * GradientCheck.create().step(1e-3).checkLoss(loss, predictions, targets).assertPassed();
 * GradientCheck.create().check(() -> lossOfEverything(), targets).assertPassed();  // a network chained by hand
 * }</pre>
 *
 * <p>A checker is a small mutable configuration; it is not meant to be shared between threads while
 * its setters are called. A check runs the layer's forward pass many times on the calling thread.
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

  /**
   * A checker with step 1e-2, tolerance 1e-2, floor 1e-2, every element checked, seed 1234 and
   * forward passes in training mode.
   *
   * @return a new checker
   */
  public static GradientCheck create() {
    return new GradientCheck();
  }

  /**
   * Sets the finite-difference step {@code h}.
   *
   * @param h the step, {@code > 0} and finite
   * @return this checker
   */
  public GradientCheck step(double h) {
    this.step = positive("step", h);
    return this;
  }

  /**
   * Sets the largest acceptable relative error (see the class description).
   *
   * @param tol the tolerance, {@code > 0} and finite
   * @return this checker
   */
  public GradientCheck tolerance(double tol) {
    this.tolerance = positive("tolerance", tol);
    return this;
  }

  /**
   * Sets the floor of the relative error's denominator: where both gradients are smaller, the error
   * is absolute, {@code |analytic - numeric| / floor}.
   *
   * @param floor the floor, {@code > 0} and finite
   * @return this checker
   */
  public GradientCheck floor(double floor) {
    this.floor = positive("floor", floor);
    return this;
  }

  /**
   * Checks at most {@code n} elements per tensor, chosen by the seed (all of them when the tensor is
   * smaller). Each checked element costs two forward passes.
   *
   * @param n the number of elements, {@code >= 1}
   * @return this checker
   */
  public GradientCheck maxPerTensor(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("GradientCheck: maxPerTensor must be >= 1, got " + n);
    }
    this.maxPerTensor = n;
    return this;
  }

  /**
   * Sets the seed of the weights {@code r} in {@link #checkLayer}'s {@code L = Σ r ⊙ y}, of the
   * element sample, and of the build of an unbuilt layer.
   *
   * @param seed any value
   * @return this checker
   */
  public GradientCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Sets the {@code training} flag passed to {@link Layer#forward} (default true).
   *
   * @param training whether forward runs in training mode
   * @return this checker
   */
  public GradientCheck training(boolean training) {
    this.training = training;
    return this;
  }

  /**
   * Sets a hook run before every forward pass of {@link #checkLayer}, e.g. to rewind a
   * {@link Dropout}'s call counter so that each pass draws the same mask.
   *
   * @param hook the hook, not null
   * @return this checker
   */
  public GradientCheck beforeForward(Runnable hook) {
    if (hook == null) {
      throw new IllegalArgumentException("GradientCheck: beforeForward hook is null");
    }
    this.beforeForward = hook;
    return this;
  }

  /**
   * Checks a layer's backward on {@code input}, with the scalar {@code L = Σ r ⊙ layer(input)} for a
   * seeded {@code r} uniform in [-1, 1): the gradient with respect to the input (backward's return
   * value) and to every parameter, in that order, named {@code input} and by the parameter names.
   *
   * <p>An unbuilt layer is first built for the input's per-sample shape with this checker's seed.
   * Afterwards each parameter's gradient holds the analytic gradient of {@code L}, the layer's caches
   * are those of a forward pass on the unchanged input, and its input-gradient flag is as before.
   *
   * @param layer the layer to check
   * @param input a batch, {@code (batch, ...)}; its values are perturbed and restored
   * @return the report; call {@link Report#assertPassed()} to fail on a mismatch
   */
  public Report checkLayer(Layer layer, Tensor input) {
    if (layer == null) {
      throw new IllegalArgumentException("GradientCheck.checkLayer: layer is null");
    }
    if (input == null || input.rank() < 1) {
      throw new IllegalArgumentException("GradientCheck.checkLayer: " + layer.describe()
          + ": input must be a batch (batch, ...), got " + (input == null ? "null" : input.shape()));
    }
    if (!layer.isBuilt()) {
      layer.build(input.shape().dropFirst(), seed);
    }
    boolean neededInputGradient = layer.needsInputGradient;
    layer.setNeedsInputGradient(true);
    try {
      beforeForward.run();
      Tensor y = layer.forward(input, training);
      Tensor r = Tensor.uniform(y.shape(), -1f, 1f, seed);
      for (Parameter p : layer.parameters()) {
        p.zeroGrad();
      }
      Tensor dX = layer.backward(r);
      if (dX == null) {
        throw new IllegalStateException(layer.describe() + ": backward returned no input gradient although it was asked for");
      }
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("input", input, dX));
      for (Parameter p : layer.parameters()) {
        targets.add(new Target(p.name(), p.value(), p.grad()));
      }
      return check(() -> {
        beforeForward.run();
        return dot(r, layer.forward(input, training));
      }, targets);
    } finally {
      layer.setNeedsInputGradient(neededInputGradient);
    }
  }

  /**
   * Checks {@link Loss#compute}'s gradient with respect to the predictions, named {@code predictions}.
   *
   * @param loss the loss
   * @param predictions the predictions; perturbed and restored
   * @param targets the targets, as the loss expects them
   * @return the report; call {@link Report#assertPassed()} to fail on a mismatch
   */
  public Report checkLoss(Loss loss, Tensor predictions, Tensor targets) {
    if (loss == null) {
      throw new IllegalArgumentException("GradientCheck.checkLoss: loss is null");
    }
    if (predictions == null) {
      throw new IllegalArgumentException("GradientCheck.checkLoss: " + loss.name() + ": predictions are null");
    }
    Tensor grad = Tensor.zeros(predictions.shape());
    loss.compute(predictions, targets, grad);
    return check(() -> loss.compute(predictions, targets, null), List.of(new Target("predictions", predictions, grad)));
  }

  /**
   * The general check: {@code loss} recomputes the scalar from the current tensor values; each target
   * holds a tensor (perturbed in place, then restored) and its analytic gradient. {@code loss} is
   * called once more at the end, so that layers' caches match the unperturbed values.
   *
   * @param loss recomputes the scalar; called twice per checked element
   * @param targets the tensors to check, in the report's order
   * @return the report; call {@link Report#assertPassed()} to fail on a mismatch
   */
  public Report check(DoubleSupplier loss, List<Target> targets) {
    if (loss == null) {
      throw new IllegalArgumentException("GradientCheck.check: loss is null");
    }
    if (targets == null) {
      throw new IllegalArgumentException("GradientCheck.check: targets are null");
    }
    List<TensorCheck> tensors = new ArrayList<>();
    for (Target t : targets) {
      if (t == null) {
        throw new IllegalArgumentException("GradientCheck.check: target " + tensors.size() + " is null");
      }
      float[] v = t.value().data();
      float[] a = t.analytic().data();
      int[] idx = sample(t.name(), v.length);
      if (idx.length == 0) {
        continue;
      }
      double maxAbs = 0;
      double maxRel = 0;
      int worst = -1;
      double worstNumeric = 0;
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
        double abs = Math.abs(a[i] - numeric);
        double rel = abs / Math.max(Math.max(Math.abs(a[i]), Math.abs(numeric)), floor);
        maxAbs = Math.max(maxAbs, abs); // NaN sticks
        if (worst < 0 || rel > maxRel || Double.isNaN(rel) && !Double.isNaN(maxRel)) {
          maxRel = rel;
          worst = i;
          worstNumeric = numeric;
        }
      }
      tensors.add(new TensorCheck(t.name(), idx.length, maxAbs, maxRel, worst, a[worst], worstNumeric));
    }
    loss.getAsDouble(); // leave the layers' caches as at the unperturbed point
    return new Report(tensors, step, tolerance, floor);
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
    return Arrays.copyOf(perm, maxPerTensor);
  }

  /** {@code Σ r ⊙ y} in double precision. */
  private static double dot(Tensor r, Tensor y) {
    float[] a = r.data();
    float[] b = y.data();
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static double positive(String arg, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("GradientCheck: " + arg + " must be > 0 and finite, got " + v);
    }
    return v;
  }

  /**
   * A seeded input uniform in {@code [lo, hi)} whose values all lie at least {@code gap} away from 0,
   * where ReLU's derivative jumps: values closer to 0 are pushed out to {@code ±(gap + |v|)}.
   *
   * @param seed the seed of the uniform draw
   * @param lo the lower bound
   * @param hi the upper bound
   * @param gap the smallest distance from 0, e.g. five times the step
   * @param dims the shape, batch first
   * @return a new tensor
   */
  public static Tensor awayFromZero(long seed, float lo, float hi, float gap, int... dims) {
    Tensor t = Tensor.uniform(Shape.of(dims), lo, hi, seed);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      if (Math.abs(d[i]) < gap) {
        d[i] = d[i] < 0 ? -gap - Math.abs(d[i]) : gap + d[i];
      }
    }
    return t;
  }

  /**
   * A tensor whose values {@link #check} perturbs, and the analytic gradient to compare with (copied
   * when the target is made, so later backward passes do not change it).
   *
   * @param name the name shown in the report
   * @param value the tensor to perturb in place
   * @param analytic the gradient of the scalar with respect to {@code value}, of the same shape
   */
  public record Target(String name, Tensor value, Tensor analytic) {
    /**
     * Checks that the three are given and the shapes match, and copies {@code analytic}.
     *
     * @param name the name shown in the report
     * @param value the tensor to perturb in place
     * @param analytic the gradient, of {@code value}'s shape
     */
    public Target {
      if (name == null || value == null || analytic == null) {
        throw new IllegalArgumentException("GradientCheck.Target: name, value and analytic must not be null, got name="
            + name + ", value=" + (value == null ? null : value.shape()) + ", analytic="
            + (analytic == null ? null : analytic.shape()));
      }
      if (!value.shape().equals(analytic.shape())) {
        throw new IllegalArgumentException("GradientCheck.Target '" + name + "': gradient has shape " + analytic.shape()
            + " but the value has shape " + value.shape());
      }
      analytic = analytic.copy();
    }
  }

  /**
   * The result for one tensor.
   *
   * @param name the tensor's name ({@code input}, a parameter name such as {@code dense.kernel}, ...)
   * @param checked how many of its elements were checked
   * @param maxAbsError the largest {@code |analytic - numeric|}
   * @param maxRelError the largest relative error (with the floor; see {@link GradientCheck})
   * @param worstIndex the flat index of the element with the largest relative error
   * @param analytic that element's analytic gradient
   * @param numeric that element's finite-difference gradient
   */
  public record TensorCheck(String name, int checked, double maxAbsError, double maxRelError, int worstIndex,
      double analytic, double numeric) {
    /**
     * Whether the largest relative error is at most {@code tolerance} (false when it is NaN).
     *
     * @param tolerance the tolerance
     * @return whether this tensor passes
     */
    public boolean passed(double tolerance) {
      return maxRelError <= tolerance;
    }

    /** {@code dense.kernel: worst element 7 analytic=… numeric=… rel error=… max abs error=… (24 elements checked)}. */
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s: worst element %d analytic=%.6g numeric=%.6g rel error=%.3g max abs error=%.3g (%d elements checked)",
          name, worstIndex, analytic, numeric, maxRelError, maxAbsError, checked);
    }
  }

  /**
   * The outcome of one check: a {@link TensorCheck} per checked tensor, in order, and the settings it
   * ran with. {@link #toString()} prints one line per tensor, marked {@code ok} or {@code FAILED}.
   *
   * @param tensors one entry per tensor with at least one element
   * @param step the finite-difference step
   * @param tolerance the largest acceptable relative error
   * @param floor the floor of the relative error's denominator
   */
  public record Report(List<TensorCheck> tensors, double step, double tolerance, double floor) {
    /**
     * Copies the list.
     *
     * @param tensors one entry per tensor
     * @param step the finite-difference step
     * @param tolerance the largest acceptable relative error
     * @param floor the floor of the relative error's denominator
     */
    public Report {
      tensors = List.copyOf(tensors);
    }

    /**
     * Whether every tensor's largest relative error is at most the tolerance.
     *
     * @return true when the check passed
     */
    public boolean passed() {
      for (TensorCheck t : tensors) {
        if (!t.passed(tolerance)) {
          return false;
        }
      }
      return true;
    }

    /**
     * Throws an {@link AssertionError} listing every tensor unless the check passed.
     *
     * @return this report, when it passed
     */
    public Report assertPassed() {
      if (!passed()) {
        throw new AssertionError(format("gradient check failed"));
      }
      return this;
    }

    /**
     * The largest relative error over all tensors (NaN when any is NaN).
     *
     * @return the largest relative error
     */
    public double maxRelError() {
      double m = 0;
      for (TensorCheck t : tensors) {
        m = Math.max(m, t.maxRelError()); // NaN sticks
      }
      return m;
    }

    /**
     * The largest absolute error over all tensors (NaN when any is NaN).
     *
     * @return the largest absolute error
     */
    public double maxAbsError() {
      double m = 0;
      for (TensorCheck t : tensors) {
        m = Math.max(m, t.maxAbsError()); // NaN sticks
      }
      return m;
    }

    /**
     * The entry of the tensor called {@code name}.
     *
     * @param name a tensor name, e.g. {@code input} or {@code dense.kernel}
     * @return its entry
     */
    public TensorCheck of(String name) {
      for (TensorCheck t : tensors) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      List<String> names = new ArrayList<>();
      for (TensorCheck t : tensors) {
        names.add(t.name());
      }
      throw new IllegalArgumentException("GradientCheck.Report: no tensor '" + name + "'; checked " + names);
    }

    /** {@code gradient check passed (step …, tolerance …, floor …):} and one line per tensor. */
    @Override
    public String toString() {
      return format(passed() ? "gradient check passed" : "gradient check failed");
    }

    private String format(String headline) {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s (step %.1e, tolerance %.1e, floor %.1e):",
          headline, step, tolerance, floor));
      for (TensorCheck t : tensors) {
        sb.append("\n  ").append(t.passed(tolerance) ? "ok    " : "FAILED").append(' ').append(t);
      }
      return sb.toString();
    }
  }
}
