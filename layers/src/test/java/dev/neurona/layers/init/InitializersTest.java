package dev.neurona.layers.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InitializersTest {
  /** Fills a seeded tensor and returns {min, max, mean, std}. */
  private static double[] stats(Initializer init, int... dims) {
    Tensor t = Tensor.zeros(dims);
    init.fill(t, new Random(42));
    double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sq = 0;
    for (float v : t.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sq += (double) v * v;
    }
    int n = t.size();
    double mean = sum / n;
    return new double[] {min, max, mean, Math.sqrt(sq / n - mean * mean)};
  }

  @Test
  void fansFollowKeras() {
    assertThat(Fans.of(Shape.of(3136, 1024))).isEqualTo(new Fans(3136, 1024));
    assertThat(Fans.of(Shape.of(5, 5, 32, 64))).isEqualTo(new Fans(5 * 5 * 32, 5 * 5 * 64));
    assertThat(Fans.of(Shape.of(10))).isEqualTo(new Fans(10, 10));
    assertThat(Fans.of(Shape.of())).isEqualTo(new Fans(1, 1));
  }

  @Test
  void glorotUniform() {
    double limit = Math.sqrt(6.0 / (200 + 300));
    double[] s = stats(new GlorotUniform(), 200, 300); // 60000 values
    assertThat(s[0]).isGreaterThanOrEqualTo(-limit);
    assertThat(s[1]).isLessThan(limit);
    assertThat(s[0]).isLessThan(-0.99 * limit); // the range is used
    assertThat(s[2]).isCloseTo(0, within(4 * limit / Math.sqrt(3 * 60000)));
    assertThat(s[3]).isCloseTo(limit / Math.sqrt(3), within(0.02 * limit / Math.sqrt(3)));
  }

  @Test
  void heUniformOnAConvKernel() {
    double fanIn = 3 * 3 * 16;
    double limit = Math.sqrt(6.0 / fanIn);
    double[] s = stats(new HeUniform(), 3, 3, 16, 512); // 73728 values
    assertThat(s[0]).isGreaterThanOrEqualTo(-limit);
    assertThat(s[1]).isLessThan(limit);
    assertThat(s[3]).isCloseTo(Math.sqrt(2 / fanIn), within(0.02 * Math.sqrt(2 / fanIn)));
  }

  @Test
  void heNormalIsTruncatedWithVarianceTwoOverFanIn() {
    double std = Math.sqrt(2.0 / 400);
    double[] s = stats(new HeNormal(), 400, 200); // 80000 values
    double bound = 2 * std / 0.87962566103423978;
    assertThat(s[0]).isGreaterThanOrEqualTo(-bound);
    assertThat(s[1]).isLessThanOrEqualTo(bound);
    assertThat(s[1]).isGreaterThan(0.98 * bound);
    assertThat(s[2]).isCloseTo(0, within(4 * std / Math.sqrt(80000)));
    assertThat(s[3]).isCloseTo(std, within(0.02 * std));
  }

  @Test
  void truncatedNormalRedrawsBeyondTwoStddev() {
    double[] s = stats(new TruncatedNormal(1.0, 0.5), 250, 200); // 50000 values
    assertThat(s[0]).isGreaterThanOrEqualTo(0.0);
    assertThat(s[1]).isLessThanOrEqualTo(2.0);
    assertThat(s[2]).isCloseTo(1.0, within(4 * 0.5 / Math.sqrt(50000)));
    assertThat(s[3]).isCloseTo(0.5 * 0.87962566103423978, within(0.01));
    assertThatThrownBy(() -> new TruncatedNormal(0, 0)).hasMessageContaining("stddev must be > 0, got 0.0");
  }

  @Test
  void zerosAndConstant() {
    assertThat(stats(new Zeros(), 10, 10)).containsExactly(0, 0, 0, 0);
    double[] s = stats(new Constant(0.25), 4, 4);
    assertThat(s[0]).isEqualTo(0.25);
    assertThat(s[1]).isEqualTo(0.25);
    assertThatThrownBy(() -> new Constant(Double.NaN)).hasMessageContaining("Constant").hasMessageContaining("NaN");
  }

  @Test
  void sameRandomSameValues() {
    Tensor a = Tensor.zeros(30, 20);
    Tensor b = Tensor.zeros(30, 20);
    new HeNormal().fill(a, new Random(5));
    new HeNormal().fill(b, new Random(5));
    assertThat(a.data()).isEqualTo(b.data());
  }

  @Test
  void factoryByKerasName() {
    assertThat(Initializers.of("glorot_uniform")).isInstanceOf(GlorotUniform.class);
    assertThat(Initializers.of("GlorotUniform")).isInstanceOf(GlorotUniform.class);
    assertThat(Initializers.of("zeros")).isInstanceOf(Zeros.class);
    assertThat(Initializers.of("he_normal")).isInstanceOf(HeNormal.class);
    assertThat(Initializers.of("HeUniform")).isInstanceOf(HeUniform.class);
    assertThat(Initializers.of("truncated_normal")).isEqualTo(new TruncatedNormal(0, 0.05));
    assertThat(Initializers.of("constant")).isEqualTo(new Constant(0));
    assertThatThrownBy(() -> Initializers.of("orthogonal")).hasMessageContaining("\"orthogonal\"").hasMessageContaining("glorot_uniform");
  }

  @Test
  void configRoundTrip() {
    for (Initializer i : new Initializer[] {new GlorotUniform(), new Zeros(), new HeNormal(), new HeUniform(),
        new TruncatedNormal(0.5, 0.2), new Constant(-3)}) {
      Object c = Initializers.toConfig(i);
      assertThat(Initializers.fromConfig(c)).as(i.kerasName()).isEqualTo(i);
    }
    assertThat(Initializers.toConfig(new GlorotUniform())).isEqualTo("glorot_uniform");
    assertThat(Initializers.toConfig(new Constant(2))).isEqualTo(Map.of("class_name", "constant", "config", Map.of("value", 2.0)));
    assertThatThrownBy(() -> Initializers.fromConfig(Map.of("class_name", "constant", "config", Map.of("value", "x"))))
        .hasMessageContaining("value").hasMessageContaining("x");
  }
}
