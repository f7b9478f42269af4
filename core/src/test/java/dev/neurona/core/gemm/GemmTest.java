package dev.neurona.core.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.neurona.core.Parallel;
import dev.neurona.core.kernels.KernelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GemmTest {
  /** float epsilon: the spacing of floats at 1, 2^-23. */
  private static final double EPS = Math.ulp(1f);

  private final Random random = new Random(20261122L);
  private final int savedThreads = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  /** A problem with its own storage: random padding of every leading dimension and random offsets. */
  private final class Problem {
    final boolean transA, transB;
    final int m, n, k, lda, ldb, ldc, aOff, bOff, cOff;
    final float alpha, beta;
    final float[] a, b, c0;

    Problem(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, boolean padded) {
      this.transA = transA;
      this.transB = transB;
      this.m = m;
      this.n = n;
      this.k = k;
      this.alpha = alpha;
      this.beta = beta;
      int aRows = transA ? k : m, aCols = transA ? m : k;
      int bRows = transB ? n : k, bCols = transB ? k : n;
      lda = Math.max(1, aCols) + (padded ? random.nextInt(5) : 0);
      ldb = Math.max(1, bCols) + (padded ? random.nextInt(5) : 0);
      ldc = Math.max(1, n) + (padded ? random.nextInt(5) : 0);
      aOff = padded ? random.nextInt(7) : 0;
      bOff = padded ? random.nextInt(7) : 0;
      cOff = padded ? random.nextInt(7) : 0;
      a = randomArray(aOff + aRows * lda);
      b = randomArray(bOff + bRows * ldb);
      c0 = randomArray(cOff + m * ldc);
    }

    double av(int i, int p) {
      return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    double bv(int p, int j) {
      return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    float[] run(MicroKernel kernel) {
      float[] c = c0.clone();
      Gemm.sgemm(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return c;
    }

    float[] runNaive() {
      float[] c = c0.clone();
      NaiveGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return c;
    }

    /**
     * Checks {@code c} against the product in double precision. Bound: a float sum of k products
     * has error ≤ γ_k·Σ|a||b| with γ_k ≈ k·u (u = eps/2); alpha, beta and the blocking add a few
     * roundings more, so {@code 2·(k+4)·eps·(|alpha|Σ|a||b| + |beta||c|)} leaves a factor of about
     * four and still fails on any wrong term (a wrong product is O(|a||b|), far above k·eps·|a||b|).
     */
    void assertClose(float[] c, String what) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0, mag = 0;
          for (int p = 0; p < k; p++) {
            s += av(i, p) * bv(p, j);
            mag += Math.abs(av(i, p) * bv(p, j));
          }
          double old = c0[cOff + i * ldc + j];
          double expected = beta == 0f ? alpha * s : alpha * s + beta * old;
          double tol = 2 * (k + 4) * EPS * (Math.abs(alpha) * mag + (beta == 0f ? 0 : Math.abs(beta * old))) + 1e-30;
          double got = c[cOff + i * ldc + j];
          if (!(Math.abs(got - expected) <= tol)) {
            fail("%s: C[%d][%d] = %s, expected %s ± %s", what + " " + this, i, j, got, expected, tol);
          }
        }
      }
      // Padding between rows and before the offset is untouched.
      for (int x = 0; x < c.length; x++) {
        int rel = x - cOff;
        boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
        if (!inside && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
          fail("%s: wrote outside C at index %d", what + " " + this, x);
        }
      }
    }

    @Override
    public String toString() {
      return (transA ? "A'" : "A") + (transB ? "B'" : "B") + " " + m + "x" + n + "x" + k + " alpha=" + alpha
          + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " offsets=" + aOff + "," + bOff + "," + cOff;
    }
  }

  private float[] randomArray(int size) {
    return GemmTesting.randomArray(random, size);
  }

  private static List<MicroKernel> kernels() {
    return GemmTesting.kernels();
  }

  /** Shapes chosen to hit every edge: tiny, primes, K=1, tall-skinny, vectors, and ±1 around MR, NR, KC, MC. */
  private static final int[][] SHAPES = {
      {1, 1, 1}, {7, 13, 17}, {1, 40, 1}, {33, 65, 1}, {1000, 3, 5}, {3, 1000, 5}, {1, 97, 31}, {97, 1, 31},
      {3, 4, 5}, {4, 4, 4}, {5, 5, 5}, {7, 31, 9}, {8, 32, 16}, {9, 33, 17}, {17, 63, 23}, {16, 64, 3},
      {20, 30, BlockedGemm.KC - 1}, {20, 30, BlockedGemm.KC}, {21, 33, BlockedGemm.KC + 1}, {9, 35, 2 * BlockedGemm.KC + 3},
      {BlockedGemm.MC - 1, 17, 11}, {BlockedGemm.MC, 33, 19}, {BlockedGemm.MC + 1, 31, 13}, {2 * BlockedGemm.MC + 7, 40, 9},
      {5, BlockedGemm.NC + 33, 3}, {60, 50, 300}, {300, 2, 40}, {40, 3, 300},
      // The small-m path (m ≤ MC, ≥ 8 B slivers): edge rows and columns, two k-blocks.
      {BlockedGemm.MC, 8 * 32, 5}, {13, 8 * 32 + 5, BlockedGemm.KC + 9},
  };

  @Test
  void allTransposesAndShapesMatchDoubleProduct() {
    int checked = 0;
    for (MicroKernel kernel : kernels()) {
      for (int[] s : SHAPES) {
        for (int t = 0; t < 4; t++) {
          Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, t == 3 ? 0f : -0.75f, true);
          p.assertClose(p.run(kernel), kernel.name());
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(kernels().size() * SHAPES.length * 4);
  }

  @Test
  void activeSgemmAndNaiveMatchDoubleProduct() {
    for (int[] s : new int[][] {{7, 13, 17}, {40, 70, 300}, {1, 1, 1}}) {
      for (int t = 0; t < 4; t++) {
        Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0.5f, 2f, true);
        float[] c = p.c0.clone();
        Gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c,
            p.cOff, p.ldc);
        p.assertClose(c, "active " + Gemm.kernel().name());
        p.assertClose(p.runNaive(), "naive");
      }
    }
  }

  @Test
  void matchesEjmlForAllTransposes() {
    for (MicroKernel kernel : kernels()) {
      for (int[] s : new int[][] {{7, 13, 17}, {65, 47, 300}, {1000, 3, 5}, {1, 50, 70}}) {
        for (int t = 0; t < 4; t++) {
          boolean tA = (t & 1) != 0, tB = (t & 2) != 0;
          int m = s[0], n = s[1], k = s[2];
          FMatrixRMaj a = tA ? random(k, m) : random(m, k);
          FMatrixRMaj b = tB ? random(n, k) : random(k, n);
          FMatrixRMaj expected = new FMatrixRMaj(m, n);
          if (tA && tB) {
            CommonOps_FDRM.multTransAB(a, b, expected);
          } else if (tA) {
            CommonOps_FDRM.multTransA(a, b, expected);
          } else if (tB) {
            CommonOps_FDRM.multTransB(a, b, expected);
          } else {
            CommonOps_FDRM.mult(a, b, expected);
          }
          float[] c = new float[m * n];
          Arrays.fill(c, Float.NaN); // beta = 0 must overwrite
          Gemm.sgemm(kernel, tA, tB, m, n, k, 1f, a.data, 0, a.numCols, b.data, 0, b.numCols, 0f, c, 0, n);
          for (int i = 0; i < m * n; i++) {
            // Both sides carry ≤ k·u·Σ|a||b| error and Σ|a||b| ≤ k for entries in [-1, 1].
            double tol = 2 * (k + 4) * EPS * k;
            assertThat((double) c[i]).as("%s %s%s %dx%dx%d element %d", kernel.name(), tA ? "A'" : "A",
                tB ? "B'" : "B", m, n, k, i).isCloseTo(expected.data[i], org.assertj.core.data.Offset.offset(tol));
          }
        }
      }
    }
  }

  private FMatrixRMaj random(int rows, int cols) {
    return new FMatrixRMaj(rows, cols, true, randomArray(rows * cols));
  }

  @Test
  void vectorAndScalarKernelsAgree() {
    dev.neurona.core.testing.SimdRuns.vectorKernels(); // skips in the scalar-path run, fails if SIMD is missing elsewhere
    MicroKernel vector = Gemm.vectorKernel().orElse(null);
    assertThat(vector).as("tests run with --add-modules jdk.incubator.vector").isNotNull();
    assertThat(vector.name()).startsWith("vector");
    for (int t = 0; t < 4; t++) {
      Problem p = new Problem((t & 1) != 0, (t & 2) != 0, 67, 71, 301, 1f, 0.5f, true);
      float[] s = p.run(Gemm.scalarKernel()), v = p.run(vector);
      for (int i = 0; i < s.length; i++) {
        assertThat((double) v[i]).as("%s index %d", p, i).isCloseTo(s[i], org.assertj.core.data.Offset.offset(4 * 305 * EPS * 301));
      }
      p.assertClose(v, "vector");
    }
  }

  @Test
  void packedTilesHaveTheBitsOfTheFourRowTiles() {
    // The AVX2 four-row kernel hands the regions that pack all of A to its six-row companion
    // (MicroKernel.packedTiles). Against the four-row tiles everywhere (a delegate that keeps them):
    // the general path with and without staging, several panels, a transposed A at lda % 128 == 0
    // (packed whatever the width), the small-m path, 1 and 2 threads; every bit equal.
    dev.neurona.core.testing.SimdRuns.vectorKernels();
    MicroKernel vector = Gemm.vectorKernel().orElseThrow();
    assumeTrue(vector.nr() == 16, "the four-row kernel and its companion are for 256-bit vectors");
    MicroKernel four = KernelProvider.loadVector(MicroKernel.class, "dev.neurona.core.gemm.simd.FourRowVectorMicroKernel")
        .orElseThrow();
    MicroKernel six = four.packedTiles();
    assertThat(six.mr()).isEqualTo(6);
    assertThat(six.nr()).isEqualTo(four.nr());
    MicroKernel plain = fourRowTilesOnly(four);
    int[][] shapes = {{300, 260, 800}, {130, 1000, 700}, {1100, 1000, BlockedGemm.KC + 1}, {128, 400, 3 * BlockedGemm.KC},
        {99, 300, 517}, {256, 128, 256}};
    int compared = 0;
    for (int[] sh : shapes) {
      int m = sh[0], n = sh[1], k = sh[2];
      for (boolean transA : new boolean[] {false, true}) {
        int lda = transA ? (m + 127) / 128 * 128 : k; // transposed: a multiple of 128, packed at any width
        float[] a = randomArray((transA ? k : m) * lda), b = randomArray(k * n);
        for (float beta : new float[] {0f, 0.5f}) {
          float[] c0 = randomArray(m * n);
          for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            float[] want = c0.clone(), got = c0.clone();
            Gemm.sgemm(plain, transA, false, m, n, k, 1.25f, a, 0, lda, b, 0, n, beta, want, 0, n);
            Gemm.sgemm(four, transA, false, m, n, k, 1.25f, a, 0, lda, b, 0, n, beta, got, 0, n);
            for (int i = 0; i < want.length; i++) {
              if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                fail("%dx%dx%d%s beta %s, %d threads: C[%d][%d] = %s with the packed tiles, %s with four rows", m, n,
                    k, transA ? " A'" : "", beta, threads, i / n, i % n, got[i], want[i]);
              }
            }
            compared++;
          }
        }
      }
    }
    assertThat(compared).isEqualTo(shapes.length * 2 * 2 * 2);
  }

  /** {@code kernel} with {@link MicroKernel#packedTiles} returning itself: its own tiles on every path. */
  private static MicroKernel fourRowTilesOnly(MicroKernel kernel) {
    return new MicroKernel() {
      @Override
      public String name() {
        return kernel.name() + " (own tiles only)";
      }

      @Override
      public int mr() {
        return kernel.mr();
      }

      @Override
      public int nr() {
        return kernel.nr();
      }

      @Override
      public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
        kernel.tile(kc, ap, apOff, bp, bpOff, acc);
      }

      @Override
      public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
        kernel.tileRowMajorA(kc, a, aOff, lda, bp, bpOff, acc);
      }

      @Override
      public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
        kernel.tileTransposedA(kc, a, aOff, lda, bp, bpOff, acc);
      }

      @Override
      public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp,
          int bpOff, float[] acc) {
        kernel.tileWindows(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, acc);
      }

      @Override
      public void rows(int rows, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int ldb,
          int cols, float[] acc) {
        kernel.rows(rows, kc, a, aOff, aRow, aStep, b, bOff, ldb, cols, acc);
      }

      @Override
      public void packSlivers(int kc, int slivers, float[] b, int bOff, int ldb, float[] dst, int dOff, int step) {
        kernel.packSlivers(kc, slivers, b, bOff, ldb, dst, dOff, step);
      }

      @Override
      public void update(float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst, int dOff,
          int ldd) {
        kernel.update(acc, alpha, beta, src, sOff, lds, dst, dOff, ldd);
      }
    };
  }

  @Test
  void packSliversCopiesRowsIntoSliversAndNothingElse() {
    // Each kernel's packing (the vector one with vector moves) against the formula, at offsets, with a
    // leading dimension wider than the slivers, and the floats around the slivers left alone.
    Random random = new Random(43);
    for (MicroKernel kernel : GemmTesting.kernels()) {
      int nr = kernel.nr();
      // {kc, slivers, rows of the k-block whose slivers these rows are part of (step = block·nr)}
      for (int[] shape : new int[][] {{1, 1, 1}, {7, 3, 7}, {313, 4, 313}, {5, 3, 9}, {1, 2, 4}}) {
        int kc = shape[0], slivers = shape[1], block = shape[2], ldb = slivers * nr + 5, bOff = 2, dOff = 3;
        float[] b = GemmTesting.randomArray(random, bOff + kc * ldb);
        float[] dst = GemmTesting.randomArray(random, dOff + slivers * block * nr + 4), before = dst.clone();
        kernel.packSlivers(kc, slivers, b, bOff, ldb, dst, dOff, block * nr);
        for (int i = 0; i < dst.length; i++) {
          int x = i - dOff, s = x / (block * nr), p = x / nr - s * block, q = x % nr;
          float expected = x < 0 || s >= slivers || p >= kc ? before[i] : b[bOff + p * ldb + s * nr + q];
          assertThat(dst[i]).as("%s, kc %d, %d slivers, block %d, dst[%d]", kernel.name(), kc, slivers, block, i)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void aFewRowsReadInPlaceHaveTheBitsOfPackedRows() {
    // BlockedGemm.smallM reads a row-major A's whole slivers in place (tileRowMajorA) unless lda is a multiple
    // of 1024 floats, when it packs them: the same A under both leading dimensions must give the same bits.
    Random random = new Random(49);
    for (MicroKernel kernel : kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      int m = 5 * mr + 3, n = 9 * nr + 7, k = BlockedGemm.KC + 100, ldPacked = 1024, ldInPlace = k + 3;
      assertThat(BlockedGemm.readsAInPlace(false, m, ldPacked, kernel)).isFalse();
      float[] a = GemmTesting.randomArray(random, m * k), b = GemmTesting.randomArray(random, k * n);
      float[] a1 = new float[m * ldPacked], a2 = new float[m * ldInPlace];
      for (int i = 0; i < m; i++) {
        System.arraycopy(a, i * k, a1, i * ldPacked, k);
        System.arraycopy(a, i * k, a2, i * ldInPlace, k);
      }
      for (float beta : new float[] {0f, 0.5f}) {
        float[] c0 = GemmTesting.randomArray(random, m * n), packed = c0.clone(), inPlace = c0.clone();
        BlockedGemm.sgemm(kernel, 0, 0, false, false, m, n, k, 1.5f, a1, 0, ldPacked, b, 0, n, beta, packed, 0, n);
        BlockedGemm.sgemm(kernel, 0, 0, false, false, m, n, k, 1.5f, a2, 0, ldInPlace, b, 0, n, beta, inPlace, 0, n);
        assertThat(inPlace).as("%s beta %s", kernel.name(), beta).containsExactly(packed);
      }
    }
  }

  @Test
  void aPackingFilledRowsAtATimeHoldsWhatPackBMakes() {
    // Gemm.packing + packRows (a convolution's im2col rows packed as they are made): any split of the rows,
    // across k-blocks and into a reused array, gives packB's floats and so the product's bits.
    Random random = new Random(48);
    int nr = Gemm.kernel().nr();
    PackedB reuse = null;
    for (int[] shape : new int[][] {{BlockedGemm.KC + 50, 2 * nr + 5, 7}, {200, 500, 16}, {33, nr, 33}, {9, 3 * nr, 1}}) {
      int k = shape[0], n = shape[1], step = shape[2], ldb = n + 3, m = 19;
      float[] b = GemmTesting.randomArray(random, 1 + k * ldb), a = GemmTesting.randomArray(random, k * m);
      PackedB whole = Gemm.packB(false, k, n, b, 1, ldb);
      PackedB rows = Gemm.packing(k, n, reuse);
      Arrays.fill(rows.data(), Float.NaN); // stale storage: every float must be written
      for (int p = 0; p < k; p += step) {
        Gemm.packRows(rows, p, Math.min(step, k - p), b, 1 + p * ldb, ldb);
      }
      int used = k * ((n + nr - 1) / nr) * nr;
      assertThat(Arrays.copyOf(rows.data(), used)).as("%dx%d by %d rows", k, n, step)
          .containsExactly(Arrays.copyOf(whole.data(), used));
      float[] c1 = new float[m * n], c2 = new float[m * n];
      Gemm.sgemm(true, m, 1f, a, 0, m, whole, 0f, c1, 0, n);
      Gemm.sgemm(true, m, 1f, a, 0, m, rows, 0f, c2, 0, n);
      assertThat(c2).containsExactly(c1);
      reuse = rows;
    }
    PackedB p = Gemm.packing(10, 20, null);
    assertThatThrownBy(() -> Gemm.packRows(p, 8, 3, new float[60], 0, 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rows [8, 11) are not within the 10 rows");
    assertThatThrownBy(() -> Gemm.packRows(p, 0, 3, new float[50], 0, 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("B has 50 elements");
  }

  @Test
  void tileWindowsHasTheBitsOfTileOnTheGatheredSliver() {
    // Rows read in place from runs of an "image" (offsets in any order, repeated, overlapping) must sum
    // exactly as tile does over the same values packed: odd run lengths, one run, many runs.
    Random random = new Random(41);
    int[][] shapes = {{5, 160, 576}, {3, 48, 1472}, {1, 7, 0}, {4, 33, 40}};
    for (MicroKernel kernel : GemmTesting.kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      for (int[] shape : shapes) {
        int segs = shape[0], segLen = shape[1], segStep = shape[2], kc = segs * segLen;
        float[] a = GemmTesting.randomArray(random, 4000 + segs * segStep);
        int[] rowOff = new int[mr + 3];
        for (int r = 0; r < rowOff.length; r++) {
          rowOff[r] = r == 4 ? rowOff[1] : random.nextInt(3000); // a repeated row, as the driver's last tile
        }
        int ro = 2;
        float[] ap = new float[kc * mr];
        for (int s = 0; s < segs; s++) {
          for (int q = 0; q < segLen; q++) {
            for (int r = 0; r < mr; r++) {
              ap[(s * segLen + q) * mr + r] = a[rowOff[ro + r] + s * segStep + q];
            }
          }
        }
        float[] bp = GemmTesting.randomArray(random, 3 + kc * nr);
        float[] expected = new float[mr * nr], actual = new float[mr * nr];
        kernel.tile(kc, ap, 0, bp, 3, expected);
        kernel.tileWindows(segs, segLen, segStep, a, rowOff, ro, bp, 3, actual);
        for (int i = 0; i < expected.length; i++) {
          assertThat(Float.floatToIntBits(actual[i]))
              .as("%s, %d runs of %d, acc[%d]", kernel.name(), segs, segLen, i)
              .isEqualTo(Float.floatToIntBits(expected[i]));
        }
      }
    }
  }

  @Test
  void gatheredWindowsHaveTheBitsOfTheWindowsInPlace() {
    // The vector kernel as loaded (six rows on 256-bit vectors, eight on 512-bit) copies each tile's windows (up
    // to 1,040 floats, rows 1,040 apart) before multiplying them (MicroKernel.gatheredWindowLimit: JDK 17's
    // kernel, JDK 25's four-row kernel's gatheringTiles); gatherWindows + tileGathered must give tileWindows' bits.
    dev.neurona.core.testing.SimdRuns.vectorKernels();
    MicroKernel vector = KernelProvider.loadVector(MicroKernel.class, "dev.neurona.core.gemm.simd.VectorMicroKernel")
        .orElseThrow();
    int limit = 1040, mr = vector.mr(), nr = vector.nr();
    assertThat(vector.gatheredWindowLimit()).as(vector.name()).isEqualTo(limit);
    Random random = new Random(43);
    int[][] shapes = {{3, 48, 1472}, {3, 96, 1500}, {5, 160, 576}, {1, 7, 0}, {4, 33, 40}, {8, 130, 140}};
    for (int[] shape : shapes) {
      int segs = shape[0], segLen = shape[1], segStep = shape[2], kc = segs * segLen;
      float[] a = GemmTesting.randomArray(random, 4000 + segs * segStep);
      int[] rowOff = new int[mr + 3];
      for (int r = 0; r < rowOff.length; r++) {
        rowOff[r] = r == 5 ? rowOff[3] : random.nextInt(3000); // a repeated row, as the driver's last tile
      }
      float[] bp = GemmTesting.randomArray(random, 3 + kc * nr);
      float[] expected = new float[mr * nr], actual = new float[mr * nr];
      float[] w = new float[mr * limit];
      vector.tileWindows(segs, segLen, segStep, a, rowOff, 2, bp, 3, expected);
      vector.gatherWindows(segs, segLen, segStep, a, rowOff, 2, w);
      vector.tileGathered(kc, w, bp, 3, actual);
      for (int i = 0; i < expected.length; i++) {
        assertThat(Float.floatToIntBits(actual[i])).as("%s, %d runs of %d, acc[%d]", vector.name(), segs, segLen, i)
            .isEqualTo(Float.floatToIntBits(expected[i]));
      }
    }
    assertThatThrownBy(() -> vector.tileGathered(limit + 1, new float[mr * limit], new float[nr * (limit + 1)], 0,
        new float[mr * nr])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1040 floats, got 1041");
    List<MicroKernel> others = new ArrayList<>(List.of(Gemm.scalarKernel()));
    if (nr == 16) { // the four-row kernel exists for 256-bit vectors only; it gathers with the six-row one
      MicroKernel four = KernelProvider.loadVector(MicroKernel.class, "dev.neurona.core.gemm.simd.FourRowVectorMicroKernel")
          .orElseThrow();
      assertThat(four.gatheringTiles().mr()).isEqualTo(6);
      assertThat(four.gatheringTiles().gatheredWindowLimit()).isEqualTo(limit);
      others.add(four);
    }
    for (MicroKernel other : others) {
      assertThat(other.gatheredWindowLimit()).as(other.name()).isZero();
      assertThatThrownBy(() -> other.tileGathered(1, new float[8], new float[64], 0, new float[128]))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(other.name());
    }
  }

  @Test
  void tilesStoredStraightToCHaveTheBitsOfTileAndUpdate() {
    // MicroKernel.tileRowMajorAStore (the Winograd products): the eight-row vector tile stores from its registers,
    // the others go through acc and update(alpha 1, beta 0); every element the bits of those two calls.
    Random random = new Random(45);
    for (MicroKernel kernel : kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      for (int kc : new int[] {1, 16, 20, 32, 77}) {
        int lda = kc + 3, ldd = 2 * nr + 5;
        float[] a = GemmTesting.randomArray(random, 2 + mr * lda), bp = GemmTesting.randomArray(random, 4 + kc * nr);
        float[] acc = new float[mr * nr], want = GemmTesting.randomArray(random, 7 + mr * ldd), got = want.clone();
        kernel.tileRowMajorA(kc, a, 2, lda, bp, 4, acc);
        kernel.update(acc, 1f, 0f, null, 0, 0, want, 7, ldd);
        kernel.tileRowMajorAStore(kc, a, 2, lda, bp, 4, new float[mr * nr], got, 7, ldd);
        for (int i = 0; i < want.length; i++) {
          assertThat(Float.floatToRawIntBits(got[i])).as("%s, k %d, element %d", kernel.name(), kc, i)
              .isEqualTo(Float.floatToRawIntBits(want[i]));
        }
      }
    }
  }

  @Test
  void tilesAddedStraightIntoCHaveTheBitsOfTileAndUpdate() {
    // MicroKernel.tileInto / tileTransposedAInto (BlockedGemm's full tiles with alpha 1): the sums stored, or added
    // to what C holds, from the registers; every element the bits of tile (or tileTransposedA) and update.
    Random random = new Random(50);
    for (MicroKernel kernel : kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      for (int kc : new int[] {1, 16, 98, 163}) {
        for (boolean add : new boolean[] {false, true}) {
          int lda = mr + 5, ldd = 2 * nr + 3;
          float[] ap = GemmTesting.randomArray(random, 3 + kc * mr), at = GemmTesting.randomArray(random, 2 + kc * lda);
          float[] bp = GemmTesting.randomArray(random, 4 + kc * nr);
          float[] acc = new float[mr * nr], c0 = GemmTesting.randomArray(random, 7 + mr * ldd);
          float[] want = c0.clone(), got = c0.clone(), wantT = c0.clone(), gotT = c0.clone();
          kernel.tile(kc, ap, 3, bp, 4, acc);
          kernel.update(acc, 1f, add ? 1f : 0f, want, 7, ldd, want, 7, ldd);
          kernel.tileInto(kc, ap, 3, bp, 4, new float[mr * nr], add, got, 7, ldd);
          kernel.tileTransposedA(kc, at, 2, lda, bp, 4, acc);
          kernel.update(acc, 1f, add ? 1f : 0f, wantT, 7, ldd, wantT, 7, ldd);
          kernel.tileTransposedAInto(kc, at, 2, lda, bp, 4, new float[mr * nr], add, gotT, 7, ldd);
          for (int i = 0; i < want.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("%s, k %d, add %s, element %d", kernel.name(), kc, add, i)
                .isEqualTo(Float.floatToRawIntBits(want[i]));
            assertThat(Float.floatToRawIntBits(gotT[i])).as("%s transposed A, k %d, add %s, element %d", kernel.name(),
                kc, add, i).isEqualTo(Float.floatToRawIntBits(wantT[i]));
          }
        }
      }
    }
  }

  @Test
  void edgeTileUpdatesHaveTheBitsOfThePlainFormula() {
    // MicroKernel.updateEdge (BlockedGemm's partial tiles): the vector kernels' whole vectors plus a plain tail
    // must give alpha·acc + beta·src exactly as the loop does, and never read src when beta is 0.
    Random random = new Random(46);
    for (MicroKernel kernel : kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      for (int rows = 1; rows <= mr; rows++) {
        for (int cols : new int[] {1, 7, 8, 15, 16, 17, 20, nr - 1, nr}) {
          if (cols > nr || (rows == mr && cols == nr)) {
            continue;
          }
          for (float beta : new float[] {0f, 1f, 0.3f}) {
            float alpha = rows % 2 == 0 ? 1f : 0.7f;
            int lds = nr + 3, ldd = nr + 5;
            float[] acc = GemmTesting.randomArray(random, mr * nr), src = GemmTesting.randomArray(random, 2 + mr * lds);
            if (beta == 0f) {
              Arrays.fill(src, Float.NaN);
            }
            float[] want = GemmTesting.randomArray(random, 9 + mr * ldd), got = want.clone();
            for (int r = 0; r < rows; r++) {
              for (int q = 0; q < cols; q++) {
                float x = acc[r * nr + q];
                want[9 + r * ldd + q] = beta == 0f ? alpha * x : alpha * x + beta * src[2 + r * lds + q];
              }
            }
            kernel.updateEdge(rows, cols, acc, alpha, beta, src, 2, lds, got, 9, ldd);
            for (int i = 0; i < want.length; i++) {
              assertThat(Float.floatToRawIntBits(got[i])).as("%s, %d×%d, beta %s, element %d", kernel.name(), rows, cols,
                  beta, i).isEqualTo(Float.floatToRawIntBits(want[i]));
            }
          }
        }
      }
    }
  }

  @Test
  void windowTilesStoredStraightToCHaveTheBitsOfTileAndUpdate() {
    // MicroKernel.tileWindowsStore (the window GEMM's whole tiles): the eight-row vector tile adds the bias and stores
    // from its registers, the others go through acc and update; with a bias and without, the bits of those calls.
    Random random = new Random(46);
    for (MicroKernel kernel : kernels()) {
      int mr = kernel.mr(), nr = kernel.nr();
      for (int[] shape : new int[][] {{3, 48, 1472}, {5, 100, 400}, {1, 7, 0}}) {
        int segs = shape[0], segLen = shape[1], segStep = shape[2], kc = segs * segLen, ldd = nr + 9;
        float[] a = GemmTesting.randomArray(random, 4000 + segs * segStep);
        int[] rowOff = new int[mr + 2];
        for (int r = 0; r < rowOff.length; r++) {
          rowOff[r] = random.nextInt(3000);
        }
        float[] bp = GemmTesting.randomArray(random, 3 + kc * nr), bias = GemmTesting.randomArray(random, 5 + nr);
        for (boolean withBias : new boolean[] {false, true}) {
          float[] acc = new float[mr * nr], want = GemmTesting.randomArray(random, 6 + mr * ldd), got = want.clone();
          kernel.tileWindows(segs, segLen, segStep, a, rowOff, 1, bp, 3, acc);
          kernel.update(acc, 1f, withBias ? 1f : 0f, withBias ? bias : null, 5, 0, want, 6, ldd);
          kernel.tileWindowsStore(segs, segLen, segStep, a, rowOff, 1, bp, 3, new float[mr * nr], withBias ? bias : null, 5,
              got, 6, ldd);
          for (int i = 0; i < want.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("%s, %d runs of %d, bias %s, element %d", kernel.name(), segs,
                segLen, withBias, i).isEqualTo(Float.floatToRawIntBits(want[i]));
          }
        }
      }
    }
  }

  @Test
  void narrowTilesHaveTheBitsOfTheWideTilesOnWindows() {
    // On 512-bit vectors, products of at most 16 columns take an 8×16 tile (MicroKernel.narrowTiles) that reads
    // windows in place: its sums must be the 8×32 tile's, column for column. (Its GEMM paths run in the tests
    // above, through GemmTesting.kernels.)
    dev.neurona.core.testing.SimdRuns.vectorKernels();
    MicroKernel wide = Gemm.vectorKernel().orElseThrow();
    MicroKernel narrow = wide.narrowTiles();
    assumeTrue(wide.nr() == 32, "the narrow tiles are for 512-bit vectors");
    assertThat(narrow.mr()).isEqualTo(8);
    assertThat(narrow.nr()).isEqualTo(16);
    assertThat(narrow.gatheredWindowLimit()).isZero();
    Random random = new Random(44);
    int[][] shapes = {{3, 96, 2944}, {3, 48, 1472}, {5, 80, 900}, {1, 7, 0}, {4, 33, 40}, {13, 32, 33}};
    for (int[] shape : shapes) {
      int segs = shape[0], segLen = shape[1], segStep = shape[2], kc = segs * segLen;
      float[] a = GemmTesting.randomArray(random, 4000 + segs * segStep);
      int[] rowOff = new int[8 + 3];
      for (int r = 0; r < rowOff.length; r++) {
        rowOff[r] = r == 7 ? rowOff[4] : random.nextInt(3000); // a repeated row, as the driver's last tile
      }
      float[] b = GemmTesting.randomArray(random, kc * 16); // (kc, 16): one narrow sliver; the wide one padded
      float[] narrowB = new float[3 + kc * 16], wideB = new float[kc * 32];
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, p * 16, narrowB, 3 + p * 16, 16);
        System.arraycopy(b, p * 16, wideB, p * 32, 16);
      }
      float[] got = new float[8 * 16], want = new float[8 * 32];
      narrow.tileWindows(segs, segLen, segStep, a, rowOff, 2, narrowB, 3, got);
      wide.tileWindows(segs, segLen, segStep, a, rowOff, 2, wideB, 0, want);
      for (int r = 0; r < 8; r++) {
        for (int j = 0; j < 16; j++) {
          assertThat(Float.floatToIntBits(got[r * 16 + j])).as("%d runs of %d, row %d column %d", segs, segLen, r, j)
              .isEqualTo(Float.floatToIntBits(want[r * 32 + j]));
        }
      }
    }
  }

  @Test
  void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
    // Parallel thresholds lowered to 0 so that small shapes split: two k-blocks, edge tiles, two B
    // panels, split B slivers, more A blocks than MC asks for, the direct path (n ≤ 2), and the
    // small-m path (m ≤ MC with ≥ 8 B slivers: 70×300, and 20×2148).
    int[][] shapes = {{70, 150, BlockedGemm.KC + 50}, {20, BlockedGemm.NC + 100, 40}, {300, 45, 70}, {3000, 2, 50},
        {70, 300, BlockedGemm.KC + 50}};
    int compared = 0;
    for (MicroKernel kernel : kernels()) {
      for (int[] s : shapes) {
        for (int t = 0; t < 4; t++) {
          Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.25f, 0.5f, true);
          Parallel.setThreads(1);
          float[] one = runUnthresholded(kernel, p);
          for (int threads = 2; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            assertThat(runUnthresholded(kernel, p)).as("%s %s with %d threads", kernel.name(), p, threads)
                .containsExactly(one);
            compared++;
          }
          p.assertClose(one, kernel.name());
        }
      }
    }
    assertThat(compared).isEqualTo(kernels().size() * shapes.length * 4 * 2);
  }

  @Test
  void aFewRowsTimesAWideTransposedBHaveTheBitsOfTheUntransposedProduct() {
    // C = A·Bᵀ with few rows runs as Cᵀ = B·Aᵀ (BlockedGemm.transposes): the same chains, the same
    // bits, whatever C held (beta), alpha, the k-blocks (k over KC), offsets and leading dimensions.
    Random rnd = new Random(47);
    int compared = 0;
    for (MicroKernel kernel : kernels()) {
      int most = BlockedGemm.transposeMaxM(kernel);
      int[][] shapes = {{3, 40, 60}, {32, 1250, 500}, {17, 300, BlockedGemm.KC + 50}, {most, 4 * most + 4, 9}};
      for (int[] shape : shapes) {
        int m = shape[0], n = shape[1], k = shape[2], lda = k + 3, ldb = k + 1, ldc = n + 5;
        assertThat(BlockedGemm.transposes(kernel, false, true, m, n, k)).as("%dx%dx%d", m, n, k).isTrue();
        float[] a = GemmTesting.randomArray(rnd, 2 + m * lda), b = GemmTesting.randomArray(rnd, 1 + n * ldb);
        for (float beta : new float[] {0f, 0.5f}) {
          float[] c0 = GemmTesting.randomArray(rnd, 4 + m * ldc), plain = c0.clone(), swapped = c0.clone();
          BlockedGemm.sgemm(kernel, 0, 0, false, false, true, m, n, k, 1.25f, a, 2, lda, b, 1, ldb, beta, plain, 4, ldc);
          BlockedGemm.sgemm(kernel, 0, 0, true, false, true, m, n, k, 1.25f, a, 2, lda, b, 1, ldb, beta, swapped, 4, ldc);
          assertThat(swapped).as("%s %dx%dx%d beta %s", kernel.name(), m, n, k, beta).containsExactly(plain);
          assertThat(plain).isNotEqualTo(c0);
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(kernels().size() * 4 * 2);
    for (MicroKernel kernel : kernels()) {
      // MNIST's dense input gradient: transposed with 32-column slivers (AVX-512), kept as A·Bᵀ with narrower ones.
      assertThat(BlockedGemm.transposes(kernel, false, true, 128, 3136, 1024)).as(kernel.name()).isEqualTo(kernel.nr() >= 32);
      assertThat(BlockedGemm.transposes(kernel, false, true, BlockedGemm.transposeMaxM(kernel) + 1, 3136, 1024)).isFalse();
    }
  }

  @Test
  void aFewRowsHaveTheBitsTheyHaveAmongManyRows() {
    // Fewer rows than a tile take the streaming path (MicroKernel.rows); each of them must equal its
    // row of a product with many rows (the blocked path): one sample's prediction = its row in a batch.
    int n = 2 * BlockedGemm.FEW_ROWS_COLS + 77, k = BlockedGemm.KC + 50;
    int compared = 0;
    for (MicroKernel kernel : kernels()) {
      int big = 3 * kernel.mr() + 1;
      for (boolean transA : new boolean[] {false, true}) {
        float[] a = new float[big * k];
        float[] b = new float[k * n];
        float[] c0 = new float[big * n];
        for (float[] x : new float[][] {a, b, c0}) {
          for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() * 2 - 1;
          }
        }
        int lda = transA ? big : k;
        for (int threads = 1; threads <= 2; threads++) {
          Parallel.setThreads(threads);
          float[] all = c0.clone();
          BlockedGemm.sgemm(kernel, 0, 0, transA, false, big, n, k, 1.25f, a, 0, lda, b, 0, n, 0.5f, all, 0, n);
          for (int m = 1; m < kernel.mr(); m++) {
            int r0 = m + 1; // rows r0 .. r0+m-1 of the big product
            float[] few = java.util.Arrays.copyOfRange(c0, r0 * n, (r0 + m) * n);
            BlockedGemm.sgemm(kernel, 0, 0, transA, false, m, n, k, 1.25f, a, transA ? r0 : r0 * k, lda, b, 0, n,
                0.5f, few, 0, n);
            assertThat(few).as("%s, %d rows, transA %s, %d threads", kernel.name(), m, transA, threads)
                .containsExactly(java.util.Arrays.copyOfRange(all, r0 * n, (r0 + m) * n));
            compared++;
          }
        }
      }
    }
    assertThat(compared).isPositive();
  }

  @Test
  void stagedPartialSumsHaveTheBitsOfAnUpdateInPlace() {
    // With several k-blocks and a wide C (ldc ≥ STAGE_MIN_LDC) the partial sums wait in a staging
    // buffer between k-blocks; with a narrow C they wait in C. The oracle computes C in strips of
    // 256 columns (ldc 256: in place); a C element's bits depend only on the k-blocks and the
    // kernel, not on where its tile starts. Cases: the general path (70×45), the small-m path
    // (37×150), several B panels (1400 rows leave room for fewer staged columns than the 1000 of
    // C: two panels of equal width), beta = 0 over NaNs and beta ≠ 0, on 1 and 2 threads.
    int[][] shapes = {{70, 45, 2 * BlockedGemm.KC + 50}, {37, 150, BlockedGemm.KC + 50}, {1400, 1000, BlockedGemm.KC + 1}};
    int wide = 1024, strip = 256;
    int compared = 0;
    for (MicroKernel kernel : kernels()) {
      for (int[] s : shapes) {
        int m = s[0], n = s[1], k = s[2];
        int rowsPadded = (m + kernel.mr() - 1) / kernel.mr() * kernel.mr();
        assertThat(BlockedGemm.stageColumns(wide, rowsPadded, kernel.nr(), n)).as("staged %dx%d", m, n).isPositive();
        assertThat(BlockedGemm.stageColumns(strip, rowsPadded, kernel.nr(), n)).as("strips in place").isZero();
        if (m > 1000) {
          MicroKernel regionKernel = BlockedGemm.regionKernel(kernel, false, k, m, n, k, wide);
          int nr = regionKernel.nr();
          assertThat(BlockedGemm.panelColumns(regionKernel, m, n, k, wide)).as("two equal panels of 1000 columns")
              .isEqualTo((n / 2 + nr - 1) / nr * nr);
          if (!kernel.name().startsWith("vector")) {
            continue; // the 1.1 GFLOP case with several panels runs on the vector kernel only
          }
        }
        float[] a = randomArray(m * k), b = randomArray(k * n);
        for (float beta : new float[] {0f, 0.5f}) {
          float[] c0 = new float[m * wide];
          java.util.Arrays.fill(c0, -7f);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              c0[i * wide + j] = beta == 0f ? Float.NaN : random.nextFloat() * 2 - 1;
            }
          }
          for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            float[] staged = c0.clone();
            BlockedGemm.sgemm(kernel, 0, 0, false, false, m, n, k, 1.25f, a, 0, k, b, 0, n, beta, staged, 0, wide);
            for (int j0 = 0; j0 < n; j0 += strip) {
              int w = Math.min(strip, n - j0);
              float[] inPlace = new float[m * strip];
              for (int i = 0; i < m; i++) {
                System.arraycopy(c0, i * wide + j0, inPlace, i * strip, w);
              }
              BlockedGemm.sgemm(kernel, 0, 0, false, false, m, w, k, 1.25f, a, 0, k, b, j0, n, beta, inPlace, 0, strip);
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < w; j++) {
                  float got = staged[i * wide + j0 + j], want = inPlace[i * strip + j];
                  if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(want) || Float.isNaN(got)) {
                    fail("%s %dx%dx%d beta %s, %d threads: C[%d][%d] = %s staged, %s in place", kernel.name(), m, n,
                        k, beta, threads, i, j0 + j, got, want);
                  }
                }
              }
            }
            for (int i = 0; i < m; i++) {
              for (int j = n; j < wide; j++) {
                if (staged[i * wide + j] != -7f) {
                  fail("%s %dx%dx%d: wrote the padding C[%d][%d]", kernel.name(), m, n, k, i, j);
                }
              }
            }
            compared++;
          }
        }
      }
    }
    long vector = kernels().stream().filter(kk -> kk.name().startsWith("vector")).count();
    assertThat(compared).isEqualTo((kernels().size() * 2 + vector) * 2 * 2);
  }

  private static float[] runUnthresholded(MicroKernel kernel, Problem p) {
    float[] c = p.c0.clone();
    BlockedGemm.sgemm(kernel, 0, 0, p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff,
        p.ldb, p.beta, c, p.cOff, p.ldc);
    return c;
  }

  @Test
  void publicSgemmAboveTheParallelThresholdIsBitIdenticalForOneAndTwoThreads() {
    int m = 200, n = 300, k = (int) (BlockedGemm.PARALLEL_WORK / (m * n)) + 1;
    Problem p = new Problem(false, true, m, n, k, 1f, 0f, true);
    MicroKernel kernel = Gemm.kernel();
    Parallel.setThreads(1);
    float[] one = p.run(kernel);
    Parallel.setThreads(2);
    assertThat(p.run(kernel)).as("%s", p).containsExactly(one);
  }

  @Test
  void betaZeroOverwritesNaNAndAlphaZeroOrKZeroScalesC() {
    for (MicroKernel kernel : kernels()) {
      for (int[] s : new int[][] {{2, 3, 4}, {37, 70, 40}}) {
        int m = s[0], n = s[1], k = s[2];
        float[] a = randomArray(m * k), b = randomArray(k * n);
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        Gemm.sgemm(kernel, false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        for (float x : c) {
          assertThat(x).isNotNaN();
        }
        Arrays.fill(c, Float.NaN);
        Gemm.sgemm(kernel, false, false, m, n, k, 0f, a, 0, k, b, 0, n, 0f, c, 0, n);
        assertThat(c).containsOnly(0f);
        Arrays.fill(c, 3f);
        Gemm.sgemm(kernel, false, false, m, n, 0, 1f, a, 0, 1, b, 0, n, 0.5f, c, 0, n);
        assertThat(c).containsOnly(1.5f);
      }
    }
  }

  @Test
  void emptyProductsDoNothing() {
    float[] c = {7f};
    Gemm.sgemm(false, false, 0, 5, 3, 1f, new float[0], 0, 3, new float[15], 0, 5, 0f, c, 0, 5);
    Gemm.sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
    assertThat(c).containsExactly(7f);
  }

  @Test
  void badArgumentsNameTheArgumentAndValue() {
    float[] a = new float[6], b = new float[6], c = new float[4];
    assertThatThrownBy(() -> Gemm.sgemm(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=-1");
    assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2))
        .hasMessageContaining("lda=2").hasMessageContaining("3 columns");
    assertThatThrownBy(() -> Gemm.sgemm(false, true, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
        .hasMessageContaining("ldb=2").hasMessageContaining("B (transposed)");
    assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2))
        .hasMessageContaining("A has 6 elements").hasMessageContaining("offset 1").hasMessageContaining("needs 7");
    assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 3))
        .hasMessageContaining("C has 4 elements");
    assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 3, 1f, null, 0, 3, b, 0, 2, 0f, c, 0, 2))
        .hasMessageContaining("A is null");
    assertThatThrownBy(() -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 3, b, -2, 2, 0f, c, 0, 2))
        .hasMessageContaining("offset of B is negative: -2");
    assertThatThrownBy(() -> Gemm.sgemm(null, false, false, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2))
        .hasMessageContaining("kernel is null");
  }

  @Test
  void avx2TileRowsAreSixOnJdk17AndFourLaterUnlessTheyAreAskedFor() {
    assertThat(Gemm.tileRows(null, 17)).isEqualTo(6);
    assertThat(Gemm.tileRows(null, 21)).isEqualTo(4);
    assertThat(Gemm.tileRows(null, 25)).isEqualTo(4);
    assertThat(Gemm.tileRows("4", 17)).isEqualTo(4);
    assertThat(Gemm.tileRows(" 6 ", 25)).isEqualTo(6);
    assertThatThrownBy(() -> Gemm.tileRows("5", 17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dneurona.gemm.rows must be 4 or 6")
        .hasMessageContaining("got '5'");
  }

  @Test
  void theVectorKernelHasTheTileRowsOfThisJdkOrOfTheProperty() {
    // core's pom runs this class again with -Dneurona.gemm.rows=4 and =6: both tiles on every JDK.
    MicroKernel kernel = Gemm.vectorKernel().orElse(null);
    assumeTrue(kernel != null && kernel.nr() == 16, "no Vector API module, or not 256-bit vectors");
    int rows = Gemm.tileRows(System.getProperty(Gemm.ROWS_PROPERTY), Runtime.version().feature());
    assertThat(kernel.mr()).isEqualTo(rows);
    assertThat(kernel.name()).isEqualTo("vector (256-bit) " + rows + "x16");
    if (KernelProvider.simdEnabled()) {
      assertThat(Gemm.kernel().mr()).isEqualTo(rows);
    }
  }

  @Test
  void activeKernelIsTheVectorOneWhenTheModuleIsPresent() {
    // Surefire runs with --add-modules jdk.incubator.vector; the provider must pick SIMD then.
    boolean simd = KernelProvider.vectorModulePresent() && KernelProvider.simdEnabled();
    assertThat(Gemm.kernel().name()).startsWith(simd ? "vector" : "scalar");
    assertThat(Gemm.scalarKernel().name()).startsWith("scalar");
  }
}
