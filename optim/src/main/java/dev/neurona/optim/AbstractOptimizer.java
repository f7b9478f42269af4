package dev.neurona.optim;

import dev.neurona.core.Parallel;
import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bookkeeping every optimizer shares: a learning-rate schedule, the iteration counter and
 * per-parameter state, so that a subclass only writes its per-element update.
 *
 * <p>State is keyed by the parameter's (dotted) name and created on the first step that sees a
 * trainable parameter; a rebuilt model whose parameters keep their names and shapes keeps its
 * optimizer state. Each step checks, before changing anything, that every trainable parameter
 * still has the shape its state was made for and that no name occurs twice; frozen parameters are
 * skipped and get no state. Buffers are allocated only when a state is created, never per step.
 *
 * <p>Finite by construction: before changing anything, a step reads every gradient it is about to
 * apply (one read-only sweep, in parallel for large parameters) and refuses to run when one is NaN,
 * infinite, or so large that its square overflows float ({@code |g| >= 2^64}, about 1.8e19): it
 * throws {@link NonFiniteParameterException} naming the parameter, the element and the step, and
 * the weights, the state and the step count keep their values. An exact undo needs the old values,
 * and keeping them would cost more memory traffic than the update itself, so the check comes first.
 * The update loops then track, at no extra memory traffic, whether every value they write is finite;
 * that can only fail when the weights or the state were already non-finite or near
 * {@code ±Float.MAX_VALUE} before the step, and the exception then says the step was applied.
 *
 * @param <S> the per-parameter state (momentum buffers, moments)
 */
public abstract class AbstractOptimizer<S extends AbstractOptimizer.State> implements Optimizer {
  /** Per-parameter state: the shape it was made for, plus the subclass's buffers. */
  protected static class State {
    final Shape shape;
    long seenInCall = -1;

    protected State(Parameter p) {
      this.shape = p.shape();
    }
  }

  /** Gradient elements per parallel range of the check and the update (an eighth of a megabyte). */
  private static final int GRAIN = 1 << 15;
  /** The kernels every optimizer runs on (the Vector API ones when present). */
  static final Kernels K = KernelProvider.kernels();
  /** Gradients must stay below this in magnitude: from 2^64 (about 1.8e19) on, {@code g·g} overflows float. */
  static final float GRADIENT_LIMIT = 0x1p64f;

  private final Map<String, S> states = new HashMap<>();
  /** State given to {@link #restoreState}, by parameter name then slot, applied when the parameter is next stepped. */
  private final Map<String, Map<String, Tensor>> pending = new HashMap<>();
  private LearningRateSchedule schedule;
  private long iterations;
  private long calls;

  protected AbstractOptimizer(LearningRateSchedule schedule) {
    setSchedule(schedule);
  }

  /** Creates the state for a parameter seen for the first time (buffers zeroed). */
  protected abstract S createState(Parameter p);

  /**
   * Updates elements {@code [from, to)} of one parameter in place from its gradient. Called for
   * disjoint ranges, possibly from several threads at once, so the update of an element may depend
   * only on that element (which also makes the result independent of the split).
   *
   * @param lr the learning rate of this step
   * @param t this step's 1-based index ({@code iterations() + 1}), for bias corrections
   * @param from the first element
   * @param to one past the last element
   * @return true when every value written (weights and state) is finite; the loops track it as
   *     {@code probe += x·0}, which stays 0 unless some {@code x} is NaN or infinite
   */
  protected abstract boolean update(Parameter p, S state, float lr, long t, int from, int to);

  /**
   * The names of the per-parameter buffers this optimizer keeps, in a fixed order (Adam: {@code m},
   * {@code v}, and {@code vhat} with AMSGrad; SGD with momentum: {@code velocity}; plain SGD: none).
   */
  protected abstract List<String> slots();

  /** The buffer of one of {@link #slots()} in {@code state}, the parameter's size, flat. */
  protected abstract float[] slot(S state, String slot);

