package dev.neurona.layers.classic;

import static dev.neurona.layers.classic.IrisFixture.X;
import static dev.neurona.layers.classic.IrisFixture.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.Iris;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerceptronTest {

  @Test
  void convergesOnSetosaVersusVersicolorWithinTenEpochsAndStopsEarly() {
    Perceptron p = new Perceptron(0.1, 50, 1).fit(X, Y);
    List<Integer> errors = p.errors();
    assertThat(p.converged()).isTrue();
    assertThat(errors.size()).isLessThanOrEqualTo(10).isEqualTo(p.epochsRun());
    assertThat(errors.get(errors.size() - 1)).isZero();
    assertThat(errors.subList(0, errors.size() - 1)).allMatch(e -> e > 0);
    assertThat(p.accuracy(X, Y)).isEqualTo(1.0);
    // The tutorial's run (zero weights, in order): 2, 2, 3, 2, 1, then none.
    assertThat(errors).containsExactly(2, 2, 3, 2, 1, 0);
  }

  @Test
  void followsThePerceptronRuleStepByStep() {
    // Epoch 1: x0 = (2, 1) has z = 0 → ŷ = +1, wrong → update = 0.25·(−1 − 1) = −0.5:
    //   w = (−1, −0.5), b = −0.5. x1 = (−1, −3): z = 1 + 1.5 − 0.5 = 2 → +1, right.
    // Epoch 2: x0: z = −2 − 0.5 − 0.5 = −3 → −1, right; x1 right → no mistake, stop.
    double[][] x = {{2, 1}, {-1, -3}};
    int[] y = {-1, 1};
    Perceptron p = new Perceptron(0.25, 10, 0).fit(x, y);
    assertThat(p.errors()).containsExactly(1, 0);
    assertThat(p.weights()).containsExactly(-1, -0.5);
    assertThat(p.bias()).isEqualTo(-0.5);
    assertThat(p.netInput(new double[] {-1, -3})).isEqualTo(2);
    assertThat(p.activation(2)).isEqualTo(1);
    assertThat(p.activation(-0.1)).isEqualTo(-1);
    assertThat(p.predict(x)).containsExactly(-1, 1);
    assertThat(p.netInput(x)).containsExactly(-3, 2);
  }

  @Test
  void doesNotClaimConvergenceOnNonSeparableData() {
    double[][] xor = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    int[] y = {-1, 1, 1, -1};
    Perceptron p = new Perceptron(0.1, 7, 1).fit(xor, y);
    assertThat(p.converged()).isFalse();
    assertThat(p.errors()).hasSize(7).allMatch(e -> e > 0);
    assertThat(p.epochsRun()).isEqualTo(7);

    Iris vv = Iris.load().only("versicolor", "virginica");
    Perceptron q = new Perceptron(0.1, 20, 1).fit(vv.features("sepal_length", "petal_length"), vv.labels("virginica"));
    assertThat(q.converged()).isFalse();
    assertThat(q.errors()).hasSize(20).allMatch(e -> e > 0);
  }

  @Test
  void shuffledOrderIsSeededAndStillConverges() {
    Perceptron a = new Perceptron(0.1, 50, 7).shuffle(true).fit(X, Y);
    Perceptron b = new Perceptron(0.1, 50, 7).shuffle(true).fit(X, Y);
    Perceptron c = new Perceptron(0.1, 50, 8).shuffle(true).fit(X, Y);
    assertThat(a.converged()).isTrue();
    assertThat(a.errors()).isEqualTo(b.errors());
    assertThat(a.weights()).isEqualTo(b.weights());
    assertThat(a.weights()).isNotEqualTo(c.weights());
    assertThat(a.accuracy(X, Y)).isEqualTo(1.0);
  }

  @Test
  void refitReplacesWeightsAndHistory() {
    Perceptron p = new Perceptron(0.1, 3, 1).fit(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[] {-1, 1, 1, -1});
    assertThat(p.converged()).isFalse();
    p.fit(X, Y);
    assertThat(p.converged()).isFalse(); // 3 epochs are not enough for the tutorial's problem
    assertThat(p.errors()).containsExactly(2, 2, 3);
    p.fit(new double[][] {{1}, {-1}}, new int[] {1, -1});
    assertThat(p.weights()).hasSize(1);
    assertThat(p.converged()).isTrue();
    assertThat(p.errors()).containsExactly(1, 0);
  }

  @Test
  void historyIsReadOnly() {
    Perceptron p = new Perceptron(0.1, 10, 1).fit(X, Y);
    assertThatThrownBy(() -> p.errors().add(1)).isInstanceOf(UnsupportedOperationException.class);
    p.weights()[0] = 42;
    assertThat(p.weights()[0]).isNotEqualTo(42);
  }

  @Test
  void rejectsBadHyperParameters() {
    assertThatThrownBy(() -> new Perceptron(0, 10, 1)).hasMessageContaining("Perceptron: eta").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> new Perceptron(-0.1, 10, 1)).hasMessageContaining("got -0.1");
    assertThatThrownBy(() -> new Perceptron(Double.NaN, 10, 1)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> new Perceptron(0.1, 0, 1)).hasMessageContaining("epochs must be >= 1, got 0");
  }

  @Test
  void rejectsBadData() {
    Perceptron p = new Perceptron(0.1, 10, 1);
    assertThatThrownBy(() -> p.fit(new double[][] {{1, 2}, {3, 4}}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has 2 rows but y has 1 labels");
    assertThatThrownBy(() -> p.fit(new double[][] {{1, 2}, {3, 4}}, new int[] {0, 1}))
        .hasMessageContaining("y[0] = 0; labels must be -1 or 1");
    assertThatThrownBy(() -> p.fit(new double[][] {{1, 2}, {3, Double.NaN}}, new int[] {1, -1}))
        .hasMessageContaining("x[1][1] is NaN");
    assertThatThrownBy(() -> p.fit(new double[][] {{1, 2}, {3}}, new int[] {1, -1}))
        .hasMessageContaining("x[1] has 1 features, but x[0] has 2");
    assertThatThrownBy(() -> p.fit(new double[0][], new int[0])).hasMessageContaining("x has no rows");
    assertThatThrownBy(() -> p.fit(null, new int[0])).hasMessageContaining("x is null");
    assertThatThrownBy(() -> p.predict(new double[] {1, 2})).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Perceptron.predict: not fitted");
    p.fit(X, Y);
    assertThatThrownBy(() -> p.predict(new double[] {1, 2, 3})).hasMessageContaining("sample has 3 features, the unit was fitted on 2");
    assertThatThrownBy(() -> p.predict(new double[][] {{1, 2}, {1}})).hasMessageContaining("x[1] has 1 features");
    assertThatThrownBy(() -> p.accuracy(X, new int[] {1})).hasMessageContaining("x has 100 rows but y has 1 labels");
  }
}
