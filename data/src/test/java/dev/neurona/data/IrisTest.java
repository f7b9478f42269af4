package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Tensor;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class IrisTest {
  private static final Iris IRIS = Iris.load();

  @Test
  void hasFiftyRowsPerSpeciesInUciOrder() {
    assertThat(IRIS.size()).isEqualTo(150);
    int[] sp = IRIS.speciesIndex();
    for (int i = 0; i < 150; i++) {
      assertThat(sp[i]).as("species of row %d", i).isEqualTo(i / 50);
    }
    assertThat(IRIS.toString()).isEqualTo("Iris(150 rows: setosa=50, versicolor=50, virginica=50)");
  }

  @Test
  void knownRows() {
    double[][] x = IRIS.features();
    assertThat(x[0]).containsExactly(5.1, 3.5, 1.4, 0.2);
    assertThat(IRIS.species(0)).isEqualTo("setosa");
    assertThat(x[50]).containsExactly(7.0, 3.2, 4.7, 1.4);
    assertThat(IRIS.species(50)).isEqualTo("versicolor");
    assertThat(x[149]).containsExactly(5.9, 3.0, 5.1, 1.8);
    assertThat(IRIS.species(149)).isEqualTo("virginica");
    // UCI's errata, corrected: row 35 (index 34) and row 38 (index 37).
    assertThat(x[34]).containsExactly(4.9, 3.1, 1.5, 0.2);
    assertThat(x[37]).containsExactly(4.9, 3.6, 1.4, 0.1);
  }

  @Test
  void columnMeansMatchThePublishedValues() {
    double[] mean = columnMeans(IRIS.features());
    assertThat(mean[0]).isCloseTo(5.843, within(5e-4));
    assertThat(mean[1]).isCloseTo(3.057, within(5e-4));
    assertThat(mean[2]).isCloseTo(3.758, within(5e-4));
    assertThat(mean[3]).isCloseTo(1.199, within(5e-4));
  }

  @Test
  void perSpeciesMeansAndStandardDeviationsMatchR() {
    // aggregate(. ~ Species, iris, mean) and sd in R; any mistyped value would move one of these.
    double[][] means = {{5.006, 3.428, 1.462, 0.246}, {5.936, 2.770, 4.260, 1.326}, {6.588, 2.974, 5.552, 2.026}};
    double[][] sds = {
        {0.3524897, 0.3790644, 0.1736640, 0.1053856},
        {0.5161711, 0.3137983, 0.4699110, 0.1977527},
        {0.6358796, 0.3224966, 0.5518947, 0.2746501}};
    for (int k = 0; k < 3; k++) {
      double[][] x = IRIS.only(Iris.SPECIES.get(k)).features();
      assertThat(x).hasNumberOfRows(50);
      double[] m = columnMeans(x);
      for (int j = 0; j < 4; j++) {
        double ss = 0;
        for (double[] row : x) {
          ss += (row[j] - m[j]) * (row[j] - m[j]);
        }
        assertThat(m[j]).as("mean of %s %s", Iris.SPECIES.get(k), Iris.FEATURES.get(j)).isCloseTo(means[k][j], within(1e-9));
        assertThat(Math.sqrt(ss / 49)).as("sd of %s %s", Iris.SPECIES.get(k), Iris.FEATURES.get(j))
            .isCloseTo(sds[k][j], within(1e-7));
      }
    }
  }

  @Test
  void selectsSpeciesColumnsAndLabels() {
    Iris two = IRIS.only("setosa", "versicolor");
    assertThat(two.size()).isEqualTo(100);
    double[][] x = two.features("sepal_length", "petal_length");
    assertThat(x[0]).containsExactly(5.1, 1.4);
    assertThat(x[99]).containsExactly(5.7, 4.1);
    int[] y = two.labels("versicolor");
    assertThat(y[0]).isEqualTo(-1);
    assertThat(y[49]).isEqualTo(-1);
    assertThat(y[50]).isEqualTo(1);
    assertThat(y[99]).isEqualTo(1);
    assertThat(IRIS.only("virginica", "setosa").species(50)).isEqualTo("virginica");
  }

  @Test
  void accessorsReturnCopies() {
    double[][] x = IRIS.features();
    x[0][0] = 99;
    assertThat(IRIS.features()[0][0]).isEqualTo(5.1);
  }

  @Test
  void featureTensorIsFloatNByFour() {
    Tensor t = IRIS.featureTensor();
    assertThat(t.shape().toArray()).containsExactly(150, 4);
    assertThat(t.get(149, 2)).isEqualTo(5.1f);
  }

  @Test
  void parsesUciSpeciesNames() {
    Iris iris = Iris.parse(new StringReader("5.1,3.5,1.4,0.2,Iris-setosa\n\n6.3,3.3,6.0,2.5,Iris-virginica\n"), "uci");
    assertThat(iris.size()).isEqualTo(2);
    assertThat(iris.species(1)).isEqualTo("virginica");
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> Iris.parse(new StringReader("# c\n5.1,3.5,1.4,setosa\n"), "f.csv"))
        .hasMessageContaining("f.csv line 2").hasMessageContaining("4 fields");
    assertThatThrownBy(() -> Iris.parse(new StringReader("5.1,x,1.4,0.2,setosa\n"), "f.csv"))
        .hasMessageContaining("line 1").hasMessageContaining("sepal_width").hasMessageContaining("\"x\"");
    assertThatThrownBy(() -> Iris.parse(new StringReader("5.1,NaN,1.4,0.2,setosa\n"), "f.csv"))
        .hasMessageContaining("not finite");
    assertThatThrownBy(() -> Iris.parse(new StringReader("5.1,3.5,1.4,0.2,rose\n"), "f.csv"))
        .hasMessageContaining("unknown species \"rose\"");
    assertThatThrownBy(() -> IRIS.features("petal_area")).hasMessageContaining("petal_area");
    assertThatThrownBy(() -> IRIS.features(4)).hasMessageContaining("column index 4");
    assertThatThrownBy(() -> IRIS.only("rose")).hasMessageContaining("rose");
    assertThatThrownBy(() -> IRIS.labels("Setosa")).hasMessageContaining("Setosa");
    assertThatThrownBy(() -> IRIS.species(150)).hasMessageContaining("row 150");
  }

  private static double[] columnMeans(double[][] x) {
    double[] m = new double[x[0].length];
    for (double[] row : x) {
      for (int j = 0; j < m.length; j++) {
        m[j] += row[j];
      }
    }
    for (int j = 0; j < m.length; j++) {
      m[j] /= x.length;
    }
    return m;
  }
}
