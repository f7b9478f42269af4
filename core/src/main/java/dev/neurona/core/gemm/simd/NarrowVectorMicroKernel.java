package dev.neurona.core.gemm.simd;

import dev.neurona.core.gemm.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A tile one vector wide and eight rows tall, for products with at most one vector of columns, where
 * {@link VectorMicroKernel}'s two-vector tile would compute as many zero columns as real ones: the input
 * gradient of flowers' second convolution (90×90, 32 → 16 channels, 512-bit vectors) is a window product
 * with 16 columns. Eight accumulators (enough for two FMA pipes of four cycles' latency), one B vector and a
 * broadcast; eight row offsets, which the general registers hold ({@link #tileWindows} reads the windows in
 * place, as {@link VectorMicroKernel}'s eight-row tile does).
 *
 * <p>Measured against sixteen rows ({@code Alternate inputgrad:flowers2,32}, JDK 25, Zen 5): sixteen rows need
 * sixteen offsets, which spill, so they ran from windows copied per tile, and eight rows in place took 0.81 of
 * their time on one thread, 0.89 on two. The GEMM driver never picks this kernel by itself. Every element is
 * {@code fma} over {@code p} ascending from zero, as in {@link VectorMicroKernel}: a product has the same bits
 * with either kernel.
 */
final class NarrowVectorMicroKernel implements MicroKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int MR = 8;

  /** The kernel that takes {@link #rows}: its result does not depend on the tile. */
  private final MicroKernel wide;

  NarrowVectorMicroKernel(MicroKernel wide) {
    if (L < 16) {
      throw new IllegalStateException("the one-vector tile is for 512-bit vectors; this CPU's preferred size is "
          + S.vectorBitSize() + " bits");
    }
    this.wide = wide;
  }

  @Override
  public String name() {
    return "vector (" + S.vectorBitSize() + "-bit) " + MR + "x" + L;
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return L;
  }

  @Override
  public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    tile8(kc, ap, apOff, MR, bp, bpOff, acc);
  }

  @Override
  public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tile8(kc, a, aOff, lda, bp, bpOff, acc);
  }

  /** Rows {@code lda} apart: one run of {@code kc} floats per row, as {@link #tileWindows} reads them. */
  @Override
  public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    rows8(1, kc, 0, a, aOff, aOff + lda, aOff + 2 * lda, aOff + 3 * lda, aOff + 4 * lda, aOff + 5 * lda, aOff + 6 * lda,
        aOff + 7 * lda, bp, bpOff, acc);
  }

  /** The step loop for A values {@code a[aOff + p·aStep + r]}: a packed sliver (step 8) or a transposed A in place. */
  private static void tile8(int kc, float[] a, int aOff, int aStep, float[] bp, int bpOff, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int p = 0, ai = aOff, bi = bpOff; p < kc; p++, ai += aStep, bi += L) {
      FloatVector b = FloatVector.fromArray(S, bp, bi);
      c0 = FloatVector.broadcast(S, a[ai]).fma(b, c0);
      c1 = FloatVector.broadcast(S, a[ai + 1]).fma(b, c1);
      c2 = FloatVector.broadcast(S, a[ai + 2]).fma(b, c2);
      c3 = FloatVector.broadcast(S, a[ai + 3]).fma(b, c3);
      c4 = FloatVector.broadcast(S, a[ai + 4]).fma(b, c4);
      c5 = FloatVector.broadcast(S, a[ai + 5]).fma(b, c5);
      c6 = FloatVector.broadcast(S, a[ai + 6]).fma(b, c6);
      c7 = FloatVector.broadcast(S, a[ai + 7]).fma(b, c7);
    }
    store(acc, c0, c1, c2, c3, c4, c5, c6, c7);
  }

  /** Eight rows read in place, one offset each, moved one image row per run. */
  @Override
  public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc) {
    rows8(segs, segLen, segStep, a, rowOff[ro], rowOff[ro + 1], rowOff[ro + 2], rowOff[ro + 3], rowOff[ro + 4],
        rowOff[ro + 5], rowOff[ro + 6], rowOff[ro + 7], bp, bpOff, acc);
  }

  /** Rows starting at {@code r0 .. r7}, each {@code segs} runs of {@code segLen} floats {@code segStep} apart. */
  private static void rows8(int segs, int segLen, int segStep, float[] a, int r0, int r1, int r2, int r3, int r4, int r5,
      int r6, int r7, float[] bp, int bpOff, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int shift = s * segStep;
      int o0 = r0 + shift, o1 = r1 + shift, o2 = r2 + shift, o3 = r3 + shift;
      int o4 = r4 + shift, o5 = r5 + shift, o6 = r6 + shift, o7 = r7 + shift;
      for (int q = 0; q < segLen; q++, bi += L) {
        FloatVector b = FloatVector.fromArray(S, bp, bi);
        c0 = FloatVector.broadcast(S, a[o0 + q]).fma(b, c0);
        c1 = FloatVector.broadcast(S, a[o1 + q]).fma(b, c1);
        c2 = FloatVector.broadcast(S, a[o2 + q]).fma(b, c2);
        c3 = FloatVector.broadcast(S, a[o3 + q]).fma(b, c3);
        c4 = FloatVector.broadcast(S, a[o4 + q]).fma(b, c4);
        c5 = FloatVector.broadcast(S, a[o5 + q]).fma(b, c5);
        c6 = FloatVector.broadcast(S, a[o6 + q]).fma(b, c6);
        c7 = FloatVector.broadcast(S, a[o7 + q]).fma(b, c7);
      }
    }
    store(acc, c0, c1, c2, c3, c4, c5, c6, c7);
  }

  private static void store(float[] acc, FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, FloatVector c4,
      FloatVector c5, FloatVector c6, FloatVector c7) {
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    c4.intoArray(acc, 4 * L);
    c5.intoArray(acc, 5 * L);
    c6.intoArray(acc, 6 * L);
    c7.intoArray(acc, 7 * L);
  }

  @Override
  public void rows(int rows, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int ldb, int cols,
      float[] acc) {
    wide.rows(rows, kc, a, aOff, aRow, aStep, b, bOff, ldb, cols, acc);
  }

  /** Two loops, as {@link VectorMicroKernel}'s update: no store of a vector merged from two branches. */
  @Override
  public void update(float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst, int dOff,
      int ldd) {
    if (beta == 0f) {
      for (int r = 0; r < MR; r++) {
        FloatVector.fromArray(S, acc, r * L).mul(alpha).intoArray(dst, dOff + r * ldd);
      }
    } else {
      for (int r = 0; r < MR; r++) {
        FloatVector.fromArray(S, acc, r * L).mul(alpha).add(FloatVector.fromArray(S, src, sOff + r * lds).mul(beta))
            .intoArray(dst, dOff + r * ldd);
      }
    }
  }
}
