package dev.neurona.optim;

import dev.neurona.core.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, 2015) with Keras' update rule and defaults, optional AMSGrad and optional
 * decoupled weight decay (AdamW, Loshchilov &amp; Hutter). Per element, at step {@code t} (1-based)
 * with learning rate {@code lr}:
 *
 * <pre>
 *   w = w − lr·wd·w                              decoupled weight decay (AdamW), on the old w
 *   m = m + (1 − β1)·(g − m)                     = β1·m + (1 − β1)·g, zero before step 1
 *   v = v + (1 − β2)·(g² − v)                    = β2·v + (1 − β2)·g²
 *   v̂ = max(v̂, v) with amsgrad, else v̂ = v
 *   α = lr·√(1 − β2^t) / (1 − β1^t)              bias correction, folded into the step size
 *   w = w − α·m / (√v̂ + ε)
 * </pre>
 *
 * <p>This is Keras' form, where ε is added after the bias correction of {@code v} (the paper's
 * "ε̂"); PyTorch computes {@code lr·m̂/(√v̂_corrected + ε)}, which equals this one with
 * {@code ε_keras = ε_torch·√(1 − β2^t)}. The difference only matters while {@code √v} is
 * comparable to ε. Defaults: {@code lr = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-7} (Keras; PyTorch
 * uses ε = 1e-8), no weight decay, no AMSGrad.
 *
 * <pre>{@code
 * new Adam()                 // lr 0.001
 * new Adam(1e-4)
 * Adam.builder().learningRate(3e-4).weightDecay(0.01).build()   // AdamW
 * Adam.builder().schedule(LearningRateSchedule.cosine(1e-3, 10_000, 0.0).withWarmup(500)).build()
 * }</pre>
 */
public final class Adam extends AbstractOptimizer<Adam.Moments> {
  static final String NAME = "adam";
  private static final String OWNER = "Adam";

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final boolean amsgrad;

  /** The moment estimates of one parameter. */
  static final class Moments extends AbstractOptimizer.State {
    final float[] m;
    final float[] v;
    final float[] vHat; // running max of v, only with amsgrad

    Moments(Parameter p, boolean amsgrad) {
      super(p);
      this.m = new float[p.size()];
      this.v = new float[p.size()];
      this.vHat = amsgrad ? new float[p.size()] : null;
    }
  }

  /** Adam with Keras' defaults (learning rate 0.001). */
  public Adam() {
    this(0.001);
  }

  /** Adam with the given learning rate and Keras' other defaults. */
  public Adam(double learningRate) {
    this(constantRate(learningRate), 0.9, 0.999, 1e-7, 0.0, false);
  }

  /** Adam with a learning-rate schedule and Keras' other defaults. */
  public Adam(LearningRateSchedule schedule) {
    this(schedule, 0.9, 0.999, 1e-7, 0.0, false);
  }

  /**
   * The full constructor.
   *
   * @param schedule the learning rate per step
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to {@code √v̂}, {@code > 0}
   * @param weightDecay decoupled (AdamW) coefficient {@code >= 0}: {@code w −= lr·wd·w} each step
   * @param amsgrad use the running maximum of {@code v} (Reddi et al., 2018)
   */
  public Adam(
      LearningRateSchedule schedule, double beta1, double beta2, double epsilon, double weightDecay, boolean amsgrad) {
    super(schedule);
    this.beta1 = (float) Args.unitInterval(OWNER, "beta1", beta1);
    this.beta2 = (float) Args.unitInterval(OWNER, "beta2", beta2);
    this.epsilon = (float) Args.positive(OWNER, "epsilon", epsilon);
    if (this.epsilon == 0) {
      throw new IllegalArgumentException(OWNER + ": epsilon must be > 0 and finite, got " + epsilon + " (0 as a float)");
    }
    this.weightDecay = (float) Args.nonNegative(OWNER, "weightDecay", weightDecay);
    this.amsgrad = amsgrad;
  }

