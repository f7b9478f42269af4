package dev.neurona.core.gemm;

import dev.neurona.core.Parallel;

/**
 * A right-hand operand {@code op(B)} (k×n) packed once for many products against it — the layout
 * the blocked driver would otherwise build on every call: k-block by k-block, each a row of
 * zero-padded kc×nr slivers. A convolution multiplies the same kernel matrix by every block of
 * im2col rows; packing it once per batch instead of once per block takes 15% off the 32→64 conv
 * forward (see {@code benchmarks/README.md}).
 *
 * <p>Made by {@link Gemm#packB}, used by
 * {@link Gemm#sgemm(boolean, int, float, float[], int, int, PackedB, float, float[], int, int)}.
 * It is a snapshot: later changes to the source matrix are not seen until it is packed again.
 * Immutable while in use, so any number of threads may multiply by it at once.
 */
public final class PackedB {
  private final MicroKernel kernel;
  private final int k;
  private final int n;
  /** Rows per k-block, {@link BlockedGemm#kBlock}: the same blocking as the unpacked call. */
  private final int kBlock;
  /** n rounded up to whole slivers: a k-block of kc rows takes kc·nPad floats. */
  private final int nPad;
  private final float[] data;

  private PackedB(MicroKernel kernel, int k, int n, float[] data) {
    this.kernel = kernel;
    this.k = k;
    this.n = n;
    this.kBlock = k == 0 ? 1 : BlockedGemm.kBlock(k);
    this.nPad = (n + kernel.nr() - 1) / kernel.nr() * kernel.nr();
    this.data = data;
  }

  /** Packs op(B), reusing {@code reuse}'s storage when it has the same kernel and shape (it may be null). */
  static PackedB pack(MicroKernel kernel, boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB reuse) {
    int nr = kernel.nr();
    int size = packedSize(kernel, k, n);
    PackedB p = reuse != null && reuse.kernel == kernel && reuse.k == k && reuse.n == n
        ? reuse : new PackedB(kernel, k, n, new float[size]);
    int slivers = p.nPad / nr;
    int kBlocks = k == 0 ? 0 : (k + p.kBlock - 1) / p.kBlock;
    // One item per sliver of one k-block; in parallel only when it is worth a fork (≥ 1 M floats).
    Parallel.RangeBody body = (from, to) -> {
      for (int x = from; x < to; x++) {
        int pc = x / slivers * p.kBlock, s = x % slivers;
        int kc = Math.min(p.kBlock, k - pc);
        BlockedGemm.packBGroup(kernel, transB, b, bOff, ldb, pc, kc, s * nr, Math.min(nr, n - s * nr), p.data,
            p.offset(pc, s * nr));
      }
    };
    if (size >= 1 << 20) {
      Parallel.forRange(kBlocks * slivers, 8, body);
    } else {
      body.run(0, kBlocks * slivers);
    }
    return p;
  }

  /**
   * A packing of a k×n op(B) for {@code kernel} whose rows are written later, by {@link #packRows}:
   * {@code reuse} itself when it has this kernel and shape, else a new one on {@code reuse}'s array
   * when that is long enough (it may be null).
   */
  static PackedB empty(MicroKernel kernel, int k, int n, PackedB reuse) {
    int size = packedSize(kernel, k, n);
    if (reuse != null && reuse.kernel == kernel && reuse.k == k && reuse.n == n) {
      return reuse;
    }
    boolean roomy = reuse != null && reuse.kernel == kernel && reuse.data.length >= size;
    return new PackedB(kernel, k, n, roomy ? reuse.data : new float[size]);
  }

  /** Floats of a k×n op(B) packed for {@code kernel} (n rounded up to whole slivers); too many for an array is an error. */
  private static int packedSize(MicroKernel kernel, int k, int n) {
    int nr = kernel.nr();
    long size = (long) k * ((n + nr - 1) / nr) * nr;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("packB: op(B) of " + k + "x" + n + " needs " + size
          + " floats packed, more than a Java array holds");
    }
    return (int) size;
  }

  /**
   * Writes rows {@code [p0, p0 + rows)} of op(B) from a row-major {@code b} (row {@code i} of them at
   * {@code bOff + i·ldb}, n floats) into their slivers, the last sliver's padding zero: the floats
   * {@link #pack} puts there, so a packing filled this way, every row once, multiplies to the same bits.
   */
  void packRows(int p0, int rows, float[] b, int bOff, int ldb) {
    int nr = kernel.nr(), full = n / nr;
    for (int done = 0; done < rows; ) {
      int p = p0 + done;
      int pc = p / kBlock * kBlock, kc = Math.min(kBlock, k - pc);
      int count = Math.min(rows - done, pc + kc - p); // rows of this k-block
      int at = pc * nPad + (p - pc) * nr, src = bOff + done * ldb;
      kernel.packSlivers(count, full, b, src, ldb, data, at, kc * nr);
      if (full * nr < n) {
        BlockedGemm.packB(false, b, src, ldb, 0, count, full * nr, n - full * nr, nr, data, at + full * nr * kc);
      }
      done += count;
    }
  }

  /** The micro-kernel it was packed for (its nr is the sliver width); products use this kernel. */
  public MicroKernel kernel() {
    return kernel;
  }

  /** Rows of op(B): the inner dimension of the product. */
  public int k() {
    return k;
  }

  /** Columns of op(B) and of C. */
  public int n() {
    return n;
  }

  float[] data() {
    return data;
  }

  /** Where the sliver starting at column {@code j} (a multiple of nr) of the k-block starting at row {@code pc} begins. */
  int offset(int pc, int j) {
    int kc = Math.min(kBlock, k - pc);
    return pc * nPad + j * kc;
  }

  @Override
  public String toString() {
    return "PackedB[" + k + "x" + n + ", " + kernel.name() + "]";
  }
}