  @Override
  public final void step(List<Parameter> params) {
    if (params == null) {
      throw new IllegalArgumentException(name() + ".step: params is null");
    }
    long call = ++calls;
    long t = iterations + 1;
    // Pass 1: validate every parameter and create missing state, so that a bad list changes nothing.
    List<String> created = new ArrayList<>();
    int i = 0;
    for (Parameter p : params) {
      if (p == null) {
        throw new IllegalArgumentException(name() + ".step: params[" + i + "] is null");
      }
      if (p.trainable()) {
        S s = states.get(p.name());
        if (s == null) {
          s = createState(p);
          Map<String, Tensor> restored = pending.get(p.name());
          if (restored != null) {
            restore(p, s, restored);
          }
          states.put(p.name(), s);
          created.add(p.name());
        } else if (!s.shape.equals(p.shape())) {
          throw new IllegalStateException(
              name() + ": parameter '" + p.name() + "' has shape " + p.shape() + " but its optimizer state was made"
                  + " for " + s.shape + "; call reset() if the model was rebuilt with other shapes");
        }
        if (s.seenInCall == call) {
          throw new IllegalArgumentException(
              name() + ".step: parameter name '" + p.name() + "' occurs twice in params (at index " + i
                  + "); each trainable parameter needs a unique name");
        }
        s.seenInCall = call;
      }
      i++;
    }
    // Pass 2: every gradient, before anything changes; a refused step also forgets the state it created.
    for (Parameter p : params) {
      if (p.trainable()) {
        NonFiniteParameterException bad = checkGradient(p, t);
        if (bad != null) {
          for (String n : created) {
            states.remove(n);
          }
          throw bad;
        }
      }
    }
    // Pass 3: the updates, each tracking whether what it wrote is finite.
    float lr = learningRate();
    Parameter firstBad = null;
    for (Parameter p : params) {
      if (p.trainable() && !updateAll(p, states.get(p.name()), lr, t) && firstBad == null) {
        firstBad = p;
      }
    }
    iterations++;
    if (firstBad != null) {
      throw appliedNonFinite(firstBad, states.get(firstBad.name()), t);
    }
  }

  /**
   * Null when every element of {@code p}'s gradient is finite with {@code |g| < 2^64}, else the
   * exception naming the first one that is not. One read-only sweep: the largest {@code |g|}
   * (NaN if any is NaN: {@link Math#max} propagates it), over ranges in parallel.
   */
  private NonFiniteParameterException checkGradient(Parameter p, long t) {
    float[] g = p.grad().data();
    AtomicBoolean ok = new AtomicBoolean(true);
    Parallel.forRange(g.length, GRAIN, (from, to) -> {
      float largest = K.maxAbs(g, from, to - from); // NaN when any is NaN
      if (!(largest < GRADIENT_LIMIT)) {
        ok.set(false);
      }
    });
    if (ok.get()) {
      return null;
    }
    int at = 0;
    while (Math.abs(g[at]) < GRADIENT_LIMIT) {
      at++;
    }
    float v = g[at];
    String why = Float.isFinite(v)
        ? ", whose square overflows float (gradients must stay below 2^64, about 1.8e19, in magnitude)"
        : "";
    return new NonFiniteParameterException(name() + " step " + t + ": the gradient of '" + p.name() + "' is " + v
        + " at index " + at + " (shape " + p.shape() + ")" + why + "; the step was refused, so the weights, the"
        + " optimizer state and the step count keep their values from before it", p.name(), at, v, t, false);
  }

  /** {@link #update} over all of {@code p}, in parallel ranges for a large parameter; true when all it wrote is finite. */
  private boolean updateAll(Parameter p, S s, float lr, long t) {
    AtomicBoolean finite = new AtomicBoolean(true);
    Parallel.forRange(p.size(), GRAIN, (from, to) -> {
      if (!update(p, s, lr, t, from, to)) {
        finite.set(false);
      }
    });
    return finite.get();
  }

