package dev.neurona.optim;

import dev.neurona.core.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, with Keras'
 * update rule. Per element, with learning rate {@code lr}, momentum {@code μ}, weight decay
 * {@code wd}:
 *
 * <pre>
 *   g = grad + wd·w                      L2 weight decay, added to the gradient (as PyTorch's SGD)
 *   μ == 0:    w = w − lr·g
 *   otherwise: v = μ·v − lr·g            velocity, zero before the first step
 *              w = w + v                 (classical momentum)
 *              w = w + μ·v − lr·g        (nesterov)
 * </pre>
 *
 * <p>The weight decay is <b>coupled</b> (L2 regularisation: it passes through the momentum),
 * unlike Keras 3, which applies {@code w −= lr·wd·w} separately for every optimizer; for plain SGD
 * without momentum the two are identical. With a constant learning rate the momentum form equals
 * PyTorch's {@code v = μ·v + g; w −= lr·v}.
 *
 * <pre>{@code
 * new SGD(0.01)
 * new SGD(0.01, 0.9)
 * SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4).build()
 * SGD.builder().schedule(LearningRateSchedule.cosine(0.1, 10_000, 0.0)).momentum(0.9).build()
 * }</pre>
 */
public final class SGD extends AbstractOptimizer<SGD.Velocity> {
  static final String NAME = "sgd";
  private static final String OWNER = "SGD";

  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;

  /** The momentum buffer of one parameter ({@code null} when momentum is 0). */
  static final class Velocity extends AbstractOptimizer.State {
    final float[] v;

    Velocity(Parameter p, boolean withMomentum) {
      super(p);
      this.v = withMomentum ? new float[p.size()] : null;
    }
  }

  /** Plain SGD: {@code w −= learningRate·grad}. Keras' default learning rate is 0.01. */
  public SGD(double learningRate) {
    this(learningRate, 0.0);
  }

  /** SGD with classical momentum in {@code [0, 1)}. */
  public SGD(double learningRate, double momentum) {
    this(learningRate, momentum, false);
  }

  /** SGD with momentum, classical or Nesterov. */
  public SGD(double learningRate, double momentum, boolean nesterov) {
    this(constantRate(learningRate), momentum, nesterov, 0.0);
  }

  /**
   * The full constructor.
   *
   * @param schedule the learning rate per step
   * @param momentum in {@code [0, 1)}; 0 disables the velocity buffer
   * @param nesterov Nesterov momentum (needs {@code momentum > 0})
   * @param weightDecay L2 coefficient {@code >= 0}, added to the gradient as {@code wd·w}
   */
  public SGD(LearningRateSchedule schedule, double momentum, boolean nesterov, double weightDecay) {
    super(schedule);
    this.momentum = (float) Args.unitInterval(OWNER, "momentum", momentum);
    this.nesterov = nesterov;
    this.weightDecay = (float) Args.nonNegative(OWNER, "weightDecay", weightDecay);
    if (nesterov && this.momentum == 0) {
      throw new IllegalArgumentException(OWNER + ": nesterov=true needs momentum > 0, got momentum " + momentum);
    }
  }

  private static LearningRateSchedule constantRate(double learningRate) {
    return LearningRateSchedule.constant(Args.positive(OWNER, "learningRate", learningRate));
  }

  /** A builder with Keras' defaults: learning rate 0.01, no momentum, no weight decay. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  public float momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  public float weightDecay() {
    return weightDecay;
  }

  @Override
  protected Velocity createState(Parameter p) {
    return new Velocity(p, momentum > 0);
  }

  @Override
  protected List<String> slots() {
    return momentum > 0 ? List.of("velocity") : List.of();
  }

  @Override
  protected float[] slot(Velocity state, String slot) {
    if (!slot.equals("velocity") || state.v == null) {
      throw new IllegalArgumentException("sgd" + (momentum > 0 ? "" : " without momentum") + " has no slot '" + slot + "'");
    }
    return state.v;
  }

  // w, grad, v: the parameter's size, flat; elements [from, to). probe stays 0 unless a written value is not finite.
  @Override
  protected boolean update(Parameter p, Velocity state, float lr, long t, int from, int to) {
    float[] w = p.value().data();
    float[] grad = p.grad().data();
    float wd = weightDecay;
    float mu = momentum;
    float probe = 0f;
    if (state.v == null) {
      for (int i = from; i < to; i++) {
        float g = grad[i] + wd * w[i]; // g = grad + wd·w
        float wi = w[i] - lr * g; // w = w − lr·g
        w[i] = wi;
        probe += wi * 0f;
      }
      return probe == 0f;
    }
    float[] v = state.v;
    if (nesterov) {
      for (int i = from; i < to; i++) {
        float g = grad[i] + wd * w[i]; // g = grad + wd·w
        float vi = mu * v[i] - lr * g; // v = μ·v − lr·g
        v[i] = vi;
        float wi = w[i] + (mu * vi - lr * g); // w = w + μ·v − lr·g
        w[i] = wi;
        probe += wi * 0f + vi * 0f;
      }
    } else {
      for (int i = from; i < to; i++) {
        float g = grad[i] + wd * w[i]; // g = grad + wd·w
        float vi = mu * v[i] - lr * g; // v = μ·v − lr·g
        v[i] = vi;
        float wi = w[i] + vi; // w = w + v
        w[i] = wi;
        probe += wi * 0f + vi * 0f;
      }
    }
    return probe == 0f;
  }

  @Override
  protected void hyperParameters(Map<String, Object> config) {
    config.put("momentum", momentum);
    config.put("nesterov", nesterov);
    config.put("weight_decay", weightDecay);
  }

  /** Rebuilds an SGD from its {@link #config()}; absent keys take Keras' defaults. */
  static SGD fromConfig(Map<String, ?> config) {
    String owner = "SGD.fromConfig";
    return new SGD(
        scheduleFromConfig(owner, config, 0.01),
        Args.numberOr(owner, config, "momentum", 0.0),
        Args.boolOr(owner, config, "nesterov", false),
        Args.numberOr(owner, config, "weight_decay", 0.0));
  }

  /** Builds an {@link SGD}; every argument is validated by {@link #build()}. */
  public static final class Builder extends RateBuilder<Builder> {
    private double momentum;
    private boolean nesterov;
    private double weightDecay;

    private Builder() {
      super(OWNER, 0.01);
    }

    /** Momentum in {@code [0, 1)}; default 0. */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Nesterov momentum; default false. */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /** L2 weight decay {@code >= 0}, added to the gradient; default 0. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Builds the optimizer, validating every argument.
     *
     * @return a new SGD
     */
    public SGD build() {
      return new SGD(resolvedSchedule(), momentum, nesterov, weightDecay);
    }
  }
}
