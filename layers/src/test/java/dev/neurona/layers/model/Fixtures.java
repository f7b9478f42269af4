package dev.neurona.layers.model;

import dev.neurona.core.Parameter;
import dev.neurona.core.Tensor;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.loss.Loss;
import dev.neurona.layers.loss.Metric;
import dev.neurona.optim.Optimizer;
import java.util.List;
import java.util.Random;

/** Test-only optimizer, losses, metric and data sets, so the model tests stand on their own. */
public final class Fixtures {
  private Fixtures() {}

  /** Plain SGD: {@code w -= lr · g}. */
  public static final class Sgd implements Optimizer {
    private final float lr;
    private long steps;

    public Sgd(float lr) {
      this.lr = lr;
    }

    @Override
    public void step(List<Parameter> params) {
      for (Parameter p : params) {
        float[] w = p.value().data();
        float[] g = p.grad().data();
        for (int i = 0; i < w.length; i++) {
          w[i] -= lr * g[i];
        }
      }
      steps++;
    }

    @Override
    public float learningRate() {
      return lr;
    }

    @Override
    public long iterations() {
      return steps;
    }
  }

  /** Sparse categorical cross-entropy on probabilities; fuses with softmax when {@code fused}. */
  public static final class CrossEntropy implements Loss {
    private final boolean fused;
    public int fusedCalls;
    public int plainCalls;

    public CrossEntropy(boolean fused) {
      this.fused = fused;
    }

    @Override
    public String name() {
      return "sparse_categorical_crossentropy";
    }

    // loss = -mean log p[y];  dL/dp[y] = -1 / (B · p[y])
    @Override
    public float compute(Tensor p, Tensor targets, Tensor grad) {
      plainCalls++;
      int b = p.dim(0);
      int k = p.dim(1);
      double sum = 0;
      if (grad != null) {
        grad.fill(0f);
      }
      for (int r = 0; r < b; r++) {
        int y = (int) targets.data()[r];
        float py = Math.max(p.data()[r * k + y], 1e-7f);
        sum -= Math.log(py);
        if (grad != null) {
          grad.data()[r * k + y] = -1f / (b * py);
        }
      }
      return (float) (sum / b);
    }

    @Override
    public boolean fusesWithSoftmax() {
      return fused;
    }

    // dL/dz = (p - onehot(y)) / B
    @Override
    public float computeFromSoftmax(Tensor p, Tensor targets, Tensor dLogits) {
      fusedCalls++;
      int b = p.dim(0);
      int k = p.dim(1);
      double sum = 0;
      for (int r = 0; r < b; r++) {
        int y = (int) targets.data()[r];
        sum -= Math.log(Math.max(p.data()[r * k + y], 1e-7f));
        for (int c = 0; c < k; c++) {
          dLogits.data()[r * k + c] = (p.data()[r * k + c] - (c == y ? 1f : 0f)) / b;
        }
      }
      return (float) (sum / b);
    }
  }

  /** Delegates to a loss but returns NaN on its {@code n}-th training call (1-based). */
  public static final class NanOnCall implements Loss {
    private final Loss inner;
    private final int n;
    private int calls;

    public NanOnCall(Loss inner, int n) {
      this.inner = inner;
      this.n = n;
    }

    @Override
    public String name() {
      return "nan_on_call";
    }

    @Override
    public float compute(Tensor p, Tensor t, Tensor grad) {
      float l = inner.compute(p, t, grad);
      return grad != null && ++calls == n ? Float.NaN : l;
    }
  }

  /** Sparse accuracy: the arg-max equals the label. */
  public static final class Accuracy implements Metric {
    private long correct;
    private long total;

    public Accuracy() {}

    @Override
    public String name() {
      return "accuracy";
    }

    @Override
    public void update(Tensor p, Tensor targets) {
      int b = p.dim(0);
      int k = p.dim(1);
      for (int r = 0; r < b; r++) {
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (p.data()[r * k + c] > p.data()[r * k + best]) {
            best = c;
          }
        }
        correct += best == (int) targets.data()[r] ? 1 : 0;
        total++;
      }
    }

    @Override
    public double result() {
      return total == 0 ? 0 : (double) correct / total;
    }

    @Override
    public void reset() {
      correct = 0;
      total = 0;
    }
  }

  /** XOR: 4 samples (4, 2), labels (4). */
  public static Tensor xorX() {
    return Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
  }

  public static Tensor xorY() {
    return Tensor.of(new float[] {0, 1, 1, 0}, 4);
  }

  /** Two Gaussian blobs around (-1.5, -1.5) and (1.5, 1.5), alternating labels: x (n, 2), y (n). */
  public static Tensor[] blobs(int n, long seed) {
    Random r = new Random(seed);
    Tensor x = Tensor.zeros(n, 2);
    Tensor y = Tensor.zeros(n);
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      float c = label == 0 ? -1.5f : 1.5f;
      x.data()[2 * i] = c + (float) (0.5 * r.nextGaussian());
      x.data()[2 * i + 1] = c + (float) (0.5 * r.nextGaussian());
      y.data()[i] = label;
    }
    return new Tensor[] {x, y};
  }

  /** 2 → 8 tanh → 2 softmax, compiled with SGD and (fused) cross-entropy and accuracy. */
  public static Sequential smallNet(long seed, float lr) {
    Sequential m = new Sequential(seed).input(2);
    m.add(new TestLinear(8, "tanh")).add(new TestLinear(2, "softmax"));
    m.compile(new Sgd(lr), new CrossEntropy(true), new Accuracy());
    return m;
  }

  /** Three classes of 8×8 images: a bright horizontal bar, a vertical bar, or a diagonal, with noise. */
  public static Tensor[] bars(int n, long seed) {
    Random rnd = new Random(seed);
    Tensor x = Tensor.zeros(n, 8, 8, 1);
    Tensor y = Tensor.zeros(n);
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      int at = 1 + rnd.nextInt(6);
      for (int r = 0; r < 8; r++) {
        for (int col = 0; col < 8; col++) {
          boolean on = c == 0 ? r == at : c == 1 ? col == at : r == col;
          x.set((on ? 1.5f : 0f) + 0.3f * rnd.nextFloat(), i, r, col, 0);
        }
      }
      y.data()[i] = c;
    }
    return new Tensor[] {x, y};
  }
}