  /** The exception for a step whose update wrote a non-finite value from finite gradients, naming the first one. */
  private NonFiniteParameterException appliedNonFinite(Parameter p, S s, long t) {
    String where = "weight";
    float[] values = p.value().data();
    int at = firstNonFinite(values);
    for (String slot : slots()) {
      if (at >= 0) {
        break;
      }
      values = slot(s, slot);
      at = firstNonFinite(values);
      where = "optimizer state '" + slot + "'";
    }
    float v = at >= 0 ? values[at] : Float.NaN;
    return new NonFiniteParameterException(name() + " step " + t + ": the " + where + " of '" + p.name() + "' became " + v
        + " at index " + Math.max(at, 0) + " (shape " + p.shape() + ") although every gradient was finite, so the"
        + " weights or the optimizer state were already non-finite or near ±" + Float.MAX_VALUE
        + " before this step (changed outside training?); the step was applied and could not be undone",
        p.name(), Math.max(at, 0), v, t, true);
  }

  private static int firstNonFinite(float[] a) {
    for (int k = 0; k < a.length; k++) {
      if (!Float.isFinite(a[k])) {
        return k;
      }
    }
    return -1;
  }

  /** {@code schedule.rate(iterations())}. */
  @Override
  public float learningRate() {
    return schedule.rate(iterations);
  }

  @Override
  public long iterations() {
    return iterations;
  }

