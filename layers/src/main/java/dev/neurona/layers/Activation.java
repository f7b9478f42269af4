package dev.neurona.layers;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import dev.neurona.core.kernels.Kernels;
import dev.neurona.core.kernels.KernelProvider;
import java.util.Locale;

/**
 * Element-wise (and, for softmax, row-wise over the last dimension) activations, forward and
 * backward side by side. Backward formulas use the forward <em>output</em> {@code y}:
 * <ul>
 *   <li>linear: {@code y = z}, {@code dz = dy}</li>
 *   <li>relu: {@code y = max(z, 0)}, {@code dz = dy · [y > 0]}</li>
 *   <li>sigmoid: {@code y = 1 / (1 + e^-z)}, {@code dz = dy · y · (1 - y)}</li>
 *   <li>tanh: {@code y = tanh z}, {@code dz = dy · (1 - y²)}</li>
 *   <li>softmax: {@code y_i = e^{z_i} / Σ_j e^{z_j}}, {@code dz_i = y_i · (dy_i - Σ_j dy_j y_j)}</li>
 * </ul>
 */
public enum Activation {
  LINEAR, RELU, SIGMOID, TANH, SOFTMAX;

  private static final Kernels K = KernelProvider.kernels();
  /**
   * Elements per parallel range for the element-wise activations (an eighth of it for sigmoid and
   * tanh forward, which call exp/tanh per element). Ranges write disjoint outputs: the bits do not
   * depend on the thread count. The first convolution's ReLU (3.2 M elements at batch 128) was a
   * serial 1–2 ms of each step.
   */
  private static final int GRAIN = 1 << 15;

  /** Parses a Keras name: {@code linear} (or null), {@code relu}, {@code sigmoid}, {@code tanh}, {@code softmax}. */
  public static Activation of(String name) {
    if (name == null) {
      return LINEAR;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "linear":
      case "none":
        return LINEAR;
      case "relu":
        return RELU;
      case "sigmoid":
        return SIGMOID;
      case "tanh":
        return TANH;
      case "softmax":
        return SOFTMAX;
      default:
        throw new IllegalArgumentException(
            "activation must be one of linear, relu, sigmoid, tanh, softmax; got \"" + name + "\"");
    }
  }

  /** The Keras name, e.g. {@code relu}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code y = f(z)}; {@code y} may be {@code z} itself. Softmax runs over the last dimension. */
  public void forward(Tensor z, Tensor y) {
    float[] zi = z.data();
    float[] yo = y.data();
    int n = z.size();
    switch (this) {
      case LINEAR:
        if (zi != yo) {
          System.arraycopy(zi, 0, yo, 0, n);
        }
        break;
      case RELU:
        Parallel.forRange(n, GRAIN, (from, to) -> K.relu(zi, from, yo, from, to - from));
        break;
      case SIGMOID:
        Parallel.forRange(n, GRAIN / 8, (from, to) -> {
          for (int i = from; i < to; i++) {
            yo[i] = (float) (1.0 / (1.0 + Math.exp(-zi[i])));
          }
        });
        break;
      case TANH:
        Parallel.forRange(n, GRAIN / 8, (from, to) -> {
          for (int i = from; i < to; i++) {
            yo[i] = (float) Math.tanh(zi[i]);
          }
        });
        break;
      case SOFTMAX:
        int cols = z.dim(-1);
        K.softmaxRows(zi, 0, yo, 0, n / cols, cols);
        break;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * {@code dz = dy · f'(z)}, computed from the forward output {@code y}; {@code dz} may be {@code dy}.
   * The loops below are the reference, except ReLU's, which is
   * {@link dev.neurona.core.kernels.ScalarKernels#reluBackward ScalarKernels.reluBackward} (or its
   * vector twin).
   */
  public void backward(Tensor y, Tensor dy, Tensor dz) {
    float[] yo = y.data();
    float[] d = dy.data();
    float[] o = dz.data();
    int n = y.size();
    switch (this) {
      case LINEAR:
        if (d != o) {
          System.arraycopy(d, 0, o, 0, n);
        }
        break;
      case RELU:
        Parallel.forRange(n, GRAIN, (from, to) -> K.reluBackward(yo, from, d, from, o, from, to - from));
        break;
      case SIGMOID:
        Parallel.forRange(n, GRAIN, (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = d[i] * yo[i] * (1f - yo[i]);
          }
        });
        break;
      case TANH:
        Parallel.forRange(n, GRAIN, (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = d[i] * (1f - yo[i] * yo[i]);
          }
        });
        break;
      case SOFTMAX:
        int cols = y.dim(-1);
        for (int r = 0; r < n / cols; r++) {
          int off = r * cols;
          float s = K.dot(d, off, yo, off, cols);
          for (int c = 0; c < cols; c++) {
            o[off + c] = yo[off + c] * (d[off + c] - s);
          }
        }
        break;
      default:
        throw new AssertionError(this);
    }
  }
}
