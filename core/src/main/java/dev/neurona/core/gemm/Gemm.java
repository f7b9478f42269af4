package dev.neurona.core.gemm;

import dev.neurona.core.kernels.KernelProvider;
import java.util.Optional;

/**
 * Single-precision general matrix multiply, BLAS style:
 * {@code C = alpha·op(A)·op(B) + beta·C}, where {@code op(X)} is {@code X} or its transpose.
 *
 * <p>All matrices are row-major with a leading dimension (the distance between rows):
 * {@code op(A)} is {@code m×k}, {@code op(B)} is {@code k×n}, {@code C} is {@code m×n}. When
 * {@code transA} is false {@code A} is stored {@code m×k} ({@code lda >= k}), else {@code k×m}
 * ({@code lda >= m}); likewise {@code B}. {@code beta == 0} overwrites {@code C} (NaNs in it do not
 * propagate), as in BLAS.
 *
 * <p>The work is blocked and packed GotoBLAS/BLIS style around a register-tiled {@link MicroKernel}
 * and spread over {@link dev.neurona.core.Parallel}'s pool; results are bit-identical for any
 * thread count. The active micro-kernel is the Vector API one when {@code jdk.incubator.vector} is
 * present (and {@code -Dneurona.simd} is not {@code false}), else the scalar one; see
 * {@link #kernel()}. {@link NaiveGemm} is the reference.
 */
public final class Gemm {
  private static final String VECTOR_KERNEL = "dev.neurona.core.gemm.simd.VectorMicroKernel";
  private static final String FOUR_ROW_KERNEL = "dev.neurona.core.gemm.simd.FourRowVectorMicroKernel";
  /** System property that sets the rows of the vector kernel's tile on 256-bit vectors: 4 or 6. */
  public static final String ROWS_PROPERTY = "neurona.gemm.rows";

  private Gemm() {}

  /** Chosen once; a static final keeps the call sites monomorphic. */
  private static final class Active {
    static final MicroKernel KERNEL =
        forThisJdk(KernelProvider.choose(MicroKernel.class, VECTOR_KERNEL, ScalarMicroKernel.INSTANCE));
  }

  /** Loaded at most once, whether or not it is the active kernel. */
  private static final class Vector {
    static final Optional<MicroKernel> KERNEL =
        KernelProvider.loadVector(MicroKernel.class, VECTOR_KERNEL).map(Gemm::forThisJdk);
  }

  /**
   * The vector kernel with the tile height this JDK compiles best: on 256-bit vectors (16-column
   * tiles) {@link #tileRows} rows, 6 (the kernel as loaded) or 4 (its four-row variant). Other
   * kernels are returned as they are.
   */
  private static MicroKernel forThisJdk(MicroKernel kernel) {
    int rows = tileRows(System.getProperty(ROWS_PROPERTY), Runtime.version().feature());
    if (kernel == ScalarMicroKernel.INSTANCE || kernel.nr() != 16 || kernel.mr() == rows) {
      return kernel;
    }
    return KernelProvider.loadVector(MicroKernel.class, FOUR_ROW_KERNEL).orElse(kernel);
  }