  /** The learning-rate schedule (a constant one when built from a number). */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /**
   * Replaces the learning-rate schedule; the next step uses {@code schedule.rate(iterations())}
   * (the step count is kept, so a schedule set mid-training continues from the current step).
   */
  public void setSchedule(LearningRateSchedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException(name() + ": schedule is null");
    }
    this.schedule = schedule;
  }

  /** Sets a constant learning rate ({@code > 0}). */
  public void setLearningRate(double learningRate) {
    Args.positive(name(), "learningRate", learningRate);
    setSchedule(LearningRateSchedule.constant(learningRate));
  }

  /**
   * Whether the learning rate is a constant (given as a number, or set by {@link #setLearningRate})
   * rather than a schedule of the step count; callbacks that change the rate while training, such as
   * {@code ReduceLROnPlateau}, need a constant one (as in Keras).
   */
  public boolean hasConstantLearningRate() {
    return schedule instanceof ConstantSchedule;
  }

  /** Forgets all per-parameter state (restored state not yet applied too) and sets the step count back to 0. */
  public void reset() {
    states.clear();
    pending.clear();
    iterations = 0;
  }

  /** True: {@link #config()}, {@link #state()} and {@link #restoreState} rebuild this optimizer exactly. */
  @Override
  public boolean isResumable() {
    return true;
  }

  /**
   * A copy of the per-parameter state, to save and later {@link #restoreState restore}: one tensor
   * per parameter and slot, keyed {@code "<parameter name>/<slot>"}, with the parameter's shape,
   * sorted by key. Restored state not yet applied (its parameter not stepped since
   * {@link #restoreState}) is included as it was given, so a loaded model saved again keeps it.
   * Empty before the first step and for optimizers without buffers.
   */
  @Override
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new TreeMap<>();
    for (Map.Entry<String, S> e : states.entrySet()) {
      for (String slot : slots()) {
        float[] buf = slot(e.getValue(), slot);
        Tensor t = Tensor.zeros(e.getValue().shape);
        System.arraycopy(buf, 0, t.data(), 0, buf.length);
        out.put(e.getKey() + "/" + slot, t);
      }
    }
    for (Map.Entry<String, Map<String, Tensor>> e : pending.entrySet()) {
      if (!states.containsKey(e.getKey())) {
        for (String slot : slots()) {
          out.put(e.getKey() + "/" + slot, e.getValue().get(slot).copy());
        }
      }
    }
    return out;
  }

  /**
   * Continues from a saved {@link #state()} and step count, as if this optimizer had taken those
   * steps: the step count is set now (so the learning-rate schedule and Adam's bias corrections go
   * on from it) and each parameter's buffers are copied in when it is next stepped, after a check
   * that its shape matches. Replaces any state this optimizer had.
   *
   * @throws IllegalArgumentException naming the key when a key is not {@code "<parameter>/<slot>"}
   *     with one of {@link #slots()}, a parameter lacks one of its slots, or its slots differ in shape
   */
  @Override
  public void restoreState(long iterations, Map<String, Tensor> state) {
    if (iterations < 0) {
      throw new IllegalArgumentException(name() + ".restoreState: iterations must be >= 0, got " + iterations);
    }
    if (state == null) {
      throw new IllegalArgumentException(name() + ".restoreState: state is null");
    }
    Map<String, Map<String, Tensor>> byParam = new HashMap<>();
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      String key = e.getKey();
      int cut = key == null ? -1 : key.lastIndexOf('/');
      String slot = cut < 0 ? null : key.substring(cut + 1);
      if (cut <= 0 || !slots().contains(slot)) {
        throw new IllegalArgumentException(name() + ".restoreState: key '" + key + "' is not '<parameter>/<slot>' with a slot"
            + " of " + slots());
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(name() + ".restoreState: tensor '" + key + "' is null");
      }
      byParam.computeIfAbsent(key.substring(0, cut), k -> new HashMap<>()).put(slot, e.getValue());
    }
    for (Map.Entry<String, Map<String, Tensor>> e : byParam.entrySet()) {
      Shape shape = null;
      for (String slot : slots()) {
        Tensor t = e.getValue().get(slot);
        if (t == null) {
          throw new IllegalArgumentException(name() + ".restoreState: parameter '" + e.getKey() + "' has no '" + slot
              + "' (each parameter needs all of " + slots() + ")");
        }
        if (shape != null && !shape.equals(t.shape())) {
          throw new IllegalArgumentException(name() + ".restoreState: '" + e.getKey() + "/" + slot + "' has shape "
              + t.shape() + " but the parameter's other slots have " + shape);
        }
        shape = t.shape();
      }
    }
    states.clear();
    pending.clear();
    pending.putAll(byParam);
    this.iterations = iterations;
  }

  /** Copies restored buffers into a new state, after checking the shape against the parameter's. */
  private void restore(Parameter p, S s, Map<String, Tensor> restored) {
    for (String slot : slots()) {
      Tensor t = restored.get(slot);
      if (!t.shape().equals(p.shape())) {
        throw new IllegalStateException(name() + ": restored state '" + p.name() + "/" + slot + "' has shape " + t.shape()
            + " but the parameter has shape " + p.shape());
      }
      System.arraycopy(t.data(), 0, slot(s, slot), 0, p.size());
    }
  }

  /** Number of parameters that have state (trainable parameters seen so far). */
  public int stateCount() {
    return states.size();
  }

  /** {@code name}, {@code learning_rate} (a number or the schedule's config), then {@link #hyperParameters}. */
  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name());
    c.put("learning_rate",
        schedule instanceof ConstantSchedule ? (Object) ((ConstantSchedule) schedule).learningRate() : schedule.config());
    hyperParameters(c);
    return c;
  }

  /** Adds this optimizer's own hyper-parameters (Keras names) to {@code config}. */
  protected abstract void hyperParameters(Map<String, Object> config);

  /** Reads {@code learning_rate} from a config: a number or a schedule's config map; {@code fallback} when absent. */
  static LearningRateSchedule scheduleFromConfig(String owner, Map<String, ?> config, double fallback) {
    Object lr = config.get("learning_rate");
    if (lr == null) {
      return LearningRateSchedule.constant(fallback);
    }
    if (lr instanceof Number) {
      return LearningRateSchedule.constant(((Number) lr).doubleValue());
    }
    if (lr instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> m = (Map<String, ?>) lr;
      return LearningRateSchedule.fromConfig(m);
    }
    throw new IllegalArgumentException(
        owner + ": config 'learning_rate' must be a number or a schedule map, got " + lr.getClass().getSimpleName() + " " + lr);
  }

  /** {@code SGD(learning_rate=0.1, momentum=0.9, ...)}. */
  @Override
  public String toString() {
    Map<String, Object> c = config();
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
    boolean first = true;
    for (Map.Entry<String, Object> e : c.entrySet()) {
      if (e.getKey().equals("name")) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.append(')').toString();
  }
}
