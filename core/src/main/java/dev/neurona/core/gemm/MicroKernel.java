package dev.neurona.core.gemm;

/**
 * The register-tiled inner kernel of the blocked {@link Gemm}: one {@code mr×nr} tile of C from
 * packed panels. The blocked driver packs {@code op(B)} (and {@code op(A)} unless it can be read in place), absorbing
 * transposes, leading dimensions and zero padding, and calls {@link #tile},
 * {@link #tileRowMajorA} or {@link #tileTransposedA} then {@link #update} once per tile and k-block.
 *
 * <p>Two implementations exist: {@link Gemm#scalarKernel()} (plain Java, the fallback) and the
 * Vector API kernel ({@link Gemm#vectorKernel()}, loaded by name only when
 * {@code jdk.incubator.vector} is present). Pass either to
 * {@link Gemm#sgemm(MicroKernel, boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}
 * to run it explicitly.
 *
 * <p>Contract: every sum is accumulated over {@code p} in ascending order with a fixed rounding per
 * step (fused multiply-add or not is the implementation's choice, but fixed), so a C element's
 * value depends only on the blocking, never on the thread count.
 */
public interface MicroKernel {
  /** A short name for messages and benchmarks, e.g. {@code "vector (512-bit) 8x32"}. */
  String name();

  /** Rows of the C tile (the height of a packed A sliver). */
  int mr();

  /** Columns of the C tile (the width of a packed B sliver). */
  int nr();

