package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layer: hyper-parameters (validated in the constructor), weights created in {@link #build},
 * and a forward/backward pair written side by side.
 *
 * <p>Shapes: {@link #inputShape()} and {@link #outputShape()} are <em>per sample</em> (no batch
 * dimension); {@link #forward} and {@link #backward} take and return batches whose first dimension is
 * the batch size. Images are NHWC.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #computeOutputShape} does no maths; it validates the input shape and names the layer.</li>
 *   <li>{@link #forward} caches, in named fields, exactly what {@link #backward} needs.</li>
 *   <li>{@link #backward} returns dLoss/dInput and <em>accumulates</em> ({@code +=}) into each
 *       {@link Parameter#grad()}; zeroing gradients is the training loop's explicit step.</li>
 *   <li>{@link #infer} is the inference pass: the maths of {@code forward(x, false)} (the same
 *       helper and kernels, so the same bits), written into buffers from a {@link Workspace} and
 *       caching nothing.</li>
 *   <li>Returned tensors may be buffers the layer reuses on its next call with the same batch size.</li>
 * </ul>
 *
 * <p>Threads: {@link #forward} and {@link #backward} write the layer's fields, so they belong to one
 * thread at a time (the one training). {@link #infer} may run on any number of threads at once,
 * each with its own workspace: it reads the weights and the hyper-parameters and writes only to
 * workspace buffers. Every layer of this library overrides it so; a layer that does not inherits a
 * default that runs {@code forward(x, false)} under a lock of its own and copies the output (correct,
 * but one thread at a time through that layer). Nothing here guards the weights against a change
 * made while {@code infer} reads them: the model does that (see {@code Sequential}).
 */
public abstract class Layer {
  private String name;
  private Shape inputShape;
  private Shape outputShape;
  private final List<Parameter> parameters = new ArrayList<>();
  private boolean built;
  /** Held by the default {@link #infer}, which runs {@link #forward} (and so writes this layer's fields). */
  private final Object forwardLock = new Object();
  /** False for the first layer of a model: its backward may skip computing dInput (returns null). */
  protected boolean needsInputGradient = true;

  protected Layer() {}

  /** The layer's name, e.g. {@code conv2d_1}; null until set by the user or by the model. */
  public String name() {
    return name;
  }

  /** Sets the name (before {@link #build}); parameter names are {@code name + "." + weight}. */
  public Layer name(String name) {
    if (built) {
      throw new IllegalStateException(describe() + ": cannot rename a built layer to '" + name + "'");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": name must not be blank, got '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** Throws, naming this layer and {@code what}, once the layer is built (hyper-parameter setters call it). */
  protected final void requireUnbuilt(String what) {
    if (built) {
      throw new IllegalStateException(describe() + ": cannot change " + what + " after the layer is built");
    }
  }

  /** The type shown in {@code summary()}, e.g. {@code Conv2D}. */
  public String typeName() {
    return getClass().getSimpleName();
  }

  /** Per-sample output shape for a per-sample input shape; throws, naming this layer, if it does not fit. */
  public abstract Shape computeOutputShape(Shape inputShape);

  /**
   * Builds the layer for a per-sample input shape: computes the output shape and creates the weights
   * (through {@link #addWeight}) from {@code seed}. Called once, by the model.
   */
  public final void build(Shape inputShape, long seed) {
    if (built) {
      if (!inputShape.equals(this.inputShape)) {
        throw new IllegalStateException(describe() + " was built for input " + this.inputShape
            + " and cannot be rebuilt for " + inputShape);
      }
      return;
    }
    this.outputShape = computeOutputShape(inputShape);
    this.inputShape = inputShape;
    onBuild(inputShape, seed);
    this.built = true;
  }

  /** Creates the weights; the default has none. {@code seed} drives initialisation (and dropout masks). */
  protected void onBuild(Shape inputShape, long seed) {}

  /**
   * The weights {@link #build} would create for this per-sample input shape, by weight name in
   * creation order, worked out without creating them: loading checks a model file's tensors against
   * them before anything is allocated. Null, the default, when the layer does not say (loading then
   * builds it and compares afterwards). A layer that overrides it must return exactly what its
   * {@code build} adds, and reject an input shape as {@link #computeOutputShape} does.
   */
  public Map<String, Shape> weightShapes(Shape inputShape) {
    return null;
  }

  /** Registers a weight tensor called {@code name + "." + weightName}. */
  protected final Parameter addWeight(String weightName, Tensor value) {
    String prefix = name == null ? typeName().toLowerCase() : name;
    Parameter p = new Parameter(prefix + "." + weightName, value);
    parameters.add(p);
    return p;
  }

  /** Forward pass on a batch. {@code training} switches dropout and similar behaviour. */
  public abstract Tensor forward(Tensor x, boolean training);

  /** Backward pass: given dLoss/dOutput for the last forward batch, returns dLoss/dInput and accumulates weight gradients. */
  public abstract Tensor backward(Tensor dOut);

  /**
   * Inference pass on a batch, safe to run from several threads at once: the output of
   * {@code forward(x, false)}, bit for bit, written into buffers from {@code ws} (or a view of
   * {@code x}, for layers that are the identity at inference), with nothing cached in the layer.
   *
   * <p>Layers override it by calling the helper their {@link #forward} calls, with a workspace
   * buffer as the output. This default, for layers that do not, runs {@code forward(x, false)} under
   * a lock of this layer and copies the result into {@code ws}, since {@code forward} writes the
   * layer's fields: correct from any thread, but one thread at a time through this layer.
   *
   * @param x the input batch {@code (batch, ...input shape)}; not modified
   * @param ws the calling thread's workspace for this pass
   * @return the output batch {@code (batch, ...output shape)}, valid until {@code ws} is reset
   */
  public Tensor infer(Tensor x, Workspace ws) {
    synchronized (forwardLock) {
      Tensor y = forward(x, false);
      Tensor out = ws.tensor(y.shape());
      System.arraycopy(y.data(), 0, out.data(), 0, y.size());
      return out;
    }
  }

  /** Whether {@link #build} has run. */
  public final boolean isBuilt() {
    return built;
  }

  /** Per-sample input shape; null before {@link #build}. */
  public final Shape inputShape() {
    return inputShape;
  }

  /** Per-sample output shape; null before {@link #build}. */
  public final Shape outputShape() {
    return outputShape;
  }

  /** The weights in creation order. */
  public final List<Parameter> parameters() {
    return Collections.unmodifiableList(parameters);
  }

  /** Number of scalar weights. */
  public final long parameterCount() {
    long n = 0;
    for (Parameter p : parameters) {
      n += p.size();
    }
    return n;
  }

  /**
   * Whether the model should ask this layer for dInput: {@link dev.neurona.layers.model.Sequential}
   * sets it false for the layers with no parameters before them (the first layer, and any layer after
   * parameter-free preprocessing), whose input gradient nothing would use.
   */
  public final void setNeedsInputGradient(boolean needs) {
    this.needsInputGradient = needs;
  }

  /** Whether {@link #backward} computes dInput (see {@link #setNeedsInputGradient}). */
  public final boolean needsInputGradient() {
    return needsInputGradient;
  }

  /**
   * The hyper-parameters that define this layer, in constructor order, as JSON-friendly values
   * (numbers, strings, booleans, lists). Used for saving and for {@link #toString()}.
   */
  public Map<String, Object> config() {
    return new LinkedHashMap<>();
  }

  /**
   * The default value of each hyper-parameter in {@link #config()} that has one; {@link #toString()}
   * leaves out entries equal to their default (PyTorch style). The default is none.
   */
  protected Map<String, Object> configDefaults() {
    return Map.of();
  }

  /**
   * Returns {@code buffer} when it already has {@code shape}, else a new zero tensor of that shape.
   * Layers keep their output and gradient tensors in fields and call this once per batch, so
   * training reuses them and only a change of batch size allocates.
   */
  protected static Tensor reuse(Tensor buffer, Shape shape) {
    return buffer != null && buffer.shape().equals(shape) ? buffer : Tensor.zeros(shape);
  }

  /**
   * Throws unless {@code dOut} has the shape of the last forward output, naming the layer; also
   * throws when backward is called before any forward.
   */
  protected final void checkGradient(Tensor dOut, Tensor lastOutput) {
    if (lastOutput == null) {
      throw new IllegalStateException(describe() + ": backward called before forward");
    }
    if (dOut == null) {
      throw new IllegalArgumentException(describe() + ": dOut is null (expected shape " + lastOutput.shape() + ")");
    }
    if (!dOut.shape().equals(lastOutput.shape())) {
      throw new IllegalArgumentException(describe() + ": dOut has shape " + dOut.shape()
          + " but the last forward output had shape " + lastOutput.shape());
    }
  }

  /** Throws if the batch {@code x} does not match the built input shape, naming the layer and both shapes. */
  protected final void checkInput(Tensor x) {
    if (!built) {
      throw new IllegalStateException(describe() + " is not built; add it to a model (or call build) before forward");
    }
    if (x == null) {
      throw new IllegalArgumentException(describe() + ": input is null");
    }
    if (x.rank() != inputShape.rank() + 1 || !x.shape().dropFirst().equals(inputShape)) {
      throw new IllegalArgumentException(describe() + ": expected input of shape (batch, "
          + inputShape.toString().substring(1) + ", got " + x.shape());
    }
  }

  /** {@code Dense 'dense_1'}: how errors name this layer. */
  protected final String describe() {
    return typeName() + (name == null ? "" : " '" + name + "'");
  }

  /** {@code Dense(units=128, activation=relu)}: the type and its non-default hyper-parameters. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(typeName()).append('(');
    boolean first = true;
    Map<String, Object> defaults = configDefaults();
    for (Map.Entry<String, Object> e : config().entrySet()) {
      if (defaults.containsKey(e.getKey()) && Objects.equals(defaults.get(e.getKey()), e.getValue())) {
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
