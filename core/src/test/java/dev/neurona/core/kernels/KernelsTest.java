package dev.neurona.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.offset;

import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.conv.Padding;
import dev.neurona.core.kernels.simd.VectorKernels;
import dev.neurona.core.testing.SimdRuns;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar reference, on seeded random data at sizes around the
 * lane count {@code L} and at unaligned offsets, with guard elements around every range.
 *
 * <p>Element-wise kernels, {@code max}, {@code biasGrad} and max pooling must be bit-identical (NaN
 * compared as NaN). {@code sum}, {@code dot} and {@code softmaxRows} add in another order; their
 * tolerances are derived where they are checked. The vector kernels come from
 * {@link SimdRuns#vectorKernels()}: missing in the default run is a failure, not a skip.
 */
class KernelsTest {
  /** Unit roundoff of float32. */
  private static final double U = 0x1p-24;
  /** Offsets of the first, second and output arrays: unaligned and different from each other. */
  private static final int A_OFF = 3;
  private static final int B_OFF = 11;
  private static final int OUT_OFF = 5;
  /** Guard elements after every range; they must come back untouched. */
  private static final int GUARD = 7;

  /** Every {@code Kernels} method except {@code name}; each has a test below. */
  private static final Set<String> COVERED = Set.of("add", "mul", "scale", "axpy", "dot", "sum", "max", "maxAbs", "relu",
      "reluBackward", "softmaxRows", "addBias", "biasGrad", "maxPoolForward", "maxPoolBackward", "maxPoolBackwardTiled", "convRow", "convRowWindow", "convPoolRowWindow", "windowTile",
      "convKernelGrad", "convKernelGradRuns", "directConvolution", "adam", "winogradInput", "winogradMaxPool", "winogradOutput",
      "winogradOutputBackward");

  private static final float[] SPECIALS = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f, -1e30f, 1f, -1f};

  private final Kernels scalar = KernelProvider.scalar();

  /** The vector kernels (fails or skips, see {@link SimdRuns#vectorKernels()}). */
  private static Kernels vec() {
    return SimdRuns.vectorKernels();
  }

  /**
   * Lane count of the vector kernels; a nominal 8 when the vector module is absent (the scalar-path
   * run, where only the tests on {@link #implementations()} run), so no vector class is touched.
   */
  private static int lanes() {
    return KernelProvider.vectorModulePresent() ? VectorKernels.lanes() : 8;
  }

  /** {0 when legal, 1, L−1, L, L+1, 2L−1, 2L, 2L+1, 4L, 4L+3, 5L+3, 37, 101, 1009, 10007}, distinct, ascending. */
  private static int[] sizes(boolean zeroLegal) {
    int l = lanes();
    return Arrays.stream(new int[] {0, 1, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 4 * l, 4 * l + 3, 5 * l + 3,
            37, 101, 1009, 10007})
        .filter(n -> n > 0 || zeroLegal && n == 0).distinct().sorted().toArray();
  }

  /** Uniform values in [lo, hi); with {@code specials}, about 1 in 16 is a signed zero, subnormal, ±inf, NaN or huge. */
  private static float[] data(Random rnd, int len, float lo, float hi, boolean specials) {
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = specials && rnd.nextInt(16) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : lo + (hi - lo) * rnd.nextFloat();
    }
    return x;
  }

  private static float[] data(Random rnd, int len, boolean specials) {
    return data(rnd, len, -1f, 1f, specials);
  }

  /** Small integers in [lo, hi]: every partial sum is exact in float, so any summation order gives the same bits. */
  private static float[] integers(Random rnd, int len, int lo, int hi) {
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = lo + rnd.nextInt(hi - lo + 1);
    }
    return x;
  }

  @FunctionalInterface
  private interface ArraysOp {
    void run(Kernels k, float[][] arrays);
  }

  /** Runs {@code op} with both kernels on copies of {@code arrays}; every array must end bit-identical. */
  private void sameBits(String what, float[][] arrays, ArraysOp op) {
    float[][] s = deepCopy(arrays);
    float[][] v = deepCopy(arrays);
    op.run(scalar, s);
    op.run(vec(), v);
    for (int i = 0; i < arrays.length; i++) {
      assertBitsEqual(what + ", array " + i, s[i], v[i]);
    }
  }

  private static float[][] deepCopy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  /** Bit-for-bit equality (all NaNs equal), naming the first differing index. */
  static void assertBitsEqual(String what, float[] expected, float[] actual) {
    assertThat(actual.length).as(what + ": length").isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        fail(what + ": index " + i + " is " + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
            + "), the scalar reference gives " + expected[i] + " (0x"
            + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
      }
    }
  }

  /** γ_k = k·u / (1 − k·u): the classic bound on the relative error of k rounded operations. */
  private static double gamma(int k) {
    return k * U / (1 - k * U);
  }

  // ---------------------------------------------------------------------------------------------
  // Coverage and identity

  @Test
  void everyKernelMethodIsTestedAndOverriddenByTheVectorKernels() throws NoSuchMethodException {
    Set<String> methods = Arrays.stream(Kernels.class.getMethods()).map(Method::getName)
        .filter(n -> !n.equals("name")).collect(Collectors.toCollection(TreeSet::new));
    assertThat(methods).as("Kernels methods; add a test (and its name to COVERED) for a new one")
        .containsExactlyInAnyOrderElementsOf(COVERED);
    Class<?> vc = vec().getClass();
    for (Method m : Kernels.class.getMethods()) {
      assertThat(vc.getDeclaredMethod(m.getName(), m.getParameterTypes())).as(m.getName()).isNotNull();
    }
  }

  @Test
  void vectorNameStatesWidthAndLanes() {
    int l = lanes();
    assertThat(vec().name()).startsWith("vector (" + (32 * l) + "-bit, " + l + " floats");
    assertThat(l).isIn(4, 8, 16);
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise: bit-identical

  @Test
  void add() {
    for (int n : sizes(true)) {
      Random rnd = new Random(100 + n);
      sameBits("add n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true), data(rnd, B_OFF + n + GUARD, true),
          data(rnd, OUT_OFF + n + GUARD, true)}, (k, x) -> k.add(x[0], A_OFF, x[1], B_OFF, x[2], OUT_OFF, n));
      sameBits("add in place n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true), data(rnd, B_OFF + n + GUARD, true)},
          (k, x) -> k.add(x[0], A_OFF, x[1], B_OFF, x[0], A_OFF, n));
    }
  }

  @Test
  void mul() {
    for (int n : sizes(true)) {
      Random rnd = new Random(200 + n);
      sameBits("mul n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true), data(rnd, B_OFF + n + GUARD, true),
          data(rnd, OUT_OFF + n + GUARD, true)}, (k, x) -> k.mul(x[0], A_OFF, x[1], B_OFF, x[2], OUT_OFF, n));
      sameBits("mul in place n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true), data(rnd, B_OFF + n + GUARD, true)},
          (k, x) -> k.mul(x[0], A_OFF, x[1], B_OFF, x[1], B_OFF, n));
    }
  }

  @Test
  void scale() {
    for (int n : sizes(true)) {
      Random rnd = new Random(300 + n);
      for (float alpha : new float[] {0.37f, -3f, 0f, -0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}) {
        sameBits("scale alpha=" + alpha + " n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true),
            data(rnd, OUT_OFF + n + GUARD, true)}, (k, x) -> k.scale(alpha, x[0], A_OFF, x[1], OUT_OFF, n));
      }
      sameBits("scale in place n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true)},
          (k, x) -> k.scale(1.1f, x[0], A_OFF, x[0], A_OFF, n));
    }
  }

  @Test
  void axpy() {
    for (int n : sizes(true)) {
      Random rnd = new Random(400 + n);
      // Values whose product and sum both round: a fused multiply-add would show up here.
      for (float alpha : new float[] {0.1f, -1.7f, 3f, 0f}) {
        sameBits("axpy alpha=" + alpha + " n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true),
            data(rnd, B_OFF + n + GUARD, true)}, (k, x) -> k.axpy(alpha, x[0], A_OFF, x[1], B_OFF, n));
      }
    }
  }

  @Test
  void adam() {
    // One Adam step: every array it writes (w, m, v, vHat) bit-identical, with and without AMSGrad and
    // weight decay, specials included; and the same answer to "was everything written finite?".
    for (int n : sizes(true)) {
      Random rnd = new Random(700 + n);
      for (boolean ams : new boolean[] {false, true}) {
        for (boolean specials : new boolean[] {false, true}) {
          float decay = ams ? 1e-4f : 0f;
          float[][] x = {data(rnd, A_OFF + n + GUARD, specials), data(rnd, A_OFF + n + GUARD, specials),
              data(rnd, A_OFF + n + GUARD, -0.1f, 0.1f, false), data(rnd, A_OFF + n + GUARD, 0f, 0.01f, false),
              data(rnd, A_OFF + n + GUARD, 0f, 0.01f, false)};
          String what = "adam n=" + n + (ams ? " amsgrad" : "") + (specials ? " specials" : "");
          sameBits(what, x, (k, a) -> k.adam(a[0], a[1], a[2], a[3], ams ? a[4] : null, A_OFF, n, 3e-3f, decay, 0.1f,
              1e-3f, 1e-7f));
          float[][] s = deepCopy(x), v = deepCopy(x);
          boolean scalarFinite = scalar.adam(s[0], s[1], s[2], s[3], ams ? s[4] : null, A_OFF, n, 3e-3f, decay, 0.1f,
              1e-3f, 1e-7f);
          boolean vectorFinite = vec().adam(v[0], v[1], v[2], v[3], ams ? v[4] : null, A_OFF, n, 3e-3f, decay, 0.1f,
              1e-3f, 1e-7f);
          assertThat(vectorFinite).as(what + ": finite").isEqualTo(scalarFinite);
          if (!specials) {
            assertThat(scalarFinite).as(what + ": finite data stays finite").isTrue();
          }
        }
      }
    }
    float[] inf = {0f, Float.POSITIVE_INFINITY, 0f};
    assertThat(scalar.adam(new float[3], inf, new float[3], new float[3], null, 0, 3, 1e-3f, 0f, 0.1f, 1e-3f, 1e-7f))
        .as("an infinite gradient").isFalse();
  }

  @Test
  void relu() {
    for (int n : sizes(true)) {
      Random rnd = new Random(500 + n);
      sameBits("relu n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true), data(rnd, OUT_OFF + n + GUARD, true)},
          (k, x) -> k.relu(x[0], A_OFF, x[1], OUT_OFF, n));
      sameBits("relu in place n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true)},
          (k, x) -> k.relu(x[0], A_OFF, x[0], A_OFF, n));
    }
  }

  @Test
  void reluBackward() {
    for (int n : sizes(true)) {
      Random rnd = new Random(600 + n);
      sameBits("reluBackward n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true),
          data(rnd, B_OFF + n + GUARD, true), data(rnd, OUT_OFF + n + GUARD, true)},
          (k, x) -> k.reluBackward(x[0], A_OFF, x[1], B_OFF, x[2], OUT_OFF, n));
      sameBits("reluBackward in place n=" + n, new float[][] {data(rnd, A_OFF + n + GUARD, true),
          data(rnd, B_OFF + n + GUARD, true)}, (k, x) -> k.reluBackward(x[0], A_OFF, x[1], B_OFF, x[1], B_OFF, n));
    }
  }

  @Test
  void addBias() {
    for (int rows : new int[] {0, 1, 3, 5}) {
      for (int cols : sizes(true)) {
        Random rnd = new Random(700 + 31L * rows + cols);
        sameBits("addBias " + rows + "x" + cols, new float[][] {data(rnd, A_OFF + rows * cols + GUARD, true),
            data(rnd, B_OFF + cols + GUARD, true)}, (k, x) -> k.addBias(x[0], A_OFF, rows, cols, x[1], B_OFF));
      }
    }
  }

  /** Each column still receives its rows in order 0, 1, 2, …, so even this reduction is exact. */
  @Test
  void biasGrad() {
    for (int rows : new int[] {0, 1, 3, 17}) {
      for (int cols : sizes(true)) {
        Random rnd = new Random(800 + 31L * rows + cols);
        sameBits("biasGrad " + rows + "x" + cols, new float[][] {data(rnd, A_OFF + rows * cols + GUARD, true),
            data(rnd, B_OFF + cols + GUARD, true)}, (k, x) -> k.biasGrad(x[0], A_OFF, rows, cols, x[1], B_OFF));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions

  /** Max is order-independent (NaN aside), so it must be bit-identical too. */
  @Test
  void max() {
    for (int n : sizes(false)) {
      Random rnd = new Random(900 + n);
      float[] mixed = data(rnd, A_OFF + n + GUARD, true);
      for (int i = 0; i < mixed.length; i++) {
        if (Float.isNaN(mixed[i])) {
          mixed[i] = -0f; // NaN handling is unspecified
        }
      }
      float[] negative = data(rnd, A_OFF + n + GUARD, -2f, -1f, false);
      float[] zeros = new float[A_OFF + n + GUARD];
      for (int i = 0; i < zeros.length; i++) {
        zeros[i] = rnd.nextBoolean() ? 0f : -0f;
      }
      float[] negZeros = new float[A_OFF + n + GUARD];
      Arrays.fill(negZeros, -0f);
      negZeros[negZeros.length - 1] = 5f; // in the guard: must not be seen
      for (float[] x : List.of(mixed, negative, zeros, negZeros)) {
        float s = scalar.max(x, A_OFF, n);
        float v = vec().max(x, A_OFF, n);
        assertBitsEqual("max n=" + n, new float[] {s}, new float[] {v});
      }
    }
  }

  /** maxAbs: order-independent like max, and NaN whenever an element is NaN (the optimizers rely on it). */
  @Test
  void maxAbs() {
    for (int n : sizes(false)) {
      Random rnd = new Random(950 + n);
      float[] mixed = data(rnd, A_OFF + n + GUARD, true);
      float[] finite = data(rnd, A_OFF + n + GUARD, -3f, 3f, false);
      double expected = 0;
      boolean nan = false;
      for (int i = A_OFF; i < A_OFF + n; i++) {
        expected = Math.max(expected, Math.abs(finite[i]));
        nan |= Float.isNaN(mixed[i]);
      }
      finite[A_OFF + n] = 1e30f; // in the guard: must not be seen
      assertThat(scalar.maxAbs(finite, A_OFF, n)).as("scalar maxAbs n=%d", n).isEqualTo((float) expected);
      assertThat(vec().maxAbs(finite, A_OFF, n)).as("vector maxAbs n=%d", n).isEqualTo((float) expected);
      float s = scalar.maxAbs(mixed, A_OFF, n);
      float v = vec().maxAbs(mixed, A_OFF, n);
      assertThat(Float.isNaN(s)).as("scalar maxAbs NaN n=%d", n).isEqualTo(nan);
      assertBitsEqual("maxAbs n=" + n, new float[] {s}, new float[] {v});
      if (n > 0) {
        float[] oneNaN = finite.clone();
        oneNaN[A_OFF + n - 1] = Float.NaN; // the very last element: the tail loop of either path
        assertThat(vec().maxAbs(oneNaN, A_OFF, n)).as("vector maxAbs, NaN last, n=%d", n).isNaN();
        assertThat(scalar.maxAbs(oneNaN, A_OFF, n)).as("scalar maxAbs, NaN last, n=%d", n).isNaN();
      }
    }
  }

  /**
   * Bound: summing n terms in any order with float rounding gives |ŝ − Σt| ≤ γ_n·Σ|t| (Higham,
   * <i>Accuracy and Stability of Numerical Algorithms</i>, §4.2; a fused multiply-add only removes
   * roundings). Both paths obey it, so |vector − scalar| ≤ 2·γ_n·Σ|t| ≈ 2·n·u·Σ|t|. Each path is
   * also checked against a double-precision sum (error ≤ n·2⁻⁵³·Σ|t|, negligible here).
   */
  @Test
  void sumWithinRoundingOfScalar() {
    for (int n : sizes(true)) {
      float[] x = data(new Random(1000 + n), A_OFF + n + GUARD, false);
      double exact = 0;
      double abs = 0;
      for (int i = 0; i < n; i++) {
        exact += x[A_OFF + i];
        abs += Math.abs(x[A_OFF + i]);
      }
      float s = scalar.sum(x, A_OFF, n);
      float v = vec().sum(x, A_OFF, n);
      assertThat((double) Math.abs(v - s)).as("sum n=%d: vector %s vs scalar %s", n, v, s).isLessThanOrEqualTo(2 * gamma(n) * abs);
      assertThat(Math.abs(v - exact)).as("sum n=%d: vector vs exact", n).isLessThanOrEqualTo(gamma(n) * abs);
      assertThat(Math.abs(s - exact)).as("sum n=%d: scalar vs exact", n).isLessThanOrEqualTo(gamma(n) * abs);
    }
  }

  /** Same bound as {@link #sumWithinRoundingOfScalar()} with terms {@code a[i]·b[i]}. */
  @Test
  void dotWithinRoundingOfScalar() {
    for (int n : sizes(true)) {
      Random rnd = new Random(1100 + n);
      float[] a = data(rnd, A_OFF + n + GUARD, false);
      float[] b = data(rnd, B_OFF + n + GUARD, false);
      double exact = 0;
      double abs = 0;
      for (int i = 0; i < n; i++) {
        double t = (double) a[A_OFF + i] * b[B_OFF + i]; // exact: 24 + 24 bits fit in a double
        exact += t;
        abs += Math.abs(t);
      }
      float s = scalar.dot(a, A_OFF, b, B_OFF, n);
      float v = vec().dot(a, A_OFF, b, B_OFF, n);
      assertThat((double) Math.abs(v - s)).as("dot n=%d: vector %s vs scalar %s", n, v, s).isLessThanOrEqualTo(2 * gamma(n) * abs);
      assertThat(Math.abs(v - exact)).as("dot n=%d: vector vs exact", n).isLessThanOrEqualTo(gamma(n) * abs);
      assertThat(Math.abs(s - exact)).as("dot n=%d: scalar vs exact", n).isLessThanOrEqualTo(gamma(n) * abs);
    }
  }

  /**
   * On small integers every partial sum is exact, so order cannot matter: the paths must agree
   * exactly with each other and with the integer sum. This catches a lost or doubled element that
   * the rounding bound above is too loose to see at large n.
   */
  @Test
  void sumAndDotAreExactOnSmallIntegers() {
    for (int n : sizes(true)) {
      Random rnd = new Random(1200 + n);
      float[] a = integers(rnd, A_OFF + n + GUARD, -8, 8);
      float[] b = integers(rnd, B_OFF + n + GUARD, -8, 8);
      long sum = 0;
      long dot = 0;
      for (int i = 0; i < n; i++) {
        sum += (long) a[A_OFF + i];
        dot += (long) a[A_OFF + i] * (long) b[B_OFF + i];
      }
      for (Kernels k : implementations()) {
        assertThat(k.sum(a, A_OFF, n)).as("%s sum n=%d", k.name(), n).isEqualTo((float) sum);
        assertThat(k.dot(a, A_OFF, b, B_OFF, n)).as("%s dot n=%d", k.name(), n).isEqualTo((float) dot);
      }
    }
  }

  /**
   * Each output is {@code e_c · (1 / Σe)}. Relative errors: the exponential ≤ 2u (SVML: 1 ulp;
   * {@code (float) Math.exp}: ≤ u + 2⁻⁵³), the sum of {@code cols} positive terms ≤ γ_cols, the
   * reciprocal and the product u each — so each path is within (cols + 4)·u of the exact value
   * (to first order), and the two paths within 2·(cols + 4)·u·|out| of each other.
   */
  @Test
  void softmaxRowsWithinRoundingOfScalar() {
    for (int rows : new int[] {0, 1, 3, 7}) {
      for (int cols : sizes(false)) {
        Random rnd = new Random(1300 + 31L * rows + cols);
        float[] x = data(rnd, A_OFF + rows * cols + GUARD, -10f, 10f, false);
        float[] outS = data(rnd, OUT_OFF + rows * cols + GUARD, false);
        float[] outV = outS.clone();
        scalar.softmaxRows(x, A_OFF, outS, OUT_OFF, rows, cols);
        vec().softmaxRows(x, A_OFF, outV, OUT_OFF, rows, cols);
        double tol = 2 * (cols + 4) * U;
        for (int i = 0; i < outS.length; i++) {
          boolean inside = i >= OUT_OFF && i < OUT_OFF + rows * cols;
          if (inside) {
            assertThat((double) outV[i]).as("softmax %dx%d at %d", rows, cols, i - OUT_OFF)
                .isCloseTo(outS[i], offset(tol * Math.abs(outS[i]) + Float.MIN_NORMAL));
          } else {
            assertThat(outV[i]).as("softmax %dx%d guard %d", rows, cols, i).isEqualTo(outS[i]);
          }
        }
      }
    }
  }

  /**
   * Every implementation against a double-precision softmax; rows sum to 1. Besides the
   * (cols + 4)·u above, the kernels round {@code x − max} to float, an absolute error of up to
   * u·|x − max| in the exponent and so a relative one of the same size in the output.
   */
  @Test
  void softmaxRowsMatchesDoubleReference() {
    int rows = 4;
    for (int cols : new int[] {1, 2, 10, 33, 100, 1000}) {
      float[] x = data(new Random(1400 + cols), rows * cols, -20f, 20f, false);
      for (Kernels k : implementations()) {
        float[] out = new float[rows * cols];
        k.softmaxRows(x, 0, out, 0, rows, cols);
        for (int r = 0; r < rows; r++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < cols; c++) {
            m = Math.max(m, x[r * cols + c]);
          }
          double z = 0;
          for (int c = 0; c < cols; c++) {
            z += Math.exp(x[r * cols + c] - m);
          }
          double rowSum = 0;
          for (int c = 0; c < cols; c++) {
            double expected = Math.exp(x[r * cols + c] - m) / z;
            rowSum += out[r * cols + c];
            assertThat((double) out[r * cols + c]).as("%s softmax row %d col %d of %d", k.name(), r, c, cols)
                .isCloseTo(expected, offset((cols + 6 + Math.abs(x[r * cols + c] - m)) * U * expected + 1e-30));
          }
          assertThat(rowSum).as("%s row %d sum", k.name(), r).isCloseTo(1.0, offset(1e-5));
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Max pooling

  private static List<ConvGeometry> poolGeometries() {
    // {kH, kW, strideH, strideW}: square pools 2 and 3 with strides 1 and 2, plus two non-square ones.
    return poolGeometries(new int[][] {{2, 2, 1, 1}, {2, 2, 2, 2}, {3, 3, 1, 1}, {3, 3, 2, 2}, {3, 2, 2, 1}, {1, 3, 1, 2}});
  }

  /** Pools of the given {@code {kH, kW, strideH, strideW}} windows on small images, both paddings, channel counts around the lanes. */
  private static List<ConvGeometry> poolGeometries(int[][] windows) {
    List<ConvGeometry> gs = new ArrayList<>();
    int l = lanes();
    int[] channels = Arrays.stream(new int[] {1, 3, 16, 20, 32, 33, l - 1, l, l + 1, 2 * l + 1}).distinct().toArray();
    int[][] inputs = {{5, 7}, {6, 6}, {1, 1}, {2, 3}, {9, 4}, {8, 11}};
    for (int[] hw : inputs) {
      for (int[] w : windows) {
        for (Padding p : Padding.values()) {
          if (p == Padding.VALID && (w[0] > hw[0] || w[1] > hw[1])) {
            continue;
          }
          for (int c : channels) {
            gs.add(ConvGeometry.of(hw[0], hw[1], c, w[0], w[1], w[2], w[3], p, c));
          }
        }
      }
    }
    return gs;
  }

  /**
   * The direct kernel gradient against its definition on both paths (fused chains for the vector
   * one): tap counts around the groups of four, eight and nine, arbitrary and in runs of consecutive offsets,
   * channel counts around the 8- and 16-lane vectors, beta 0 and 1, guards on both sides of the gradient.
   */
  @Test
  void convKernelGradMatchesItsDefinitionOnBothPaths() {
    Random rnd = new Random(1701);
    int dOff = 4, dkOff = 3, checked = 0;
    for (int nTaps : new int[] {1, 3, 4, 9, 25, 27, 48}) {
      for (int outC : new int[] {3, 8, 13, 16, 20, 32}) {
        for (int[] range : new int[][] {{0, 1}, {2, 9}, {5, 300}, {0, 300}, {1, 300}}) {
          int from = range[0], to = range[1];
          // Arbitrary taps; on the last two ranges a window's runs, rows 12 apart: nine consecutive offsets (3×3
          // on three channels) or sixteen for 48 taps (3×3 on 16 channels: convKernelGradRuns' 8×32 tiles on
          // 512-bit vectors, JDK 25), then five (5×5 on one channel).
          int run = range[1] < 300 || range[0] == 5 ? 0 : range[0] == 0 ? (nTaps == 48 ? 16 : 9) : 5;
          int[] taps = new int[nTaps];
          for (int t = 0; t < nTaps; t++) {
            taps[t] = run == 0 ? rnd.nextInt(40) : t / run * 12 % 40 + t % run;
          }
          int[] corners = new int[to];
          for (int q = 0; q < to; q++) {
            corners[q] = rnd.nextInt(60);
          }
          float[] src = data(rnd, 100 + GUARD, true);
          float[] dOut = data(rnd, dOff + to * outC + GUARD, false);
          for (float beta : new float[] {0f, 1f}) {
            for (boolean fused : new boolean[] {false, true}) {
              if (fused && !KernelProvider.vectorModulePresent()) {
                continue;
              }
              float[] expected = data(rnd, dkOff + nTaps * outC + GUARD, false);
              float[] dK = expected.clone();
              for (int t = 0; t < nTaps; t++) {
                for (int o = 0; o < outC; o++) {
                  float sum = 0f;
                  for (int q = from; q < to; q++) {
                    float a = src[corners[q] + taps[t]], b = dOut[dOff + q * outC + o];
                    sum = fused ? Math.fma(a, b, sum) : sum + a * b;
                  }
                  int e = dkOff + t * outC + o;
                  expected[e] = beta == 0f ? sum : sum + beta * expected[e];
                }
              }
              (fused ? vec() : scalar).convKernelGrad(src, corners, from, to, taps, nTaps, dOut, dOff, outC, beta, dK,
                  dkOff);
              assertBitsEqual("convKernelGrad " + (fused ? "vector" : "scalar") + " taps " + nTaps + " outC " + outC
                  + " rows " + from + ".." + to + " beta " + beta, expected, dK);
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(420);
  }

  /** The windows convKernelGrad takes beyond first layers: 512-bit vectors from JDK 25 on, runs of 8k floats, 32 channels. */
  @Test
  void convKernelGradRunsOnlyWhereItsTilesFit() {
    assertThat(scalar.convKernelGradRuns(48, 32)).as("the scalar kernels: im2col and the GEMM").isFalse();
    if (KernelProvider.vectorModulePresent()) {
      boolean tiles = lanes() == 16 && Runtime.version().feature() >= 25;
      assertThat(vec().convKernelGradRuns(48, 32)).as(vec().name() + " on JDK " + Runtime.version().feature()).isEqualTo(tiles);
      assertThat(vec().convKernelGradRuns(96, 32)).isEqualTo(tiles);
      assertThat(vec().convKernelGradRuns(44, 32)).isFalse();
      assertThat(vec().convKernelGradRuns(96, 64)).isFalse();
      assertThat(vec().convKernelGradRuns(48, 16)).isFalse();
    }
  }

  /**
   * The direct convolution is off only where it would wreck the GEMM: 256-bit kernels beside preferred
   * vectors wider than 512 bits on a JDK before 25 (see VectorKernels; 8 and 16 lanes have kernels of
   * their own width). The scalar kernels always take it.
   */
  @Test
  void directConvolutionIsOffOnlyWhereVectorWidthsWouldMixOnAnOldJdk() {
    assertThat(scalar.directConvolution()).isTrue();
    boolean mixes = lanes() > 16 && Runtime.version().feature() < 25;
    assertThat(vec().directConvolution()).as(vec().name() + " on JDK " + Runtime.version().feature()).isEqualTo(!mixes);
  }

  /**
   * convRow against its definition, bit for bit: the scalar kernel sums unfused (as the scalar GEMM
   * micro-kernel), the vector kernel with fused multiply-adds (as the vector one), both over the taps
   * in order from zero, then add the bias. Pixel counts below, at and around the 6-pixel tile,
   * channel counts with partial 16-wide blocks, guards on both sides of the output.
   */
  /**
   * The window row against its definition, convRow with the window's taps and step inC: the windows with a
   * tile (3×3 on three channels, 5-wide on one, over one to five window rows) and one without, channel
   * counts that fill, split and under-fill the 16-channel groups, rows shorter than a tile.
   */
  @Test
  void convRowWindowIsConvRowOnTheWindowsTaps() {
    Random rnd = new Random(1750);
    int srcOff = 6, outOff = 4, checked = 0;
    int[][] windows = {{3, 3, 3}, {1, 3, 3}, {5, 5, 1}, {2, 5, 1}, {3, 3, 2}}; // {kH, kW, inC}
    for (int[] win : windows) {
      int kH = win[0], kW = win[1], inC = win[2];
      for (int outC : new int[] {3, 16, 20, 32}) {
        for (int count : new int[] {5, 8, 13, 30}) {
          int rowStride = (count + kW + 2) * inC, wStride = (outC + 15) / 16 * 16;
          int nTaps = kH * kW * inC;
          int[] taps = new int[nTaps];
          for (int ky = 0, t = 0; ky < kH; ky++) {
            for (int kx = 0; kx < kW; kx++) {
              for (int c = 0; c < inC; c++) {
                taps[t++] = ky * rowStride + kx * inC + c;
              }
            }
          }
          float[] src = data(rnd, srcOff + (kH + 1) * rowStride + GUARD, true);
          float[] w = new float[nTaps * wStride];
          for (int t = 0; t < nTaps; t++) {
            System.arraycopy(data(rnd, outC, false), 0, w, t * wStride, outC);
          }
          float[] bias = rnd.nextBoolean() ? null : Arrays.copyOf(data(rnd, outC, false), wStride);
          for (Kernels k : implementations()) {
            float[] expected = data(rnd, outOff + count * outC + GUARD, false);
            float[] out = expected.clone();
            k.convRow(src, srcOff, inC, taps, nTaps, w, wStride, bias, count, expected, outOff, outC);
            Arrays.fill(out, outOff, outOff + count * outC, Float.NaN);
            k.convRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, count, out, outOff, outC);
            assertBitsEqual(k.name() + " convRowWindow " + kH + "x" + kW + "x" + inC + " outC " + outC + " count " + count,
                expected, out);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(80);
    assertThat(scalar.windowTile(3, 3)).as("the scalar kernels keep convRow").isFalse();
    if (KernelProvider.vectorModulePresent()) {
      assertThat(vec().windowTile(3, 3)).as("16 lanes: a 3x3x3 tile").isEqualTo(lanes() == 16);
      assertThat(vec().windowTile(5, 1)).as("16 lanes: a 5x1 tile").isEqualTo(lanes() == 16);
      assertThat(vec().windowTile(3, 2)).isFalse();
    }
  }

  /**
   * The pooled window rows against their definition: two rows of convRowWindow, relu, then each 2×2 window's
   * first value that no later one exceeds. Windows with a tile and one without, channel counts that fill, split
   * and under-fill the 16-channel groups, pooled rows shorter than, as long as and longer than a tile's four
   * windows, ties (relu's zeros) and a NaN.
   */
  @Test
  void convPoolRowWindowIsTwoWindowRowsReluAndMaxPooling() {
    Random rnd = new Random(1751);
    int srcOff = 5, outOff = 3, checked = 0;
    int[][] windows = {{3, 3, 3}, {5, 5, 1}, {3, 3, 2}}; // {kH, kW, inC}
    for (int[] win : windows) {
      int kH = win[0], kW = win[1], inC = win[2];
      for (int outC : new int[] {3, 16, 20, 32}) {
        for (int count : new int[] {1, 4, 5, 9}) {
          int rowStride = (2 * count + kW + 1) * inC, wStride = (outC + 15) / 16 * 16;
          float[] src = data(rnd, srcOff + (kH + 2) * rowStride + GUARD, false);
          src[srcOff + rnd.nextInt((kH + 1) * rowStride)] = Float.NaN; // one window or a few pool a NaN
          float[] w = new float[kH * kW * inC * wStride];
          for (int t = 0; t < kH * kW * inC; t++) {
            System.arraycopy(data(rnd, outC, false), 0, w, t * wStride, outC);
          }
          float[] bias = rnd.nextBoolean() ? null : Arrays.copyOf(data(rnd, outC, false), wStride);
          for (boolean relu : new boolean[] {false, true}) {
            for (Kernels k : implementations()) {
              int row = 2 * count * outC;
              float[] rows = new float[2 * row];
              k.convRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, 2 * count, rows, 0, outC);
              k.convRowWindow(src, srcOff + rowStride, rowStride, kH, kW, inC, w, wStride, bias, 2 * count, rows, row,
                  outC);
              float[] expected = data(rnd, outOff + count * outC + GUARD, false);
              float[] out = expected.clone();
              for (int p = 0; p < count; p++) {
                for (int c = 0; c < outC; c++) {
                  int at = 2 * p * outC + c;
                  float best = Float.NaN;
                  boolean first = true;
                  for (int e : new int[] {at, at + outC, at + row, at + row + outC}) {
                    float v = relu ? Math.max(rows[e], 0f) : rows[e];
                    if (first || v > best) {
                      best = v;
                    }
                    first = false;
                  }
                  expected[outOff + p * outC + c] = best;
                }
              }
              Arrays.fill(out, outOff, outOff + count * outC, Float.NaN);
              k.convPoolRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, relu, count, out, outOff,
                  outC);
              assertBitsEqual(k.name() + " convPoolRowWindow " + kH + "x" + kW + "x" + inC + " outC " + outC + " count "
                  + count + " relu " + relu, expected, out);
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(96);
  }

  @Test
  void convRowMatchesItsDefinitionOnBothPaths() {
    Random rnd = new Random(1700);
    int srcOff = 5, outOff = 3, checked = 0;
    for (int nTaps : new int[] {1, 9, 25, 27}) {
      for (int outC : new int[] {3, 8, 16, 20, 32, 40}) {
        for (int count : new int[] {1, 5, 6, 7, 13, 28}) {
          int step = 1 + rnd.nextInt(3), wStride = (outC + 15) / 16 * 16;
          int[] taps = new int[nTaps];
          for (int t = 0; t < nTaps; t++) {
            // Odd tap counts also as a window's runs of nine consecutive offsets (3×3 on three channels), rows 12 apart.
            taps[t] = nTaps % 2 == 1 && outC % 2 == 0 ? t / 9 * 12 + t % 9 : rnd.nextInt(40);
          }
          float[] src = data(rnd, srcOff + count * step + 40 + GUARD, true);
          float[] w = new float[nTaps * wStride];
          for (int t = 0; t < nTaps; t++) {
            System.arraycopy(data(rnd, outC, false), 0, w, t * wStride, outC);
          }
          float[] bias = rnd.nextBoolean() ? null : Arrays.copyOf(data(rnd, outC, false), wStride);
          for (boolean fused : new boolean[] {false, true}) {
            if (fused && !KernelProvider.vectorModulePresent()) {
              continue;
            }
            float[] expected = data(rnd, outOff + count * outC + GUARD, false);
            float[] out = expected.clone();
            for (int x = 0; x < count; x++) {
              for (int o = 0; o < outC; o++) {
                float sum = 0f;
                for (int t = 0; t < nTaps; t++) {
                  float a = src[srcOff + x * step + taps[t]], b = w[t * wStride + o];
                  sum = fused ? Math.fma(a, b, sum) : sum + a * b;
                }
                expected[outOff + x * outC + o] = bias == null ? sum : sum + bias[o];
              }
            }
            Arrays.fill(out, outOff, outOff + count * outC, Float.NaN);
            (fused ? vec() : scalar).convRow(src, srcOff, step, taps, nTaps, w, wStride, bias, count, out, outOff, outC);
            assertBitsEqual("convRow " + (fused ? "vector" : "scalar") + " taps " + nTaps + " outC " + outC + " count "
                + count, expected, out);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(144);
  }

  /** Bᵀ and Aᵀ of Winograd's F(2, 5) as the kernels' contract states them (points 0, 1, −1, 2, −½, ∞; Bᵀ's rows scaled). */
  private static final double[][] WINOGRAD5_BT = {{2, 3, -4, -3, 2, 0}, {0, 2, 5, 1, -2, 0}, {0, 2, 1, -5, 2, 0},
      {0, -1, -2, 1, 2, 0}, {0, -2, 1, 2, -1, 0}, {0, 2, 3, -4, -3, 2}};
  private static final double[][] WINOGRAD5_AT = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -0.5, 1}};
  /** The same for F(2, 3) (points 0, 1, −1, ∞). */
  private static final double[][] WINOGRAD3_BT = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  private static final double[][] WINOGRAD3_AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

  /**
   * winogradInput: {@code Bᵀ·d·B} per channel, against the product in double (within 2⁻¹⁸ of the sum of
   * |terms|: some twenty rounded operations on exact small-integer multiples), and the vector kernel
   * bit for bit against the scalar one, at channel counts around the lane count, in a row of pixels
   * wider than the tile, with guards around the output; then with specials (the two kernels alike).
   * Both window sizes; any other is refused by name.
   */
  @Test
  void winogradInputIsBtDBOnBothPathsWithTheSameBits() {
    Random rnd = new Random(1800);
    for (int r : new int[] {3, 5}) {
      int alpha = r + 1, xis = alpha * alpha;
      double[][] bt = r == 3 ? WINOGRAD3_BT : WINOGRAD5_BT;
      for (int channels : new int[] {1, 3, 8, 16, 20, 32, 50}) {
        int dOff = 4, rowStride = 9 * channels, vOff = 6, vStride = channels + 5;
        float[] d = data(rnd, dOff + alpha * rowStride + GUARD, false);
        float[] out = data(rnd, vOff + xis * vStride + GUARD, false);
        float[] s = out.clone(), v = out.clone();
        scalar.winogradInput(r, d, dOff, rowStride, channels, new float[xis * channels], s, vOff, vStride);
        for (int i = 0; i < out.length; i++) {
          int xi = (i - vOff) / vStride, c = (i - vOff) % vStride;
          if (i < vOff || xi >= xis || c >= channels) {
            assertThat(s[i]).as("untouched index %d", i).isEqualTo(out[i]);
            continue;
          }
          double exact = 0, abs = 0;
          for (int y = 0; y < alpha; y++) {
            for (int x = 0; x < alpha; x++) {
              double term = bt[xi / alpha][y] * d[dOff + y * rowStride + x * channels + c] * bt[xi % alpha][x];
              exact += term;
              abs += Math.abs(term);
            }
          }
          assertThat((double) s[i]).as("F(2, %d) V[%d] channel %d of %d", r, xi, c, channels)
              .isCloseTo(exact, offset(abs * 0x1p-18));
        }
        vec().winogradInput(r, d, dOff, rowStride, channels, new float[xis * channels], v, vOff, vStride);
        assertBitsEqual("winogradInput F(2, " + r + "), " + channels + " channels", s, v);
        float[] special = data(rnd, d.length, true);
        float[] s2 = out.clone(), v2 = out.clone();
        scalar.winogradInput(r, special, dOff, rowStride, channels, new float[xis * channels], s2, vOff, vStride);
        vec().winogradInput(r, special, dOff, rowStride, channels, new float[xis * channels], v2, vOff, vStride);
        assertBitsEqual("winogradInput F(2, " + r + ") with specials, " + channels + " channels", s2, v2);
      }
    }
    for (Kernels k : new Kernels[] {scalar, vec()}) {
      assertThatThrownBy(() -> k.winogradInput(4, new float[64], 0, 8, 1, new float[64], new float[64], 0, 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got window 4");
      assertThatThrownBy(() -> k.winogradMaxPool(7, new float[64], 0, 1, 1, null, false, new float[64], new float[1], 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got window 7");
    }
  }

  /**
   * winogradMaxPool: {@code max(Aᵀ·M·A) + bias}, then ReLU, against the double product, and the
   * vector kernel bit for bit against the scalar one, with and without bias and ReLU, both window sizes.
   */
  @Test
  void winogradMaxPoolIsTheMaxOfAtMAOnBothPathsWithTheSameBits() {
    Random rnd = new Random(1900);
    for (int r : new int[] {3, 5}) {
      int alpha = r + 1, xis = alpha * alpha;
      double[][] at = r == 3 ? WINOGRAD3_AT : WINOGRAD5_AT;
      for (int channels : new int[] {1, 3, 8, 16, 20, 50, 64}) {
        for (int variant = 0; variant < 4; variant++) { // every bias / ReLU combination
          boolean relu = variant % 2 == 1, withBias = variant >= 2;
          int mOff = 3, mStride = channels + 7, outOff = 2;
          float[] m = data(rnd, mOff + xis * mStride + GUARD, false);
          float[] bias = withBias ? data(rnd, channels, false) : null;
          float[] out = data(rnd, outOff + channels + GUARD, false);
          float[] s = out.clone(), v = out.clone(), tmp = new float[2 * alpha * channels];
          scalar.winogradMaxPool(r, m, mOff, mStride, channels, bias, relu, tmp, s, outOff);
          for (int i = 0; i < out.length; i++) {
            int c = i - outOff;
            if (c < 0 || c >= channels) {
              assertThat(s[i]).as("untouched index %d", i).isEqualTo(out[i]);
              continue;
            }
            double max = Double.NEGATIVE_INFINITY, abs = 0;
            for (int p = 0; p < 2; p++) {
              for (int q = 0; q < 2; q++) {
                double y = 0, a = 0;
                for (int xi = 0; xi < xis; xi++) {
                  double term = at[p][xi / alpha] * m[mOff + xi * mStride + c] * at[q][xi % alpha];
                  y += term;
                  a += Math.abs(term);
                }
                max = Math.max(max, y);
                abs = Math.max(abs, a);
              }
            }
            double exact = max + (bias == null ? 0 : bias[c]);
            exact = relu ? Math.max(exact, 0) : exact;
            assertThat((double) s[i]).as("F(2, %d) channel %d of %d", r, c, channels)
                .isCloseTo(exact, offset((abs + 1) * 0x1p-18));
          }
          vec().winogradMaxPool(r, m, mOff, mStride, channels, bias, relu, tmp, v, outOff);
          assertBitsEqual("winogradMaxPool F(2, " + r + "), " + channels + " channels, relu " + relu + ", bias " + withBias,
              s, v);
          float[] special = data(rnd, m.length, true);
          float[] s2 = out.clone(), v2 = out.clone();
          scalar.winogradMaxPool(r, special, mOff, mStride, channels, bias, relu, tmp, s2, outOff);
          vec().winogradMaxPool(r, special, mOff, mStride, channels, bias, relu, tmp, v2, outOff);
          assertBitsEqual("winogradMaxPool F(2, " + r + ") with specials, " + channels + " channels", s2, v2);
        }
      }
    }
  }

  /**
   * winogradOutput: {@code Aᵀ·M·A + bias}, then ReLU, against the double product, each of the 2×2 outputs where it
   * goes (rows {@code rowStride} apart, pixels {@code channels} apart), only the rows and columns asked for; the
   * vector kernel bit for bit against the scalar one; a tile of 0 or 3 rows refused by name.
   */
  @Test
  void winogradOutputIsAtMAOnBothPathsWithTheSameBits() {
    Random rnd = new Random(2000);
    for (int r : new int[] {3, 5}) {
      int alpha = r + 1, xis = alpha * alpha;
      double[][] at = r == 3 ? WINOGRAD3_AT : WINOGRAD5_AT;
      for (int channels : new int[] {1, 3, 16, 20, 50, 64}) {
        for (int variant = 0; variant < 8; variant++) { // bias / ReLU combinations, whole and clipped tiles
          boolean relu = variant % 2 == 1, withBias = variant % 4 >= 2;
          int rows = variant < 4 ? 2 : 1, cols = variant < 4 ? 2 : variant % 2 + 1;
          int mOff = 3, mStride = channels + 7, outOff = 2, rowStride = 3 * channels + 5;
          float[] m = data(rnd, mOff + xis * mStride + GUARD, false);
          float[] bias = withBias ? data(rnd, channels, false) : null;
          float[] out = data(rnd, outOff + rowStride + 2 * channels + GUARD, false);
          float[] s = out.clone(), v = out.clone(), tmp = new float[2 * alpha * channels];
          scalar.winogradOutput(r, m, mOff, mStride, channels, bias, relu, tmp, s, outOff, rowStride, rows, cols);
          for (int i = 0; i < out.length; i++) {
            int p = (i - outOff) / rowStride, q = (i - outOff) % rowStride / channels, c = (i - outOff) % rowStride % channels;
            if (i < outOff || p >= rows || (i - outOff) % rowStride >= cols * channels) {
              assertThat(s[i]).as("untouched index %d", i).isEqualTo(out[i]);
              continue;
            }
            double y = 0, abs = 0;
            for (int xi = 0; xi < xis; xi++) {
              double term = at[p][xi / alpha] * m[mOff + xi * mStride + c] * at[q][xi % alpha];
              y += term;
              abs += Math.abs(term);
            }
            double exact = y + (bias == null ? 0 : bias[c]);
            exact = relu ? Math.max(exact, 0) : exact;
            assertThat((double) s[i]).as("F(2, %d) Y[%d][%d] channel %d of %d", r, p, q, c, channels)
                .isCloseTo(exact, offset((abs + 1) * 0x1p-18));
          }
          vec().winogradOutput(r, m, mOff, mStride, channels, bias, relu, tmp, v, outOff, rowStride, rows, cols);
          assertBitsEqual("winogradOutput F(2, " + r + "), " + channels + " channels, variant " + variant, s, v);
          float[] special = data(rnd, m.length, true);
          float[] s2 = out.clone(), v2 = out.clone();
          scalar.winogradOutput(r, special, mOff, mStride, channels, bias, relu, tmp, s2, outOff, rowStride, rows, cols);
          vec().winogradOutput(r, special, mOff, mStride, channels, bias, relu, tmp, v2, outOff, rowStride, rows, cols);
          assertBitsEqual("winogradOutput F(2, " + r + ") with specials, " + channels + " channels", s2, v2);
        }
      }
    }
    for (Kernels k : new Kernels[] {scalar, vec()}) {
      assertThatThrownBy(() -> k.winogradOutput(5, new float[64], 0, 1, 1, null, false, new float[64], new float[9], 0, 3, 3,
          2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3 rows");
      assertThatThrownBy(
          () -> k.winogradOutputBackward(3, new float[9], 0, 3, 1, 1, 2, 0, new float[64], new float[64], 0, 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("winogradOutputBackward").hasMessageContaining("0 columns");
    }
  }

  /**
   * winogradOutputBackward: {@code dM = A·dY·Aᵀ} (the transpose of the output transform: for every M,
   * {@code ⟨dY, Aᵀ·M·A⟩ = ⟨A·dY·Aᵀ, M⟩}) against the double product, dY's missing rows and columns as zeros, exact
   * up to a few roundings; the vector kernel bit for bit against the scalar one, with specials too.
   */
  @Test
  void winogradOutputBackwardIsADYAtOnBothPathsWithTheSameBits() {
    Random rnd = new Random(2100);
    for (int r : new int[] {3, 5}) {
      int alpha = r + 1, xis = alpha * alpha;
      double[][] at = r == 3 ? WINOGRAD3_AT : WINOGRAD5_AT;
      for (int channels : new int[] {1, 3, 16, 20, 32, 50}) {
        for (int clip = 0; clip < 4; clip++) {
          int rows = clip / 2 + 1, cols = clip % 2 + 1, pixelStride = channels + 2, rowStride = 2 * pixelStride + 3;
          int dyOff = 5, dmOff = 4, dmStride = channels + 6;
          float[] dy = data(rnd, dyOff + 2 * rowStride + GUARD, false);
          float[] out = data(rnd, dmOff + xis * dmStride + GUARD, false);
          float[] s = out.clone(), v = out.clone(), tmp = new float[2 * alpha * channels];
          scalar.winogradOutputBackward(r, dy, dyOff, rowStride, pixelStride, channels, rows, cols, tmp, s, dmOff, dmStride);
          for (int i = 0; i < out.length; i++) {
            int xi = (i - dmOff) / dmStride, c = (i - dmOff) % dmStride;
            if (i < dmOff || xi >= xis || c >= channels) {
              assertThat(s[i]).as("untouched index %d", i).isEqualTo(out[i]);
              continue;
            }
            double exact = 0, abs = 0;
            for (int p = 0; p < rows; p++) {
              for (int q = 0; q < cols; q++) {
                double term = at[p][xi / alpha] * dy[dyOff + p * rowStride + q * pixelStride + c] * at[q][xi % alpha];
                exact += term;
                abs += Math.abs(term);
              }
            }
            assertThat((double) s[i]).as("F(2, %d) dM[%d] channel %d, %d×%d", r, xi, c, rows, cols)
                .isCloseTo(exact, offset(abs * 0x1p-21));
          }
          vec().winogradOutputBackward(r, dy, dyOff, rowStride, pixelStride, channels, rows, cols, tmp, v, dmOff, dmStride);
          assertBitsEqual("winogradOutputBackward F(2, " + r + "), " + channels + " channels, " + rows + "×" + cols, s, v);
          float[] special = data(rnd, dy.length, true);
          float[] s2 = out.clone(), v2 = out.clone();
          scalar.winogradOutputBackward(r, special, dyOff, rowStride, pixelStride, channels, rows, cols, tmp, s2, dmOff,
              dmStride);
          vec().winogradOutputBackward(r, special, dyOff, rowStride, pixelStride, channels, rows, cols, tmp, v2, dmOff,
              dmStride);
          assertBitsEqual("winogradOutputBackward F(2, " + r + ") with specials, " + channels + " channels", s2, v2);
        }
      }
    }
  }

  @Test
  void maxPoolForwardValuesAndArgmaxIdentical() {
    int inOff = 9;
    int outOff = 4;
    int argOff = 6;
    int checked = 0;
    Random rnd = new Random(1500);
    for (ConvGeometry g : poolGeometries()) {
      // Small integers (many ties), floats with specials (±0 ties, ±inf, NaN), and all-negative input.
      List<float[]> inputs = List.of(integers(rnd, inOff + g.inSize() + GUARD, 0, 3),
          data(rnd, inOff + g.inSize() + GUARD, true), data(rnd, inOff + g.inSize() + GUARD, -9f, -1f, false));
      for (float[] in : inputs) {
        float[] outS = data(rnd, outOff + g.outSize() + GUARD, false);
        float[] outV = outS.clone();
        int[] argS = new int[argOff + g.outSize() + GUARD];
        Arrays.fill(argS, -7);
        int[] argV = argS.clone();
        float[] inCopy = in.clone();
        scalar.maxPoolForward(g, in, inOff, outS, outOff, argS, argOff);
        vec().maxPoolForward(g, in, inOff, outV, outOff, argV, argOff);
        assertBitsEqual("maxPool values " + g, outS, outV);
        assertThat(argV).as("maxPool argmax " + g).containsExactly(argS);
        assertBitsEqual("maxPool input untouched " + g, inCopy, in);
        // Without argmax (inference): the same values from both kernels.
        float[] valuesS = data(rnd, outOff + g.outSize() + GUARD, false);
        float[] valuesV = valuesS.clone();
        System.arraycopy(outS, outOff, valuesS, outOff, g.outSize());
        float[] expected = valuesS.clone();
        Arrays.fill(valuesS, outOff, outOff + g.outSize(), 42f);
        Arrays.fill(valuesV, outOff, outOff + g.outSize(), 42f);
        System.arraycopy(expected, 0, valuesV, 0, outOff);
        System.arraycopy(expected, outOff + g.outSize(), valuesV, outOff + g.outSize(), GUARD);
        scalar.maxPoolForward(g, in, inOff, valuesS, outOff, null, 0);
        vec().maxPoolForward(g, in, inOff, valuesV, outOff, null, 0);
        assertBitsEqual("maxPool values without argmax, scalar " + g, expected, valuesS);
        assertBitsEqual("maxPool values without argmax, vector " + g, expected, valuesV);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(500);
  }

  @Test
  void maxPoolBackwardIdenticalWithOverlappingWindows() {
    int l = lanes();
    for (int c : new int[] {1, 3, l, 2 * l + 1}) {
      for (Padding p : Padding.values()) {
        // Pool 3 with stride 1: windows overlap, several outputs pick the same input (integer ties).
        ConvGeometry g = ConvGeometry.of(6, 5, c, 3, 3, 1, 1, p, c);
        Random rnd = new Random(1600 + c);
        float[] in = integers(rnd, g.inSize(), 0, 2);
        float[] out = new float[g.outSize()];
        int[] argmax = new int[3 + g.outSize()];
        scalar.maxPoolForward(g, in, 0, out, 0, argmax, 3);
        int n = g.outSize();
        float[][] arrays = {data(rnd, 5 + n + GUARD, false), data(rnd, 8 + g.inSize() + GUARD, false)};
        sameBits("maxPoolBackward " + g, arrays, (k, x) -> k.maxPoolBackward(x[0], 5, argmax, 3, n, x[1], 8));
      }
    }
  }

  /**
   * The fused pass against its definition: zero, scatter ({@code maxPoolBackward}), then the ReLU
   * mask on the pooling's input ({@code reluBackward}), on windows that tile the input, with inputs
   * in no window (VALID on sizes the window does not divide), SAME padding on the top/left, ties,
   * specials in both the pooled input and the gradient, and guards around every range.
   */
  @Test
  void maxPoolBackwardTiledIsScatterThenReluMask() {
    int inOff = 4;
    int outOff = 6;
    int dInOff = 9;
    int checked = 0;
    Random rnd = new Random(1650);
    for (ConvGeometry g : poolGeometries(new int[][] {{2, 2, 2, 2}, {3, 3, 3, 3}, {1, 2, 1, 2}, {2, 3, 2, 3}})) {
      float[] in = rnd.nextBoolean() ? integers(rnd, inOff + g.inSize(), -2, 2) : data(rnd, inOff + g.inSize(), true);
      float[] y = new float[outOff + g.outSize() + GUARD];
      int[] argmax = new int[outOff + g.outSize() + GUARD];
      scalar.maxPoolForward(g, in, inOff, y, outOff, argmax, outOff);
      float[] dOut = data(rnd, outOff + g.outSize() + GUARD, true);
      for (boolean relu : new boolean[] {true, false}) {
        float[] expected = data(rnd, dInOff + g.inSize() + GUARD, false);
        Arrays.fill(expected, dInOff, dInOff + g.inSize(), 0f);
        scalar.maxPoolBackward(dOut, outOff, argmax, outOff, g.outSize(), expected, dInOff);
        if (relu) {
          scalar.reluBackward(in, inOff, expected, dInOff, expected, dInOff, g.inSize());
        }
        for (Kernels k : implementations()) {
          float[] got = expected.clone();
          Arrays.fill(got, dInOff, dInOff + g.inSize(), 42f);
          k.maxPoolBackwardTiled(g, dOut, y, argmax, outOff, relu, got, dInOff);
          assertBitsEqual(k.name() + " maxPoolBackwardTiled relu=" + relu + " " + g, expected, got);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(300);
    for (Kernels k : implementations()) {
      ConvGeometry overlapping = ConvGeometry.of(6, 6, 2, 3, 3, 2, 2, Padding.VALID, 2);
      assertThatThrownBy(() -> k.maxPoolBackwardTiled(overlapping, new float[8], new float[8], new int[8], 0, true,
          new float[72], 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window 3x3, strides 2x2");
    }
  }

  /** The documented rules, checked directly on every implementation. */
  @Test
  void maxPoolTiesGoToTheFirstWindowElementAndPaddingNeverWins() {
    for (Kernels k : implementations()) {
      for (int c : new int[] {1, 3, 16, 33}) {
        // 2x2 image, all equal; pool 2 valid: one output per channel, the top-left element wins.
        ConvGeometry g = ConvGeometry.of(2, 2, c, 2, 2, 2, 2, Padding.VALID, c);
        float[] in = new float[g.inSize()];
        Arrays.fill(in, 1f);
        float[] out = new float[c];
        int[] argmax = new int[c];
        k.maxPoolForward(g, in, 0, out, 0, argmax, 0);
        for (int ch = 0; ch < c; ch++) {
          assertThat(argmax[ch]).as("%s c=%d channel %d", k.name(), c, ch).isEqualTo(ch);
        }
        // -0 first, +0 later: +0 is not greater, so -0 (the first) stays, sign included.
        Arrays.fill(in, 0f);
        for (int ch = 0; ch < c; ch++) {
          in[ch] = -0f;
        }
        k.maxPoolForward(g, in, 0, out, 0, argmax, 0);
        for (int ch = 0; ch < c; ch++) {
          assertThat(Float.floatToRawIntBits(out[ch])).as("%s -0 kept, channel %d", k.name(), ch)
              .isEqualTo(Float.floatToRawIntBits(-0f));
          assertThat(argmax[ch]).isEqualTo(ch);
        }
        // SAME padding on negative input: the zero padding must not win.
        ConvGeometry same = ConvGeometry.of(3, 3, c, 3, 3, 1, 1, Padding.SAME, c);
        float[] neg = new float[same.inSize()];
        for (int i = 0; i < neg.length; i++) {
          neg[i] = -1f - i;
        }
        float[] sOut = new float[same.outSize()];
        int[] sArg = new int[same.outSize()];
        k.maxPoolForward(same, neg, 0, sOut, 0, sArg, 0);
        // Output (0,0) sees input rows 0..1, cols 0..1; the largest (least negative) is element (0,0).
        for (int ch = 0; ch < c; ch++) {
          assertThat(sOut[ch]).as("%s corner channel %d", k.name(), ch).isEqualTo(-1f - ch);
          assertThat(sArg[ch]).isEqualTo(ch);
        }
      }
    }
  }

  /** The scalar kernels, plus the vector ones unless this is the run without the vector module. */
  private static List<Kernels> implementations() {
    List<Kernels> ks = new ArrayList<>();
    ks.add(KernelProvider.scalar());
    if (!SimdRuns.SCALAR_PATH.equals(SimdRuns.path()) || KernelProvider.vectorModulePresent()) {
      ks.add(vec());
    }
    return ks;
  }
}