  /**
   * {@code acc[r·nr + j] = Σ_p ap[apOff + p·mr + r]·bp[bpOff + p·nr + j]} for {@code r < mr},
   * {@code j < nr}, {@code p < kc} ascending: the raw sums of one tile, overwriting {@code acc}.
   */
  // ap is a kc×mr sliver (p-major), bp a kc×nr sliver (p-major), acc an mr×nr row-major tile.
  void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc);

  /**
   * As {@link #tile}, but A is read unpacked from {@code mr} rows of a row-major matrix:
   * {@code a[aOff + r·lda + p]}. The driver uses it for non-transposed A when packing would not pay
   * (few B slivers per A block), since each row is already contiguous in p. Same summation order
   * and rounding as {@link #tile}: the results are bit-identical.
   */
  // A rows are aOff + r·lda (mr of them, kc floats each), bp a kc×nr sliver, acc an mr×nr tile.
  void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc);

  /**
   * {@link #tileRowMajorA} then {@link #update} with alpha 1 and beta 0: {@code dst[dOff + r·ldd + j]} receives the
   * tile's sums, stored straight from the registers where the kernel can (the default goes through {@code acc},
   * its scratch tile). For products whose k is one short block, where the round trip through {@code acc} costs
   * a fair share of the tile: the Winograd products, k = the input channels. The bits of the two calls.
   */
  // a: mr rows lda apart, kc floats each; bp a kc×nr sliver; dst: mr rows of nr floats, ldd apart.
  default void tileRowMajorAStore(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc, float[] dst,
      int dOff, int ldd) {
    tileRowMajorA(kc, a, aOff, lda, bp, bpOff, acc);
    update(acc, 1f, 0f, null, 0, 0, dst, dOff, ldd);
  }

  /**
   * {@link #tile} then {@link #update} in place with alpha 1 and beta 1 ({@code accumulate}) or 0:
   * {@code dst[dOff + r·ldd + j]} becomes the tile's sum plus, when accumulating, what it held, added
   * from the registers where the kernel can (the default goes through {@code acc}). x·1 is x, so the
   * bits of the two calls. The driver's full tiles written in place or into its staging buffer.
   */
  // ap a packed mr×kc sliver, bp a kc×nr sliver; dst: mr rows of nr floats, ldd apart.
  default void tileInto(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc, boolean accumulate,
      float[] dst, int dOff, int ldd) {
    tile(kc, ap, apOff, bp, bpOff, acc);
    update(acc, 1f, accumulate ? 1f : 0f, dst, dOff, ldd, dst, dOff, ldd);
  }

  /** {@link #tileInto} with A read as {@link #tileTransposedA} reads it: the bits of that tile and {@link #update}. */
  default void tileTransposedAInto(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc,
      boolean accumulate, float[] dst, int dOff, int ldd) {
    tileTransposedA(kc, a, aOff, lda, bp, bpOff, acc);
    update(acc, 1f, accumulate ? 1f : 0f, dst, dOff, ldd, dst, dOff, ldd);
  }

  /**
   * As {@link #tile}, but A is read unpacked from a transposed (k×m, row-major) store:
   * {@code a[aOff + p·lda + r]}. The driver uses it for a transposed A when packing would not pay,
   * since each step's mr values are already contiguous. Same summation order and rounding as
   * {@link #tile}: the results are bit-identical.
   */
  // A rows are p: aOff + p·lda holds the mr values of step p; bp a kc×nr sliver, acc an mr×nr tile.
  void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc);

  /**
   * As {@link #tile} with {@code kc = segs·segLen}, but each row of A is gathered in place from
   * {@code segs} runs of {@code segLen} contiguous floats, run {@code s} of row {@code r} starting at
   * {@code a[rowOff[ro + r] + s·segStep]}:
   * {@code acc[r·nr + j] = Σ_{s,q} a[rowOff[ro + r] + s·segStep + q]·bp[bpOff + (s·segLen + q)·nr + j]},
   * {@code s} then {@code q} ascending. A convolution on NHWC images is this product with no
   * column matrix: the rows are output pixels ({@code rowOff}: each window's corner), the runs are
   * the window's rows ({@code kW·inC} contiguous floats, {@code segStep} = one image row apart).
   * Same summation order and per-step rounding as {@link #tile}: the bits of {@code tile} on the
   * gathered sliver. Every {@code mr} offsets must be valid (the driver repeats a real one for
   * rows it will not write).
   */
  // a: the image(s); rowOff[ro .. ro + mr): row starts; bp a (segs·segLen)×nr sliver; acc an mr×nr tile.
  void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc);

  /**
   * {@link #tileWindows} then {@link #update} of the whole tile with alpha 1:
   * {@code dst[dOff + r·ldd + j] = Σ + bias[biasOff + j]}, or the sums alone when {@code bias} is null (beta 0),
   * stored straight from the registers where the kernel can (the default goes through {@code acc}, its scratch
   * tile). The bits of the two calls.
   */
  // as tileWindows; bias: nr floats from biasOff, or null; dst: mr rows of nr floats, ldd apart.
  default void tileWindowsStore(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc, float[] bias, int biasOff, float[] dst, int dOff, int ldd) {
    tileWindows(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, acc);
    update(acc, 1f, bias == null ? 0f : 1f, bias, biasOff, 0, dst, dOff, ldd);
  }

  /**
   * The longest window ({@code segs·segLen} floats) this kernel gathers: a convolution whose windows are
   * no longer copies each tile's windows ({@link #gatherWindows}) and multiplies the copy
   * ({@link #tileGathered}) rather than calling {@link #tileWindows}; 0 (the default) when it never does.
   * For a kernel whose two-loop window tile the JIT compiles badly (JDK 17's C2 boxes the Vector API
   * accumulators of nested loops) and whose one-loop tile it compiles well. Same bits either way.
   */
  default int gatheredWindowLimit() {
    return 0;
  }

  /**
   * The kernel that gathers windows for this one: this kernel, or one with a taller tile whose
   * gathered loop the JIT compiles well (the JDK 25 AVX2 four-row kernel's six-row sibling). Same
   * {@link #nr()}, hence the same packed B; the same chain of fused multiply-adds per element, hence the same bits.
   */
  default MicroKernel gatheringTiles() {
    return this;
  }

  /**
   * The kernel for products of at most one vector's columns, which this kernel's tiles would pad with zero
   * columns: this kernel (the default), or one whose tile is one vector wide (512-bit vectors: 8×16 against
   * 8×32). Its own {@link #nr()}, hence its own packed B; the same chain of fused multiply-adds per element,
   * hence the same bits. Convolutions with that few output channels take it ({@code dev.neurona.core.conv.WindowGemm}).
   */
  default MicroKernel narrowTiles() {
    return this;
  }

  /**
   * Copies the windows that {@link #tileWindows} would read (the same arguments; {@code mr} rows of
   * {@code segs·segLen} floats, at most {@link #gatheredWindowLimit}) into {@code w}, which holds
   * {@code mr·}{@link #gatheredWindowLimit} floats, in the layout {@link #tileGathered} reads.
   */
  default void gatherWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] w) {
    throw new UnsupportedOperationException(name() + " does not gather windows");
  }

  /**
   * {@link #tileWindows} on windows copied by {@link #gatherWindows} ({@code kc = segs·segLen}): the same
   * sums in the same order, so the same bits.
   */
  // w: mr gathered windows of kc floats; bp a kc×nr sliver; acc an mr×nr tile.
  default void tileGathered(int kc, float[] w, float[] bp, int bpOff, float[] acc) {
    throw new UnsupportedOperationException(name() + " does not gather windows");
  }

  /**
   * The raw sums of a few rows of A against {@code kc} rows of an unpacked, row-major B, for
   * products with fewer rows than a tile, where packing B would cost more than the product (a dense
   * layer predicting one sample streams its weights once instead):
   * {@code acc[r·cols + j] = Σ_p a[aOff + r·aRow + p·aStep]·b[bOff + p·ldb + j]} for
   * {@code r < rows}, {@code j < cols}, {@code p < kc} ascending, overwriting {@code acc}. Same
   * summation order and per-step rounding as {@link #tile}: each element has the bits a tile gives it.
   */
  // a: rows of A at aOff + r·aRow, step aStep along p; b: kc rows of B, ldb apart; acc: rows×cols.
  void rows(int rows, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int ldb, int cols,
      float[] acc);

  /**
   * Packs {@code kc} rows of a row-major B into {@code slivers} whole slivers, the BLIS "packm" step:
   * {@code dst[dOff + s·step + p·nr + q] = b[bOff + p·ldb + s·nr + q]} for {@code p < kc},
   * {@code s < slivers}, {@code q < nr}; {@code step} is {@code kc·nr} for whole slivers, the
   * k-block's {@code kc·nr} when these rows are only part of it ({@link PackedB#packRows}). Row by
   * row, so B is read in long contiguous runs. A plain copy: the same floats whichever kernel packs them.
   */
  // b: kc rows ldb apart, slivers·nr floats used of each; dst: slivers, step floats apart, rows nr apart.
  default void packSlivers(int kc, int slivers, float[] b, int bOff, int ldb, float[] dst, int dOff, int step) {
    int nr = nr();
    for (int p = 0; p < kc; p++) {
      for (int s = 0; s < slivers; s++) {
        System.arraycopy(b, bOff + p * ldb + s * nr, dst, dOff + s * step + p * nr, nr);
      }
    }
  }

  /**
   * Writes a full tile: {@code dst[dOff + r·ldd + j] = alpha·acc[r·nr + j] + beta·src[sOff + r·lds + j]},
   * two rounded products and a rounded sum, or {@code alpha·acc} alone when {@code beta == 0}
   * ({@code src} is not read then, so NaNs in it do not propagate). {@code src} and {@code dst}
   * are C itself for an update in place, or one of them is the driver's staging buffer (a tile-major
   * copy of C's partial sums, {@code lds} or {@code ldd} = nr). Partial edge tiles are written by
   * the driver with exactly this formula.
   */
  void update(float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst, int dOff, int ldd);

  /**
   * {@link #update} of the top-left {@code rows × cols} of a tile (an edge tile of C), by the same
   * formula; this default is the plain loop, the reference a kernel's vector version must match.
   */
  default void updateEdge(int rows, int cols, float[] acc, float alpha, float beta, float[] src, int sOff, int lds,
      float[] dst, int dOff, int ldd) {
    int nr = nr();
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < cols; q++) {
        float x = acc[r * nr + q];
        dst[dOff + r * ldd + q] = beta == 0f ? alpha * x : alpha * x + beta * src[sOff + r * lds + q];
      }
    }
  }

  /**
   * The kernel for a region of a product whose A slivers are all packed, where only {@link #tile} runs:
   * this kernel, or one with a taller tile that the JIT compiles well only for that loop (the JDK 25
   * AVX2 kernel's six-row companion). Same {@link #nr()}, hence the same packed B; the same chain of
   * fused multiply-adds per element of C, hence the same bits.
   */
  default MicroKernel packedTiles() {
    return this;
  }
}
