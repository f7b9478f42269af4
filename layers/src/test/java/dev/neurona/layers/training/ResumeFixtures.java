package dev.neurona.layers.training;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;
import java.util.List;
import java.util.Random;

/** A small classifier with Dropout, trained with Adam on a decaying schedule, and its data: what the resume tests share. */
final class ResumeFixtures {
  static final int FEATURES = 12;
  static final int CLASSES = 3;

  private ResumeFixtures() {}

  /** {@code n} samples of {@code FEATURES} features whose class is decided by their sums, with a little noise. */
  static Tensor[] data(int n, long seed) {
    Random r = new Random(seed);
    Tensor x = Tensor.zeros(Shape.of(n, FEATURES));
    Tensor y = Tensor.zeros(Shape.of(n));
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(CLASSES);
      y.data()[i] = c;
      for (int f = 0; f < FEATURES; f++) {
        x.data()[i * FEATURES + f] = (float) (r.nextGaussian() + (f % CLASSES == c ? 1.0 : 0.0));
      }
    }
    return new Tensor[] {x, y};
  }

  /** Dense(hidden, relu) → Dropout(0.3) → Dense(3, softmax), Adam with an exponential decay per 5 steps. */
  static Sequential net(long seed, int hidden) {
    Sequential m = new Sequential(seed).input(FEATURES).add(new Dense(hidden, "relu")).add(new Dropout(0.3))
        .add(new Dense(CLASSES, "softmax"));
    m.compile(new Adam(LearningRateSchedule.exponential(0.02, 5, 0.9, false)), "sparse_categorical_crossentropy",
        "accuracy");
    return m;
  }

  /** The weights as raw float bits, for bit-for-bit comparisons. */
  static int[][] bits(Sequential m) {
    List<Tensor> w = m.getWeights();
    int[][] out = new int[w.size()][];
    for (int i = 0; i < out.length; i++) {
      float[] d = w.get(i).data();
      out[i] = new int[d.length];
      for (int j = 0; j < d.length; j++) {
        out[i][j] = Float.floatToRawIntBits(d[j]);
      }
    }
    return out;
  }

  /** Thrown by {@link #crashAt} to stand for a process that dies: nothing after it runs. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("simulated crash " + where);
    }
  }

  /** A callback that "kills" the fit at epoch {@code epoch}: after batch {@code batch}, or in onEpochEnd when -1. */
  static Callback crashAt(int epoch, int batch) {
    return new Callback() {
      @Override
      public void onBatchEnd(int e, int b, java.util.Map<String, Double> logs) {
        if (e == epoch && b == batch) {
          throw new Crash("after batch " + b + " of epoch " + e);
        }
      }

      @Override
      public void onEpochEnd(int e, java.util.Map<String, Double> logs) {
        if (e == epoch && batch < 0) {
          throw new Crash("at the end of epoch " + e + ", before its backup");
        }
      }
    };
  }
}