  /**
   * Rows of the vector kernel's tile on 256-bit vectors (AVX2, 16 registers): {@code property} (4 or
   * 6) when set, else 6 on JDK 17 and 4 on later JDKs. The 6×16 tile needs 15 of the 16 registers:
   * JDK 17's C2 keeps it in registers, JDK 25's loads three broadcasts ahead of their FMAs and spills
   * two accumulators every step (MNIST CNN training step, images/s: JDK 17 824 with 6 rows, 688 with 4;
   * JDK 25 550 with 6, 877 with 4). The cause is C2's register-pressure-aware local scheduling: with
   * {@code -XX:-OptoRegScheduling} JDK 25 compiles the 6×16 loop as JDK 17 does (83 against 35–39
   * GFLOP/s alone, AMD EPYC), but its window tile then runs slower and the networks with it, so the
   * default stays 4; the regions of a product that pack all of A still get a 6×16 tile, one that
   * JDK 25 keeps in registers ({@link MicroKernel#packedTiles}). The tile height never changes a
   * result: each C element is the same chain of fused multiply-adds. 512-bit vectors always take 8
   * rows.
   */
  static int tileRows(String property, int jdkFeature) {
    if (property == null) {
      return jdkFeature <= 17 ? 6 : 4;
    }
    switch (property.trim()) {
      case "4":
        return 4;
      case "6":
        return 6;
      default:
        throw new IllegalArgumentException("-D" + ROWS_PROPERTY + " must be 4 or 6 (rows of the GEMM tile on"
            + " 256-bit vectors), got '" + property + "'");
    }
  }

  /**
   * The k-block length of a blocked product with inner dimension k: each C element's sum starts from
   * zero at every k-block and is then added to C. Code that reproduces the GEMM's bits another way
   * (the direct convolution's kernel gradient) follows these blocks.
   */
  public static int kBlock(int k) {
    return BlockedGemm.kBlock(k);
  }

  /**
   * Whether an m×n×k product (k > 0) runs blocked, in k-blocks of {@link #kBlock}, rather than as one
   * unfused chain per C element (tiny products and n ≤ 2).
   */
  public static boolean isBlocked(int m, int n, int k) {
    return BlockedGemm.isBlocked(m, n, k);
  }

  /** The micro-kernel {@link #sgemm} uses: vector when available and enabled, else scalar. */
  public static MicroKernel kernel() {
    return Active.KERNEL;
  }

  /** The plain-Java micro-kernel, whatever path is active. */
  public static MicroKernel scalarKernel() {
    return ScalarMicroKernel.INSTANCE;
  }

  /** The Vector API micro-kernel when {@code jdk.incubator.vector} is present, regardless of {@code -Dneurona.simd}. */
  public static Optional<MicroKernel> vectorKernel() {
    return Vector.KERNEL;
  }

  /** {@code C = alpha·op(A)·op(B) + beta·C} with the active kernel; see the class comment for layouts. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    sgemm(Active.KERNEL, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C} with the given micro-kernel (e.g. {@link #scalarKernel()}
   * or {@link #vectorKernel()}, to compare them); same layouts and checks as the other overload.
   */
  public static void sgemm(MicroKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    checkKernel(kernel);
    checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    BlockedGemm.sgemm(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * Packs {@code op(B)} (k×n; stored k×n, or n×k when {@code transB}) for the active kernel, for
   * many products against it; see {@link PackedB}.
   */
  public static PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
    return packB(Active.KERNEL, transB, k, n, b, bOff, ldb, null);
  }

  /**
   * As {@link #packB(boolean, int, int, float[], int, int)} for the given kernel, reusing the storage
   * of {@code reuse} (may be null) when it has the same kernel, k and n: it is overwritten and returned.
   */
  public static PackedB packB(MicroKernel kernel, boolean transB, int k, int n, float[] b, int bOff, int ldb,
      PackedB reuse) {
    checkKernel(kernel);
    if (k < 0 || n < 0) {
      throw new IllegalArgumentException("packB: sizes must be >= 0, got k=" + k + ", n=" + n);
    }
    checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n, transB);
    return PackedB.pack(kernel, transB, k, n, b, bOff, ldb, reuse);
  }

  /**
   * A packing of a k×n op(B) for the active kernel that the caller fills with {@link #packRows},
   * part by part, for a B made in pieces: a convolution's im2col rows go straight into it, a few at a
   * time from a buffer in L1, instead of being written whole and packed again by the product. Every
   * row must be written before a product uses it. Reuses {@code reuse}'s storage when it can (may be null).
   */
  public static PackedB packing(int k, int n, PackedB reuse) {
    if (k < 0 || n < 0) {
      throw new IllegalArgumentException("packing: sizes must be >= 0, got k=" + k + ", n=" + n);
    }
    return PackedB.empty(Active.KERNEL, k, n, reuse);
  }

