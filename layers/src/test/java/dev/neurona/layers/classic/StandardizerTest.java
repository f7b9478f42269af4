package dev.neurona.layers.classic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StandardizerTest {

  @Test
  void usesMeanAndPopulationStandardDeviation() {
    double[][] x = {{1, 10}, {2, 10}, {3, 40}};
    Standardizer s = Standardizer.fit(x);
    assertThat(s.mean()).containsExactly(2, 20);
    assertThat(s.std()[0]).isCloseTo(Math.sqrt(2.0 / 3), within(1e-15));
    assertThat(s.std()[1]).isCloseTo(Math.sqrt(200), within(1e-12));
    double[][] xs = s.transform(x);
    assertThat(xs[0][0]).isCloseTo(-Math.sqrt(1.5), within(1e-15));
    assertThat(xs[2][1]).isCloseTo(20 / Math.sqrt(200), within(1e-15));
    assertThat(s.inverse(xs[2])[1]).isCloseTo(40, within(1e-12));
    assertThat(x[0][0]).isEqualTo(1); // input untouched
  }

  @Test
  void standardisedIrisColumnsHaveZeroMeanAndUnitVariance() {
    double[][] xs = Standardizer.standardize(IrisFixture.X);
    for (int j = 0; j < 2; j++) {
      double m = 0;
      double v = 0;
      for (double[] row : xs) {
        m += row[j];
        v += row[j] * row[j];
      }
      assertThat(m / xs.length).isCloseTo(0, within(1e-12));
      assertThat(v / xs.length).isCloseTo(1, within(1e-12));
    }
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Standardizer.fit(new double[][] {{1, 5}, {2, 5}}))
        .hasMessageContaining("column 1 is constant");
    assertThatThrownBy(() -> Standardizer.fit(new double[0][])).hasMessageContaining("x has no rows");
    assertThatThrownBy(() -> Standardizer.fit(new double[][] {{1, Double.NaN}, {2, 3}})).hasMessageContaining("x[0][1] is NaN");
    Standardizer s = Standardizer.fit(new double[][] {{1, 2}, {3, 5}});
    assertThatThrownBy(() -> s.transform(new double[] {1})).hasMessageContaining("sample has 1 features, fitted on 2");
    assertThatThrownBy(() -> s.transform(new double[][] {{1, 2}, {1, 2, 3}})).hasMessageContaining("x[1] has 3 features");
  }
}
