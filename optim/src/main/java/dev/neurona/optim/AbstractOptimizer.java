package dev.neurona.optim;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
   * Updates one parameter in place from its gradient.
   *
   * @param lr the learning rate of this step
   * @param t this step's 1-based index ({@code iterations() + 1}), for bias corrections
   */
  protected abstract void update(Parameter p, S state, float lr, long t);

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
    // Pass 1: validate every parameter and create missing state, so that a bad list changes nothing.
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
    // Pass 2: the updates.
    float lr = learningRate();
    long t = iterations + 1;
    for (Parameter p : params) {
      if (p.trainable()) {
        update(p, states.get(p.name()), lr, t);
      }
    }
    iterations++;
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