  private static LearningRateSchedule constantRate(double learningRate) {
    return LearningRateSchedule.constant(Args.positive(OWNER, "learningRate", learningRate));
  }

  /** A builder with Keras' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  public float beta1() {
    return beta1;
  }

  public float beta2() {
    return beta2;
  }

  public float epsilon() {
    return epsilon;
  }

  public float weightDecay() {
    return weightDecay;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  protected Moments createState(Parameter p) {
    return new Moments(p, amsgrad);
  }

  @Override
  protected List<String> slots() {
    return amsgrad ? List.of("m", "v", "vhat") : List.of("m", "v");
  }

  @Override
  protected float[] slot(Moments state, String slot) {
    switch (slot) {
      case "m":
        return state.m;
      case "v":
        return state.v;
      case "vhat":
        return state.vHat;
      default:
        throw new IllegalArgumentException("adam has no slot '" + slot + "'");
    }
  }

  // w, grad, m, v, vHat: the parameter's size, flat; elements [from, to). The loop itself, as plain Java, is
  // ScalarKernels.adam (the reference; the Vector API kernel gives the same bits).
  @Override
  protected boolean update(Parameter p, Moments s, float lr, long t, int from, int to) {
    float[] w = p.value().data();
    float[] grad = p.grad().data();
    float[] m = s.m;
    float[] v = s.v;
    float[] vHat = s.vHat;
    // α = lr·√(1 − β2^t) / (1 − β1^t), in double: β^t is close to 1 for small t.
    float alpha = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    float decay = lr * weightDecay;
    float oneMinusBeta1 = 1 - beta1;
    float oneMinusBeta2 = 1 - beta2;
    return K.adam(w, grad, m, v, vHat, from, to - from, alpha, decay, oneMinusBeta1, oneMinusBeta2, epsilon);
  }

  @Override
  protected void hyperParameters(Map<String, Object> config) {
    config.put("beta_1", beta1);
    config.put("beta_2", beta2);
    config.put("epsilon", epsilon);
    config.put("weight_decay", weightDecay);
    config.put("amsgrad", amsgrad);
  }

  /** Rebuilds an Adam from its {@link #config()}; absent keys take Keras' defaults. */
  static Adam fromConfig(Map<String, ?> config) {
    String owner = "Adam.fromConfig";
    return new Adam(
        scheduleFromConfig(owner, config, 0.001),
        Args.numberOr(owner, config, "beta_1", 0.9),
        Args.numberOr(owner, config, "beta_2", 0.999),
        Args.numberOr(owner, config, "epsilon", 1e-7),
        Args.numberOr(owner, config, "weight_decay", 0.0),
        Args.boolOr(owner, config, "amsgrad", false));
  }

  /** Builds an {@link Adam}; every argument is validated by {@link #build()}. */
  public static final class Builder extends RateBuilder<Builder> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private double weightDecay;
    private boolean amsgrad;

    private Builder() {
      super(OWNER, 0.001);
    }

    /** First-moment decay in {@code [0, 1)}; default 0.9. */
    public Builder beta1(double beta1) {
      this.beta1 = beta1;
      return this;
    }

    /** Second-moment decay in {@code [0, 1)}; default 0.999. */
    public Builder beta2(double beta2) {
      this.beta2 = beta2;
      return this;
    }

    /** {@code > 0}; default 1e-7 (Keras). */
    public Builder epsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** Decoupled (AdamW) weight decay {@code >= 0}; default 0. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** AMSGrad variant; default false. */
    public Builder amsgrad(boolean amsgrad) {
      this.amsgrad = amsgrad;
      return this;
    }

    /**
     * Builds the optimizer, validating every argument.
     *
     * @return a new Adam
     */
    public Adam build() {
      return new Adam(resolvedSchedule(), beta1, beta2, epsilon, weightDecay, amsgrad);
    }
  }
}
