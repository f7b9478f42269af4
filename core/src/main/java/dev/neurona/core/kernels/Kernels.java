package dev.neurona.core.kernels;

import dev.neurona.core.conv.ConvGeometry;

/**
 * The hot element-wise and reduction kernels, on plain arrays with explicit offsets and lengths.
 *
 * <p>Two implementations: {@link ScalarKernels} (plain loops — the reference and the test oracle)
 * and a Vector API one, loaded by {@link KernelProvider} only when {@code jdk.incubator.vector} is
 * present. Call sites use {@link KernelProvider#kernels()}, a {@code static final} constant, so
 * the JIT sees one implementation and inlines it.
 *
 * <p>Output arrays may alias inputs exactly (same array, same offset) unless a method says
 * otherwise. Kernels do not check bounds beyond what the JVM does; callers ({@code Tensor}-level
 * ops and layers) validate shapes and say what is wrong.
 */
public interface Kernels {
  /** A short description, e.g. {@code "scalar"} or {@code "vector (512-bit, 16 floats)"}. */
  String name();

  /** {@code out[i] = a[i] + b[i]}. */
  void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

  /** {@code out[i] = a[i] * b[i]}. */
  void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

  /** {@code out[i] = alpha * x[i]}. */
  void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n);

  /** {@code y[i] += alpha * x[i]}. */
  void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

  /** {@code Σ a[i]·b[i]}. */
  float dot(float[] a, int aOff, float[] b, int bOff, int n);

  /** {@code Σ x[i]}. */
  float sum(float[] x, int off, int n);

  /** {@code max x[i]}; {@code n >= 1}. NaN handling is unspecified. */
  float max(float[] x, int off, int n);

  /**
   * {@code max |x[i]|} over {@code n >= 0} elements (0 when {@code n == 0}), NaN when any element is
   * NaN: one read-only sweep that tells whether an array is finite and how large it gets (the
   * optimizers' check of every gradient before a step).
   */
  float maxAbs(float[] x, int off, int n);

  /**
   * One Adam step on elements {@code [off, off + n)} of a parameter, each operation rounded as
   * written (so every implementation gives the same bits):
   * {@code w -= decay·w; m += b1c·(g − m); v += b2c·(g·g − v);} with {@code vHat} (AMSGrad, may be
   * null) {@code vHat = max(vHat, v)} and the step then uses it for {@code v};
   * {@code w -= alpha·m / (√v + eps)}. Here {@code b1c = 1 − β1}, {@code b2c = 1 − β2} and
   * {@code alpha} is the bias-corrected rate. Returns true when every value it wrote is finite.
   */
  boolean adam(float[] w, float[] g, float[] m, float[] v, float[] vHat, int off, int n, float alpha, float decay,
      float b1c, float b2c, float eps);

  /** {@code out[i] = max(x[i], 0)}. */
  void relu(float[] x, int xOff, float[] out, int outOff, int n);

  /**
   * ReLU backward: {@code dIn[i] = y[i] > 0 ? dOut[i] : 0}, where {@code y} is the forward output
   * (or input: both are positive at the same places).
   */
  void reluBackward(float[] y, int yOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int n);

  /**
   * Numerically stable softmax of each row of a row-major {@code rows × cols} matrix:
   * {@code out[r,c] = exp(x[r,c] - max_r) / Σ_c exp(x[r,c] - max_r)}.
   */
  void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols);

  /** Bias add on a row-major {@code rows × cols} matrix: {@code x[r,c] += bias[c]}. */
  void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff);

  /** Bias gradient, accumulated: {@code dBias[c] += Σ_r dOut[r,c]} (rows summed in order). */
  void biasGrad(float[] dOut, int dOutOff, int rows, int cols, float[] dBias, int dBiasOff);

  /**
   * Max pooling forward on one NHWC image with geometry {@code g} ({@code g.outC == g.inC}).
   * Padded positions never win. {@code argmax[o]} receives the winning input element's offset
   * within the image (relative to {@code inOff}); ties go to the first window element in
   * row-major order. With {@code argmax} null (inference) only the maxima are written: the same
   * values, without the bookkeeping backward needs.
   */
  void maxPoolForward(ConvGeometry g, float[] in, int inOff, float[] out, int outOff, int[] argmax, int argOff);

  /**
   * Max pooling backward on one image: {@code dIn[dInOff + argmax[argOff + o]] += dOut[dOutOff + o]}
   * for {@code o < n}. {@code dIn} must be zeroed (or hold gradient to accumulate into) beforehand.
   */
  void maxPoolBackward(float[] dOut, int dOutOff, int[] argmax, int argOff, int n, float[] dIn, int dInOff);

  /**
   * Max pooling backward fused with the activation before the pooling, on one image whose windows
   * tile the input ({@code g.strideH == g.kH}, {@code g.strideW == g.kW}: no overlap, so each input
   * element has at most one window). Every input element is written once, in order:
   * {@code dIn[i] = dOut[o] + 0f} when {@code i} is window {@code o}'s winner ({@code argmax[o] == i},
   * offsets within the image) and, with {@code relu}, the window's maximum {@code y[o] > 0}; {@code 0}
   * everywhere else, inputs outside every window included. The window's maximum is the pooling's input
   * at its winner, so these are the bits of zeroing {@code dIn}, {@link #maxPoolBackward} and then
   * {@link #reluBackward} on the pooling's input, in one pass instead of three. {@code dOut}, {@code y}
   * and {@code argmax} share the offset {@code outOff}.
   */
  void maxPoolBackwardTiled(ConvGeometry g, float[] dOut, float[] y, int[] argmax, int outOff, boolean relu, float[] dIn,
      int dInOff);

  /**
   * Direct convolution of {@code count} output pixels of one output row, for small windows (a first
   * layer's few input channels), where im2col would copy runs of a few floats and the GEMM would
   * sum only a few dozen products per C tile:
   * {@code out[outOff + x·outC + o] = Σ_t src[srcOff + x·step + taps[t]]·w[t·wStride + o] (+ bias[o])}
   * for {@code x < count}, {@code o < outC}, {@code t < nTaps}. Tap {@code t} is the kernel element
   * {@code (ky, kx, c)} in row-major order, {@code taps[t]} its source offset. The sum runs over
   * {@code t} ascending from zero with the per-step rounding of {@code Gemm}'s micro-kernel on the
   * same path (fused for the Vector API, unfused for the scalar one), then the bias is added: the
   * bits of im2col followed by the blocked GEMM. {@code w} holds {@code nTaps} rows of
   * {@code wStride ≥ outC} floats, a multiple of 16, zero beyond {@code outC}; {@code bias}, when not
   * null, holds {@code wStride} floats.
   */
  void convRow(float[] src, int srcOff, int step, int[] taps, int nTaps, float[] w, int wStride, float[] bias,
      int count, float[] out, int outOff, int outC);

  /**
   * The kernel gradient of a direct convolution over the output pixels {@code q} in
   * {@code [from, to)}, one k-block of the GEMM {@code colsᵀ·dOut} it replaces:
   * {@code s = Σ_q src[corners[q] + taps[t]]·dOut[dOff + q·outC + o]} for {@code t < nTaps},
   * {@code o < outC}, with {@code q} ascending from zero and the per-step rounding of {@code Gemm}'s
   * micro-kernel on the same path (fused for the Vector API, unfused for the scalar one); then
   * {@code dK[dkOff + t·outC + o] = s} when {@code beta == 0}, else {@code s + beta·dK[…]}: the
   * GEMM's update of C with alpha = 1. {@code corners[q]} is the offset of pixel q's window in
   * {@code src}, {@code taps[t]} that of kernel element {@code (ky, kx, c)} from the corner.
   * Measured (MNIST's first layers, batch 128, 2 threads, against im2col and GEMM): 3×3 on one
   * channel 12 → 30 GFLOP/s on JDK 17 and 14 → 39 on JDK 25; 5×5 SAME 25 → 55 and 24 → 53.
   */
  void convKernelGrad(float[] src, int[] corners, int from, int to, int[] taps, int nTaps, float[] dOut, int dOff,
      int outC, float beta, float[] dK, int dkOff);

  /**
   * Whether {@link #convKernelGrad} has a tile for windows larger than a first layer's that beats im2col and
   * the GEMM: windows whose rows are runs of {@code run} contiguous floats ({@code kW·inC}) onto {@code outC}
   * channels. False (the default) where it has none; the same bits either way.
   */
  default boolean convKernelGradRuns(int run, int outC) {
    return false;
  }

  /**
   * The input transform of one tile of a Winograd F(2×2, r×r) convolution
   * ({@link dev.neurona.core.conv.Winograd}), {@code r} = 3 or 5, every channel: {@code V = Bᵀ·d·B} for
   * the {@code α×α} window ({@code α = r + 1})
   * {@code d[y][x] = d[dOff + y·rowStride + x·channels + c]}, written as
   * {@code v[vOff + (α·a + b)·vStride + c] = V[a][b]}, {@code c < channels}. Columns first into
   * {@code tmp} (at least {@code α²·channels} floats), then rows, each output a left-to-right sum of
   * rounded products by the small integers of {@code Bᵀ} (no fused multiply-add): every
   * implementation gives the same bits.
   */
  // d: α rows rowStride apart, α pixels channels apart; v: α² rows of channels, vStride apart.
  void winogradInput(int r, float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v, int vOff,
      int vStride);

  /**
   * The output transform of one tile of a Winograd F(2×2, r×r) convolution followed by 2×2 max
   * pooling, every channel: {@code Y = Aᵀ·M·A} (the tile's 2×2 convolution outputs) for
   * {@code M[a][b] = m[mOff + (α·a + b)·mStride + c]}, then
   * {@code out[outOff + c] = max(Y) + bias[c]} ({@code bias} may be null), then {@code max(·, 0)}
   * with {@code relu}. Columns first into {@code tmp} (at least {@code 2α·channels} floats), then rows,
   * left-to-right sums, no fused multiply-add: every implementation gives the same bits.
   */
  // m: α² rows of ≥ channels floats, mStride apart; out: channels floats.
  void winogradMaxPool(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff);

  /**
   * The output transform of one tile of a Winograd F(2×2, r×r) convolution, every channel: {@code Y = Aᵀ·M·A}
   * for {@code M} as in {@link #winogradMaxPool}, then
   * {@code out[outOff + i·rowStride + j·channels + c] = Y[i][j] + bias[c]} ({@code bias} may be null), then
   * {@code max(·, 0)} with {@code relu}, for {@code i < rows}, {@code j < cols} (1 or 2: the last tile of an
   * odd-sized output keeps its first row or column). The sums of {@link #winogradMaxPool}, in the same
   * order, no fused multiply-add: every implementation gives the same bits.
   */
  // m: α² rows of ≥ channels floats, mStride apart; out: rows × cols pixels of channels, rows rowStride apart.
  void winogradOutput(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int rowStride, int rows, int cols);

  /**
   * The transpose of {@link #winogradOutput}'s transform, for the gradient: from a tile's 2×2 output
   * gradients {@code dY[i][j] = dy[dyOff + i·rowStride + j·pixelStride + c]} ({@code i < rows}, {@code j < cols};
   * zero beyond), {@code dM = A·dY·Aᵀ} (α×α), written as {@code dm[dmOff + (α·a + b)·dmStride + c]}, every
   * {@code c < channels}. Each entry is {@code Σ_j (Σ_i Aᵀ[i][a]·dY[i][j])·Aᵀ[j][b]}: {@code x0}, {@code x0 + x1},
   * {@code x0 − x1}, {@code x0 + 2·x1}, {@code x0 − ½·x1}, {@code x1} for F(2, 5)'s six columns of {@code Aᵀ} and
   * {@code x0}, {@code x0 + x1}, {@code x0 − x1}, {@code −x1} for F(2, 3)'s four, rows first; no fused
   * multiply-add: every implementation gives the same bits. {@code tmp} holds at least {@code 2α·channels} floats.
   */
  // dy: rows × cols pixels, rows rowStride apart, pixels pixelStride apart; dm: α² rows of channels, dmStride apart.
  void winogradOutputBackward(int r, float[] dy, int dyOff, int rowStride, int pixelStride, int channels, int rows,
      int cols, float[] tmp, float[] dm, int dmOff, int dmStride);

  /**
   * {@link #convRow} for a stride-1 window of {@code kH × kW} on an image of {@code inC} interleaved
   * channels (NHWC, rows {@code rowStride} floats apart): tap {@code (ky, kx, c)} of output pixel
   * {@code x} reads {@code src[srcOff + ky·rowStride + (kx + x)·inC + c]}, the taps of {@code convRow}
   * with {@code step = inC}, summed in the same order with the same rounding: the same bits. This
   * default builds those taps and calls convRow; a kernel with a tile for the window
   * ({@link #windowTile}) runs it instead.
   */
  default void convRowWindow(float[] src, int srcOff, int rowStride, int kH, int kW, int inC, float[] w, int wStride,
      float[] bias, int count, float[] out, int outOff, int outC) {
    int[] taps = new int[kH * kW * inC];
    for (int ky = 0, t = 0; ky < kH; ky++) {
      for (int kx = 0; kx < kW; kx++) {
        for (int c = 0; c < inC; c++) {
          taps[t++] = ky * rowStride + kx * inC + c;
        }
      }
    }
    convRow(src, srcOff, inC, taps, taps.length, w, wStride, bias, count, out, outOff, outC);
  }

  /**
   * Two output rows of {@link #convRowWindow} ({@code srcOff} and {@code srcOff + rowStride}, {@code 2·count}
   * pixels each), the bias added, {@code max(·, 0)} with {@code relu}, then pooled by 2×2 windows of
   * stride 2 into {@code count} pixels: {@code out[outOff + p·outC + c]} is the first of the window's four
   * values {@code (0, 2p), (0, 2p + 1), (1, 2p), (1, 2p + 1)} that no later one exceeds, as
   * {@link #maxPoolForward} picks it. The same bits as those three passes; a kernel with a
   * {@link #windowTile} pools its tiles while they are in cache, so the convolution's rows never reach memory.
   */
  // src: rows of inC-channel pixels, rowStride apart; out: count pixels of outC channels.
  default void convPoolRowWindow(float[] src, int srcOff, int rowStride, int kH, int kW, int inC, float[] w,
      int wStride, float[] bias, boolean relu, int count, float[] out, int outOff, int outC) {
    int row = 2 * count * outC;
    float[] rows = new float[2 * row];
    convRowWindow(src, srcOff, rowStride, kH, kW, inC, w, wStride, bias, 2 * count, rows, 0, outC);
    convRowWindow(src, srcOff + rowStride, rowStride, kH, kW, inC, w, wStride, bias, 2 * count, rows, row, outC);
    if (relu) {
      relu(rows, 0, rows, 0, 2 * row);
    }
    for (int p = 0; p < count; p++) {
      for (int c = 0; c < outC; c++) {
        int at = 2 * p * outC + c;
        float best = rows[at], right = rows[at + outC], below = rows[at + row], diagonal = rows[at + row + outC];
        best = right > best ? right : best;
        best = below > best ? below : best;
        out[outOff + p * outC + c] = diagonal > best ? diagonal : best;
      }
    }
  }

  /**
   * Whether {@link #convRowWindow} has a tile of its own for windows {@code kW} wide on {@code inC}
   * channels, faster than {@link #convRow}'s.
   */
  default boolean windowTile(int kW, int inC) {
    return false;
  }

  /**
   * Whether {@link #convRow} and {@link #convKernelGrad} run at their speed on this JVM, so that
   * convolutions with small patches take the direct path; when false, every convolution takes im2col
   * and GEMM (the same bits either way). True unless an implementation says why not.
   */
  default boolean directConvolution() {
    return true;
  }
}
