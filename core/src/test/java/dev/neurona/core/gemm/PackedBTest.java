package dev.neurona.core.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parallel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PackedBTest {
  private final Random random = new Random(20261123L);
  private final int savedThreads = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  private float[] randomArray(int size) {
    return GemmTesting.randomArray(random, size);
  }

  private static List<MicroKernel> kernels() {
    return GemmTesting.kernels();
  }

  /**
   * Shapes (m, n, k) on the blocked path (n > 2, m·n·k > 4096): the general path with A read in
   * place (few B slivers) and packed, the small-m path, two and three k-blocks, edge slivers, an
   * im2col-like tall product and more columns than one B panel.
   */
  private static final int[][] SHAPES = {
      {98, 64, 800}, {40, 3, 300}, {300, 45, 70}, {BlockedGemm.MC, 8 * 32, 5}, {13, 8 * 32 + 5, BlockedGemm.KC + 9},
      {250, 33, 2 * BlockedGemm.KC + 7}, {7, BlockedGemm.NC + 40, 20}, {1000, 70, 11},
  };

  @Test
  void packedProductsGiveTheSameBitsAsUnpackedOnesForBothLayoutsOfB() {
    int compared = 0;
    for (MicroKernel kernel : kernels()) {
      for (int[] s : SHAPES) {
        for (boolean transA : new boolean[] {false, true}) {
          for (boolean transB : new boolean[] {false, true}) {
            int m = s[0], n = s[1], k = s[2];
            int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
            int aOff = 5, bOff = 3, cOff = 2;
            float[] a = randomArray(aOff + (transA ? k : m) * lda);
            float[] b = randomArray(bOff + (transB ? n : k) * ldb);
            float[] c0 = randomArray(cOff + m * ldc);
            float[] plain = c0.clone(), packed = c0.clone();
            Gemm.sgemm(kernel, transA, transB, m, n, k, 0.75f, a, aOff, lda, b, bOff, ldb, -0.5f, plain, cOff, ldc);
            PackedB pb = Gemm.packB(kernel, transB, k, n, b, bOff, ldb, null);
            assertThat(pb.k()).isEqualTo(k);
            assertThat(pb.n()).isEqualTo(n);
            assertThat(pb.kernel()).isSameAs(kernel);
            Gemm.sgemm(transA, m, 0.75f, a, aOff, lda, pb, -0.5f, packed, cOff, ldc);
            assertThat(packed).as("%s %dx%dx%d transA=%s transB=%s", kernel.name(), m, n, k, transA, transB)
                .containsExactly(plain);
            compared++;
          }
        }
      }
    }
    assertThat(compared).isEqualTo(kernels().size() * SHAPES.length * 4);
  }

  @Test
  void packedProductsAreBitIdenticalForOneTwoAndThreeThreads() {
    MicroKernel kernel = Gemm.kernel();
    for (int[] s : SHAPES) {
      int m = s[0], n = s[1], k = s[2];
      float[] a = randomArray(m * k), b = randomArray(k * n), c0 = randomArray(m * n);
      PackedB pb = Gemm.packB(kernel, false, k, n, b, 0, n, null);
      Parallel.setThreads(1);
      float[] one = c0.clone();
      BlockedGemm.sgemm(0, false, m, 1f, a, 0, k, pb, 1f, one, 0, n);
      for (int threads = 2; threads <= 3; threads++) {
        Parallel.setThreads(threads);
        float[] c = c0.clone();
        BlockedGemm.sgemm(0, false, m, 1f, a, 0, k, pb, 1f, c, 0, n);
        assertThat(c).as("%dx%dx%d with %d threads", m, n, k, threads).containsExactly(one);
      }
    }
  }

  @Test
  void reusingStorageRepacksInPlaceOnlyForTheSameShapeAndKernel() {
    MicroKernel kernel = Gemm.kernel();
    int m = 50, n = 40, k = 30;
    float[] a = randomArray(m * k), b1 = randomArray(k * n), b2 = randomArray(k * n);
    PackedB first = Gemm.packB(kernel, false, k, n, b1, 0, n, null);
    PackedB again = Gemm.packB(kernel, false, k, n, b2, 0, n, first);
    assertThat(again).isSameAs(first);
    float[] viaPacked = new float[m * n], plain = new float[m * n];
    Gemm.sgemm(false, m, 1f, a, 0, k, again, 0f, viaPacked, 0, n);
    Gemm.sgemm(kernel, false, false, m, n, k, 1f, a, 0, k, b2, 0, n, 0f, plain, 0, n);
    assertThat(viaPacked).containsExactly(plain);
    assertThat(Gemm.packB(kernel, false, k, n + 1, randomArray(k * (n + 1)), 0, n + 1, first)).isNotSameAs(first);
    if (kernel != Gemm.scalarKernel()) {
      assertThat(Gemm.packB(Gemm.scalarKernel(), false, k, n, b1, 0, n, first)).isNotSameAs(first);
    }
  }

  @Test
  void emptyAndDegenerateProducts() {
    PackedB empty = Gemm.packB(false, 0, 5, new float[0], 0, 5);
    float[] c = {1f, 2f, 3f, 4f, 5f};
    Gemm.sgemm(false, 1, 1f, new float[0], 0, 1, empty, 2f, c, 0, 5);
    assertThat(c).containsExactly(2f, 4f, 6f, 8f, 10f); // k = 0: C = beta·C
    Gemm.sgemm(false, 0, 1f, new float[0], 0, 1, empty, 0f, c, 0, 5);
    assertThat(c).containsExactly(2f, 4f, 6f, 8f, 10f); // m = 0: nothing
  }

  @Test
  void badArgumentsNameTheArgumentAndValue() {
    float[] b = new float[12];
    PackedB pb = Gemm.packB(false, 3, 4, b, 0, 4);
    assertThatThrownBy(() -> Gemm.packB(false, -1, 4, b, 0, 4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=-1");
    assertThatThrownBy(() -> Gemm.packB(false, 3, 4, b, 0, 3)).hasMessageContaining("ldb=3");
    assertThatThrownBy(() -> Gemm.packB(true, 3, 4, b, 1, 3)).hasMessageContaining("B has 12 elements")
        .hasMessageContaining("needs 13");
    assertThatThrownBy(() -> Gemm.packB(null, false, 3, 4, b, 0, 4, null)).hasMessageContaining("kernel is null");
    float[] c = new float[8];
    assertThatThrownBy(() -> Gemm.sgemm(false, 2, 1f, new float[6], 0, 3, null, 0f, c, 0, 4))
        .hasMessageContaining("packed B is null");
    assertThatThrownBy(() -> Gemm.sgemm(false, -2, 1f, new float[6], 0, 3, pb, 0f, c, 0, 4))
        .hasMessageContaining("m must be >= 0, got -2");
    assertThatThrownBy(() -> Gemm.sgemm(false, 2, 1f, new float[5], 0, 3, pb, 0f, c, 0, 4))
        .hasMessageContaining("A has 5 elements").hasMessageContaining("needs 6");
    assertThatThrownBy(() -> Gemm.sgemm(false, 2, 1f, new float[6], 0, 3, pb, 0f, new float[7], 0, 4))
        .hasMessageContaining("C has 7 elements");
  }

  @Test
  void theRegionGridCutsTheCheapestDimensionIntoEnoughRegions() {
    // (want, mSlivers, nSlivers, m, n) -> gm × gn
    assertThat(grid(2, 128, 32, 1024, 1024)).isIn("1x2", "2x1");
    assertThat(grid(2, 3136, 2, 25088, 64)).isEqualTo("2x1"); // tall im2col product: split rows
    assertThat(grid(2, 16, 98, 128, 3136)).isEqualTo("1x2"); // short and wide: split columns
    assertThat(grid(3, 1, 40, 8, 1280)).isEqualTo("1x3");
    assertThat(grid(4, 1, 1, 8, 32)).isEqualTo("1x1"); // one tile: nothing to split
    // Column regions keep at least 8 slivers (so A is packed): 256² has 8 in all, so rows are cut.
    assertThat(grid(2, 32, 8, 256, 256)).isEqualTo("2x1");
    assertThat(grid(8, 2, 2, 16, 64)).isEqualTo("2x1");
    assertThat(grid(3, 1, 5, 8, 150)).isEqualTo("1x1");
  }

  private static String grid(int want, int mSlivers, int nSlivers, int m, int n) {
    long g = BlockedGemm.grid(want, mSlivers, nSlivers, m, n);
    return (g >>> 32) + "x" + (int) g;
  }
}