  /**
   * Packs {@code rows} rows of a row-major matrix ({@code b} from {@code bOff}, {@code ldb} apart, n
   * floats each) as rows {@code p0 ..} of {@code packed}'s op(B): once every row is in, {@code packed}
   * holds what {@link #packB} of the whole matrix would, and products against it give the same bits.
   */
  public static void packRows(PackedB packed, int p0, int rows, float[] b, int bOff, int ldb) {
    if (packed == null) {
      throw new IllegalArgumentException("packRows: packed B is null");
    }
    if (p0 < 0 || rows < 0 || (long) p0 + rows > packed.k()) {
      throw new IllegalArgumentException("packRows: rows [" + p0 + ", " + ((long) p0 + rows) + ") are not within the "
          + packed.k() + " rows of " + packed);
    }
    checkMatrix("B", b, bOff, ldb, rows, packed.n(), false);
    packed.packRows(p0, rows, b, bOff, ldb);
  }

  /**
   * {@code C = alpha·op(A)·B + beta·C} with B packed by {@link #packB}: op(A) is m×k, C is m×n, with
   * k and n those of {@code b}; the product runs on {@code b}'s kernel. Gives the same bits as the
   * unpacked call with that kernel whenever that call takes the blocked path, which is whenever
   * n > 2 and m·n·k > 4096 (smaller products take a direct loop there).
   */
  public static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b, float beta,
      float[] c, int cOff, int ldc) {
    if (b == null) {
      throw new IllegalArgumentException("sgemm: packed B is null");
    }
    if (m < 0) {
      throw new IllegalArgumentException("sgemm: m must be >= 0, got " + m);
    }
    checkMatrix("A", a, aOff, lda, transA ? b.k() : m, transA ? m : b.k(), transA);
    checkMatrix("C", c, cOff, ldc, m, b.n(), false);
    BlockedGemm.sgemm(BlockedGemm.PARALLEL_WORK, transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
  }

  private static void checkKernel(MicroKernel kernel) {
    if (kernel == null) {
      throw new IllegalArgumentException("sgemm: kernel is null");
    }
    if (kernel.mr() < 1 || kernel.nr() < 1) {
      throw new IllegalArgumentException("sgemm: kernel " + kernel.name() + " has a tile of " + kernel.mr() + "x"
          + kernel.nr() + "; both must be >= 1");
    }
  }

  /** Validates sizes, leading dimensions and array lengths, naming the argument and the values. */
  static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("sgemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
    }
    int aRows = transA ? k : m, aCols = transA ? m : k;
    int bRows = transB ? n : k, bCols = transB ? k : n;
    checkMatrix("A", a, aOff, lda, aRows, aCols, transA);
    checkMatrix("B", b, bOff, ldb, bRows, bCols, transB);
    checkMatrix("C", c, cOff, ldc, m, n, false);
  }

  private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols, boolean trans) {
    String desc = name + (trans ? " (transposed)" : "") + " stored " + rows + "x" + cols;
    if (ld < Math.max(1, cols)) {
      throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld + " is less than the "
          + cols + " columns of " + desc);
    }
    if (x == null) {
      throw new IllegalArgumentException("sgemm: " + name + " is null");
    }
    if (off < 0) {
      throw new IllegalArgumentException("sgemm: offset of " + name + " is negative: " + off);
    }
    if (rows > 0 && cols > 0) {
      long last = off + (long) (rows - 1) * ld + cols;
      if (last > x.length) {
        throw new IllegalArgumentException("sgemm: " + name + " has " + x.length + " elements but " + desc
            + " with offset " + off + " and leading dimension " + ld + " needs " + last);
      }
    }
  }
}
