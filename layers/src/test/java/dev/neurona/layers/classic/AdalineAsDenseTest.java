package dev.neurona.layers.classic;

import static dev.neurona.layers.classic.IrisFixture.X;
import static dev.neurona.layers.classic.IrisFixture.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Dense;
import dev.neurona.layers.loss.MeanSquaredError;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * ADALINE is a {@code Dense(1)} with a linear activation trained on squared error: with zero
 * initial weights, full-batch gradient descent and matching step sizes both learn the same weights.
 *
 * <p>ADALINE's cost is {@code ½ Σ (y − z)²}, so its step is {@code η · Σ (y − z) x}. Keras' mean squared
 * error is {@code (1/N) Σ (y − z)²}, whose gradient is {@code (2/N) Σ (z − y) x}; SGD with learning
 * rate {@code lr = η·N/2} therefore takes exactly ADALINE's step. ({@code SumSquaredError} is ADALINE's
 * own cost, so with it the rate is {@code η} itself: that is how {@link Classic#adaline} is built, and
 * {@code ClassicTest} compares it with the reference.)
 */
class AdalineAsDenseTest {

  @Test
  void dense1WithMseLearnsAdalinesWeights() {
    double[][] xs = Standardizer.standardize(X);
    double eta = 0.01;
    int epochs = 15;
    Adaline adaline = new Adaline(eta, epochs).fit(xs, Y);

    int n = xs.length;
    Tensor x = Tensor.zeros(n, 2);
    Tensor y = Tensor.zeros(n, 1);
    for (int i = 0; i < n; i++) {
      x.set((float) xs[i][0], i, 0);
      x.set((float) xs[i][1], i, 1);
      y.set(Y[i], i, 0);
    }
    Dense dense = new Dense(1).kernelInitializer("zeros");
    Sequential model = new Sequential().input(2).add(dense);
    model.compile(new SGD(eta * n / 2), new MeanSquaredError());
    model.fit(x, y, Fit.defaults().epochs(epochs).batchSize(n).shuffle(false));

    double[] w = adaline.weights();
    assertThat((double) dense.kernel().value().get(0, 0)).isCloseTo(w[0], within(1e-4));
    assertThat((double) dense.kernel().value().get(1, 0)).isCloseTo(w[1], within(1e-4));
    assertThat((double) dense.bias().value().get(0)).isCloseTo(adaline.bias(), within(1e-4));
    assertThat(Math.abs(w[0]) + Math.abs(w[1])).as("the weights moved away from zero").isGreaterThan(0.1);
  }
}
