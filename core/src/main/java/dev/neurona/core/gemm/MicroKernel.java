package dev.neurona.core.gemm;

/**
 * The register-tiled inner kernel of the blocked {@link Gemm}: one {@code mr×nr} tile of C from
 * packed panels. The blocked driver packs {@code op(B)} (and {@code op(A)} unless it can be read in place), absorbing
 * transposes, leading dimensions and zero padding, and calls {@link #tile} or
 * {@link #tileRowMajorA} once per tile and k-block.
 *
 * <p>Two implementations exist: {@link Gemm#scalarKernel()} (plain Java, the fallback) and the
 * Vector API kernel ({@link Gemm#vectorKernel()}, loaded by name only when
 * {@code jdk.incubator.vector} is present). Pass either to
 * {@link Gemm#sgemm(MicroKernel, boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}
 * to run it explicitly.
 *
 * <p>Contract: for every {@code p} the sum is accumulated in ascending order, one rounding per
 * multiply-add step (fused or not is the implementation's choice, but fixed), and the result is
 * written as {@code alpha·acc + beta·c} with two separately rounded products and one rounded sum
 * ({@code alpha·acc} alone when {@code beta == 0}, so NaNs in C do not propagate). The driver
 * relies on this to write edge tiles through a temporary tile with bit-identical results.
 */
public interface MicroKernel {
  /** A short name for messages and benchmarks, e.g. {@code "vector (512-bit) 8x32"}. */
  String name();

  /** Rows of the C tile (the height of a packed A sliver). */
  int mr();

  /** Columns of the C tile (the width of a packed B sliver). */
  int nr();

  /**
   * {@code c[cOff + r·ldc + j] = alpha·Σ_p ap[apOff + p·mr + r]·bp[bpOff + p·nr + j] + beta·c[...]}
   * for {@code r < mr}, {@code j < nr}, {@code p < kc}, p ascending.
   */
  // ap is a kc×mr column-sliver (p-major), bp a kc×nr row-sliver (p-major), C an mr×nr tile.
  void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float alpha, float beta,
      float[] c, int cOff, int ldc);

  /**
   * As {@link #tile}, but A is read unpacked from {@code mr} rows of a row-major matrix:
   * {@code a[aOff + r·lda + p]}. The driver uses it for non-transposed A, where each row is already
   * contiguous in p, so full slivers need no packing (a large saving when n is small). Same
   * summation order and rounding as {@link #tile}: the results are bit-identical.
   */
  // A rows are aOff + r·lda (mr of them, kc floats each), bp a kc×nr sliver, C an mr×nr tile.
  void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float alpha, float beta,
      float[] c, int cOff, int ldc);
}
