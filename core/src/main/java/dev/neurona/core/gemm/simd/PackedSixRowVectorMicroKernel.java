package dev.neurona.core.gemm.simd;

import dev.neurona.core.gemm.MicroKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 256-bit (AVX2) micro-kernel for packed A slivers on JDK 25: a 6×16 tile of C in 12 accumulators,
 * three k steps per loop iteration. {@link FourRowVectorMicroKernel}, the kernel of every other path
 * on that JDK, keeps 8 accumulators and spends 21 instructions per 8 FMAs (one k step per iteration:
 * six loads, the FMAs, index arithmetic and the loop test); this one spends about 17. That matters on
 * a shared core: when another hardware thread competes for the core's dispatch slots, a loop runs at
 * the speed of its instruction count rather than of its FMAs (SGEMM 1024³ kernel alone, alternated in
 * one JVM, 100 ms rounds: the four-row loop falls from ~90 to ~60 GFLOP/s in those phases, OpenBLAS'
 * 6×16-equivalent loop to ~75, this one to ~71–78).
 *
 * <p>A 6×16 tile uses 12 + 2 + 1 of the 16 ymm registers, and JDK 25's C2 schedules the broadcasts of
 * the next rows above the FMAs of the current ones, which needs more and spills accumulators every
 * step. The {@code // fence} stores prevent that: after every second row the loop stores that
 * row's accumulator into {@code acc} (a scratch write: the final stores overwrite it), and C2 cannot
 * move the next rows' broadcasts, loads from a float array that may be {@code acc}, above a store to
 * it. So at most two broadcasts are live, and the 12 accumulators stay in registers. (The
 * eleventh session's one-step version of this loop spent 30 instructions per 12 FMAs; three steps
 * per iteration and two induction variables bring the index work and loop test down to once per 36
 * FMAs.)
 *
 * <p>{@code dev.neurona.core.gemm.Gemm} uses it, through {@link FourRowVectorMicroKernel#packedTiles()}, for
 * the regions of a product that pack every A sliver. Its other tile methods are
 * {@link VectorMicroKernel}'s six-row ones. The same chain of fused multiply-adds per C element as
 * every other kernel: the same bits.
 */
public final class PackedSixRowVectorMicroKernel extends VectorMicroKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = S.length();
  private static final int MR = 6;
  private static final int NR = 2 * L;

  /** Made once by {@link FourRowVectorMicroKernel}, whose constructor has checked for 256-bit vectors. */
  PackedSixRowVectorMicroKernel() {}

  @Override
  public String name() {
    return "vector (256-bit) " + MR + "x" + NR + ", packed A, three k steps per iteration";
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    packedTile6(kc, ap, apOff, bp, bpOff, acc);
  }

  /** The tile for a packed A sliver (step 6) and a packed B sliver (step 16); raw sums into {@code acc}. */
  private static void packedTile6(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector a;
    FloatVector b0;
    FloatVector b1;
    int ai = apOff;
    int bi = bpOff;
    for (int aEnd = apOff + kc / 3 * 3 * MR; ai < aEnd; ai += 3 * MR, bi += 3 * NR) {
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      a = FloatVector.broadcast(S, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c11.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c31.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      c51.intoArray(acc, 0); // fence
      b0 = FloatVector.fromArray(S, bp, bi + NR);
      b1 = FloatVector.fromArray(S, bp, bi + NR + L);
      a = FloatVector.broadcast(S, ap[ai + 6]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 7]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c11.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 8]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 9]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c31.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 10]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 11]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      c51.intoArray(acc, 0); // fence
      b0 = FloatVector.fromArray(S, bp, bi + 2 * NR);
      b1 = FloatVector.fromArray(S, bp, bi + 2 * NR + L);
      a = FloatVector.broadcast(S, ap[ai + 12]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 13]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c11.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 14]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 15]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c31.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 16]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 17]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
    }
    for (int aEnd = apOff + kc * MR; ai < aEnd; ai += MR, bi += NR) { // the last kc % 3 steps
      b0 = FloatVector.fromArray(S, bp, bi);
      b1 = FloatVector.fromArray(S, bp, bi + L);
      a = FloatVector.broadcast(S, ap[ai]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c11.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      c31.intoArray(acc, 0); // fence
      a = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
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
}
