package dev.neurona.core.gemm.simd;

import dev.neurona.core.gemm.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: an 8×(2·lanes) tile of C held in
 * 16 vector accumulators ({@code FloatVector.SPECIES_PREFERRED}; with AVX-512
 * that is 8×32 floats in 16 of the 32 zmm registers), or, with 256-bit vectors (AVX2, 16 ymm
 * registers), a 6×16 tile in 12 (on JDKs after 17, whose C2 spills that tile, {@code Gemm} takes
 * the 4×16 {@link FourRowVectorMicroKernel} instead). Per k step it loads 2 vectors of the packed B sliver,
 * broadcasts 8 values of the packed A sliver and issues 16 FMAs. Loaded by name by
 * {@code dev.neurona.core.gemm.Gemm} only when {@code jdk.incubator.vector} is present; never
 * referenced directly. No masked operations: the driver pads packed panels with zeros and writes
 * partial edge tiles itself. The tile methods only accumulate and store the raw sums: keeping
 * alpha/beta branches out of them keeps C2's compilation of the hot loop the same in every run
 * (with them, some runs failed to intrinsify a few stores and boxed vectors: half the speed).
 */
public class VectorMicroKernel implements MicroKernel {
  // Species as a static final constant: passed around as a value it is ~25x slower (C2 cannot intrinsify).
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /**
   * Rows of the tile: 8 with 32 vector registers (AVX-512: 16 accumulators, 2 B vectors and a
   * broadcast fit); 6 with 16 (AVX2: 12 + 2 + 1 = 15, as BLIS' Haswell kernel; at 8 rows C2 spills
   * accumulators to the stack every step).
   */
  private static final int MR = L >= 16 ? 8 : 6;
  private static final int NV = 2;
  private static final int NR = NV * L;

  /** Public no-argument constructor for loading by class name. */
  public VectorMicroKernel() {}

  /**
   * The 8×16 tile where vectors hold 16 floats ({@link #narrowTiles}), created on first use; never on 256-bit vectors
   * (16 columns are two), where {@link #narrowTiles} does not load this holder.
   */
  private static final class Narrow {
    static final MicroKernel KERNEL = new NarrowVectorMicroKernel(new VectorMicroKernel());
  }

  /**
   * On 512-bit vectors, {@link NarrowVectorMicroKernel}: one vector of columns, eight rows (flowers' second
   * convolution's input gradient, 16 channels: see {@code dev.neurona.core.conv.WindowGemm.narrows}).
   */
  @Override
  public MicroKernel narrowTiles() {
    return L >= 16 ? Narrow.KERNEL : this;
  }

  @Override
  public String name() {
    return "vector (" + S.vectorBitSize() + "-bit) " + MR + "x" + NR;
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return NR;
  }

