package dev.neurona.layers.classic;

import static dev.neurona.layers.classic.IrisFixture.X;
import static dev.neurona.layers.classic.IrisFixture.Y;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdalineTest {
  private static final double[][] XS = Standardizer.standardize(X);

  @Test
  void costFallsEveryEpochOnStandardisedFeaturesWithSmallEta() {
    Adaline a = new Adaline(0.01, 15).fit(XS, Y);
    double[] cost = a.costs();
    assertThat(cost).hasSize(15);
    for (int t = 1; t < cost.length; t++) {
      assertThat(cost[t]).as("cost of epoch %d vs %d", t + 1, t).isLessThan(cost[t - 1]);
    }
    assertThat(cost[14]).isLessThan(cost[0] / 5);
    assertThat(a.diverged()).isFalse();
    assertThat(a.accuracy(XS, Y)).isEqualTo(1.0);
  }

  @Test
  void costGrowsEveryEpochOnRawFeaturesWithLargeEta() {
    Adaline a = new Adaline(0.01, 10).fit(X, Y);
    double[] cost = a.costs();
    assertThat(cost).hasSize(10);
    for (int t = 1; t < cost.length; t++) {
      assertThat(cost[t]).as("cost of epoch %d vs %d", t + 1, t).isGreaterThan(cost[t - 1]);
    }
    assertThat(cost[9]).isGreaterThan(cost[0] * 1e20);
    assertThat(a.diverged()).isFalse(); // still finite in float64

    // The same raw features with a small enough eta do converge, slowly.
    double[] slow = new Adaline(0.0001, 10).fit(X, Y).costs();
    for (int t = 1; t < slow.length; t++) {
      assertThat(slow[t]).isLessThan(slow[t - 1]);
    }
  }

  @Test
  void stopsAndSaysSoWhenTheCostOverflows() {
    Adaline a = new Adaline(0.01, 500).fit(X, Y);
    assertThat(a.diverged()).isTrue();
    assertThat(a.epochsRun()).isLessThan(500).isEqualTo(a.costs().length);
    assertThat(a.costs()[a.epochsRun() - 1]).isInfinite();
    assertThat(a.costs()[a.epochsRun() - 2]).isFinite();
  }

  @Test
  void batchStepsFollowTheGradientByHand() {
    // x = (1), (2); y = 1, −1; η = 0.1, w = b = 0.
    // Epoch 1: e = (1, −1), J = ½(1 + 1) = 1; Σ e x = 1 − 2 = −1 → w = −0.1; Σ e = 0 → b = 0.
    // Epoch 2: z = (−0.1, −0.2), e = (1.1, −0.8), J = ½(1.21 + 0.64) = 0.925;
    //          Σ e x = 1.1 − 1.6 = −0.5 → w = −0.15; Σ e = 0.3 → b = 0.03.
    Adaline a = new Adaline(0.1, 2).fit(new double[][] {{1}, {2}}, new int[] {1, -1});
    assertThat(a.costs()[0]).isCloseTo(1, within(1e-15));
    assertThat(a.costs()[1]).isCloseTo(0.925, within(1e-15));
    assertThat(a.weights()[0]).isCloseTo(-0.15, within(1e-15));
    assertThat(a.bias()).isCloseTo(0.03, within(1e-15));
    assertThat(a.activation(-2.5)).isEqualTo(-2.5);
  }

  @Test
  void batchDescentReachesTheLeastSquaresSolution() {
    // The minimiser of ½ Σ (y − w·x − b)² solves the normal equations AᵀA θ = Aᵀy with A = [x | 1].
    double[] theta = leastSquares(XS, Y);
    Adaline a = new Adaline(0.005, 1000).fit(XS, Y);
    assertThat(a.weights()[0]).isCloseTo(theta[0], within(1e-9));
    assertThat(a.weights()[1]).isCloseTo(theta[1], within(1e-9));
    assertThat(a.bias()).isCloseTo(theta[2], within(1e-9));
  }

  @Test
  void stochasticStepsFollowTheRuleByHand() {
    // One sample x = 2, y = 1, η = 0.1. Epoch 1: e = 1, cost ½ → w = 0.2, b = 0.1.
    // Epoch 2: z = 0.5, e = 0.5, cost ⅛ → w = 0.3, b = 0.15.
    Adaline a = Adaline.stochastic(0.1, 2, 1).fit(new double[][] {{2}}, new int[] {1});
    assertThat(a.costs()).containsExactly(0.5, 0.125);
    assertThat(a.weights()[0]).isCloseTo(0.3, within(1e-15));
    assertThat(a.bias()).isCloseTo(0.15, within(1e-15));
  }

  @Test
  void stochasticVariantIsSeededAndLearnsTheTutorialProblem() {
    Adaline a = Adaline.stochastic(0.01, 15, 1).fit(XS, Y);
    Adaline b = Adaline.stochastic(0.01, 15, 1).fit(XS, Y);
    Adaline c = Adaline.stochastic(0.01, 15, 2).fit(XS, Y);
    assertThat(a.isStochastic()).isTrue();
    assertThat(a.costs()).hasSize(15).containsExactly(b.costs());
    assertThat(a.weights()).containsExactly(b.weights());
    assertThat(c.weights()).isNotEqualTo(a.weights());
    assertThat(a.costs()[14]).isLessThan(a.costs()[0] / 3);
    assertThat(a.accuracy(XS, Y)).isEqualTo(1.0);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> new Adaline(0, 10)).hasMessageContaining("Adaline: eta").hasMessageContaining("got 0.0");
    assertThatThrownBy(() -> Adaline.stochastic(Double.POSITIVE_INFINITY, 10, 1)).hasMessageContaining("got Infinity");
    assertThatThrownBy(() -> new Adaline(0.01, -3)).hasMessageContaining("epochs must be >= 1, got -3");
    Adaline a = new Adaline(0.01, 10);
    assertThatThrownBy(() -> a.fit(XS, new int[] {1, -1})).hasMessageContaining("Adaline.fit: x has 100 rows but y has 2 labels");
    assertThatThrownBy(() -> a.fit(new double[][] {{1}, {2}}, new int[] {1, 2})).hasMessageContaining("y[1] = 2");
    assertThatThrownBy(() -> a.fit(new double[][] {{Double.NaN}, {2}}, new int[] {1, -1})).hasMessageContaining("x[0][0] is NaN");
    assertThatThrownBy(() -> a.weights()).isInstanceOf(IllegalStateException.class).hasMessageContaining("Adaline.weights: not fitted");
  }

  /** Solves the 3×3 normal equations by Gaussian elimination with partial pivoting; returns (w0, w1, b). */
  private static double[] leastSquares(double[][] x, int[] y) {
    int n = 3;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < x.length; i++) {
      double[] a = {x[i][0], x[i][1], 1};
      for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++) {
          m[r][c] += a[r] * a[c];
        }
        m[r][n] += a[r] * y[i];
      }
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
          piv = r;
        }
      }
      double[] t = m[col];
      m[col] = m[piv];
      m[piv] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int c = col; c <= n; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] theta = new double[n];
    for (int r = 0; r < n; r++) {
      theta[r] = m[r][n] / m[r][r];
    }
    return theta;
  }
}
