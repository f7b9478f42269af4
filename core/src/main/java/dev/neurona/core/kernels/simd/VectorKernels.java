package dev.neurona.core.kernels.simd;

import dev.neurona.core.conv.ConvGeometry;
import dev.neurona.core.kernels.ScalarKernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded by name by {@code KernelProvider} only when {@code jdk.incubator.vector}
 * is present; never referenced directly. Each method overrides its {@link ScalarKernels} twin for the
 * hot path and falls back to it for short arrays (below {@code 2·L} elements, where the vector
 * set-up costs more than it saves).
 *
 * <p>Loop shape everywhere: a main loop to {@code loopBound}, then a scalar tail — no masked loads
 * or stores (very slow on JDK 17). Reductions keep two to four independent accumulators so the adds
 * pipeline instead of waiting on each other.
 *
 * <p>Results: element-wise kernels ({@code add, mul, scale, axpy, relu, reluBackward, addBias,
 * biasGrad, maxPoolForward, maxPoolBackward}) and {@code max} are bit-identical to the scalar
 * reference — each output element sees the same IEEE operations in the same order (no FMA where
 * the scalar code rounds twice). {@code dot}, {@code sum} and {@code softmaxRows} add in another
 * order, so they differ from the reference by rounding only.
 */
public final class VectorKernels extends ScalarKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /**
   * True when {@code VectorOperators.EXP} is backed by the JDK's SVML stubs: x86-64 builds ship them
   * as {@code lib/libjsvml.so} ({@code bin/jsvml.dll} on Windows). Elsewhere EXP falls back to a
   * per-lane Java loop, slower than scalar {@code Math.exp}.
   */
  static final boolean VECTOR_EXP = svmlPresent();

  static {
    // maxPoolForward carries float values and int offsets in matching lanes.
    if (I.length() != L) {
      throw new IllegalStateException("float and int preferred species differ: " + S + " vs " + I);
    }
  }

  public VectorKernels() {}

  private static boolean svmlPresent() {
    try {
      String arch = System.getProperty("os.arch", "");
      if (!arch.equals("amd64") && !arch.equals("x86_64")) {
        return false;
      }
      Path home = Path.of(System.getProperty("java.home", ""));
      return Files.exists(home.resolve("lib").resolve("libjsvml.so"))
          || Files.exists(home.resolve("bin").resolve("jsvml.dll"));
    } catch (RuntimeException e) { // SecurityException, InvalidPathException: assume no SVML
      return false;
    }
  }

  /** The number of float lanes in one vector (16 with AVX-512, 8 with AVX2). */
  public static int lanes() {
    return L;
  }

  /** True when {@link #softmaxRows} computes its exponentials with the Vector API. */
  public static boolean vectorExp() {
    return VECTOR_EXP;
  }

  @Override
  public String name() {
    return "vector (" + S.vectorBitSize() + "-bit, " + L + " floats" + (VECTOR_EXP ? ", SVML exp" : "") + ")";
  }

  @Override
  public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
    if (n < 2 * L) {
      super.add(a, aOff, b, bOff, out, outOff, n);
      return;
    }
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
    if (n < 2 * L) {
      super.mul(a, aOff, b, bOff, out, outOff, n);
      return;
    }
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
    if (n < 2 * L) {
      super.scale(alpha, x, xOff, out, outOff, n);
      return;
    }
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
    if (n < 2 * L) {
      super.axpy(alpha, x, xOff, y, yOff, n);
      return;
    }
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      // mul then add, not fma: the scalar reference rounds twice, and we must match it bit for bit.
      FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(FloatVector.fromArray(S, y, yOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    if (n < 2 * L) {
      return super.dot(a, aOff, b, bOff, n);
    }
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    FloatVector acc2 = FloatVector.zero(S);
    FloatVector acc3 = FloatVector.zero(S);
    int i = 0;
    for (int bound4 = n - n % (4 * L); i < bound4; i += 4 * L) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
      acc2 = FloatVector.fromArray(S, a, aOff + i + 2 * L).fma(FloatVector.fromArray(S, b, bOff + i + 2 * L), acc2);
      acc3 = FloatVector.fromArray(S, a, aOff + i + 3 * L).fma(FloatVector.fromArray(S, b, bOff + i + 3 * L), acc3);
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
    }
    float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  @Override
  public float sum(float[] x, int off, int n) {
    if (n < 2 * L) {
      return super.sum(x, off, n);
    }
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    FloatVector acc2 = FloatVector.zero(S);
    FloatVector acc3 = FloatVector.zero(S);
    int i = 0;
    for (int bound4 = n - n % (4 * L); i < bound4; i += 4 * L) {
      acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
      acc1 = acc1.add(FloatVector.fromArray(S, x, off + i + L));
      acc2 = acc2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
      acc3 = acc3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
    }
    float s = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += x[off + i];
    }
    return s;
  }

  @Override
  public float maxAbs(float[] x, int off, int n) {
    if (n < 4 * L) {
      return super.maxAbs(x, off, n);
    }
    // Four independent chains hide max's latency; lanewise max, like Math.max, propagates NaN.
    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
    FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
    int i = 0;
    for (int bound4 = n - n % (4 * L); i < bound4; i += 4 * L) {
      acc0 = acc0.max(FloatVector.fromArray(S, x, off + i).abs());
      acc1 = acc1.max(FloatVector.fromArray(S, x, off + i + L).abs());
      acc2 = acc2.max(FloatVector.fromArray(S, x, off + i + 2 * L).abs());
      acc3 = acc3.max(FloatVector.fromArray(S, x, off + i + 3 * L).abs());
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = acc0.max(FloatVector.fromArray(S, x, off + i).abs());
    }
    float m = acc0.max(acc1).max(acc2.max(acc3)).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, Math.abs(x[off + i]));
    }
    return m;
  }

  /**
   * {@link dev.neurona.core.kernels.Kernels#adam} a vector at a time: the same operations, each
   * correctly rounded lane by lane (IEEE add, multiply, divide and square root), so the bits of the
   * scalar loop. That loop's square root and division kept Adam's step scalar: for the captcha
   * network's 650 k parameters on one thread (JDK 25, AVX2) 0.65 ms, this kernel 0.35 ms.
   */
  @Override
  public boolean adam(float[] w, float[] g, float[] m, float[] v, float[] vHat, int off, int n, float alpha,
      float decay, float b1c, float b2c, float eps) {
    FloatVector probe = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      int o = off + i;
      FloatVector gi = FloatVector.fromArray(S, g, o);
      FloatVector w0 = FloatVector.fromArray(S, w, o);
      FloatVector m0 = FloatVector.fromArray(S, m, o);
      FloatVector v0 = FloatVector.fromArray(S, v, o);
      FloatVector wi = w0.sub(w0.mul(decay));
      FloatVector mi = m0.add(gi.sub(m0).mul(b1c));
      FloatVector vi = v0.add(gi.mul(gi).sub(v0).mul(b2c));
      mi.intoArray(m, o);
      vi.intoArray(v, o);
      if (vHat != null) {
        vi = FloatVector.fromArray(S, vHat, o).max(vi);
        vi.intoArray(vHat, o);
      }
      wi = wi.sub(mi.mul(alpha).div(vi.sqrt().add(eps)));
      wi.intoArray(w, o);
      probe = probe.add(wi.mul(0f).add(mi.mul(0f)).add(vi.mul(0f)));
    }
    boolean finite = probe.reduceLanes(VectorOperators.ADD) == 0f;
    return super.adam(w, g, m, v, vHat, off + i, n - i, alpha, decay, b1c, b2c, eps) && finite;
  }

  @Override
  public float max(float[] x, int off, int n) {
    if (n < 2 * L) {
      return super.max(x, off, n);
    }
    // Math.max is commutative and associative (+0 beats -0), so any order gives the reference's
    // result bit for bit, NaN aside (unspecified by the interface).
    FloatVector acc0 = FloatVector.fromArray(S, x, off);
    FloatVector acc1 = FloatVector.fromArray(S, x, off + L);
    int i = 2 * L;
    for (int bound2 = n - n % (2 * L); i < bound2; i += 2 * L) {
      acc0 = acc0.max(FloatVector.fromArray(S, x, off + i));
      acc1 = acc1.max(FloatVector.fromArray(S, x, off + i + L));
    }
    for (int bound = S.loopBound(n); i < bound; i += L) {
      acc0 = acc0.max(FloatVector.fromArray(S, x, off + i));
    }
    float m = acc0.max(acc1).reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }

  @Override
  public void relu(float[] x, int xOff, float[] out, int outOff, int n) {
    if (n < 2 * L) {
      super.relu(x, xOff, out, outOff, n);
      return;
    }
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      // Lane-wise max has Math.max semantics (max(-0, +0) = +0, NaN propagates), as in the reference.
      FloatVector.fromArray(S, x, xOff + i).max(zero).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  @Override
  public void reluBackward(float[] y, int yOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int n) {
    if (n < 2 * L) {
      super.reluBackward(y, yOff, dOut, dOutOff, dIn, dInOff, n);
      return;
    }
    FloatVector zero = FloatVector.zero(S);
    int i = 0;
    for (int bound = S.loopBound(n); i < bound; i += L) {
      // A blend under a compare mask (a register select), not a masked load/store.
      VectorMask<Float> pos = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, dOut, dOutOff + i), pos).intoArray(dIn, dInOff + i);
    }
    for (; i < n; i++) {
      dIn[dInOff + i] = y[yOff + i] > 0f ? dOut[dOutOff + i] : 0f;
    }
  }

  /**
   * Row max, row sum and the final scaling are vector kernels. The exponentials use
   * {@code VectorOperators.EXP} where the JDK backs it with its SVML stubs ({@link #VECTOR_EXP}):
   * measured on this JDK 17 / AVX-512 machine, 1000 exponentials take ~0.3 µs against ~5.3 µs with
   * {@code Math.exp}, and agree with {@code (float) Math.exp} to 1 ulp. Without SVML (non-x86 builds)
   * EXP is a per-lane Java fallback, much slower than the {@code Math.exp} intrinsic, so we keep the
   * scalar loop there. Either way the result differs from the reference by rounding only.
   */
  @Override
  public void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
    if (cols < 2 * L) {
      super.softmaxRows(x, xOff, out, outOff, rows, cols);
      return;
    }
    int bound = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      int oi = outOff + r * cols;
      float m = max(x, xi, cols);
      int c = 0;
      if (VECTOR_EXP) {
        for (; c < bound; c += L) {
          FloatVector.fromArray(S, x, xi + c).sub(m).lanewise(VectorOperators.EXP).intoArray(out, oi + c);
        }
      }
      for (; c < cols; c++) {
        out[oi + c] = (float) Math.exp(x[xi + c] - m);
      }
      scale(1f / sum(out, oi, cols), out, oi, out, oi, cols);
    }
  }

  @Override
  public void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff) {
    if (cols < 2 * L) {
      super.addBias(x, xOff, rows, cols, bias, biasOff);
      return;
    }
    for (int r = 0; r < rows; r++) {
      add(x, xOff + r * cols, bias, biasOff, x, xOff + r * cols, cols);
    }
  }

  /**
   * Column blocks of {@code 4·L}, then {@code L}, each summed down the rows in a register: every
   * {@code dBias[c]} receives its rows in order 0, 1, 2, … exactly as in the reference, so the
   * result is bit-identical.
   */
  @Override
  public void biasGrad(float[] dOut, int dOutOff, int rows, int cols, float[] dBias, int dBiasOff) {
    // From one vector of columns on: a convolution's few channels (16 or 20 with 16 lanes) take the
    // register sums too (flowers' first layer, 180×180×16 per image: its bias gradient went from
    // most of the layer's backward pass to a memory pass).
    if (cols < L) {
      super.biasGrad(dOut, dOutOff, rows, cols, dBias, dBiasOff);
      return;
    }
    int c = 0;
    for (int bound4 = cols - cols % (4 * L); c < bound4; c += 4 * L) {
      FloatVector acc0 = FloatVector.fromArray(S, dBias, dBiasOff + c);
      FloatVector acc1 = FloatVector.fromArray(S, dBias, dBiasOff + c + L);
      FloatVector acc2 = FloatVector.fromArray(S, dBias, dBiasOff + c + 2 * L);
      FloatVector acc3 = FloatVector.fromArray(S, dBias, dBiasOff + c + 3 * L);
      for (int r = 0, di = dOutOff + c; r < rows; r++, di += cols) {
        acc0 = acc0.add(FloatVector.fromArray(S, dOut, di));
        acc1 = acc1.add(FloatVector.fromArray(S, dOut, di + L));
        acc2 = acc2.add(FloatVector.fromArray(S, dOut, di + 2 * L));
        acc3 = acc3.add(FloatVector.fromArray(S, dOut, di + 3 * L));
      }
      acc0.intoArray(dBias, dBiasOff + c);
      acc1.intoArray(dBias, dBiasOff + c + L);
      acc2.intoArray(dBias, dBiasOff + c + 2 * L);
      acc3.intoArray(dBias, dBiasOff + c + 3 * L);
    }
    for (int bound = S.loopBound(cols); c < bound; c += L) {
      FloatVector acc = FloatVector.fromArray(S, dBias, dBiasOff + c);
      for (int r = 0, di = dOutOff + c; r < rows; r++, di += cols) {
        acc = acc.add(FloatVector.fromArray(S, dOut, di));
      }
      acc.intoArray(dBias, dBiasOff + c);
    }
    for (; c < cols; c++) {
      float acc = dBias[dBiasOff + c];
      for (int r = 0, di = dOutOff + c; r < rows; r++, di += cols) {
        acc += dOut[di];
      }
      dBias[dBiasOff + c] = acc;
    }
  }

  /**
   * NHWC: the channels of one pixel are contiguous, so a block of {@code L} channels is one load per
   * window element. Per lane this is the reference's loop: the first in-bounds window element in
   * row-major order seeds the best value, and a later one replaces it only when strictly greater
   * ({@code GT} is false for NaN, as {@code >} is). Window bounds are clipped once per output pixel
   * instead of testing every element. When the channels are not a multiple of {@code L}, the last
   * block shifts left to end at the last channel (its overlapping lanes get the same values again);
   * images with fewer than {@code L} channels take the scalar loop.
   */
  @Override
  public void maxPoolForward(ConvGeometry g, float[] in, int inOff, float[] out, int outOff, int[] argmax, int argOff) {
    int c = g.inC;
    if (c < L) {
      super.maxPoolForward(g, in, inOff, out, outOff, argmax, argOff);
      return;
    }
    IntVector iota = IntVector.zero(I).addIndex(1);
    for (int oy = 0; oy < g.outH; oy++) {
      int y0 = oy * g.strideH - g.padTop;
      int kyFrom = Math.max(0, -y0);
      int kyTo = Math.min(g.kH, g.inH - y0);
      for (int ox = 0; ox < g.outW; ox++) {
        int x0 = ox * g.strideW - g.padLeft;
        int kxFrom = Math.max(0, -x0);
        int kxTo = Math.min(g.kW, g.inW - x0);
        int o = (oy * g.outW + ox) * c;
        if (kyFrom >= kyTo || kxFrom >= kxTo) {
          // A window entirely in the padding (impossible with VALID/SAME geometry): as the reference.
          for (int ch = 0; ch < c; ch++) {
            out[outOff + o + ch] = Float.NEGATIVE_INFINITY;
            if (argmax != null) {
              argmax[argOff + o + ch] = -1;
            }
          }
          continue;
        }
        int first = ((y0 + kyFrom) * g.inW + x0 + kxFrom) * c;
        if (argmax == null) {
          maxOnly(g, in, inOff, out, outOff + o, c, kyFrom, kyTo, kxFrom, kxTo, first);
          continue;
        }
        if (kyTo - kyFrom == 2 && kxTo - kxFrom == 2) {
          // A whole 2×2 window, straight-line: the common case, 1.5× faster than the loop below.
          int row = g.inW * c;
          for (int ch0 = 0; ch0 < c; ch0 += L) {
            int ch = Math.min(ch0, c - L); // the last block ends at c: lanes done twice, the same values
            int at = inOff + first + ch;
            FloatVector best = FloatVector.fromArray(S, in, at);
            IntVector bestAt = IntVector.broadcast(I, first);
            FloatVector v = FloatVector.fromArray(S, in, at + c);
            VectorMask<Float> greater = v.compare(VectorOperators.GT, best);
            best = best.blend(v, greater);
            bestAt = bestAt.blend(first + c, greater.cast(I));
            v = FloatVector.fromArray(S, in, at + row);
            greater = v.compare(VectorOperators.GT, best);
            best = best.blend(v, greater);
            bestAt = bestAt.blend(first + row, greater.cast(I));
            v = FloatVector.fromArray(S, in, at + row + c);
            greater = v.compare(VectorOperators.GT, best);
            best = best.blend(v, greater);
            bestAt = bestAt.blend(first + row + c, greater.cast(I));
            best.intoArray(out, outOff + o + ch);
            bestAt.add(iota).add(ch).intoArray(argmax, argOff + o + ch);
          }
        } else {
          // Any window: one flat loop over its elements after the first, row-major (window rows
          // nested as loops made JDK 17's C2 box the vectors they carry: 3–4× slower).
          int w = kxTo - kxFrom, n = (kyTo - kyFrom) * w, skip = (g.inW - w) * c;
          for (int ch0 = 0; ch0 < c; ch0 += L) {
            int ch = Math.min(ch0, c - L); // the last block ends at c: lanes done twice, the same values
            FloatVector best = FloatVector.fromArray(S, in, inOff + first + ch);
            IntVector bestAt = IntVector.broadcast(I, first);
            for (int e = 1, kx = 1, at = first + c; e < n; e++, kx++, at += c) {
              if (kx == w) { // the next window row
                kx = 0;
                at += skip;
              }
              FloatVector v = FloatVector.fromArray(S, in, inOff + at + ch);
              VectorMask<Float> greater = v.compare(VectorOperators.GT, best);
              best = best.blend(v, greater);
              bestAt = bestAt.blend(at, greater.cast(I));
            }
            best.intoArray(out, outOff + o + ch);
            bestAt.add(iota).add(ch).intoArray(argmax, argOff + o + ch);
          }
        }
      }
    }
  }

  /**
   * One output pixel's maxima, values only (inference): the same comparisons in the same order as
   * {@link #maxPoolForward} with argmax, so the same bits, without the int lanes and mask casts.
   */
  private static void maxOnly(ConvGeometry g, float[] in, int inOff, float[] out, int o, int c, int kyFrom, int kyTo,
      int kxFrom, int kxTo, int first) {
    if (kyTo - kyFrom == 2 && kxTo - kxFrom == 2) {
      // A whole 2×2 window, straight-line: the common case, 1.5× faster than the loop below.
      int row = g.inW * c;
      for (int ch0 = 0; ch0 < c; ch0 += L) {
        int ch = Math.min(ch0, c - L); // the last block ends at c: lanes done twice, the same values
        int at = inOff + first + ch;
        FloatVector best = FloatVector.fromArray(S, in, at);
        FloatVector v = FloatVector.fromArray(S, in, at + c);
        best = best.blend(v, v.compare(VectorOperators.GT, best));
        v = FloatVector.fromArray(S, in, at + row);
        best = best.blend(v, v.compare(VectorOperators.GT, best));
        v = FloatVector.fromArray(S, in, at + row + c);
        best = best.blend(v, v.compare(VectorOperators.GT, best));
        best.intoArray(out, o + ch);
      }
    } else {
      // Any window: one flat loop, as in maxPoolForward (nested window loops box on JDK 17).
      int w = kxTo - kxFrom, n = (kyTo - kyFrom) * w, skip = (g.inW - w) * c;
      for (int ch0 = 0; ch0 < c; ch0 += L) {
        int ch = Math.min(ch0, c - L); // the last block ends at c: lanes done twice, the same values
        FloatVector best = FloatVector.fromArray(S, in, inOff + first + ch);
        for (int e = 1, kx = 1, at = first + c; e < n; e++, kx++, at += c) {
          if (kx == w) {
            kx = 0;
            at += skip;
          }
          FloatVector v = FloatVector.fromArray(S, in, inOff + at + ch);
          best = best.blend(v, v.compare(VectorOperators.GT, best));
        }
        best.intoArray(out, o + ch);
      }
    }
  }


  /**
   * Stays scalar (inherited): it is a scatter-add through data-dependent indices. The interface
   * does not promise that the {@code L} indices of one block are distinct (overlapping windows can
   * pick the same input element), so a vector scatter would need conflict detection, and JDK 17's
   * gather/scatter through an index map are no faster than this memory-bound loop.
   */
  @Override
  public void maxPoolBackward(float[] dOut, int dOutOff, int[] argmax, int argOff, int n, float[] dIn, int dInOff) {
    super.maxPoolBackward(dOut, dOutOff, argmax, argOff, n, dIn, dInOff);
  }

  /**
   * One pass over the input in memory order, {@code L} channels per step: the winner test is a lane
   * compare of {@code argmax} against the lanes' own offsets, the ReLU test a compare of the window's
   * maximum, and the store a blend with zero, so the same bits as the reference without its scatter.
   */
  @Override
  public void maxPoolBackwardTiled(ConvGeometry g, float[] dOut, float[] y, int[] argmax, int outOff, boolean relu,
      float[] dIn, int dInOff) {
    requireTiling(g);
    int c = g.inC;
    if (c < L) {
      super.maxPoolBackwardTiled(g, dOut, y, argmax, outOff, relu, dIn, dInOff);
      return;
    }
    IntVector iota = IntVector.zero(I).addIndex(1);
    FloatVector zero = FloatVector.zero(S);
    VectorMask<Float> linear = S.maskAll(!relu); // or'ed into the ReLU test: no branch inside the loop
    int row = g.inW * c;
    for (int iy = 0; iy < g.inH; iy++) {
      int oy = (iy + g.padTop) / g.kH;
      int rowAt = iy * row;
      int ix = 0;
      if (oy < g.outH) {
        for (int ox = 0; ox < g.outW; ox++) {
          int xEnd = Math.min(g.inW, (ox + 1) * g.kW - g.padLeft);
          int o = outOff + (oy * g.outW + ox) * c;
          for (; ix < xEnd; ix++) {
            int at = rowAt + ix * c;
            for (int ch0 = 0; ch0 < c; ch0 += L) {
              int ch = Math.min(ch0, c - L); // the last block ends at c: lanes done twice, the same values
              VectorMask<Float> routed = IntVector.fromArray(I, argmax, o + ch).compare(VectorOperators.EQ, iota.add(at + ch))
                  .cast(S).and(FloatVector.fromArray(S, y, o + ch).compare(VectorOperators.GT, 0f).or(linear));
              zero.blend(zero.add(FloatVector.fromArray(S, dOut, o + ch)), routed).intoArray(dIn, dInOff + at + ch);
            }
          }
        }
      }
      Arrays.fill(dIn, dInOff + rowAt + ix * c, dInOff + rowAt + row, 0f); // columns (or a row) in no window
    }
  }

  // convRow on 8 lanes: 16 output channels (two 256-bit vectors) by 6 pixels in 12 accumulators, as the GEMM's AVX2
  // tile; 16 lanes take the *Wide kernels at the end of the file instead.
  private static final VectorSpecies<Float> W = FloatVector.SPECIES_256;

  /**
   * With 16-lane vectors (AVX-512) the direct convolution kernels hold a group of 16 channels in one
   * vector ({@link #convTileWide}, {@link #convKernelGradWide}); with 8 lanes (AVX2) in two 256-bit
   * ones. Never both widths in one JVM: when the Vector API's shared {@code FloatVector} methods see
   * two vector classes, JDK 17's C2 loses the exact class of the GEMM micro-kernel's accumulators
   * after its loop, does not intrinsify their stores, boxes every vector, and the whole GEMM runs ~30×
   * slower (mnist-cnn inference: 177 images/s against 4,589 with one width, on a Sapphire Rapids;
   * {@code -XX:+PrintIntrinsics} shows {@code VectorSupport::store} "failed to inline (intrinsic)",
   * and the type profile at {@code intoArray} names Float256Vector and Float512Vector). JDK 25 keeps
   * the types, and there the 16-lane kernels are a little faster than the 256-bit ones (MNIST's
   * first convolution in a training step, {@code LayerProfile mnist-cnn 128 30}: forward 2.1 against
   * 2.5 ms, backward 4.3 against 4.5). On wider vectors still, where the 256-bit kernels would mix
   * widths, JDKs before 25 take im2col and GEMM for every convolution.
   */
  static final boolean WIDE = L == 16;

  private static final boolean DIRECT_CONVOLUTION = L <= 16 || Runtime.version().feature() >= 25;

  @Override
  public boolean directConvolution() {
    return DIRECT_CONVOLUTION;
  }
  private static final int CONV_PIXELS = 6;

  @Override
  public void convRow(float[] src, int srcOff, int step, int[] taps, int nTaps, float[] w, int wStride, float[] bias,
      int count, float[] out, int outOff, int outC) {
    int pixels = WIDE ? WIDE_PIXELS : CONV_PIXELS;
    if (L < 8 || count < pixels) { // no 256-bit vectors, or too few pixels for a tile
      convPixels(src, srcOff, step, taps, nTaps, w, wStride, bias, count, out, outOff, outC);
      return;
    }
    float[] tile = (outC & 15) == 0 ? null : scratch();
    for (int x0 = 0; x0 < count; x0 += pixels) {
      int x = Math.min(x0, count - pixels); // the last group shifts left: a few pixels computed twice, same bits
      for (int j = 0; j < outC; j += 16) {
        int o = outOff + x * outC + j;
        if (j + 16 <= outC) {
          convTile(src, srcOff + x * step, step, taps, nTaps, w, wStride, j, bias, out, o, outC);
        } else { // the last channels: through a pixels×16 buffer
          convTile(src, srcOff + x * step, step, taps, nTaps, w, wStride, j, bias, tile, 0, 16);
          for (int r = 0; r < pixels; r++) {
            System.arraycopy(tile, r * 16, out, o + r * outC, outC - j);
          }
        }
      }
    }
  }

  /** One tile of {@link #convRow}: {@link #convTileWide} with 16 lanes, else {@link #convTile6}. */
  private static void convTile(float[] src, int base, int step, int[] taps, int nTaps, float[] w, int wStride, int j,
      float[] bias, float[] dst, int d, int ds) {
    if (WIDE) { // a constant: C2 keeps one branch
      convTileWide(src, base, step, taps, nTaps, w, wStride, j, bias, dst, d, ds);
    } else {
      convTile6(src, base, step, taps, nTaps, w, wStride, j, bias, dst, d, ds);
    }
  }

  /**
   * Six pixels by 16 channels from column {@code j} into {@code dst} (pixel rows {@code ds} apart):
   * the GEMM's in-place 6×16 micro-kernel with the taps as its k index, then the bias.
   */
  private static void convTile6(float[] src, int base, int step, int[] taps, int nTaps, float[] w, int wStride, int j,
      float[] bias, float[] dst, int d, int ds) {
    int s1 = step, s2 = 2 * step, s3 = 3 * step, s4 = 4 * step, s5 = 5 * step;
    FloatVector c00 = FloatVector.zero(W), c01 = FloatVector.zero(W);
    FloatVector c10 = FloatVector.zero(W), c11 = FloatVector.zero(W);
    FloatVector c20 = FloatVector.zero(W), c21 = FloatVector.zero(W);
    FloatVector c30 = FloatVector.zero(W), c31 = FloatVector.zero(W);
    FloatVector c40 = FloatVector.zero(W), c41 = FloatVector.zero(W);
    FloatVector c50 = FloatVector.zero(W), c51 = FloatVector.zero(W);
    for (int t = 0, wi = j; t < nTaps; t++, wi += wStride) {
      int o = base + taps[t];
      FloatVector b0 = FloatVector.fromArray(W, w, wi);
      FloatVector b1 = FloatVector.fromArray(W, w, wi + 8);
      FloatVector a0 = FloatVector.broadcast(W, src[o]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(W, src[o + s1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(W, src[o + s2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(W, src[o + s3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(W, src[o + s4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(W, src[o + s5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    if (bias != null) {
      FloatVector bias0 = FloatVector.fromArray(W, bias, j), bias1 = FloatVector.fromArray(W, bias, j + 8);
      c00 = c00.add(bias0);
      c01 = c01.add(bias1);
      c10 = c10.add(bias0);
      c11 = c11.add(bias1);
      c20 = c20.add(bias0);
      c21 = c21.add(bias1);
      c30 = c30.add(bias0);
      c31 = c31.add(bias1);
      c40 = c40.add(bias0);
      c41 = c41.add(bias1);
      c50 = c50.add(bias0);
      c51 = c51.add(bias1);
    }
    c00.intoArray(dst, d + 0 * ds);
    c01.intoArray(dst, d + 0 * ds + 8);
    c10.intoArray(dst, d + 1 * ds);
    c11.intoArray(dst, d + 1 * ds + 8);
    c20.intoArray(dst, d + 2 * ds);
    c21.intoArray(dst, d + 2 * ds + 8);
    c30.intoArray(dst, d + 3 * ds);
    c31.intoArray(dst, d + 3 * ds + 8);
    c40.intoArray(dst, d + 4 * ds);
    c41.intoArray(dst, d + 4 * ds + 8);
    c50.intoArray(dst, d + 5 * ds);
    c51.intoArray(dst, d + 5 * ds + 8);
  }

  /** One pixel at a time, each channel a scalar fused chain: the tile's bits. */
  private static void convPixels(float[] src, int srcOff, int step, int[] taps, int nTaps, float[] w, int wStride,
      float[] bias, int count, float[] out, int outOff, int outC) {
    for (int x = 0; x < count; x++) {
      int base = srcOff + x * step;
      for (int o = 0; o < outC; o++) {
        float s = 0f;
        for (int t = 0; t < nTaps; t++) {
          s = Math.fma(src[base + taps[t]], w[t * wStride + o], s);
        }
        out[outOff + x * outC + o] = bias == null ? s : s + bias[o];
      }
    }
  }
  @Override
  public void convKernelGrad(float[] src, int[] corners, int from, int to, int[] taps, int nTaps, float[] dOut, int dOff,
      int outC, float beta, float[] dK, int dkOff) {
    if (WIDE) {
      convKernelGradWide(src, corners, from, to, taps, nTaps, dOut, dOff, outC, beta, dK, dkOff);
      return;
    }
    int o = 0;
    float[] acc = scratch(); // a tile's accumulators on their way to dK (gradFlush)
    // 16 channels at a time: four taps per pass over the pixels, then single taps.
    for (; L >= 8 && o + 16 <= outC; o += 16) {
      int t = 0;
      for (; t + 4 <= nTaps; t += 4) {
        gradTile4x16(src, corners, from, to, taps, t, dOut, dOff + o, outC, beta, dK, dkOff + t * outC + o, acc);
      }
      for (; t < nTaps; t++) {
        gradTile1x16(src, corners, from, to, taps[t], dOut, dOff + o, outC, beta, dK, dkOff + t * outC + o, acc);
      }
    }
    while (L >= 8 && o < outC && outC >= 8) {
      // Then 8: the last group, when fewer than 8 channels are left, shifts left to end at outC and
      // writes only the lanes not written yet (each lane is its own chain: the same bits).
      int skip = Math.max(0, o + 8 - outC), at = o - skip;
      int t = 0;
      for (; t + 4 <= nTaps; t += 4) {
        gradTile4(src, corners, from, to, taps, t, dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
      }
      for (; t < nTaps; t++) {
        gradTile1(src, corners, from, to, taps[t], dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
      }
      o = at + 8;
    }
    // Fewer than 8 channels in all: scalar fused chains, the lanes' bits.
    gradChannels(src, corners, from, to, taps, nTaps, dOut, dOff, o, outC, beta, dK, dkOff);
  }

  /** Channels {@code o..outC} of {@link #convKernelGrad}, a scalar fused chain each: the bits of a vector lane. */
  private static void gradChannels(float[] src, int[] corners, int from, int to, int[] taps, int nTaps, float[] dOut,
      int dOff, int o, int outC, float beta, float[] dK, int dkOff) {
    for (; o < outC; o++) {
      for (int t = 0; t < nTaps; t++) {
        float sum = 0f;
        for (int q = from; q < to; q++) {
          sum = Math.fma(src[corners[q] + taps[t]], dOut[dOff + q * outC + o], sum);
        }
        int e = dkOff + t * outC + o;
        dK[e] = beta == 0f ? sum : sum + beta * dK[e];
      }
    }
  }

  /** Taps t..t+3 by 16 channels: eight accumulators, two dOut vectors and four broadcasts per pixel. */
  private static void gradTile4x16(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, float[] acc) {
    int t0 = taps[t], t1 = taps[t + 1], t2 = taps[t + 2], t3 = taps[t + 3];
    FloatVector c00 = FloatVector.zero(W), c01 = FloatVector.zero(W), c10 = FloatVector.zero(W);
    FloatVector c11 = FloatVector.zero(W), c20 = FloatVector.zero(W), c21 = FloatVector.zero(W);
    FloatVector c30 = FloatVector.zero(W), c31 = FloatVector.zero(W);
    for (int q = from; q < to; q++) {
      int c = corners[q], dq = d + q * outC;
      FloatVector g0 = FloatVector.fromArray(W, dOut, dq);
      FloatVector g1 = FloatVector.fromArray(W, dOut, dq + 8);
      FloatVector x0 = FloatVector.broadcast(W, src[c + t0]);
      c00 = x0.fma(g0, c00);
      c01 = x0.fma(g1, c01);
      FloatVector x1 = FloatVector.broadcast(W, src[c + t1]);
      c10 = x1.fma(g0, c10);
      c11 = x1.fma(g1, c11);
      FloatVector x2 = FloatVector.broadcast(W, src[c + t2]);
      c20 = x2.fma(g0, c20);
      c21 = x2.fma(g1, c21);
      FloatVector x3 = FloatVector.broadcast(W, src[c + t3]);
      c30 = x3.fma(g0, c30);
      c31 = x3.fma(g1, c31);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, 8);
    c10.intoArray(acc, 2 * 8);
    c11.intoArray(acc, 3 * 8);
    c20.intoArray(acc, 4 * 8);
    c21.intoArray(acc, 5 * 8);
    c30.intoArray(acc, 6 * 8);
    c31.intoArray(acc, 7 * 8);
    gradFlush(acc, 4, 2, beta, dK, k, outC, 0);
  }

  /** One tap by 16 channels. */
  private static void gradTile1x16(float[] src, int[] corners, int from, int to, int tap, float[] dOut, int d, int outC,
      float beta, float[] dK, int k, float[] acc) {
    FloatVector c0 = FloatVector.zero(W), c1 = FloatVector.zero(W);
    for (int q = from; q < to; q++) {
      int dq = d + q * outC;
      FloatVector x = FloatVector.broadcast(W, src[corners[q] + tap]);
      c0 = x.fma(FloatVector.fromArray(W, dOut, dq), c0);
      c1 = x.fma(FloatVector.fromArray(W, dOut, dq + 8), c1);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, 8);
    gradFlush(acc, 1, 2, beta, dK, k, outC, 0);
  }

  /** Taps t..t+3 by 8 channels: four accumulators, one dOut vector and four broadcasts per pixel. */
  private static void gradTile4(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    int t0 = taps[t], t1 = taps[t + 1], t2 = taps[t + 2], t3 = taps[t + 3];
    FloatVector c0 = FloatVector.zero(W), c1 = FloatVector.zero(W), c2 = FloatVector.zero(W), c3 = FloatVector.zero(W);
    for (int q = from; q < to; q++) {
      int c = corners[q];
      FloatVector g = FloatVector.fromArray(W, dOut, d + q * outC);
      c0 = FloatVector.broadcast(W, src[c + t0]).fma(g, c0);
      c1 = FloatVector.broadcast(W, src[c + t1]).fma(g, c1);
      c2 = FloatVector.broadcast(W, src[c + t2]).fma(g, c2);
      c3 = FloatVector.broadcast(W, src[c + t3]).fma(g, c3);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, 8);
    c2.intoArray(acc, 2 * 8);
    c3.intoArray(acc, 3 * 8);
    gradFlush(acc, 4, 1, beta, dK, k, outC, skip);
  }

  /** One tap by 8 channels. */
  private static void gradTile1(float[] src, int[] corners, int from, int to, int tap, float[] dOut, int d, int outC,
      float beta, float[] dK, int k, int skip, float[] acc) {
    FloatVector c0 = FloatVector.zero(W);
    for (int q = from; q < to; q++) {
      c0 = FloatVector.broadcast(W, src[corners[q] + tap]).fma(FloatVector.fromArray(W, dOut, d + q * outC), c0);
    }
    c0.intoArray(acc, 0);
    gradFlush(acc, 1, 1, beta, dK, k, outC, skip);
  }

  /** {@link #gradFlushWide} for the 256-bit tiles (8 lanes, species {@code W}). */
  private static void gradFlush(float[] acc, int rows, int cols, float beta, float[] dK, int k, int outC, int skip) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int a = (i * cols + j) * 8, at = k + i * outC + j * 8;
        if (skip > 0) {
          for (int l = skip; l < 8; l++) {
            dK[at + l] = beta == 0f ? acc[a + l] : acc[a + l] + beta * dK[at + l];
          }
        } else if (beta == 0f) {
          FloatVector.fromArray(W, acc, a).intoArray(dK, at);
        } else {
          FloatVector.fromArray(W, acc, a).add(FloatVector.fromArray(W, dK, at).mul(beta)).intoArray(dK, at);
        }
      }
    }
  }

  // ---- 512-bit direct convolution (L = 16): one vector holds a group of 16 channels ----
  // These repeat the 256-bit kernels above with S for W: C2 intrinsifies a Vector API call only when
  // its species is a constant in the method, so the width cannot be a parameter.

  /**
   * The calling thread's 1 KB buffer for one kernel call's tile or accumulators (256 floats: two rows of eight pixels
   * by 16 channels, or sixteen 16-lane accumulators), which the call writes before it reads. It replaces an array
   * allocated per call ({@link #convPoolRowWindow}: 1 KB per pair of rows). MNIST {@code predict}, JMH {@code -prof
   * gc}, bytes allocated per image: JDK 25 14,646 → 86, JDK 17 33,462 → 18,902.
   */
  private static float[] scratch() {
    return SCRATCH.get();
  }

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[16 * 16]);

  /** Pixels of a {@link #convTileWide} tile: eight accumulators keep both FMA ports busy. */
  private static final int WIDE_PIXELS = 8;

  /** Eight pixels by the 16 channels from column {@code j} into {@code dst} (pixel rows {@code ds} apart), then the bias. */
  private static void convTileWide(float[] src, int base, int step, int[] taps, int nTaps, float[] w, int wStride,
      int j, float[] bias, float[] dst, int d, int ds) {
    int s1 = 1 * step, s2 = 2 * step, s3 = 3 * step, s4 = 4 * step, s5 = 5 * step, s6 = 6 * step, s7 = 7 * step;
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int t = 0, wi = j; t < nTaps; t++, wi += wStride) {
      int o = base + taps[t];
      FloatVector b = FloatVector.fromArray(S, w, wi);
      c0 = FloatVector.broadcast(S, src[o]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[o + s1]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[o + s2]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[o + s3]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[o + s4]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[o + s5]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[o + s6]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[o + s7]).fma(b, c7);
    }
    if (bias != null) {
      FloatVector bv = FloatVector.fromArray(S, bias, j);
      c0 = c0.add(bv);
      c1 = c1.add(bv);
      c2 = c2.add(bv);
      c3 = c3.add(bv);
      c4 = c4.add(bv);
      c5 = c5.add(bv);
      c6 = c6.add(bv);
      c7 = c7.add(bv);
    }
    c0.intoArray(dst, d + 0 * ds);
    c1.intoArray(dst, d + 1 * ds);
    c2.intoArray(dst, d + 2 * ds);
    c3.intoArray(dst, d + 3 * ds);
    c4.intoArray(dst, d + 4 * ds);
    c5.intoArray(dst, d + 5 * ds);
    c6.intoArray(dst, d + 6 * ds);
    c7.intoArray(dst, d + 7 * ds);
  }

  /**
   * With 16-lane vectors, 3×3 windows on three channels (flowers' first convolution) and 5-wide ones on
   * one (MNIST's and captcha's 5×5): {@link #windowTile33x3}, {@link #windowTile51}.
   */
  @Override
  public boolean windowTile(int kW, int inC) {
    return WIDE && (kW == 3 && inC == 3 || kW == 5 && inC == 1);
  }

  /**
   * Eight pixels by 16 channels per tile, as {@link #convRow}, the last group of pixels shifted left and
   * channels past a multiple of 16 through a buffer. Each tile row's taps are unrolled with constant
   * offsets from one base per window row, so C2 checks each base's range once per window row
   * (instead of once per tap and pixel) and the loop has no table of taps to read: 1.8× convRow's
   * throughput on one thread in L1 (JDK 17 and 25, AVX-512), the same sums in the same order.
   */
  @Override
  public void convRowWindow(float[] src, int srcOff, int rowStride, int kH, int kW, int inC, float[] w, int wStride,
      float[] bias, int count, float[] out, int outOff, int outC) {
    if (!windowTile(kW, inC) || count < WIDE_PIXELS) {
      super.convRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, count, out, outOff, outC);
      return;
    }
    float[] tile = (outC & 15) == 0 ? null : scratch();
    for (int x0 = 0; x0 < count; x0 += WIDE_PIXELS) {
      int x = Math.min(x0, count - WIDE_PIXELS); // the last group shifts left: a few pixels computed twice, same bits
      for (int j = 0; j < outC; j += 16) {
        boolean whole = j + 16 <= outC;
        float[] dst = whole ? out : tile;
        int d = whole ? outOff + x * outC + j : 0, ds = whole ? outC : 16;
        if (kW == 3) {
          windowTile33x3(src, srcOff + 3 * x, rowStride, kH, w, wStride, j, bias, dst, d, ds);
        } else {
          windowTile51(src, srcOff + x, rowStride, kH, w, wStride, j, bias, dst, d, ds);
        }
        if (!whole) { // the last channels
          for (int r = 0; r < WIDE_PIXELS; r++) {
            System.arraycopy(tile, r * 16, out, outOff + (x + r) * outC + j, outC - j);
          }
        }
      }
    }
  }

  /**
   * Two rows of {@link #convRowWindow}'s tiles (eight pixels by 16 channels) into a 1 KB buffer that stays in
   * L1, bias added there, then relu and the four windows' maxima straight from it: no row of the convolution
   * goes to memory, and no separate pass adds the relu or pools. The last group of pixels shifts left by an
   * even count (windows pooled twice, the same bits); channels past a multiple of 16 through the buffer.
   */
  @Override
  public void convPoolRowWindow(float[] src, int srcOff, int rowStride, int kH, int kW, int inC, float[] w,
      int wStride, float[] bias, boolean relu, int count, float[] out, int outOff, int outC) {
    int pixels = 2 * count;
    if (!windowTile(kW, inC) || pixels < WIDE_PIXELS) {
      super.convPoolRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, relu, count, out, outOff, outC);
      return;
    }
    float[] tile = scratch(); // (2 rows, 8 pixels, 16 channels)
    int below = WIDE_PIXELS * 16;
    FloatVector zero = FloatVector.zero(S);
    for (int x0 = 0; x0 < pixels; x0 += WIDE_PIXELS) {
      int x = Math.min(x0, pixels - WIDE_PIXELS);
      for (int j = 0; j < outC; j += 16) {
        if (kW == 3) {
          windowTile33x3(src, srcOff + 3 * x, rowStride, kH, w, wStride, j, bias, tile, 0, 16);
          windowTile33x3(src, srcOff + rowStride + 3 * x, rowStride, kH, w, wStride, j, bias, tile, below, 16);
        } else {
          windowTile51(src, srcOff + x, rowStride, kH, w, wStride, j, bias, tile, 0, 16);
          windowTile51(src, srcOff + rowStride + x, rowStride, kH, w, wStride, j, bias, tile, below, 16);
        }
        int channels = Math.min(16, outC - j);
        for (int p = 0, at = 0; p < WIDE_PIXELS / 2; p++, at += 32) {
          FloatVector best = FloatVector.fromArray(S, tile, at);
          FloatVector v1 = FloatVector.fromArray(S, tile, at + 16);
          FloatVector v2 = FloatVector.fromArray(S, tile, at + below);
          FloatVector v3 = FloatVector.fromArray(S, tile, at + below + 16);
          if (relu) {
            best = best.max(zero);
            v1 = v1.max(zero);
            v2 = v2.max(zero);
            v3 = v3.max(zero);
          }
          best = best.blend(v1, v1.compare(VectorOperators.GT, best));
          best = best.blend(v2, v2.compare(VectorOperators.GT, best));
          best = best.blend(v3, v3.compare(VectorOperators.GT, best));
          int o = outOff + (x / 2 + p) * outC + j;
          if (channels == 16) {
            best.intoArray(out, o);
          } else { // the last channels: through the window's first pixel, already read
            best.intoArray(tile, at);
            System.arraycopy(tile, at, out, o, channels);
          }
        }
      }
    }
  }

  /**
   * Eight pixels (3×3 window on three interleaved channels) by 16 channels from column {@code j}; pixel rows
   * {@code ds} apart in {@code dst}. Tap {@code (ky, kx, c)} of pixel {@code i} reads {@code src[base + ky·rowStride + 3·(kx + i) + c]}.
   */
  private static void windowTile33x3(float[] src, int base, int rowStride, int kH, float[] w, int wStride, int j,
      float[] bias, float[] dst, int d, int ds) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int ky = 0, wi = j; ky < kH; ky++, wi += 9 * wStride) {
      int q = base + ky * rowStride; // the window row's first pixel
      FloatVector b;
      b = FloatVector.fromArray(S, w, wi + 0 * wStride); // tap (ky, 0, 0)
      c0 = FloatVector.broadcast(S, src[q + 0]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 3]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 6]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 9]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 12]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 15]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 18]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 21]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 1 * wStride); // tap (ky, 0, 1)
      c0 = FloatVector.broadcast(S, src[q + 1]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 4]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 7]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 10]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 13]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 16]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 19]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 22]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 2 * wStride); // tap (ky, 0, 2)
      c0 = FloatVector.broadcast(S, src[q + 2]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 5]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 8]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 11]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 14]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 17]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 20]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 23]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 3 * wStride); // tap (ky, 1, 0)
      c0 = FloatVector.broadcast(S, src[q + 3]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 6]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 9]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 12]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 15]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 18]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 21]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 24]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 4 * wStride); // tap (ky, 1, 1)
      c0 = FloatVector.broadcast(S, src[q + 4]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 7]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 10]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 13]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 16]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 19]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 22]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 25]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 5 * wStride); // tap (ky, 1, 2)
      c0 = FloatVector.broadcast(S, src[q + 5]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 8]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 11]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 14]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 17]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 20]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 23]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 26]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 6 * wStride); // tap (ky, 2, 0)
      c0 = FloatVector.broadcast(S, src[q + 6]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 9]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 12]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 15]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 18]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 21]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 24]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 27]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 7 * wStride); // tap (ky, 2, 1)
      c0 = FloatVector.broadcast(S, src[q + 7]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 10]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 13]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 16]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 19]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 22]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 25]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 28]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 8 * wStride); // tap (ky, 2, 2)
      c0 = FloatVector.broadcast(S, src[q + 8]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 11]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 14]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 17]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 20]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 23]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 26]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 29]).fma(b, c7);
    }
    // bias and stores written out here: a helper taking the eight vectors is not inlined into a tile this large, and boxes them
    if (bias != null) {
      FloatVector bv = FloatVector.fromArray(S, bias, j);
      c0 = c0.add(bv);
      c1 = c1.add(bv);
      c2 = c2.add(bv);
      c3 = c3.add(bv);
      c4 = c4.add(bv);
      c5 = c5.add(bv);
      c6 = c6.add(bv);
      c7 = c7.add(bv);
    }
    c0.intoArray(dst, d);
    c1.intoArray(dst, d + ds);
    c2.intoArray(dst, d + 2 * ds);
    c3.intoArray(dst, d + 3 * ds);
    c4.intoArray(dst, d + 4 * ds);
    c5.intoArray(dst, d + 5 * ds);
    c6.intoArray(dst, d + 6 * ds);
    c7.intoArray(dst, d + 7 * ds);
  }

  /** Eight pixels (5-wide window, one channel) by 16 channels from column {@code j}; pixel rows {@code ds} apart in {@code dst}. */
  private static void windowTile51(float[] src, int base, int rowStride, int kH, float[] w, int wStride, int j,
      float[] bias, float[] dst, int d, int ds) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int ky = 0, wi = j; ky < kH; ky++, wi += 5 * wStride) {
      int q = base + ky * rowStride;
      FloatVector b;
      b = FloatVector.fromArray(S, w, wi + 0 * wStride); // tap (ky, 0)
      c0 = FloatVector.broadcast(S, src[q + 0]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 1]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 2]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 3]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 4]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 5]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 6]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 7]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 1 * wStride); // tap (ky, 1)
      c0 = FloatVector.broadcast(S, src[q + 1]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 2]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 3]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 4]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 5]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 6]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 7]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 8]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 2 * wStride); // tap (ky, 2)
      c0 = FloatVector.broadcast(S, src[q + 2]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 3]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 4]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 5]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 6]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 7]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 8]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 9]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 3 * wStride); // tap (ky, 3)
      c0 = FloatVector.broadcast(S, src[q + 3]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 4]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 5]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 6]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 7]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 8]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 9]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 10]).fma(b, c7);
      b = FloatVector.fromArray(S, w, wi + 4 * wStride); // tap (ky, 4)
      c0 = FloatVector.broadcast(S, src[q + 4]).fma(b, c0);
      c1 = FloatVector.broadcast(S, src[q + 5]).fma(b, c1);
      c2 = FloatVector.broadcast(S, src[q + 6]).fma(b, c2);
      c3 = FloatVector.broadcast(S, src[q + 7]).fma(b, c3);
      c4 = FloatVector.broadcast(S, src[q + 8]).fma(b, c4);
      c5 = FloatVector.broadcast(S, src[q + 9]).fma(b, c5);
      c6 = FloatVector.broadcast(S, src[q + 10]).fma(b, c6);
      c7 = FloatVector.broadcast(S, src[q + 11]).fma(b, c7);
    }
    // bias and stores written out here: a helper taking the eight vectors is not inlined into a tile this large, and boxes them
    if (bias != null) {
      FloatVector bv = FloatVector.fromArray(S, bias, j);
      c0 = c0.add(bv);
      c1 = c1.add(bv);
      c2 = c2.add(bv);
      c3 = c3.add(bv);
      c4 = c4.add(bv);
      c5 = c5.add(bv);
      c6 = c6.add(bv);
      c7 = c7.add(bv);
    }
    c0.intoArray(dst, d);
    c1.intoArray(dst, d + ds);
    c2.intoArray(dst, d + 2 * ds);
    c3.intoArray(dst, d + 3 * ds);
    c4.intoArray(dst, d + 4 * ds);
    c5.intoArray(dst, d + 5 * ds);
    c6.intoArray(dst, d + 6 * ds);
    c7.intoArray(dst, d + 7 * ds);
  }

  /**
   * {@link #convKernelGrad} with 16-lane vectors: groups of 16 channels; per pass over the pixels three or
   * two runs of five consecutive taps (a 5×5 window on one channel), else nine taps ({@link #ninesFor}: a
   * run of nine, 3×3 on three channels, reads its pixel's taps as one base and constant offsets), then
   * eight, four, single taps. Measured alternately in one JVM ({@code Alternate kernelgrad:NET}, JDK 25,
   * AVX-512, 2 threads), with the window corners computed without divisions: flowers' first convolution
   * 0.58–0.63 of the time before, MNIST's 0.72, captcha's 0.64. When the channels are not a multiple of 16, the last group
   * shifts left to end at outC and writes only the lanes not written yet (each lane is its own chain:
   * the same bits). Fewer than 16 channels in all: scalar fused chains, the lanes' bits.
   */
  private static void convKernelGradWide(float[] src, int[] corners, int from, int to, int[] taps, int nTaps,
      float[] dOut, int dOff, int outC, float beta, float[] dK, int dkOff) {
    float[] acc = scratch(); // a tile's accumulators on their way to dK (gradFlushWide)
    if (runsOfEight(taps, nTaps, outC)) { // windows of whole runs, as convKernelGradRuns says: eight taps by 32 channels
      for (int t = 0; t < nTaps; t += 8) {
        gradTileRun8x32(src, corners, from, to, taps[t], dOut, dOff, outC, beta, dK, dkOff + t * outC, acc);
      }
      return;
    }
    int o = 0;
    boolean fives = nTaps >= 10 && nTaps % 5 == 0 && runsOfFive(taps, nTaps); // 5×5 on one channel
    while (o < outC && outC >= 16) {
      int skip = Math.max(0, o + 16 - outC), at = o - skip;
      int t = 0;
      if (fives) { // three runs a pass, or two
        for (int runs = nTaps / 5; runs > 0; ) {
          int take = runs == 2 || runs == 4 ? 2 : 3;
          if (take == 3) {
            gradTileRuns5x3(src, corners, from, to, taps[t], taps[t + 5], taps[t + 10], dOut, dOff + at, outC, beta, dK,
                dkOff + t * outC + at, skip, acc);
          } else {
            gradTileRuns5x2(src, corners, from, to, taps[t], taps[t + 5], dOut, dOff + at, outC, beta, dK,
                dkOff + t * outC + at, skip, acc);
          }
          t += 5 * take;
          runs -= take;
        }
      }
      for (int end = t + 9 * ninesFor(nTaps - t); t < end; t += 9) {
        if (contiguous(taps, t, 9)) {
          gradTileRun9(src, corners, from, to, taps[t], dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
        } else {
          gradTileWide9(src, corners, from, to, taps, t, dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
        }
      }
      for (; t + 8 <= nTaps; t += 8) {
        gradTileWide8(src, corners, from, to, taps, t, dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
      }
      for (; t + 4 <= nTaps; t += 4) {
        gradTileWide4(src, corners, from, to, taps, t, dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
      }
      for (; t < nTaps; t++) {
        gradTileWide1(src, corners, from, to, taps, t, dOut, dOff + at, outC, beta, dK, dkOff + t * outC + at, skip, acc);
      }
      o = at + 16;
    }
    gradChannels(src, corners, from, to, taps, nTaps, dOut, dOff, o, outC, beta, dK, dkOff);
  }

  /**
   * How many of {@link #convKernelGradWide}'s tap groups take nine taps so that the rest split into groups of
   * eight: 25 taps (a 5×5 window on one channel) as 9 + 8 + 8, 27 (3×3 on three) as 9 + 9 + 9; 0 when eights
   * alone cover them or no such split exists. A group left over of fewer than four taps runs one
   * accumulator per tap, a chain of dependent multiply-adds that waits on the FMA latency at every pixel: it
   * cost as much as the three groups of eight before it (flowers' first convolution, 27 taps).
   */
  static int ninesFor(int nTaps) {
    for (int nines = 0; nines < 8 && 9 * nines <= nTaps; nines++) {
      if ((nTaps - 9 * nines) % 8 == 0) {
        return nines;
      }
    }
    return 0;
  }

  /**
   * 512-bit vectors, runs of taps a multiple of eight long (a window's rows of {@code kW·inC} floats), 32
   * channels: {@link #convKernelGradWide} takes sixteen accumulators a tile ({@link #gradTileRun8x32}), the
   * shape of the GEMM's 8×32 tile, reading each window in place where im2col copied it. Flowers' second
   * convolution (3×3 on 16 channels, 32 out), {@code Alternate kernelgrad:flowers2,32}, JDK 25: 0.82 of the
   * time of im2col + GEMM on one thread, 0.80 on two. Not 64 channels: flowers' third (32 → 64), two passes
   * of tiles over the pixels' 256-byte dOut rows, took 1.23. Not before JDK 25 ({@link #RUNS_OF_EIGHT}).
   */
  @Override
  public boolean convKernelGradRuns(int run, int outC) {
    return RUNS_OF_EIGHT && run % 8 == 0 && outC == 2 * L;
  }

  /**
   * {@link #gradTileRun8x32} runs: 512-bit vectors, JDK 25 on. JDK 17 ran flowers' second kernel gradient 1.27×
   * (one thread) and 1.21× (two) slower with it than with im2col and its GEMM (which JDK 17 runs 17% faster
   * than JDK 25 does).
   */
  private static final boolean RUNS_OF_EIGHT = WIDE && Runtime.version().feature() >= 25;

  private static boolean runsOfEight(int[] taps, int nTaps, int outC) {
    if (!RUNS_OF_EIGHT || nTaps % 8 != 0 || outC != 2 * L) {
      return false;
    }
    for (int t = 0; t < nTaps; t += 8) {
      if (!contiguous(taps, t, 8)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Eight consecutive taps from {@code t0} by 32 channels: sixteen accumulators, two dOut vectors and eight
   * broadcasts per pixel, the GEMM tile's sixteen multiply-adds per ten loads.
   */
  private static void gradTileRun8x32(float[] src, int[] corners, int from, int to, int t0, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, float[] acc) {
    FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int b = corners[q] + t0, dq = d + q * outC;
      FloatVector g0 = FloatVector.fromArray(S, dOut, dq);
      FloatVector g1 = FloatVector.fromArray(S, dOut, dq + L);
      FloatVector x0 = FloatVector.broadcast(S, src[b]);
      c00 = x0.fma(g0, c00);
      c01 = x0.fma(g1, c01);
      FloatVector x1 = FloatVector.broadcast(S, src[b + 1]);
      c10 = x1.fma(g0, c10);
      c11 = x1.fma(g1, c11);
      FloatVector x2 = FloatVector.broadcast(S, src[b + 2]);
      c20 = x2.fma(g0, c20);
      c21 = x2.fma(g1, c21);
      FloatVector x3 = FloatVector.broadcast(S, src[b + 3]);
      c30 = x3.fma(g0, c30);
      c31 = x3.fma(g1, c31);
      FloatVector x4 = FloatVector.broadcast(S, src[b + 4]);
      c40 = x4.fma(g0, c40);
      c41 = x4.fma(g1, c41);
      FloatVector x5 = FloatVector.broadcast(S, src[b + 5]);
      c50 = x5.fma(g0, c50);
      c51 = x5.fma(g1, c51);
      FloatVector x6 = FloatVector.broadcast(S, src[b + 6]);
      c60 = x6.fma(g0, c60);
      c61 = x6.fma(g1, c61);
      FloatVector x7 = FloatVector.broadcast(S, src[b + 7]);
      c70 = x7.fma(g0, c70);
      c71 = x7.fma(g1, c71);
    }
    c00.intoArray(acc, 0);
    c01.intoArray(acc, L);
    c10.intoArray(acc, 2 * L);
    c11.intoArray(acc, 3 * L);
    c20.intoArray(acc, 4 * L);
    c21.intoArray(acc, 5 * L);
    c30.intoArray(acc, 6 * L);
    c31.intoArray(acc, 7 * L);
    c40.intoArray(acc, 8 * L);
    c41.intoArray(acc, 9 * L);
    c50.intoArray(acc, 10 * L);
    c51.intoArray(acc, 11 * L);
    c60.intoArray(acc, 12 * L);
    c61.intoArray(acc, 13 * L);
    c70.intoArray(acc, 14 * L);
    c71.intoArray(acc, 15 * L);
    gradFlushWide(acc, 8, 2, beta, dK, k, outC, 0);
  }

  /** Whether the taps are runs of five consecutive offsets (a 5×5 window on one channel). */
  private static boolean runsOfFive(int[] taps, int nTaps) {
    for (int t = 0; t < nTaps; t += 5) {
      if (!contiguous(taps, t, 5)) {
        return false;
      }
    }
    return true;
  }

  /** Three runs of five consecutive taps from {@code r0}, {@code r1}, {@code r2} by 16 channels: fifteen accumulators ({@link #gradTileRun9}). */
  private static void gradTileRuns5x3(float[] src, int[] corners, int from, int to, int r0, int r1, int r2,
      float[] dOut, int d, int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S), c13 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q], a = c + r0, b = c + r1, e = c + r2;
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[a]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[a + 1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[a + 2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[a + 3]).fma(g, c3);
      c4 = FloatVector.broadcast(S, src[a + 4]).fma(g, c4);
      c5 = FloatVector.broadcast(S, src[b]).fma(g, c5);
      c6 = FloatVector.broadcast(S, src[b + 1]).fma(g, c6);
      c7 = FloatVector.broadcast(S, src[b + 2]).fma(g, c7);
      c8 = FloatVector.broadcast(S, src[b + 3]).fma(g, c8);
      c9 = FloatVector.broadcast(S, src[b + 4]).fma(g, c9);
      c10 = FloatVector.broadcast(S, src[e]).fma(g, c10);
      c11 = FloatVector.broadcast(S, src[e + 1]).fma(g, c11);
      c12 = FloatVector.broadcast(S, src[e + 2]).fma(g, c12);
      c13 = FloatVector.broadcast(S, src[e + 3]).fma(g, c13);
      c14 = FloatVector.broadcast(S, src[e + 4]).fma(g, c14);
    }
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
    gradFlushWide(acc, 15, 1, beta, dK, k, outC, skip);
  }

  /** Two runs of five consecutive taps from {@code r0}, {@code r1} by 16 channels: ten accumulators. */
  private static void gradTileRuns5x2(float[] src, int[] corners, int from, int to, int r0, int r1, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q], a = c + r0, b = c + r1;
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[a]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[a + 1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[a + 2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[a + 3]).fma(g, c3);
      c4 = FloatVector.broadcast(S, src[a + 4]).fma(g, c4);
      c5 = FloatVector.broadcast(S, src[b]).fma(g, c5);
      c6 = FloatVector.broadcast(S, src[b + 1]).fma(g, c6);
      c7 = FloatVector.broadcast(S, src[b + 2]).fma(g, c7);
      c8 = FloatVector.broadcast(S, src[b + 3]).fma(g, c8);
      c9 = FloatVector.broadcast(S, src[b + 4]).fma(g, c9);
    }
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
    gradFlushWide(acc, 10, 1, beta, dK, k, outC, skip);
  }

  /** Whether {@code taps[t..t+n)} are n consecutive offsets: one window row's run (3×3 on three channels: 9). */
  private static boolean contiguous(int[] taps, int t, int n) {
    for (int i = 1; i < n; i++) {
      if (taps[t + i] != taps[t] + i) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #gradTileWide9} for nine consecutive taps from {@code t0}: the nine loads of a pixel are
   * {@code src[b .. b+8]}, whose bounds C2 checks twice rather than nine times, with no tap offset held in a
   * register (with nine arbitrary taps the loop spent ~6 instructions on each load's index and check).
   */
  private static void gradTileRun9(float[] src, int[] corners, int from, int to, int t0, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int b = corners[q] + t0;
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[b]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[b + 1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[b + 2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[b + 3]).fma(g, c3);
      c4 = FloatVector.broadcast(S, src[b + 4]).fma(g, c4);
      c5 = FloatVector.broadcast(S, src[b + 5]).fma(g, c5);
      c6 = FloatVector.broadcast(S, src[b + 6]).fma(g, c6);
      c7 = FloatVector.broadcast(S, src[b + 7]).fma(g, c7);
      c8 = FloatVector.broadcast(S, src[b + 8]).fma(g, c8);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    c4.intoArray(acc, 4 * L);
    c5.intoArray(acc, 5 * L);
    c6.intoArray(acc, 6 * L);
    c7.intoArray(acc, 7 * L);
    c8.intoArray(acc, 8 * L);
    gradFlushWide(acc, 9, 1, beta, dK, k, outC, skip);
  }

  /** Taps t..t+8 by 16 channels: nine accumulators, one dOut vector and nine broadcasts per pixel. */
  private static void gradTileWide9(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    int t0 = taps[t], t1 = taps[t + 1], t2 = taps[t + 2], t3 = taps[t + 3], t4 = taps[t + 4], t5 = taps[t + 5], t6 = taps[t + 6], t7 = taps[t + 7], t8 = taps[t + 8];
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    FloatVector c8 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q];
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[c + t0]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[c + t1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[c + t2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[c + t3]).fma(g, c3);
      c4 = FloatVector.broadcast(S, src[c + t4]).fma(g, c4);
      c5 = FloatVector.broadcast(S, src[c + t5]).fma(g, c5);
      c6 = FloatVector.broadcast(S, src[c + t6]).fma(g, c6);
      c7 = FloatVector.broadcast(S, src[c + t7]).fma(g, c7);
      c8 = FloatVector.broadcast(S, src[c + t8]).fma(g, c8);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    c4.intoArray(acc, 4 * L);
    c5.intoArray(acc, 5 * L);
    c6.intoArray(acc, 6 * L);
    c7.intoArray(acc, 7 * L);
    c8.intoArray(acc, 8 * L);
    gradFlushWide(acc, 9, 1, beta, dK, k, outC, skip);
  }

  /** Taps t..t+7 by 16 channels: eight accumulators, one dOut vector and eight broadcasts per pixel. */
  private static void gradTileWide8(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    int t0 = taps[t], t1 = taps[t + 1], t2 = taps[t + 2], t3 = taps[t + 3], t4 = taps[t + 4], t5 = taps[t + 5], t6 = taps[t + 6], t7 = taps[t + 7];
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q];
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[c + t0]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[c + t1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[c + t2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[c + t3]).fma(g, c3);
      c4 = FloatVector.broadcast(S, src[c + t4]).fma(g, c4);
      c5 = FloatVector.broadcast(S, src[c + t5]).fma(g, c5);
      c6 = FloatVector.broadcast(S, src[c + t6]).fma(g, c6);
      c7 = FloatVector.broadcast(S, src[c + t7]).fma(g, c7);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    c4.intoArray(acc, 4 * L);
    c5.intoArray(acc, 5 * L);
    c6.intoArray(acc, 6 * L);
    c7.intoArray(acc, 7 * L);
    gradFlushWide(acc, 8, 1, beta, dK, k, outC, skip);
  }

  /** Taps t..t+3 by 16 channels: four accumulators, one dOut vector and four broadcasts per pixel. */
  private static void gradTileWide4(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    int t0 = taps[t], t1 = taps[t + 1], t2 = taps[t + 2], t3 = taps[t + 3];
    FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q];
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[c + t0]).fma(g, c0);
      c1 = FloatVector.broadcast(S, src[c + t1]).fma(g, c1);
      c2 = FloatVector.broadcast(S, src[c + t2]).fma(g, c2);
      c3 = FloatVector.broadcast(S, src[c + t3]).fma(g, c3);
    }
    c0.intoArray(acc, 0);
    c1.intoArray(acc, L);
    c2.intoArray(acc, 2 * L);
    c3.intoArray(acc, 3 * L);
    gradFlushWide(acc, 4, 1, beta, dK, k, outC, skip);
  }

  /** One tap by 16 channels: one accumulator, one dOut vector and one broadcast per pixel. */
  private static void gradTileWide1(float[] src, int[] corners, int from, int to, int[] taps, int t, float[] dOut, int d,
      int outC, float beta, float[] dK, int k, int skip, float[] acc) {
    int t0 = taps[t];
    FloatVector c0 = FloatVector.zero(S);
    for (int q = from; q < to; q++) {
      int c = corners[q];
      FloatVector g = FloatVector.fromArray(S, dOut, d + q * outC);
      c0 = FloatVector.broadcast(S, src[c + t0]).fma(g, c0);
    }
    c0.intoArray(acc, 0);
    gradFlushWide(acc, 1, 1, beta, dK, k, outC, skip);
  }

  /**
   * Writes a tile's accumulators to {@code dK}: the tile stored them in {@code acc}, L floats each, {@code rows} taps
   * by {@code cols} vectors of channels, and accumulator (i, j) goes to {@code dK[k + i·outC + j·L ..]}, as the sums or
   * {@code sums + beta·dK}, lanes {@code skip..L} only when skip > 0 (one column). The tiles store their accumulators
   * with plain {@code intoArray}s and leave the rest to this method, whose arguments are arrays: JDK 17's C2 stops
   * inlining in a compilation once it has parsed {@code NodeCountInliningCutoff} nodes ({@code -XX:+LogCompilation}),
   * and with a store helper taking each accumulator (fifteen calls in {@link #gradTileRuns5x3}) the last calls were
   * left out of line, their vectors boxed and stored as plain Java ({@code VectorSupport.store}: 8% of a flowers
   * training step in some JVM runs and not in others).
   */
  private static void gradFlushWide(float[] acc, int rows, int cols, float beta, float[] dK, int k, int outC, int skip) {
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int a = (i * cols + j) * L, at = k + i * outC + j * L;
        if (skip > 0) {
          for (int l = skip; l < L; l++) {
            dK[at + l] = beta == 0f ? acc[a + l] : acc[a + l] + beta * dK[at + l];
          }
        } else if (beta == 0f) {
          FloatVector.fromArray(S, acc, a).intoArray(dK, at);
        } else {
          FloatVector.fromArray(S, acc, a).add(FloatVector.fromArray(S, dK, at).mul(beta)).intoArray(dK, at);
        }
      }
    }
  }


  /**
   * L channels at a time; when the channels are not a multiple of L the last block shifts left to end at
   * the last channel (each lane is its own sums: the lanes done twice get the same values again), and
   * fewer than L channels take the scalar sums. The same in {@link #winogradMaxPool}.
   */
  @Override
  public void winogradInput(int r, float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v, int vOff,
      int vStride) {
    if (winogradSize(r) == 3) {
      winograd3Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride);
      return;
    }
    int s = 6 * channels, end = channels < L ? 0 : channels;
    for (int x = 0; x < 6; x++) { // tmp[a][x] = Σ_y Bᵀ[a][y]·d[y][x], L channels at a time
      for (int c0 = 0; c0 < end; c0 += L) {
        int c = Math.min(c0, channels - L); // the last block ends at the last channel
        bt(d, dOff + x * channels + c, rowStride, tmp, x * channels + c, s);
      }
    }
    for (int a = 0; a < 6; a++) { // V[a][b] = Σ_x tmp[a][x]·Bᵀ[b][x]
      for (int c0 = 0; c0 < end; c0 += L) {
        int c = Math.min(c0, channels - L); // the last block ends at the last channel
        bt(tmp, a * s + c, channels, v, vOff + 6 * a * vStride + c, vStride);
      }
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      winograd5Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride, 0, channels);
    }
  }

  /**
   * {@link #winogradInput} of F(2, 3): the scalar kernel's sums, L channels at a time, the tile's 16 vectors and
   * their column transforms held in registers (no temporary in memory: 16 loads and 16 stores a tile instead of
   * 32 of each). One straight-line block per channel group, every vector stored in the block that computed it
   * (see {@link #bt} on JDK 17).
   */
  private static void winograd3Input(float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v,
      int vOff, int vStride) {
    if (!REGISTER_TILES) {
      winograd3InputHalves(d, dOff, rowStride, channels, tmp, v, vOff, vStride);
      return;
    }
    int end = channels < L ? 0 : channels, r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride;
    for (int c0 = 0; c0 < end; c0 += L) {
      int c = Math.min(c0, channels - L); // the last block ends at the last channel
      // Columns x = 0..3: t[a][x] = (Bᵀ·d)[a][x], Bᵀ's rows (1, 0, −1, 0), (0, 1, 1, 0), (0, −1, 1, 0), (0, 1, 0, −1).
      int o = dOff + c;
      FloatVector y0 = FloatVector.fromArray(S, d, o), y1 = FloatVector.fromArray(S, d, o + r1);
      FloatVector y2 = FloatVector.fromArray(S, d, o + r2), y3 = FloatVector.fromArray(S, d, o + r3);
      FloatVector t00 = y0.sub(y2), t10 = y1.add(y2), t20 = y2.sub(y1), t30 = y1.sub(y3);
      o += channels;
      y0 = FloatVector.fromArray(S, d, o);
      y1 = FloatVector.fromArray(S, d, o + r1);
      y2 = FloatVector.fromArray(S, d, o + r2);
      y3 = FloatVector.fromArray(S, d, o + r3);
      FloatVector t01 = y0.sub(y2), t11 = y1.add(y2), t21 = y2.sub(y1), t31 = y1.sub(y3);
      o += channels;
      y0 = FloatVector.fromArray(S, d, o);
      y1 = FloatVector.fromArray(S, d, o + r1);
      y2 = FloatVector.fromArray(S, d, o + r2);
      y3 = FloatVector.fromArray(S, d, o + r3);
      FloatVector t02 = y0.sub(y2), t12 = y1.add(y2), t22 = y2.sub(y1), t32 = y1.sub(y3);
      o += channels;
      y0 = FloatVector.fromArray(S, d, o);
      y1 = FloatVector.fromArray(S, d, o + r1);
      y2 = FloatVector.fromArray(S, d, o + r2);
      y3 = FloatVector.fromArray(S, d, o + r3);
      FloatVector t03 = y0.sub(y2), t13 = y1.add(y2), t23 = y2.sub(y1), t33 = y1.sub(y3);
      // Rows: V[a][b] = (t[a]·B)[b], the same four combinations along x.
      int w = vOff + c;
      t00.sub(t02).intoArray(v, w);
      t01.add(t02).intoArray(v, w + vStride);
      t02.sub(t01).intoArray(v, w + 2 * vStride);
      t01.sub(t03).intoArray(v, w + 3 * vStride);
      w += 4 * vStride;
      t10.sub(t12).intoArray(v, w);
      t11.add(t12).intoArray(v, w + vStride);
      t12.sub(t11).intoArray(v, w + 2 * vStride);
      t11.sub(t13).intoArray(v, w + 3 * vStride);
      w += 4 * vStride;
      t20.sub(t22).intoArray(v, w);
      t21.add(t22).intoArray(v, w + vStride);
      t22.sub(t21).intoArray(v, w + 2 * vStride);
      t21.sub(t23).intoArray(v, w + 3 * vStride);
      w += 4 * vStride;
      t30.sub(t32).intoArray(v, w);
      t31.add(t32).intoArray(v, w + vStride);
      t32.sub(t31).intoArray(v, w + 2 * vStride);
      t31.sub(t33).intoArray(v, w + 3 * vStride);
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      winograd3Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride, 0, channels);
    }
  }

  /** Whether {@link #winograd3Input} holds its tile in registers: from JDK 25 on (see {@link #winograd3InputHalves}). */
  private static final boolean REGISTER_TILES = Runtime.version().feature() >= 25;

  /**
   * {@link #winograd3Input} before JDK 25: the same sums in two halves, V's rows 0–7 ({@link #inputRows01}) and
   * 8–15 ({@link #inputRows23}), each from 12 of the tile's 16 vectors (24 loads and 16 stores a tile).
   * JDK 17's C2 stops inlining once a compilation has parsed {@code NodeCountInliningCutoff} nodes
   * ({@code -XX:+PrintInlining}), and each Vector API operation parses into many: with the whole tile in one method
   * its last stores ran as plain Java ({@code VectorSupport.store}, flowers' second convolution 30 ms against 22).
   * Each half stays under the cutoff and takes arrays, not vectors, so a half the caller does not inline is a
   * plain call. {@code Alternate forwardpool:flowers2,128} JDK 17: 0.80–0.90 of the time of transforming column by
   * column through {@code tmp} (32 loads and 32 stores a tile), flowers3 0.94–0.95; JDK 25 keeps the register tile
   * (the halves there: 1.02).
   */
  private static void winograd3InputHalves(float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v,
      int vOff, int vStride) {
    int end = channels < L ? 0 : channels;
    for (int c0 = 0; c0 < end; c0 += L) {
      int c = Math.min(c0, channels - L); // the last block ends at the last channel
      inputRows01(d, dOff + c, rowStride, channels, v, vOff + c, vStride);
      inputRows23(d, dOff + c, rowStride, channels, v, vOff + c + 8 * vStride, vStride);
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      winograd3Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride, 0, channels);
    }
  }

  /**
   * V's first two rows for L channels at {@code o}: {@code t[0][x] = d[0][x] − d[2][x]} and {@code t[1][x] = d[1][x] +
   * d[2][x]} for the four columns x, then each row's transform along x (as {@link #winograd3Input}).
   */
  private static void inputRows01(float[] d, int o, int rowStride, int channels, float[] v, int w, int vStride) {
    int r1 = rowStride, r2 = 2 * rowStride;
    FloatVector y0 = FloatVector.fromArray(S, d, o), y1 = FloatVector.fromArray(S, d, o + r1);
    FloatVector y2 = FloatVector.fromArray(S, d, o + r2);
    FloatVector t00 = y0.sub(y2), t10 = y1.add(y2);
    o += channels;
    y0 = FloatVector.fromArray(S, d, o);
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    FloatVector t01 = y0.sub(y2), t11 = y1.add(y2);
    o += channels;
    y0 = FloatVector.fromArray(S, d, o);
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    FloatVector t02 = y0.sub(y2), t12 = y1.add(y2);
    o += channels;
    y0 = FloatVector.fromArray(S, d, o);
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    FloatVector t03 = y0.sub(y2), t13 = y1.add(y2);
    // Each row's transform along x, (t0 − t2, t1 + t2, t2 − t1, t1 − t3), all eight before the first store (see bt).
    FloatVector p0 = t00.sub(t02), p1 = t01.add(t02), p2 = t02.sub(t01), p3 = t01.sub(t03);
    FloatVector q0 = t10.sub(t12), q1 = t11.add(t12), q2 = t12.sub(t11), q3 = t11.sub(t13);
    p0.intoArray(v, w);
    p1.intoArray(v, w + vStride);
    p2.intoArray(v, w + 2 * vStride);
    p3.intoArray(v, w + 3 * vStride);
    w += 4 * vStride;
    q0.intoArray(v, w);
    q1.intoArray(v, w + vStride);
    q2.intoArray(v, w + 2 * vStride);
    q3.intoArray(v, w + 3 * vStride);
  }

  /** V's last two rows: {@code t[2][x] = d[2][x] − d[1][x]}, {@code t[3][x] = d[1][x] − d[3][x]} (see {@link #inputRows01}). */
  private static void inputRows23(float[] d, int o, int rowStride, int channels, float[] v, int w, int vStride) {
    int r1 = rowStride, r2 = 2 * rowStride, r3 = 3 * rowStride;
    FloatVector y1 = FloatVector.fromArray(S, d, o + r1), y2 = FloatVector.fromArray(S, d, o + r2);
    FloatVector y3 = FloatVector.fromArray(S, d, o + r3);
    FloatVector t20 = y2.sub(y1), t30 = y1.sub(y3);
    o += channels;
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    y3 = FloatVector.fromArray(S, d, o + r3);
    FloatVector t21 = y2.sub(y1), t31 = y1.sub(y3);
    o += channels;
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    y3 = FloatVector.fromArray(S, d, o + r3);
    FloatVector t22 = y2.sub(y1), t32 = y1.sub(y3);
    o += channels;
    y1 = FloatVector.fromArray(S, d, o + r1);
    y2 = FloatVector.fromArray(S, d, o + r2);
    y3 = FloatVector.fromArray(S, d, o + r3);
    FloatVector t23 = y2.sub(y1), t33 = y1.sub(y3);
    // Each row's transform along x, (t0 − t2, t1 + t2, t2 − t1, t1 − t3), all eight before the first store (see bt).
    FloatVector p0 = t20.sub(t22), p1 = t21.add(t22), p2 = t22.sub(t21), p3 = t21.sub(t23);
    FloatVector q0 = t30.sub(t32), q1 = t31.add(t32), q2 = t32.sub(t31), q3 = t31.sub(t33);
    p0.intoArray(v, w);
    p1.intoArray(v, w + vStride);
    p2.intoArray(v, w + 2 * vStride);
    p3.intoArray(v, w + 3 * vStride);
    w += 4 * vStride;
    q0.intoArray(v, w);
    q1.intoArray(v, w + vStride);
    q2.intoArray(v, w + 2 * vStride);
    q3.intoArray(v, w + 3 * vStride);
  }

  /**
   * One column of {@code Bᵀ·x} for L channels: the six vectors {@code src[off + i·step]} to
   * {@code dst[dOff + a·dStep]}, with the scalar kernel's sums. All six are computed before the first
   * store, and the four constants are broadcast once (not one broadcast per {@code mul(2)}): otherwise
   * JDK 17's C2 loses the exact vector class of the last result and runs its store as plain Java
   * ({@code -XX:+PrintInlining}: {@code VectorSupport::store} "failed to inline (intrinsic)"; MNIST
   * inference at half its speed with each vector stored as soon as computed, the second convolution
   * 10–20% slower with only the last store failing).
   */
  private static void bt(float[] src, int off, int step, float[] dst, int dOff, int dStep) {
    FloatVector d0 = FloatVector.fromArray(S, src, off), d1 = FloatVector.fromArray(S, src, off + step);
    FloatVector d2 = FloatVector.fromArray(S, src, off + 2 * step), d3 = FloatVector.fromArray(S, src, off + 3 * step);
    FloatVector d4 = FloatVector.fromArray(S, src, off + 4 * step), d5 = FloatVector.fromArray(S, src, off + 5 * step);
    FloatVector two = FloatVector.broadcast(S, 2f), three = FloatVector.broadcast(S, 3f);
    FloatVector four = FloatVector.broadcast(S, 4f), five = FloatVector.broadcast(S, 5f);
    FloatVector d1x2 = d1.mul(two), d4x2 = d4.mul(two);
    FloatVector r0 = d0.mul(two).add(d1.mul(three)).sub(d2.mul(four)).sub(d3.mul(three)).add(d4x2);
    FloatVector r1 = d1x2.add(d2.mul(five)).add(d3).sub(d4x2);
    FloatVector r2 = d1x2.add(d2).sub(d3.mul(five)).add(d4x2);
    FloatVector r3 = d3.sub(d1).sub(d2.mul(two)).add(d4x2);
    FloatVector r4 = d2.sub(d1x2).add(d3.mul(two)).sub(d4);
    FloatVector r5 = d1x2.add(d2.mul(three)).sub(d3.mul(four)).sub(d4.mul(three)).add(d5.mul(two));
    r0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStep);
    r2.intoArray(dst, dOff + 2 * dStep);
    r3.intoArray(dst, dOff + 3 * dStep);
    r4.intoArray(dst, dOff + 4 * dStep);
    r5.intoArray(dst, dOff + 5 * dStep);
  }

  @Override
  public void winogradMaxPool(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff) {
    if (winogradSize(r) == 3) {
      winograd3MaxPool(m, mOff, mStride, channels, bias, relu, tmp, out, outOff);
      return;
    }
    int s = 6 * channels, end = channels < L ? 0 : channels;
    atM5Lanes(m, mOff, mStride, channels, end, tmp); // the scalar kernel's sums, L channels at a time
    for (int c0 = 0; c0 < end; c0 += L) {
      int c = Math.min(c0, channels - L); // the last block ends at the last channel
      FloatVector p0 = aRows(tmp, c, channels), p1 = aRows(tmp, s + c, channels);
      p0.max(p1).intoArray(out, outOff + c); // all L lanes, the shifted last block's too, before biasRelu reads them
      biasRelu(bias, c, relu, out, outOff + c);
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      winograd5MaxPool(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, 0, channels);
    }
  }

  /**
   * {@link ScalarKernels#atM3}'s sums for channels {@code [0, end)}, L at a time (the last block shifted as in
   * {@link #winogradInput}; {@code end} 0 or {@code channels}). Both rows' vectors computed before the first store, as
   * in {@link #bt}.
   */
  private static void atM3Lanes(float[] m, int mOff, int mStride, int channels, int end, float[] tmp) {
    int a = 4 * mStride, s = 4 * channels;
    for (int b = 0; b < 4; b++) {
      int col = mOff + b * mStride;
      for (int c0 = 0; c0 < end; c0 += L) {
        int c = Math.min(c0, channels - L);
        FloatVector m0 = FloatVector.fromArray(S, m, col + c), m1 = FloatVector.fromArray(S, m, col + a + c);
        FloatVector m2 = FloatVector.fromArray(S, m, col + 2 * a + c), m3 = FloatVector.fromArray(S, m, col + 3 * a + c);
        FloatVector t0 = m0.add(m1).add(m2), t1 = m1.sub(m2).sub(m3);
        t0.intoArray(tmp, b * channels + c);
        t1.intoArray(tmp, s + b * channels + c);
      }
    }
  }

  /** {@link ScalarKernels#atM5}'s sums, as {@link #atM3Lanes}. */
  private static void atM5Lanes(float[] m, int mOff, int mStride, int channels, int end, float[] tmp) {
    int a = 6 * mStride, s = 6 * channels;
    for (int b = 0; b < 6; b++) {
      int col = mOff + b * mStride;
      for (int c0 = 0; c0 < end; c0 += L) {
        int c = Math.min(c0, channels - L);
        FloatVector m0 = FloatVector.fromArray(S, m, col + c), m1 = FloatVector.fromArray(S, m, col + a + c);
        FloatVector m2 = FloatVector.fromArray(S, m, col + 2 * a + c), m3 = FloatVector.fromArray(S, m, col + 3 * a + c);
        FloatVector m4 = FloatVector.fromArray(S, m, col + 4 * a + c), m5 = FloatVector.fromArray(S, m, col + 5 * a + c);
        FloatVector t0 = m0.add(m1).add(m2).add(m3).add(m4), t1 = m1.sub(m2).add(m3.mul(2)).sub(m4.mul(0.5f)).add(m5);
        t0.intoArray(tmp, b * channels + c);
        t1.intoArray(tmp, s + b * channels + c);
      }
    }
  }

  /** The scalar kernel's sums, L channels at a time (the last block shifted as in {@link #winogradInput}). */
  @Override
  public void winogradOutput(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int rowStride, int rows, int cols) {
    winogradClip("winogradOutput", rows, cols);
    int alpha = winogradSize(r) + 1, s = alpha * channels, end = channels < L ? 0 : channels;
    if (r == 3) {
      atM3Lanes(m, mOff, mStride, channels, end, tmp);
    } else {
      atM5Lanes(m, mOff, mStride, channels, end, tmp);
    }
    for (int i = 0; i < rows; i++) { // Y[i][j] = Σ_b tmp[i][b]·Aᵀ[j][b], then bias, ReLU
      for (int c0 = 0; c0 < end; c0 += L) {
        int c = Math.min(c0, channels - L), t = i * s + c, o = outOff + i * rowStride + c;
        // One branch per window size, each storing its own vectors (none merged from both: see biasReluStore).
        FloatVector t0 = FloatVector.fromArray(S, tmp, t), t1 = FloatVector.fromArray(S, tmp, t + channels);
        FloatVector t2 = FloatVector.fromArray(S, tmp, t + 2 * channels), t3 = FloatVector.fromArray(S, tmp, t + 3 * channels);
        if (r == 3) {
          FloatVector y0 = t0.add(t1).add(t2), y1 = t1.sub(t2).sub(t3);
          biasReluStore(y0, bias, c, relu, out, o);
          if (cols == 2) {
            biasReluStore(y1, bias, c, relu, out, o + channels);
          }
        } else {
          FloatVector t4 = FloatVector.fromArray(S, tmp, t + 4 * channels), t5 = FloatVector.fromArray(S, tmp, t + 5 * channels);
          FloatVector y0 = t0.add(t1).add(t2).add(t3).add(t4), y1 = t1.sub(t2).add(t3.mul(2)).sub(t4.mul(0.5f)).add(t5);
          biasReluStore(y0, bias, c, relu, out, o);
          if (cols == 2) {
            biasReluStore(y1, bias, c, relu, out, o + channels);
          }
        }
      }
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      if (r == 3) {
        winograd3Output(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, rowStride, rows, cols, 0, channels);
      } else {
        winograd5Output(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, rowStride, rows, cols, 0, channels);
      }
    }
  }

  /**
   * The scalar kernel's sums, L channels at a time (the last block shifted as in {@link #winogradInput}): the
   * columns' α rows of {@code A·dY} to {@code tmp}, then each row's α entries from there, ≤ 6 stores a helper,
   * computed before the first (as {@link #bt}: in one method the 36 stores of F(2, 5) ran past JDK 17's C2 inlining
   * budget, some of them as plain Java). Whole tiles only: a clipped one (an odd output's edge) takes the scalar sums.
   */
  @Override
  public void winogradOutputBackward(int r, float[] dy, int dyOff, int rowStride, int pixelStride, int channels,
      int rows, int cols, float[] tmp, float[] dm, int dmOff, int dmStride) {
    winogradClip("winogradOutputBackward", rows, cols);
    int alpha = winogradSize(r) + 1, end = channels < L || rows < 2 || cols < 2 ? 0 : channels, row = alpha * dmStride;
    for (int c0 = 0; c0 < end; c0 += L) {
      int c = Math.min(c0, channels - L), o = dyOff + c, d = dmOff + c; // the last block ends at the last channel
      for (int j = 0; j < 2; j++) { // tmp[a][j] = Aᵀ[0][a]·dY[0][j] + Aᵀ[1][a]·dY[1][j], L floats each
        if (r == 3) {
          aColumns3(dy, o + j * pixelStride, rowStride, tmp, j * L, 2 * L);
        } else {
          aColumns5(dy, o + j * pixelStride, rowStride, tmp, j * L, 2 * L);
        }
      }
      for (int a = 0; a < alpha; a++) { // dM[a][b] = Aᵀ[0][b]·tmp[a][0] + Aᵀ[1][b]·tmp[a][1]
        if (r == 3) {
          aColumns3(tmp, 2 * a * L, L, dm, d + a * row, dmStride);
        } else {
          aColumns5(tmp, 2 * a * L, L, dm, d + a * row, dmStride);
        }
      }
    }
    if (end == 0) { // fewer channels than lanes, or a clipped tile: the scalar sums
      super.winogradOutputBackward(r, dy, dyOff, rowStride, pixelStride, channels, rows, cols, tmp, dm, dmOff, dmStride);
    }
  }

  /** F(2, 3)'s {@code x0}, {@code x0 + x1}, {@code x0 − x1}, {@code −x1} for {@code x_i = src[off + i·step]}, to {@code dst[dOff + b·dStep]}. */
  private static void aColumns3(float[] src, int off, int step, float[] dst, int dOff, int dStep) {
    FloatVector x0 = FloatVector.fromArray(S, src, off), x1 = FloatVector.fromArray(S, src, off + step);
    FloatVector r1 = x0.add(x1), r2 = x0.sub(x1), r3 = x1.neg();
    x0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStep);
    r2.intoArray(dst, dOff + 2 * dStep);
    r3.intoArray(dst, dOff + 3 * dStep);
  }

  /** F(2, 5)'s {@code x0}, {@code x0 ± x1}, {@code x0 + 2·x1}, {@code x0 − ½·x1}, {@code x1}, as {@link #aColumns3}. */
  private static void aColumns5(float[] src, int off, int step, float[] dst, int dOff, int dStep) {
    FloatVector x0 = FloatVector.fromArray(S, src, off), x1 = FloatVector.fromArray(S, src, off + step);
    FloatVector two = FloatVector.broadcast(S, 2f), half = FloatVector.broadcast(S, 0.5f);
    FloatVector r1 = x0.add(x1), r2 = x0.sub(x1), r3 = x0.add(x1.mul(two)), r4 = x0.sub(x1.mul(half));
    x0.intoArray(dst, dOff);
    r1.intoArray(dst, dOff + dStep);
    r2.intoArray(dst, dOff + 2 * dStep);
    r3.intoArray(dst, dOff + 3 * dStep);
    r4.intoArray(dst, dOff + 4 * dStep);
    x1.intoArray(dst, dOff + 5 * dStep);
  }

  /**
   * {@link #winogradMaxPool} of F(2, 3): the scalar kernel's sums, L channels at a time, in registers as
   * {@link #winograd3Input}: 16 loads and one store a tile.
   */
  private static void winograd3MaxPool(float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff) {
    int end = channels < L ? 0 : channels, a1 = 4 * mStride, a2 = 8 * mStride, a3 = 12 * mStride;
    for (int c0 = 0; c0 < end; c0 += L) {
      int c = Math.min(c0, channels - L); // the last block ends at the last channel
      // Columns b = 0..3: Aᵀ·M's two rows, (1, 1, 1, 0) and (0, 1, −1, −1).
      int o = mOff + c;
      FloatVector m0 = FloatVector.fromArray(S, m, o), m1 = FloatVector.fromArray(S, m, o + a1);
      FloatVector m2 = FloatVector.fromArray(S, m, o + a2), m3 = FloatVector.fromArray(S, m, o + a3);
      FloatVector p0 = m0.add(m1).add(m2), q0 = m1.sub(m2).sub(m3);
      o += mStride;
      m0 = FloatVector.fromArray(S, m, o);
      m1 = FloatVector.fromArray(S, m, o + a1);
      m2 = FloatVector.fromArray(S, m, o + a2);
      m3 = FloatVector.fromArray(S, m, o + a3);
      FloatVector p1 = m0.add(m1).add(m2), q1 = m1.sub(m2).sub(m3);
      o += mStride;
      m0 = FloatVector.fromArray(S, m, o);
      m1 = FloatVector.fromArray(S, m, o + a1);
      m2 = FloatVector.fromArray(S, m, o + a2);
      m3 = FloatVector.fromArray(S, m, o + a3);
      FloatVector p2 = m0.add(m1).add(m2), q2 = m1.sub(m2).sub(m3);
      o += mStride;
      m0 = FloatVector.fromArray(S, m, o);
      m1 = FloatVector.fromArray(S, m, o + a1);
      m2 = FloatVector.fromArray(S, m, o + a2);
      m3 = FloatVector.fromArray(S, m, o + a3);
      FloatVector p3 = m0.add(m1).add(m2), q3 = m1.sub(m2).sub(m3);
      // The 2×2 outputs, each row times A, then their maximum: max(max(y00, y01), max(y10, y11)).
      FloatVector top = p0.add(p1).add(p2).max(p1.sub(p2).sub(p3));
      FloatVector bottom = q0.add(q1).add(q2).max(q1.sub(q2).sub(q3));
      biasReluStore(top.max(bottom), bias, c, relu, out, outOff + c);
    }
    if (channels < L) { // fewer channels than lanes: the scalar sums
      winograd3MaxPool(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, 0, channels);
    }
  }

  /**
   * {@code out[o..o+L) = relu?(out + bias[c..])} in place: {@link #biasReluStore} of a vector already stored, with
   * arrays for arguments. {@link #winogradMaxPool}'s F(2, 5) pooling follows {@link #atM5Lanes} and two {@link #aRows}
   * in one compilation, where C2 (JDK 17 and 25, benchmarks' {@code InliningReport}) reached
   * {@code NodeCountInliningCutoff} and called {@code biasReluStore} out of line, a boxed vector per pooled pixel.
   */
  private static void biasRelu(float[] bias, int c, boolean relu, float[] out, int o) {
    if (bias != null || relu) {
      biasReluStore(FloatVector.fromArray(S, out, o), bias, c, relu, out, o);
    }
  }

  /**
   * {@code out[o..] = relu?(p + bias[c..])}, the scalar kernel's order. Four branches, each storing a
   * vector computed in it: a store of a vector merged from branches ({@code if (bias != null) p =
   * p.add(..)}, {@code relu ? p.max(0) : p}) is one JDK 17's C2 could not intrinsify ({@code
   * VectorSupport::store} "failed to inline (intrinsic)": the store ran as plain Java).
   */
  private static void biasReluStore(FloatVector p, float[] bias, int c, boolean relu, float[] out, int o) {
    if (bias == null) {
      if (relu) {
        p.max(0f).intoArray(out, o);
      } else {
        p.intoArray(out, o);
      }
    } else {
      FloatVector q = p.add(FloatVector.fromArray(S, bias, c));
      if (relu) {
        q.max(0f).intoArray(out, o);
      } else {
        q.intoArray(out, o);
      }
    }
  }

  /** {@code max(y0, y1)} of one row {@code t} of {@code Aᵀ·M} (6 vectors {@code step} apart) against {@code Aᵀ}'s two rows. */
  private static FloatVector aRows(float[] tmp, int r, int step) {
    FloatVector t0 = FloatVector.fromArray(S, tmp, r), t1 = FloatVector.fromArray(S, tmp, r + step);
    FloatVector t2 = FloatVector.fromArray(S, tmp, r + 2 * step), t3 = FloatVector.fromArray(S, tmp, r + 3 * step);
    FloatVector t4 = FloatVector.fromArray(S, tmp, r + 4 * step), t5 = FloatVector.fromArray(S, tmp, r + 5 * step);
    FloatVector y0 = t0.add(t1).add(t2).add(t3).add(t4), y1 = t1.sub(t2).add(t3.mul(2)).sub(t4.mul(0.5f)).add(t5);
    return y0.max(y1);
  }
}