  @Override
  public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    tile(kc, ap, apOff, MR, bp, bpOff, acc);
  }

  @Override
  public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tile(kc, a, aOff, lda, bp, bpOff, acc);
  }

  /** The tile loop for A values {@code ap[apOff + p·aStep + r]}: a packed sliver (step mr) or a transposed A in place (step lda). */
  private static void tile(int kc, float[] ap, int apOff, int aStep, float[] bp, int bpOff, float[] acc) {
    if (MR == 8) { // a constant: C2 keeps one branch
      tile8(kc, ap, apOff, aStep, bp, bpOff, false, acc, 0, NR);
    } else {
      tile6(kc, ap, apOff, aStep, bp, bpOff, acc);
    }
  }

  /**
   * The eight-row tile adds its sums to {@code dst} (or stores them) from the registers: no scratch tile
   * written and read back by {@link #update}, whose bits these are (x·1 is x).
   */
  @Override
  public void tileInto(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc, boolean accumulate,
      float[] dst, int dOff, int ldd) {
    if (MR == 8 && mr() == MR) {
      tile8(kc, ap, apOff, MR, bp, bpOff, accumulate, dst, dOff, ldd);
    } else {
      MicroKernel.super.tileInto(kc, ap, apOff, bp, bpOff, acc, accumulate, dst, dOff, ldd);
    }
  }

  @Override
  public void tileTransposedAInto(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc,
      boolean accumulate, float[] dst, int dOff, int ldd) {
    if (MR == 8 && mr() == MR) {
      tile8(kc, a, aOff, lda, bp, bpOff, accumulate, dst, dOff, ldd);
    } else {
      MicroKernel.super.tileTransposedAInto(kc, a, aOff, lda, bp, bpOff, acc, accumulate, dst, dOff, ldd);
    }
  }

  /** The 8×32 tile; its sums stored into {@code dst} (rows ldd apart), or added to what it holds when {@code accumulate}. */
  private static void tile8(int kc, float[] ap, int apOff, int aStep, float[] bp, int bpOff, boolean accumulate,
      float[] dst, int dOff, int ldd) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    for (int p = 0, ai = apOff, bi = bpOff; p < kc; p++, ai += aStep, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
      FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
      c60 = a6.fma(b0, c60);
      c61 = a6.fma(b1, c61);
      FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
      c70 = a7.fma(b0, c70);
      c71 = a7.fma(b1, c71);
    }
    if (accumulate) { // no store takes a vector merged from two branches (see updateRows)
      c00.add(FloatVector.fromArray(S, dst, dOff)).intoArray(dst, dOff);
      c01.add(FloatVector.fromArray(S, dst, dOff + L)).intoArray(dst, dOff + L);
      c10.add(FloatVector.fromArray(S, dst, dOff + ldd)).intoArray(dst, dOff + ldd);
      c11.add(FloatVector.fromArray(S, dst, dOff + ldd + L)).intoArray(dst, dOff + ldd + L);
      c20.add(FloatVector.fromArray(S, dst, dOff + 2 * ldd)).intoArray(dst, dOff + 2 * ldd);
      c21.add(FloatVector.fromArray(S, dst, dOff + 2 * ldd + L)).intoArray(dst, dOff + 2 * ldd + L);
      c30.add(FloatVector.fromArray(S, dst, dOff + 3 * ldd)).intoArray(dst, dOff + 3 * ldd);
      c31.add(FloatVector.fromArray(S, dst, dOff + 3 * ldd + L)).intoArray(dst, dOff + 3 * ldd + L);
      c40.add(FloatVector.fromArray(S, dst, dOff + 4 * ldd)).intoArray(dst, dOff + 4 * ldd);
      c41.add(FloatVector.fromArray(S, dst, dOff + 4 * ldd + L)).intoArray(dst, dOff + 4 * ldd + L);
      c50.add(FloatVector.fromArray(S, dst, dOff + 5 * ldd)).intoArray(dst, dOff + 5 * ldd);
      c51.add(FloatVector.fromArray(S, dst, dOff + 5 * ldd + L)).intoArray(dst, dOff + 5 * ldd + L);
      c60.add(FloatVector.fromArray(S, dst, dOff + 6 * ldd)).intoArray(dst, dOff + 6 * ldd);
      c61.add(FloatVector.fromArray(S, dst, dOff + 6 * ldd + L)).intoArray(dst, dOff + 6 * ldd + L);
      c70.add(FloatVector.fromArray(S, dst, dOff + 7 * ldd)).intoArray(dst, dOff + 7 * ldd);
      c71.add(FloatVector.fromArray(S, dst, dOff + 7 * ldd + L)).intoArray(dst, dOff + 7 * ldd + L);
      return;
    }
    c00.intoArray(dst, dOff);
    c01.intoArray(dst, dOff + L);
    c10.intoArray(dst, dOff + ldd);
    c11.intoArray(dst, dOff + ldd + L);
    c20.intoArray(dst, dOff + 2 * ldd);
    c21.intoArray(dst, dOff + 2 * ldd + L);
    c30.intoArray(dst, dOff + 3 * ldd);
    c31.intoArray(dst, dOff + 3 * ldd + L);
    c40.intoArray(dst, dOff + 4 * ldd);
    c41.intoArray(dst, dOff + 4 * ldd + L);
    c50.intoArray(dst, dOff + 5 * ldd);
    c51.intoArray(dst, dOff + 5 * ldd + L);
    c60.intoArray(dst, dOff + 6 * ldd);
    c61.intoArray(dst, dOff + 6 * ldd + L);
    c70.intoArray(dst, dOff + 7 * ldd);
    c71.intoArray(dst, dOff + 7 * ldd + L);
  }

  /** {@link #tile8} with six rows. */
  private static void tile6(int kc, float[] ap, int apOff, int aStep, float[] bp, int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    for (int p = 0, ai = apOff, bi = bpOff; p < kc; p++, ai += aStep, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  @Override
  public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    if (MR == 8) {
      tileRowMajorA8(kc, a, aOff, lda, bp, bpOff, acc, 0, NR);
    } else {
      tileRowMajorA6(kc, a, aOff, lda, bp, bpOff, acc);
    }
  }

  /**
   * The eight-row tile stores its sums into {@code dst} directly (x·1 is x: the bits of {@link #update}). The Winograd
   * products of {@code predict} (k = 20 and 32 input channels), {@code Alternate forwardpool}, B/A time: captcha's
   * second convolution 0.87 (1 thread), 0.88 (2), JDK 17 0.71; MNIST's second 0.95, 0.87, JDK 17 0.86; flowers'
   * second and third (k = 16, 32) 1.02 and 1.00.
   */
  @Override
  public void tileRowMajorAStore(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc, float[] dst,
      int dOff, int ldd) {
    if (MR == 8 && mr() == MR) {
      tileRowMajorA8(kc, a, aOff, lda, bp, bpOff, dst, dOff, ldd);
    } else {
      MicroKernel.super.tileRowMajorAStore(kc, a, aOff, lda, bp, bpOff, acc, dst, dOff, ldd);
    }
  }

  /** {@link #tileRowMajorA8} with six rows. */
  private static void tileRowMajorA6(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    int l1 = lda;
    int l2 = 2 * lda;
    int l3 = 3 * lda;
    int l4 = 4 * lda;
    int l5 = 5 * lda;
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    for (int q = aOff, end = aOff + kc, bi = bpOff; q < end; q++, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, a[q]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, a[q + l1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, a[q + l2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, a[q + l3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, a[q + l4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, a[q + l5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  private static void tileRowMajorA8(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] dst, int dOff,
      int ldd) {
    // One induction variable (q = aOff + p) and loop-invariant row offsets: with a base per row
    // instead, C2 kept eight indices live and ran at 128–133 GFLOP/s in L1; this way 138–145.
    int l1 = lda;
    int l2 = 2 * lda;
    int l3 = 3 * lda;
    int l4 = 4 * lda;
    int l5 = 5 * lda;
    int l6 = 6 * lda;
    int l7 = 7 * lda;
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    for (int q = aOff, end = aOff + kc, bi = bpOff; q < end; q++, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, a[q]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, a[q + l1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, a[q + l2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, a[q + l3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, a[q + l4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, a[q + l5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
      FloatVector a6 = FloatVector.broadcast(S, a[q + l6]);
      c60 = a6.fma(b0, c60);
      c61 = a6.fma(b1, c61);
      FloatVector a7 = FloatVector.broadcast(S, a[q + l7]);
      c70 = a7.fma(b0, c70);
      c71 = a7.fma(b1, c71);
    }
    c00.intoArray(dst, dOff);
    c01.intoArray(dst, dOff + L);
    c10.intoArray(dst, dOff + ldd);
    c11.intoArray(dst, dOff + ldd + L);
    c20.intoArray(dst, dOff + 2 * ldd);
    c21.intoArray(dst, dOff + 2 * ldd + L);
    c30.intoArray(dst, dOff + 3 * ldd);
    c31.intoArray(dst, dOff + 3 * ldd + L);
    c40.intoArray(dst, dOff + 4 * ldd);
    c41.intoArray(dst, dOff + 4 * ldd + L);
    c50.intoArray(dst, dOff + 5 * ldd);
    c51.intoArray(dst, dOff + 5 * ldd + L);
    c60.intoArray(dst, dOff + 6 * ldd);
    c61.intoArray(dst, dOff + 6 * ldd + L);
    c70.intoArray(dst, dOff + 7 * ldd);
    c71.intoArray(dst, dOff + 7 * ldd + L);
  }

  /**
   * Gathered windows: row {@code r} at {@code w[r·GATHER_STRIDE ..]}. A constant, so that the tile reads
   * its rows at constant offsets from one index (a row stride in a variable took six more registers:
   * three of them spilled, ~38 instructions per step). 1,040 floats: MNIST's, captcha's and flowers'
   * windows fit but MNIST's second input gradient (1,600), and the rows start one cache line apart
   * modulo 4 KB, in different L1 sets.
   */
  private static final int GATHER_STRIDE = 1040;

  /**
   * This class's tile, six rows or eight (AVX-512), gathers windows ({@link #tileGathered}: one loop, which
   * JDK 17's C2 keeps in registers, where {@link #tileWindows}' two nested loops box the accumulators, 30–40×
   * slower); a subclass with another tile height does not (the four-row kernel reads windows in place).
   */
  @Override
  public int gatheredWindowLimit() {
    return mr() == MR ? GATHER_STRIDE : 0;
  }

  /** Row {@code r}'s window as one run at {@code w[r·GATHER_STRIDE ..]}. */
  @Override
  public void gatherWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] w) {
    requireOwnRows(segs * segLen);
    for (int r = 0; r < MR; r++) {
      for (int s = 0, from = rowOff[ro + r]; s < segs; s++, from += segStep) {
        System.arraycopy(a, from, w, r * GATHER_STRIDE + s * segLen, segLen);
      }
    }
  }

  /**
   * One step per iteration, as {@link #tile6}, and a "fence" after every second row: a store of an
   * accumulator that the next rows' loads cannot move above (they might read the same array), so C2
   * does not load three broadcasts ahead and spill an accumulator (without: one spilled and reloaded
   * every step, MNIST's and flowers' convolutions 1.06–1.7× slower).
   */
  @Override
  public void tileGathered(int kc, float[] w, float[] bp, int bpOff, float[] acc) {
    requireOwnRows(kc);
    if (MR == 8) {
      tileGathered8(kc, w, bp, bpOff, acc);
      return;
    }
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    for (int q = 0, bi = bpOff; q < kc; q++, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, w[q]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, w[q + GATHER_STRIDE]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      c11.intoArray(acc, 0); // fence
      FloatVector a2 = FloatVector.broadcast(S, w[q + 2 * GATHER_STRIDE]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, w[q + 3 * GATHER_STRIDE]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      c31.intoArray(acc, 0); // fence
      FloatVector a4 = FloatVector.broadcast(S, w[q + 4 * GATHER_STRIDE]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, w[q + 5 * GATHER_STRIDE]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
      c51.intoArray(acc, 0); // fence
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  /**
   * {@link #tileGathered} with eight rows (AVX-512: 16 accumulators, two B vectors and a broadcast in 32
   * registers, no fences needed).
   */
  private static void tileGathered8(int kc, float[] w, float[] bp, int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    for (int q = 0, bi = bpOff; q < kc; q++, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector a0 = FloatVector.broadcast(S, w[q]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(S, w[q + GATHER_STRIDE]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(S, w[q + 2 * GATHER_STRIDE]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(S, w[q + 3 * GATHER_STRIDE]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(S, w[q + 4 * GATHER_STRIDE]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(S, w[q + 5 * GATHER_STRIDE]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
      FloatVector a6 = FloatVector.broadcast(S, w[q + 6 * GATHER_STRIDE]);
      c60 = a6.fma(b0, c60);
      c61 = a6.fma(b1, c61);
      FloatVector a7 = FloatVector.broadcast(S, w[q + 7 * GATHER_STRIDE]);
      c70 = a7.fma(b0, c70);
      c71 = a7.fma(b1, c71);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
    c60.intoArray(acc, 6 * NR);
    c61.intoArray(acc, 6 * NR + L);
    c70.intoArray(acc, 7 * NR);
    c71.intoArray(acc, 7 * NR + L);
  }

  /** This class's own tile ({@link #mr()}), not a subclass' shorter one, and a window that fits a gathered row. */
  private void requireOwnRows(int kc) {
    if (mr() != MR) {
      throw new UnsupportedOperationException(name() + " does not gather windows (" + MR + "-row tiles only)");
    }
    if (kc > GATHER_STRIDE) {
      throw new IllegalArgumentException(name() + ": a gathered window holds at most " + GATHER_STRIDE + " floats, got " + kc);
    }
  }

  @Override
  public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc) {
    if (MR == 8) {
      tileWindows8(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, null, 0, acc, 0, NR);
    } else {
      tileWindows6(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, acc);
    }
  }

  /**
   * The eight-row tile adds the bias and stores into {@code dst} from its registers (1·x + 1·b is x + b: the bits of
   * {@link #update}). The window GEMM's full tiles, {@code Alternate forward}, JDK 25, B/A time: flowers' second
   * convolution 0.97 (1 thread) and 0.94 (2), its third 0.965 and 0.90, MNIST's second 0.975 (2), captcha's second
   * 1.00 (2); an input gradient (no bias) 1.00.
   */
  @Override
  public void tileWindowsStore(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc, float[] bias, int biasOff, float[] dst, int dOff, int ldd) {
    if (MR == 8 && mr() == MR) {
      tileWindows8(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, bias, biasOff, dst, dOff, ldd);
    } else {
      MicroKernel.super.tileWindowsStore(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, acc, bias, biasOff, dst, dOff,
          ldd);
    }
  }

  /** {@link #tileWindows8} with six rows. */
  private static void tileWindows6(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp,
      int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int shift = s * segStep;
      int o0 = rowOff[ro] + shift, o1 = rowOff[ro + 1] + shift;
      int o2 = rowOff[ro + 2] + shift, o3 = rowOff[ro + 3] + shift;
      int o4 = rowOff[ro + 4] + shift, o5 = rowOff[ro + 5] + shift;
      for (int q = 0; q < segLen; q++, bi += NR) {
        FloatVector b0 = FloatVector.fromArray(S, bp, bi);
        FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
        FloatVector a0 = FloatVector.broadcast(S, a[o0 + q]);
        c00 = a0.fma(b0, c00);
        c01 = a0.fma(b1, c01);
        FloatVector a1 = FloatVector.broadcast(S, a[o1 + q]);
        c10 = a1.fma(b0, c10);
        c11 = a1.fma(b1, c11);
        FloatVector a2 = FloatVector.broadcast(S, a[o2 + q]);
        c20 = a2.fma(b0, c20);
        c21 = a2.fma(b1, c21);
        FloatVector a3 = FloatVector.broadcast(S, a[o3 + q]);
        c30 = a3.fma(b0, c30);
        c31 = a3.fma(b1, c31);
        FloatVector a4 = FloatVector.broadcast(S, a[o4 + q]);
        c40 = a4.fma(b0, c40);
        c41 = a4.fma(b1, c41);
        FloatVector a5 = FloatVector.broadcast(S, a[o5 + q]);
        c50 = a5.fma(b0, c50);
        c51 = a5.fma(b1, c51);
      }
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  /**
   * {@link #tile8}'s loop with each row's A values read from its own window runs: one offset per row,
   * moved one image row per run. Convolutions call it from JDK 25 on only
   * ({@code dev.neurona.core.conv.WindowGemm.serves}): JDK 17's C2 boxes the accumulators of these
   * two nested loops (30–40× slower), which the single-loop tiles above do not suffer.
   */
  private static void tileWindows8(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp,
      int bpOff, float[] bias, int biasOff, float[] dst, int dOff, int ldd) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int shift = s * segStep;
      int o0 = rowOff[ro] + shift, o1 = rowOff[ro + 1] + shift;
      int o2 = rowOff[ro + 2] + shift, o3 = rowOff[ro + 3] + shift;
      int o4 = rowOff[ro + 4] + shift, o5 = rowOff[ro + 5] + shift;
      int o6 = rowOff[ro + 6] + shift, o7 = rowOff[ro + 7] + shift;
      for (int q = 0; q < segLen; q++, bi += NR) {
        FloatVector b0 = FloatVector.fromArray(S, bp, bi);
        FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
        FloatVector a0 = FloatVector.broadcast(S, a[o0 + q]);
        c00 = a0.fma(b0, c00);
        c01 = a0.fma(b1, c01);
        FloatVector a1 = FloatVector.broadcast(S, a[o1 + q]);
        c10 = a1.fma(b0, c10);
        c11 = a1.fma(b1, c11);
        FloatVector a2 = FloatVector.broadcast(S, a[o2 + q]);
        c20 = a2.fma(b0, c20);
        c21 = a2.fma(b1, c21);
        FloatVector a3 = FloatVector.broadcast(S, a[o3 + q]);
        c30 = a3.fma(b0, c30);
        c31 = a3.fma(b1, c31);
        FloatVector a4 = FloatVector.broadcast(S, a[o4 + q]);
        c40 = a4.fma(b0, c40);
        c41 = a4.fma(b1, c41);
        FloatVector a5 = FloatVector.broadcast(S, a[o5 + q]);
        c50 = a5.fma(b0, c50);
        c51 = a5.fma(b1, c51);
        FloatVector a6 = FloatVector.broadcast(S, a[o6 + q]);
        c60 = a6.fma(b0, c60);
        c61 = a6.fma(b1, c61);
        FloatVector a7 = FloatVector.broadcast(S, a[o7 + q]);
        c70 = a7.fma(b0, c70);
        c71 = a7.fma(b1, c71);
      }
    }
    if (bias != null) { // no store takes a vector merged from two branches (see updateRows)
      FloatVector b0 = FloatVector.fromArray(S, bias, biasOff), b1 = FloatVector.fromArray(S, bias, biasOff + L);
      c00.add(b0).intoArray(dst, dOff);
      c01.add(b1).intoArray(dst, dOff + L);
      c10.add(b0).intoArray(dst, dOff + ldd);
      c11.add(b1).intoArray(dst, dOff + ldd + L);
      c20.add(b0).intoArray(dst, dOff + 2 * ldd);
      c21.add(b1).intoArray(dst, dOff + 2 * ldd + L);
      c30.add(b0).intoArray(dst, dOff + 3 * ldd);
      c31.add(b1).intoArray(dst, dOff + 3 * ldd + L);
      c40.add(b0).intoArray(dst, dOff + 4 * ldd);
      c41.add(b1).intoArray(dst, dOff + 4 * ldd + L);
      c50.add(b0).intoArray(dst, dOff + 5 * ldd);
      c51.add(b1).intoArray(dst, dOff + 5 * ldd + L);
      c60.add(b0).intoArray(dst, dOff + 6 * ldd);
      c61.add(b1).intoArray(dst, dOff + 6 * ldd + L);
      c70.add(b0).intoArray(dst, dOff + 7 * ldd);
      c71.add(b1).intoArray(dst, dOff + 7 * ldd + L);
      return;
    }
    c00.intoArray(dst, dOff);
    c01.intoArray(dst, dOff + L);
    c10.intoArray(dst, dOff + ldd);
    c11.intoArray(dst, dOff + ldd + L);
    c20.intoArray(dst, dOff + 2 * ldd);
    c21.intoArray(dst, dOff + 2 * ldd + L);
    c30.intoArray(dst, dOff + 3 * ldd);
    c31.intoArray(dst, dOff + 3 * ldd + L);
    c40.intoArray(dst, dOff + 4 * ldd);
    c41.intoArray(dst, dOff + 4 * ldd + L);
    c50.intoArray(dst, dOff + 5 * ldd);
    c51.intoArray(dst, dOff + 5 * ldd + L);
    c60.intoArray(dst, dOff + 6 * ldd);
    c61.intoArray(dst, dOff + 6 * ldd + L);
    c70.intoArray(dst, dOff + 7 * ldd);
    c71.intoArray(dst, dOff + 7 * ldd + L);
  }

  @Override
  public void rows(int rows, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int ldb, int cols,
      float[] acc) {
    java.util.Arrays.fill(acc, 0, rows * cols, 0f);
    int vecEnd = S.loopBound(cols);
    for (int p = 0; p < kc; p++) {
      int bi = bOff + p * ldb;
      // Row by row: the first row reads B's row segment from memory, the others find it in L1.
      for (int r = 0; r < rows; r++) {
        float ar = a[aOff + r * aRow + p * aStep];
        FloatVector av = FloatVector.broadcast(S, ar);
        int o = r * cols;
        int j = 0;
        for (; j < vecEnd; j += L) {
          av.fma(FloatVector.fromArray(S, b, bi + j), FloatVector.fromArray(S, acc, o + j)).intoArray(acc, o + j);
        }
        for (; j < cols; j++) {
          acc[o + j] = Math.fma(ar, b[bi + j], acc[o + j]); // fused, as the vector lanes
        }
      }
    }
  }

  /**
   * {@link MicroKernel#packSlivers} with vector moves: a sliver row is {@code NV} vectors, where
   * {@code System.arraycopy} of 16 or 32 floats went through the copy stub for each (the 32×500×1250
   * product of captcha's dense layer spent 39% of its time packing B that way, JFR, AVX2, JDK 25).
   */
  @Override
  public void packSlivers(int kc, int slivers, float[] b, int bOff, int ldb, float[] dst, int dOff, int step) {
    for (int p = 0; p < kc; p++) {
      int src = bOff + p * ldb, d = dOff + p * NR;
      for (int s = 0; s < slivers; s++, src += NR, d += step) {
        for (int v = 0; v < NR; v += L) {
          FloatVector.fromArray(S, b, src + v).intoArray(dst, d + v);
        }
      }
    }
  }

  @Override
  public void update(float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst, int dOff,
      int ldd) {
    updateRows(mr(), acc, alpha, beta, src, sOff, lds, dst, dOff, ldd);
  }

  /**
   * {@link MicroKernel#updateEdge} with whole vectors where a row has them and the plain formula for the
   * rest: the same two rounded products and rounded sum per element, so the bits of the default. The
   * captcha network's edge tiles (50 rows of its kernel gradient, 500 columns of its dense layer) spent
   * 3.6% of a training step in the plain loop (perf, JDK 25, b128).
   */
  @Override
  public void updateEdge(int rows, int cols, float[] acc, float alpha, float beta, float[] src, int sOff, int lds,
      float[] dst, int dOff, int ldd) {
    int vecEnd = cols / L * L;
    for (int r = 0; r < rows; r++) {
      int a = r * NR, so = sOff + r * lds, d = dOff + r * ldd;
      if (beta == 0f) {
        for (int v = 0; v < vecEnd; v += L) {
          FloatVector.fromArray(S, acc, a + v).mul(alpha).intoArray(dst, d + v);
        }
        for (int q = vecEnd; q < cols; q++) {
          dst[d + q] = alpha * acc[a + q];
        }
      } else {
        for (int v = 0; v < vecEnd; v += L) {
          FloatVector.fromArray(S, acc, a + v).mul(alpha).add(FloatVector.fromArray(S, src, so + v).mul(beta))
              .intoArray(dst, d + v);
        }
        for (int q = vecEnd; q < cols; q++) {
          dst[d + q] = alpha * acc[a + q] + beta * src[so + q];
        }
      }
    }
  }

  /**
   * {@link #update} of a tile with {@code rows} rows of {@code NR} ({@link #mr()}: this kernel's, or the
   * four-row variant's). Two loops rather than {@code if (beta != 0f) x = x.add(..)} before one store, so that no
   * store takes a vector merged from two branches: the shape whose store JDK 17's C2 failed to intrinsify
   * in {@code VectorKernels.winogradMaxPool} (here it compiled either way in the runs checked).
   */
  private static void updateRows(int rows, float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst,
      int dOff, int ldd) {
    if (beta == 0f) {
      for (int r = 0; r < rows; r++) {
        int d = dOff + r * ldd;
        for (int v = 0; v < NR; v += L) {
          FloatVector.fromArray(S, acc, r * NR + v).mul(alpha).intoArray(dst, d + v);
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        int so = sOff + r * lds, d = dOff + r * ldd;
        for (int v = 0; v < NR; v += L) {
          FloatVector.fromArray(S, acc, r * NR + v).mul(alpha).add(FloatVector.fromArray(S, src, so + v).mul(beta))
              .intoArray(dst, d + v);
        }
      }
    }
  }
}
