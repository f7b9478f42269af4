package dev.neurona.core.gemm.simd;

import dev.neurona.core.gemm.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-bit (AVX2) Vector API micro-kernel with a 4×16 tile: 8 accumulators, 2 B vectors and up
 * to 6 broadcasts in the 16 ymm registers. {@link VectorMicroKernel}'s 6×16 tile fits the registers
 * exactly (12 + 2 + 1), which JDK 17's C2 keeps; later C2s (JDK 25 measured) load three broadcasts
 * ahead of their FMAs and spill two accumulators to the stack every step (their register-pressure
 * scheduling does it: see {@code Gemm.tileRows}). Measured on an
 * AMD EPYC (Zen 3, AVX2), MNIST CNN training step, images/s (LayerProfile, three runs each):
 * JDK 25: 550 with 6 rows, 877 with 4; JDK 17: 824 with 6 rows, 688 with 4. So
 * {@code dev.neurona.core.gemm.Gemm} picks this kernel on 256-bit vectors after JDK 17
 * ({@code -Dneurona.gemm.rows=4|6} overrides). Everything but the tile height is
 * {@link VectorMicroKernel}'s: the same chain of fused multiply-adds per C element, so the same bits.
 */
public final class FourRowVectorMicroKernel extends VectorMicroKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = S.length();
  private static final int MR = 4;
  private static final int NR = 2 * L;

  /** Public no-argument constructor for loading by class name. */
  public FourRowVectorMicroKernel() {
    if (FloatVector.SPECIES_PREFERRED.vectorBitSize() != 256) {
      throw new IllegalStateException("the 4x16 micro-kernel is for 256-bit vectors; this CPU's preferred size is "
          + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
    }
  }

  @Override
  public String name() {
    return "vector (256-bit) " + MR + "x" + NR;
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    packedTile4(kc, ap, apOff, bp, bpOff, acc);
  }

  /** Created on the first {@link #packedTiles} call; like this kernel, only on 256-bit vectors. */
  private static final class Packed {
    static final PackedSixRowVectorMicroKernel KERNEL = new PackedSixRowVectorMicroKernel();
  }

  /** {@link PackedSixRowVectorMicroKernel}: 12 accumulators where A is packed. */
  @Override
  public MicroKernel packedTiles() {
    return Packed.KERNEL;
  }

  @Override
  public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tile4(kc, a, aOff, lda, bp, bpOff, acc);
  }

  @Override
  public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tileRowMajorA4(kc, a, aOff, lda, bp, bpOff, acc);
  }

  /**
   * {@link #tile4} for a packed A sliver, with both indices computed from the one loop counter
   * (a constant A step): JDK 25's C2 unrolls this loop and not the three-variable one. Measured
   * alternately in one JVM on JDK 25 (AMD EPYC, AVX2; medians of 10): SGEMM 1024³ on 2 threads 87
   * against 77 GFLOP/s, the MNIST dense layer's 128×1024×3136 78 against 71. JDK 17 runs the six-row
   * kernel, whose three-variable loop is the faster one there. Same sums in the same order.
   */
  private static void packedTile4(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ai = apOff + p * MR, bi = bpOff + p * NR;
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
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
  }

  /** VectorMicroKernel's six-row loop with four rows; A values at {@code ap[apOff + p·aStep + r]}. */
  private static void tile4(int kc, float[] ap, int apOff, int aStep, float[] bp, int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
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
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
  }

  /** VectorMicroKernel's six-row in-place loop with four rows. */
  private static void tileRowMajorA4(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    int l1 = lda;
    int l2 = 2 * lda;
    int l3 = 3 * lda;
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
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
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, NR);
    c11.intoArray(acc, NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
  }

  /** Created on the first {@link #gatheringTiles} call; like this kernel, only on 256-bit vectors. */
  private static final class Gathering {
    static final VectorMicroKernel KERNEL = new VectorMicroKernel();
  }

  /**
   * The six-row {@link VectorMicroKernel}, whose gathered tile keeps its 12 accumulators in registers on JDK 25 too;
   * this kernel's own window tile reads the windows in place (its {@link #gatheredWindowLimit} is 0).
   */
  @Override
  public MicroKernel gatheringTiles() {
    return Gathering.KERNEL;
  }

  @Override
  public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc) {
    tileWindows4(segs, segLen, segStep, a, rowOff, ro, bp, bpOff, acc);
  }

  /** VectorMicroKernel's eight-row window loop with four rows. */
  private static void tileWindows4(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp,
      int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int shift = s * segStep;
      int o0 = rowOff[ro] + shift, o1 = rowOff[ro + 1] + shift;
      int o2 = rowOff[ro + 2] + shift, o3 = rowOff[ro + 3] + shift;
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
  }

}
