package dev.neurona.core.gemm.simd;

import dev.neurona.core.gemm.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A tile one vector wide and sixteen rows tall, for products with at most one vector of columns, where
 * {@link VectorMicroKernel}'s two-vector tile would compute as many zero columns as real ones: the input
 * gradient of flowers' second convolution (90×90, 32 → 16 channels, 512-bit vectors) is a window product
 * with 16 columns. Sixteen accumulators, one B vector and a broadcast take 18 of the 32 registers; a step
 * loads one B vector and sixteen broadcasts for sixteen fused multiply-adds.
 *
 * <p>Convolutions always gather their windows for it ({@link #tileGathered}: rows {@link #GATHER_STRIDE}
 * floats apart, one index for all of them; {@code dev.neurona.core.conv.WindowGemm}); {@link #tileWindows}
 * reads them in place from sixteen offsets, more than the general registers hold. {@link #tileRowMajorA}
 * (rows {@code lda} apart) takes one row at a time, for completeness: latency-bound, the GEMM driver never
 * picks this kernel by itself. Every element is {@code fma} over {@code p} ascending from zero, as in
 * {@link VectorMicroKernel}: a product has the same bits with either kernel.
 */
final class NarrowVectorMicroKernel implements MicroKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int MR = 16;

  /**
   * Gathered windows: row {@code r} at {@code w[r·GATHER_STRIDE ..]}, a constant so that the tile reads all
   * rows from one index. 416 floats: 3×3 windows of up to 46 channels, 5×5 of 16; sixteen rows of them
   * (26 KB) and a 288-step B sliver (18 KB) share a 48 KB L1; rows 26 cache lines apart.
   */
  private static final int GATHER_STRIDE = 416;

  /** The kernel that takes {@link #rows}: its result does not depend on the tile. */
  private final MicroKernel wide;

  NarrowVectorMicroKernel(MicroKernel wide) {
    if (L < 16) {
      throw new IllegalStateException("the 16-row one-vector tile is for 512-bit vectors; this CPU's preferred size is "
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
    tile16(kc, ap, apOff, MR, bp, bpOff, acc);
  }

  @Override
  public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tile16(kc, a, aOff, lda, bp, bpOff, acc);
  }

  /** Row by row ({@link NarrowVectorMicroKernel class comment}): rows {@code lda} apart would take sixteen registers. */
  @Override
  public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    for (int r = 0; r < MR; r++) {
      FloatVector c = FloatVector.zero(S);
      for (int p = 0, ai = aOff + r * lda, bi = bpOff; p < kc; p++, bi += L) {
        c = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, bp, bi), c);
      }
      c.intoArray(acc, r * L);
    }
  }

  /** The step loop for A values {@code a[aOff + p·aStep + r]}: a packed sliver (step 16) or a transposed A in place. */
  private static void tile16(int kc, float[] a, int aOff, int aStep, float[] bp, int bpOff, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c14 = FloatVector.zero(S), c15 = FloatVector.zero(S);
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
      c8 = FloatVector.broadcast(S, a[ai + 8]).fma(b, c8);
      c9 = FloatVector.broadcast(S, a[ai + 9]).fma(b, c9);
      c10 = FloatVector.broadcast(S, a[ai + 10]).fma(b, c10);
      c11 = FloatVector.broadcast(S, a[ai + 11]).fma(b, c11);
      c12 = FloatVector.broadcast(S, a[ai + 12]).fma(b, c12);
      c13 = FloatVector.broadcast(S, a[ai + 13]).fma(b, c13);
      c14 = FloatVector.broadcast(S, a[ai + 14]).fma(b, c14);
      c15 = FloatVector.broadcast(S, a[ai + 15]).fma(b, c15);
    }
    store(acc, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
  }

  /** Sixteen rows read in place, one offset each (spilled in part: see the class comment). */
  @Override
  public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c14 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int shift = s * segStep;
      int o0 = rowOff[ro] + shift, o1 = rowOff[ro + 1] + shift, o2 = rowOff[ro + 2] + shift, o3 = rowOff[ro + 3] + shift;
      int o4 = rowOff[ro + 4] + shift, o5 = rowOff[ro + 5] + shift, o6 = rowOff[ro + 6] + shift, o7 = rowOff[ro + 7] + shift;
      int o8 = rowOff[ro + 8] + shift, o9 = rowOff[ro + 9] + shift, o10 = rowOff[ro + 10] + shift;
      int o11 = rowOff[ro + 11] + shift, o12 = rowOff[ro + 12] + shift, o13 = rowOff[ro + 13] + shift;
      int o14 = rowOff[ro + 14] + shift, o15 = rowOff[ro + 15] + shift;
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
        c8 = FloatVector.broadcast(S, a[o8 + q]).fma(b, c8);
        c9 = FloatVector.broadcast(S, a[o9 + q]).fma(b, c9);
        c10 = FloatVector.broadcast(S, a[o10 + q]).fma(b, c10);
        c11 = FloatVector.broadcast(S, a[o11 + q]).fma(b, c11);
        c12 = FloatVector.broadcast(S, a[o12 + q]).fma(b, c12);
        c13 = FloatVector.broadcast(S, a[o13 + q]).fma(b, c13);
        c14 = FloatVector.broadcast(S, a[o14 + q]).fma(b, c14);
        c15 = FloatVector.broadcast(S, a[o15 + q]).fma(b, c15);
      }
    }
    store(acc, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
  }

  @Override
  public int gatheredWindowLimit() {
    return GATHER_STRIDE;
  }

  /** Row {@code r}'s window as one run at {@code w[r·GATHER_STRIDE ..]}, copied a vector at a time. */
  @Override
  public void gatherWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] w) {
    requireFits(segs * segLen);
    for (int r = 0; r < MR; r++) {
      for (int s = 0, from = rowOff[ro + r], to = r * GATHER_STRIDE; s < segs; s++, from += segStep, to += segLen) {
        int q = 0;
        for (int end = S.loopBound(segLen); q < end; q += L) {
          FloatVector.fromArray(S, a, from + q).intoArray(w, to + q);
        }
        for (; q < segLen; q++) {
          w[to + q] = a[from + q];
        }
      }
    }
  }

  @Override
  public void tileGathered(int kc, float[] w, float[] bp, int bpOff, float[] acc) {
    requireFits(kc);
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c14 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    for (int q = 0, bi = bpOff; q < kc; q++, bi += L) {
      FloatVector b = FloatVector.fromArray(S, bp, bi);
      c0 = FloatVector.broadcast(S, w[q]).fma(b, c0);
      c1 = FloatVector.broadcast(S, w[q + GATHER_STRIDE]).fma(b, c1);
      c2 = FloatVector.broadcast(S, w[q + 2 * GATHER_STRIDE]).fma(b, c2);
      c3 = FloatVector.broadcast(S, w[q + 3 * GATHER_STRIDE]).fma(b, c3);
      c4 = FloatVector.broadcast(S, w[q + 4 * GATHER_STRIDE]).fma(b, c4);
      c5 = FloatVector.broadcast(S, w[q + 5 * GATHER_STRIDE]).fma(b, c5);
      c6 = FloatVector.broadcast(S, w[q + 6 * GATHER_STRIDE]).fma(b, c6);
      c7 = FloatVector.broadcast(S, w[q + 7 * GATHER_STRIDE]).fma(b, c7);
      c8 = FloatVector.broadcast(S, w[q + 8 * GATHER_STRIDE]).fma(b, c8);
      c9 = FloatVector.broadcast(S, w[q + 9 * GATHER_STRIDE]).fma(b, c9);
      c10 = FloatVector.broadcast(S, w[q + 10 * GATHER_STRIDE]).fma(b, c10);
      c11 = FloatVector.broadcast(S, w[q + 11 * GATHER_STRIDE]).fma(b, c11);
      c12 = FloatVector.broadcast(S, w[q + 12 * GATHER_STRIDE]).fma(b, c12);
      c13 = FloatVector.broadcast(S, w[q + 13 * GATHER_STRIDE]).fma(b, c13);
      c14 = FloatVector.broadcast(S, w[q + 14 * GATHER_STRIDE]).fma(b, c14);
      c15 = FloatVector.broadcast(S, w[q + 15 * GATHER_STRIDE]).fma(b, c15);
    }
    store(acc, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
  }

  private static void store(float[] acc, FloatVector c0, FloatVector c1, FloatVector c2, FloatVector c3, FloatVector c4,
      FloatVector c5, FloatVector c6, FloatVector c7, FloatVector c8, FloatVector c9, FloatVector c10, FloatVector c11,
      FloatVector c12, FloatVector c13, FloatVector c14, FloatVector c15) {
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    c4.intoArray(acc, 4 * L);
    c5.intoArray(acc, 5 * L);
    c6.intoArray(acc, 6 * L);
    c7.intoArray(acc, 7 * L);
    c8.intoArray(acc, 8 * L);
    c9.intoArray(acc, 9 * L);
    c10.intoArray(acc, 10 * L);
    c11.intoArray(acc, 11 * L);
    c12.intoArray(acc, 12 * L);
    c13.intoArray(acc, 13 * L);
    c14.intoArray(acc, 14 * L);
    c15.intoArray(acc, 15 * L);
  }

  private void requireFits(int kc) {
    if (kc > GATHER_STRIDE) {
      throw new IllegalArgumentException(name() + ": a gathered window holds at most " + GATHER_STRIDE + " floats, got " + kc);
    }
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
