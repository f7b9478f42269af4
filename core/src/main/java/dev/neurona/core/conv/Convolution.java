package dev.neurona.core.conv;

import dev.neurona.core.Parallel;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.PackedB;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.Arrays;

/**
 * 2-D convolution on NHWC batches, forward and its three backward products. Kernel layout
 * {@code (kH, kW, inC, outC)}, bias {@code (outC)}; array lengths are checked against the geometry.
 *
 * <p>Contract: {@link #forward} and {@link #backwardInput} overwrite their output;
 * {@link #backwardKernel} and {@link #backwardBias} accumulate ({@code +=}) into theirs.
 *
 * <p>How: a GEMM. With {@code rows = batch·outH·outW} and {@code patch = kH·kW·inC}, the
 * stacked column matrix {@code cols (rows, patch)} (see {@link Im2col}) turns the convolution into
 * {@code out (rows, outC) = cols · kernel (patch, outC)}. The forward pass, and the input gradient
 * of a stride-1 convolution whose {@code inC} fills the GEMM's tiles, never build that matrix where
 * {@link WindowGemm#serves} them (JDK 25 on, the scalar kernel, and before JDK 25 on AVX2 windows of up to 1,040 floats):
 * {@link WindowGemm} reads each pixel's window from the image in place (MNIST's second convolution,
 * JDK 25, {@code ConvBenchmark}: forward 8–23% and input gradient 9–19% faster than im2col + GEMM;
 * flowers' second convolution forward 20.9 → 14.2 ms per batch of 32). The kernel gradient and the other
 * input gradients lower the images with im2col. That matrix is never built whole: the rows
 * are cut into blocks of about 128 K floats (512 KB) (whole images per block when an image is
 * small, several blocks per image when it is large), and each pool task lowers one block into its
 * thread's reusable buffer and multiplies it at once, while it is still in cache. The kernel
 * matrix, the same for every block, is packed for the GEMM once per call ({@link PackedB}) rather
 * than once per block. A 1×1, stride-1 convolution without padding needs no lowering: its column
 * matrix is the input itself. Small windows (a first layer's, {@code patch ≤} {@link #DIRECT_MAX_PATCH})
 * skip the lowering too: {@link Kernels#convRow} reads each window in place, with the same sums in
 * the same order. {@link #forwardMaxPool} fuses the max pooling that usually follows (inference).
 *
 * <p>Determinism: block and chunk boundaries depend only on the geometry and the batch size,
 * never on the thread count; reductions keep one partial per fixed chunk and add them in chunk
 * order. Results are therefore bit-identical for any {@link Parallel#threads()}.
 * {@link DirectConv2d} is the readable reference.
 */
public final class Convolution {
  /** Target size, in floats, of one block of the column matrix (512 KB: fits a core's L2). */
  static final int COLS_TARGET = 1 << 17;
  /** {@link #backwardKernel} reduces over chunks of at least this many rows, so few partial kernels exist. */
  static final int KERNEL_CHUNK_ROWS = 1024;
  /** ...and over at most this many chunks (bigger chunks for big batches), which bounds the partials' memory. */
  static final int MAX_KERNEL_CHUNKS = 64;
  /** {@link #backwardBias} reduces over chunks of this many rows. */
  static final int BIAS_CHUNK_ROWS = 4096;

  /** Each thread's column-matrix buffer, grown on demand and reused across calls. */
  private static final ThreadLocal<float[]> COLS = ThreadLocal.withInitial(() -> new float[0]);
  /** The calling thread's packed kernel (forward) and transposed kernel (input gradient), storage reused. */
  private static final ThreadLocal<PackedB> PACKED_KERNEL = new ThreadLocal<>();
  private static final ThreadLocal<PackedB> PACKED_KERNEL_T = new ThreadLocal<>();
  /** The calling thread's per-chunk partial sums for the reductions, reused across calls. */
  private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[0]);

  private Convolution() {}

  /** {@code output (batch, outH, outW, outC) = conv(input (batch, inH, inW, inC), kernel) + bias}; bias may be null. */
  public static void forward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, float[] output) {
    forward(g, batch, input, kernel, bias, output, false);
  }

  /**
   * As {@link #forward(ConvGeometry, int, float[], float[], float[], float[])}, then with {@code relu}
   * {@code output = max(output, 0)} ({@link dev.neurona.core.kernels.Kernels#relu}), applied to each
   * block of rows as soon as it is computed, while it is still in cache, rather than in a second pass
   * over the whole output: the same bits as the two passes.
   */
  public static void forward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, float[] output,
      boolean relu) {
    checkForward(g, batch, input, kernel, bias);
    check(g, batch, "output", output, g.outSize());
    if (input == output) {
      throw new IllegalArgumentException("conv2d: input and output must be different arrays");
    }
    if (direct(g)) {
      Direct d = new Direct(g, kernel, bias, relu, null);
      // Whole images per task, unless there are fewer images than threads (then each task copies its image).
      int grain = batch >= Parallel.threads() ? g.outH : Math.max(1, g.outH / Parallel.threads());
      Parallel.forRange(batch * g.outH, grain, (from, to) -> {
        ConvRows rows = convRows(g, input, kernel, bias, relu, d, null, null, null);
        for (int r = from, end; r < to; r = end) { // the task's rows, image by image
          int n = r / g.outH;
          end = Math.min(to, (n + 1) * g.outH);
          rows.compute(n, r - n * g.outH, end - n * g.outH, output, r * g.outW * g.outC);
        }
      });
      return;
    }
    if (windowForward(g)) {
      WindowGemm.forward(g, kernel).batch(input, batch, bias, relu, output);
      return;
    }
    Blocks plan = Blocks.of(g);
    // kernel (patch, outC) is op(B) of every block's product.
    PackedB packed = pack(PACKED_KERNEL, false, g.patchSize(), g.outC, kernel);
    Parallel.forRange(plan.blocks(batch), 1, (from, to) -> {
      float[] cols = plan.pointwise ? null : scratch(COLS, plan.blockRows * g.patchSize());
      for (int i = from; i < to; i++) {
        int r0 = plan.from(i), r1 = plan.to(i, batch);
        forwardRows(g, plan, input, kernel, packed, bias, relu, output, r0 * g.outC, r0, r1, cols);
      }
    });
  }

  /**
   * {@code output (batch, pool.outH, pool.outW, outC) = maxPool(relu?(conv(input, kernel) + bias))}:
   * a convolution followed by max pooling (values only, as in inference), fused. Each image is
   * convolved a band of rows at a time into a buffer of the calling thread and pooled from there, while
   * it is still in cache, so the convolution's output (4× the pooled one for a 2×2 window) never goes to
   * memory. The same blocks, kernels and pooling as {@link #forward} followed by
   * {@link dev.neurona.core.kernels.Kernels#maxPoolForward} with no argmax: the same bits. Except for a
   * 3×3 or 5×5 stride-1 convolution pooled 2×2 ({@link Winograd}, unless turned off there): that one
   * runs with 2.25× (3×3) or 2.8× (5×5) fewer multiplications, each output within a few float
   * roundings of the direct sum.
   *
   * @param pool the pooling geometry; its input must be this convolution's output ({@code outH, outW, outC})
   */
  public static void forwardMaxPool(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias,
      boolean relu, ConvGeometry pool, float[] output) {
    forwardMaxPool(g, batch, input, kernel, bias, relu, pool, output, null);
  }

  /**
   * As above, for training: {@code argmax (batch, pool.outH, pool.outW, outC)} receives each window's
   * winner as {@link dev.neurona.core.kernels.Kernels#maxPoolForward} records it (its offset within the
   * image's convolution output). The pooled values are the bits of {@link #forward} then
   * {@code maxPoolForward}, except for a 3×3 or 5×5 stride-1 convolution of 8 or more input channels
   * ({@link Winograd#supports}, unless turned off there): that one pools Winograd's convolution, a few images at
   * a time. Rows of the convolution's output that no window reads (VALID pooling of an odd size) are not
   * computed on the direct paths.
   */
  public static void forwardMaxPool(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias,
      boolean relu, ConvGeometry pool, float[] output, int[] argmax) {
    forwardMaxPool(g, batch, input, null, kernel, bias, relu, pool, output, argmax);
  }

  /**
   * As {@link #forwardMaxPool(ConvGeometry, int, float[], float[], float[], boolean, ConvGeometry, float[])} (inference)
   * on {@code input·scale + offset}, a rescaling layer's output ({@link Kernels#scale}, then the offset added where it
   * is not 0): where {@link #scalesInput} holds, the copy of each image that the direct convolution reads is made
   * scaled, so the rescaled batch (flowers': 50 MB written and read again) never goes to memory. Elsewhere, and for
   * fewer images than threads, the batch is rescaled into a buffer first. The bits of rescaling, then
   * {@code forwardMaxPool}.
   */
  public static void forwardMaxPool(ConvGeometry g, int batch, float[] input, float scale, float offset, float[] kernel,
      float[] bias, boolean relu, ConvGeometry pool, float[] output) {
    InputScale s = new InputScale(scale, offset);
    if (scalesInput(g, pool) && batch >= Parallel.threads()) {
      forwardMaxPool(g, batch, input, s, kernel, bias, relu, pool, output, null);
      return;
    }
    check(g, batch, "input", input, g.inSize());
    float[] scaled = new float[batch * g.inSize()];
    s.apply(input, 0, scaled, 0, scaled.length);
    forwardMaxPool(g, batch, scaled, null, kernel, bias, relu, pool, output, null);
  }

  /**
   * Whether {@link #forwardMaxPool(ConvGeometry, int, float[], float, float, float[], float[], boolean, ConvGeometry,
   * float[])} folds the rescaling into the copies it makes of the images: a direct convolution whose windows reach
   * outside the image, so that it reads a zero-padded copy of each (a first layer such as flowers' 3×3 "same" on
   * RGB), not taken by {@link Winograd}.
   */
  public static boolean scalesInput(ConvGeometry g, ConvGeometry pool) {
    return direct(g) && Direct.pads(g) && !(Winograd.enabled() && Winograd.applies(g, pool));
  }

  /** {@code y = x·scale}, then {@code + offset} unless the offset is 0: a rescaling layer's arithmetic. */
  private record InputScale(float scale, float offset) {
    void apply(float[] x, int xOff, float[] y, int yOff, int n) {
      KernelProvider.kernels().scale(scale, x, xOff, y, yOff, n);
      if (offset != 0f) {
        for (int i = yOff; i < yOff + n; i++) {
          y[i] += offset;
        }
      }
    }
  }

  private static void forwardMaxPool(ConvGeometry g, int batch, float[] input, InputScale scale, float[] kernel,
      float[] bias, boolean relu, ConvGeometry pool, float[] output, int[] argmax) {
    checkForward(g, batch, input, kernel, bias);
    if (pool == null || pool.inH != g.outH || pool.inW != g.outW || pool.inC != g.outC || pool.outC != g.outC) {
      throw new IllegalArgumentException("conv2d + max pooling: the pooling geometry " + pool
          + " does not take the convolution's output (" + g.outH + ", " + g.outW + ", " + g.outC + ") of " + g);
    }
    check(pool, batch, "pooled output", output, pool.outSize());
    if (argmax != null && argmax.length < (long) batch * pool.outSize()) {
      throw new IllegalArgumentException("conv2d + max pooling: argmax has " + argmax.length + " elements but a batch of "
          + batch + " needs " + (long) batch * pool.outSize() + " for " + pool);
    }
    if (input == output) {
      throw new IllegalArgumentException("conv2d + max pooling: input and output must be different arrays");
    }
    if (argmax == null && Winograd.enabled() && Winograd.applies(g, pool)) {
      Winograd.forwardMaxPool(g, batch, input, kernel, bias, relu, pool, output);
      return;
    }
    if (argmax != null && scale == null && Winograd.enabled() && Winograd.supports(g)) {
      Winograd.forwardMaxPoolTraining(g, batch, input, kernel, bias, relu, pool, output, argmax);
      return;
    }
    Kernels k = KernelProvider.kernels();
    int imageOut = g.outSize(), pooledOut = pool.outSize();
    if (batch < Parallel.threads()) {
      // Fewer images than threads (a single prediction): the fused loops below share out whole images, so
      // convolve with every thread (forward shares out rows), then pool. The same bits, fused or not.
      float[] conv = scratch(CONVOLVED, batch * imageOut);
      forward(g, batch, input, kernel, bias, conv, relu);
      for (int n = 0; n < batch; n++) {
        k.maxPoolForward(pool, conv, n * imageOut, output, n * pooledOut, argmax, n * pooledOut);
      }
      return;
    }
    // The operands every thread shares, prepared once: the direct kernel's padded weights, the window GEMM's
    // packed kernel, or the im2col plan and packed kernel.
    // A scale comes only where scalesInput holds: the direct path, which copies each image.
    Direct direct = direct(g) ? new Direct(g, kernel, bias, relu, scale) : null;
    WindowGemm window = direct == null && windowForward(g) ? WindowGemm.forward(g, kernel) : null;
    Blocks plan = direct == null && window == null ? Blocks.of(g) : null;
    PackedB packed = plan == null ? null : pack(PACKED_KERNEL, false, g.patchSize(), g.outC, kernel);
    int outRow = g.outW * g.outC;
    // Windows that tile the image (no overlap) pool band by band: BAND_FLOATS of convolution output at a time.
    boolean tiles = pool.strideH == pool.kH && pool.strideW == pool.kW && pool.padTop < pool.kH;
    int bandPooledRows = tiles ? Math.max(1, BAND_FLOATS / (pool.kH * outRow)) : pool.outH;
    if (direct != null && argmax == null && direct.poolsRows(pool)) {
      // Tiled first layers pool their tiles as they are made (Kernels.convPoolRowWindow): no band buffer.
      int pooledRow = pool.outW * pool.outC;
      Parallel.forRange(batch, 1, (from, to) -> {
        float[] image = direct.pad ? scratch(PADDED, direct.paddedSize()) : null;
        for (int n = from; n < to; n++) {
          if (direct.pad) {
            direct.prepare(input, n, image);
          }
          for (int py = 0; py < pool.outH; py++) {
            direct.pooledRow(input, image, n, py, pool.outW, output, n * pooledOut + py * pooledRow);
          }
        }
      });
      return;
    }
    Parallel.forRange(batch, 1, (from, to) -> {
      ConvRows rows = convRows(g, input, kernel, bias, relu, direct, window, plan, packed);
      float[] conv = scratch(CONVOLVED, tiles ? Math.min(imageOut, bandPooledRows * pool.kH * outRow) : imageOut);
      for (int n = from; n < to; n++) {
        if (!tiles) {
          rows.compute(n, 0, g.outH, conv, 0);
          k.maxPoolForward(pool, conv, 0, output, n * pooledOut, argmax, n * pooledOut);
          continue;
        }
        for (int p0 = 0; p0 < pool.outH; p0 += bandPooledRows) {
          int p1 = Math.min(pool.outH, p0 + bandPooledRows);
          int top = p0 * pool.kH - pool.padTop; // the band's first window row (above the image in the padding)
          int r0 = Math.max(0, top), r1 = Math.min(g.outH, p1 * pool.kH - pool.padTop);
          rows.compute(n, r0, r1, conv, 0);
          int at = n * pooledOut + p0 * pool.outW * pool.outC;
          k.maxPoolForward(pool.band(r1 - r0, r0 - top, p1 - p0), conv, 0, output, at, argmax, at);
          if (argmax != null && r0 > 0) { // offsets within the band → within the image
            for (int i = at, end = at + (p1 - p0) * pool.outW * pool.outC, shift = r0 * outRow; i < end; i++) {
              argmax[i] += shift;
            }
          }
        }
      }
    });
  }

  /** About this many floats of convolution output per band in {@link #forwardMaxPool}: they stay in L1/L2 to be pooled. */
  static final int BAND_FLOATS = 1 << 14;

  /** Rows {@code [oy0, oy1)} of image {@code n}'s convolution output into {@code out[outOff ..]}, on the calling thread. */
  private interface ConvRows {
    void compute(int n, int oy0, int oy1, float[] out, int outOff);
  }

  /**
   * The calling thread's {@link ConvRows} over the operands one of the three paths prepared (the others
   * null): the same kernels, blocks and sums as {@link #forward}, so the same bits row by row.
   */
  private static ConvRows convRows(ConvGeometry g, float[] input, float[] kernel, float[] bias, boolean relu,
      Direct direct, WindowGemm window, Blocks plan, PackedB packed) {
    int outRow = g.outW * g.outC;
    if (direct != null) {
      float[] image = direct.pad ? scratch(PADDED, direct.paddedSize()) : null;
      int[] padded = {-1};
      return (n, oy0, oy1, out, outOff) -> {
        if (direct.pad && padded[0] != n) { // images come in order: each is copied once
          direct.prepare(input, n, image);
          padded[0] = n;
        }
        for (int oy = oy0; oy < oy1; oy++) {
          direct.row(input, image, n, oy, out, outOff + (oy - oy0) * outRow);
        }
      };
    }
    if (window != null) {
      return (n, oy0, oy1, out, outOff) -> window.image(input, n, oy0, oy1, bias, relu, out, outOff);
    }
    float[] cols = plan.pointwise ? null : scratch(COLS, plan.blockRows * g.patchSize());
    return (n, oy0, oy1, out, outOff) -> {
      for (int r0 = (n * g.outH + oy0) * g.outW, end = (n * g.outH + oy1) * g.outW, q = r0; q < end; q += plan.blockRows) {
        forwardRows(g, plan, input, kernel, packed, bias, relu, out, outOff + (q - r0) * g.outC, q,
            Math.min(end, q + plan.blockRows), cols);
      }
    };
  }

  private static void checkForward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias) {
    check(g, batch, "input", input, g.inSize());
    checkKernel(g, "kernel", kernel);
    if (bias != null && bias.length < g.outC) {
      throw new IllegalArgumentException("conv2d: bias has " + bias.length + " elements but " + g + " needs outC = " + g.outC);
    }
  }

  /**
   * Small windows (a first layer: 5×5 on one channel, 3×3 on three) are convolved directly by
   * {@link Kernels#convRow}, one output row per call, reading the image (or its zero-padded copy) in
   * place. Their im2col would copy runs of a few floats (MNIST's 5×5 on one channel: 25 floats a row
   * in five copies, 5 ms of a 10 ms convolution on one thread) and the GEMM would sum only
   * {@code patch} products per C tile. Same sums in the same order as im2col and GEMM, so the same
   * bits. Every output pixel depends only on its own window: results do not depend on the batch size
   * or the thread count. 1×1 windows keep the pointwise GEMM (no im2col there), and so do outC ≤ 2.
   */
  static final int DIRECT_MAX_PATCH = 75;

  private static boolean direct(ConvGeometry g) {
    return g.patchSize() <= DIRECT_MAX_PATCH && g.kH * g.kW > 1 && g.outC > 2
        && KernelProvider.kernels().directConvolution();
  }

  /**
   * Whether {@link #backwardKernel} reads the windows of {@code g} in place ({@link Kernels#convKernelGrad}) though
   * its patch is larger than a first layer's: where the kernels have a tile for its runs and channels
   * ({@link Kernels#convKernelGradRuns}; 512-bit vectors from JDK 25 on, runs a multiple of 8 long, 32 channels). No im2col:
   * flowers' second convolution, {@code Alternate kernelgrad:flowers2,32}, JDK 25, Zen 5: 0.82 of the time on one
   * thread (23.5 → 19.1 ms), 0.80 on two (11.4 → 9.1 ms). The same bits: each element is the GEMM's chain over the
   * same k-blocks.
   */
  private static boolean directKernelGradient(ConvGeometry g) {
    return g.kH * g.kW > 1 && KernelProvider.kernels().directConvolution()
        && KernelProvider.kernels().convKernelGradRuns(g.kW * g.inC, g.outC);
  }

  /** Each thread's zero-padded copy of one input image for {@link Direct}, reused across calls. */
  private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);
  /** Each thread's window offsets for {@link Direct#kernelGradient}, reused across calls. */
  private static final ThreadLocal<int[]> CORNERS = ThreadLocal.withInitial(() -> new int[0]);
  /** Each thread's convolved image group for {@link #forwardMaxPool}, reused across calls. */
  private static final ThreadLocal<float[]> CONVOLVED = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * A direct convolution's operands, prepared once per call: padded weights and bias (none for the
   * kernel gradient), tap offsets, padding.
   */
  private static final class Direct {
    final ConvGeometry g;
    final boolean relu;
    /** Weights {@code (patch, wStride)} and bias {@code (wStride)}, channels padded with zeros to a multiple of 16. */
    final float[] w;
    final float[] b;
    final int wStride;
    /** Source offset of each kernel element {@code (ky, kx, c)} from its window's corner. */
    final int[] taps;
    /** Rows and columns the windows cover; a zero-padded copy ({@link #prepare}) is read when they reach outside the image. */
    final int ph;
    final int pw;
    final boolean pad;
    final int rowStride;
    /** Forward through {@link Kernels#convRowWindow}: the kernels have a tile for this window. */
    final boolean tiled;
    /** Applied to the input as {@link #prepare} copies it (a rescaling folded in), or null. */
    final InputScale inputScale;

    Direct(ConvGeometry g, float[] kernel, float[] bias, boolean relu, InputScale inputScale) {
      this.g = g;
      this.relu = relu;
      this.inputScale = inputScale;
      int patch = g.patchSize(), outC = g.outC;
      wStride = ceilDiv(outC, 16) * 16;
      w = kernel == null ? null : new float[patch * wStride];
      if (w != null) {
        for (int t = 0; t < patch; t++) {
          System.arraycopy(kernel, t * outC, w, t * wStride, outC);
        }
      }
      b = bias == null ? null : Arrays.copyOf(bias, wStride);
      if (b != null) {
        Arrays.fill(b, outC, wStride, 0f);
      }
      ph = (g.outH - 1) * g.strideH + g.kH;
      pw = (g.outW - 1) * g.strideW + g.kW;
      pad = pads(g);
      rowStride = (pad ? pw : g.inW) * g.inC;
      tiled = w != null && tiled(g);
      taps = new int[patch];
      for (int ky = 0, t = 0; ky < g.kH; ky++) {
        for (int kx = 0; kx < g.kW; kx++) {
          for (int c = 0; c < g.inC; c++) {
            taps[t++] = ky * rowStride + kx * g.inC + c;
          }
        }
      }
    }

    /** Whether the windows reach outside the image: then a zero-padded copy is read. */
    static boolean pads(ConvGeometry g) {
      int ph = (g.outH - 1) * g.strideH + g.kH, pw = (g.outW - 1) * g.strideW + g.kW;
      return g.padTop > 0 || g.padLeft > 0 || ph > g.inH || pw > g.inW;
    }

    /** Whether the forward pass takes {@link Kernels#convRowWindow}'s tile. */
    static boolean tiled(ConvGeometry g) {
      return g.strideW == 1 && KernelProvider.kernels().windowTile(g.kW, g.inC);
    }

    int paddedSize() {
      return ph * pw * g.inC;
    }

    /** Image n of the batch into {@code image}, zero-padded, as {@link #row} reads it where the windows {@link #pad}. */
    void prepare(float[] input, int n, float[] image) {
      padImage(input, n, image);
    }

    /** Image n of the batch into {@code image (ph, pw, inC)}, shifted by the top and left padding; zeros elsewhere. */
    void padImage(float[] input, int n, float[] image) {
      padImage(input, n, image, 0);
    }

    /** As {@link #padImage(float[], int, float[])}, at {@code image[at]}. */
    void padImage(float[] input, int n, float[] image, int at) {
      int rowLen = pw * g.inC;
      Arrays.fill(image, at, at + ph * rowLen, 0f);
      int cols = Math.min(g.inW, pw - g.padLeft) * g.inC;
      for (int y = 0; y < g.inH && y + g.padTop < ph; y++) {
        int from = n * g.inSize() + y * g.inW * g.inC, to = at + (y + g.padTop) * rowLen + g.padLeft * g.inC;
        if (inputScale == null) {
          System.arraycopy(input, from, image, to, cols);
        } else {
          inputScale.apply(input, from, image, to, cols);
        }
      }
    }

    /**
     * {@code dK[dkOff..] = beta·dK + Σ} over the batch's output pixels (rows) {@code [r0, r1)} of
     * {@code window ⊗ dOut}: the product {@code colsᵀ·dOut} of those rows, k-block by k-block as the
     * GEMM runs it, with each pixel's window read in place (from padded copies of its images when the
     * windows reach outside them). {@code padded} holds the first and end image the calling thread's
     * padded copies hold ({@code {-1, -1}} for none); blocks of one image reuse its copy.
     */
    void kernelGradient(float[] input, float[] dOut, int r0, int r1, float beta, float[] dK, int dkOff, int[] padded) {
      int pixels = g.outPixels(), n0 = r0 / pixels, n1 = (r1 - 1) / pixels + 1;
      float[] src = input;
      if (pad) {
        src = scratch(PADDED, (n1 - n0) * paddedSize());
        if (padded[0] != n0 || padded[1] != n1) {
          for (int n = n0; n < n1; n++) {
            padImage(input, n, src, (n - n0) * paddedSize());
          }
          padded[0] = n0;
          padded[1] = n1;
        }
      }
      int rows = r1 - r0;
      int[] corners = CORNERS.get();
      if (corners.length < rows) {
        corners = new int[rows];
        CORNERS.set(corners);
      }
      // Pixel by pixel in row-major order, without a division per pixel (a quarter of the time, flowers' first layer).
      int p = r0 - n0 * pixels, oy = p / g.outW, ox = p - oy * g.outW;
      int image = pad ? 0 : n0 * g.inSize(), imageStep = pad ? paddedSize() : g.inSize();
      int yStep = g.strideH * rowStride, xStep = g.strideW * g.inC;
      for (int q = 0; q < rows; q++) {
        corners[q] = image + oy * yStep + ox * xStep;
        if (++ox == g.outW) {
          ox = 0;
          if (++oy == g.outH) {
            oy = 0;
            image += imageStep;
          }
        }
      }
      Kernels k = KernelProvider.kernels();
      for (int pc = 0, kb = Gemm.kBlock(rows); pc < rows; pc += kb) {
        k.convKernelGrad(src, corners, pc, Math.min(rows, pc + kb), taps, taps.length, dOut, r0 * g.outC, g.outC,
            pc == 0 ? beta : 1f, dK, dkOff);
      }
    }

    /**
     * Whether {@link #pooledRow} serves {@code pool}: a tiled forward of stride 1 pooled by whole 2×2 windows of
     * stride 2 that start at the image's corner (no padding read), the pixels past the last window never computed.
     */
    boolean poolsRows(ConvGeometry pool) {
      return tiled && g.strideH == 1 && pool.kH == 2 && pool.kW == 2 && pool.strideH == 2 && pool.strideW == 2
          && pool.padTop == 0 && pool.padLeft == 0 && 2 * pool.outH <= g.outH && 2 * pool.outW <= g.outW;
    }

    /**
     * Pooled row py of image n {@code (count, outC)} at {@code out[outOff]}: output rows 2py and 2py + 1 of the
     * first {@code 2·count} pixels, {@link Kernels#convPoolRowWindow}, the bits of {@link #row} then
     * {@link Kernels#maxPoolForward}.
     */
    void pooledRow(float[] input, float[] image, int n, int py, int count, float[] out, int outOff) {
      int src = 2 * py * rowStride;
      KernelProvider.kernels().convPoolRowWindow(pad ? image : input, pad ? src : n * g.inSize() + src, rowStride, g.kH,
          g.kW, g.inC, w, wStride, b, relu, count, out, outOff, g.outC);
    }

    /** Output row oy of image n {@code (outW, outC)} at {@code out[outOff]}; {@code image} holds image n {@link #prepare}d where the windows {@link #pad}. */
    void row(float[] input, float[] image, int n, int oy, float[] out, int outOff) {
      Kernels k = KernelProvider.kernels();
      int src = oy * g.strideH * rowStride;
      if (tiled) {
        k.convRowWindow(pad ? image : input, pad ? src : n * g.inSize() + src, rowStride, g.kH, g.kW, g.inC, w, wStride,
            b, g.outW, out, outOff, g.outC);
      } else {
        k.convRow(pad ? image : input, pad ? src : n * g.inSize() + src, g.strideW * g.inC, taps, taps.length, w, wStride,
            b, g.outW, out, outOff, g.outC);
      }
      if (relu) {
        k.relu(out, outOff, out, outOff, g.outW * g.outC);
      }
    }
  }

  /**
   * The kernel matrix packed for the GEMM (stored patch×outC; {@code op(B)} is it or, with
   * {@code trans}, its transpose), into the calling thread's reused storage. Every product of the
   * call then skips packing it. Packed B always takes the blocked path, so products with n ≤ 2
   * (which would take the direct one) get the plain kernel instead: null.
   */
  private static PackedB pack(ThreadLocal<PackedB> cache, boolean trans, int k, int n, float[] kernel) {
    if (n <= 2) {
      return null;
    }
    PackedB p = Gemm.packB(Gemm.kernel(), trans, k, n, kernel, 0, trans ? k : n, cache.get());
    cache.set(p);
    return p;
  }

  /** {@code C (m, n) = beta·C + A (m, k) · B}, with B packed or, when null, the plain kernel matrix. */
  private static void product(int m, float[] a, int aOff, int k, PackedB packed, boolean transB, float[] kernel, int n,
      float beta, float[] c, int cOff) {
    if (packed != null) {
      Gemm.sgemm(false, m, 1f, a, aOff, k, packed, beta, c, cOff, n);
    } else {
      Gemm.sgemm(false, transB, m, n, k, 1f, a, aOff, k, kernel, 0, transB ? k : n, beta, c, cOff, n);
    }
  }

  /**
   * Output rows {@code [r0, r1)} at {@code output[outOff]}: {@code out (m, outC) = cols (m, patch) · kernel (patch, outC) + bias},
   * then ReLU when asked, while the rows are in cache.
   */
  private static void forwardRows(ConvGeometry g, Blocks plan, float[] input, float[] kernel, PackedB packed, float[] bias,
      boolean relu, float[] output, int outOff, int r0, int r1, float[] cols) {
    int m = r1 - r0, patch = g.patchSize(), outC = g.outC;
    float beta = 0f;
    if (bias != null) {
      // Start from the bias rows and let GEMM add the product (beta = 1).
      for (int r = 0; r < m; r++) {
        System.arraycopy(bias, 0, output, outOff + r * outC, outC);
      }
      beta = 1f;
    }
    if (plan.pointwise) {
      product(m, input, r0 * patch, patch, packed, false, kernel, outC, beta, output, outOff);
    } else {
      Im2col.im2colRows(g, input, 0, r0, r1, cols, 0);
      product(m, cols, 0, patch, packed, false, kernel, outC, beta, output, outOff);
    }
    if (relu) {
      KernelProvider.kernels().relu(output, outOff, output, outOff, m * outC);
    }
  }

  /**
   * {@code dInput (batch, inH, inW, inC)} from {@code dOut (batch, outH, outW, outC)}; overwrites dInput.
   *
   * <p>{@code out = cols · K}, so {@code dCols = dOut · Kᵀ}; each input element was copied into every
   * column entry that read it, so its gradient is the sum of those entries: {@code dInput = col2im(dCols)}.
   * Tasks own whole images, so their scatter-adds never meet. A 5×5 stride-1 convolution takes
   * {@link Winograd#backwardInput} (unless turned off there): within a few roundings of these sums.
   */
  public static void backwardInput(ConvGeometry g, int batch, float[] dOut, float[] kernel, float[] dInput) {
    check(g, batch, "dOut", dOut, g.outSize());
    checkKernel(g, "kernel", kernel);
    check(g, batch, "dInput", dInput, g.inSize());
    if (dOut == dInput) {
      throw new IllegalArgumentException("conv2d: dOut and dInput must be different arrays");
    }
    if (Winograd.enabled() && Winograd.supportsInputGradient(g)) {
      Winograd.backwardInput(g, batch, dOut, kernel, dInput);
      return;
    }
    if (windowInputGradient(g)) {
      WindowGemm.inputGradient(g, kernel).batch(dOut, batch, null, false, dInput);
      return;
    }
    Blocks plan = Blocks.of(g);
    int patch = g.patchSize(), outC = g.outC;
    // dCols (rows, patch) = dOut (rows, outC) · Kᵀ: op(B) = Kᵀ (outC, patch) for every block.
    PackedB packed = pack(PACKED_KERNEL_T, true, outC, patch, kernel);
    Parallel.forRange(plan.groups(batch), 1, (from, to) -> {
      float[] dCols = plan.pointwise ? null : scratch(COLS, plan.blockRows * patch);
      for (int grp = from; grp < to; grp++) {
        int firstImage = grp * plan.imagesPerBlock, endImage = Math.min(batch, firstImage + plan.imagesPerBlock);
        if (!plan.pointwise) {
          Arrays.fill(dInput, firstImage * g.inSize(), endImage * g.inSize(), 0f);
        }
        for (int i = grp * plan.blocksPerImage, end = i + plan.blocksPerImage; i < end; i++) {
          int r0 = plan.from(i), r1 = plan.to(i, batch);
          if (plan.pointwise) {
            // dInput rows are dCols rows: write them directly (beta = 0 overwrites).
            product(r1 - r0, dOut, r0 * outC, outC, packed, true, kernel, patch, 0f, dInput, r0 * patch);
          } else {
            product(r1 - r0, dOut, r0 * outC, outC, packed, true, kernel, patch, 0f, dCols, 0);
            Im2col.col2imRows(g, dCols, 0, r0, r1, dInput, 0);
          }
        }
      }
    });
  }

  /**
   * The input gradient of a stride-1 convolution is itself a convolution ({@link WindowGemm#inputGradient})
   * with {@code inC} output channels, taken {@code nr} at a time: worth it when they fill whole tiles, or
   * fit the kernel's narrow tiles ({@link WindowGemm#narrows}: flowers' 16 channels on 512-bit vectors).
   * Otherwise (MNIST-style first layers aside, captcha's 20 channels) the GEMM
   * {@code dOut · Kᵀ} has {@code kH·kW·inC} columns to fill tiles with, and col2im adds them up.
   * Measured (LayerProfile, JDK 25, AVX-512): MNIST's 32 → 64 second convolution backward 31 → 28 ms;
   * flowers' 16 → 32 backward 49 → 52 ms with the 8×32 window tiles (half their columns zero); the narrow
   * 8×16 tiles take 0.68 (one thread) and 0.67 (two) of the input gradient's time ({@link WindowGemm#narrows}).
   */
  private static boolean windowInputGradient(ConvGeometry g) {
    return g.strideH == 1 && g.strideW == 1 && !Blocks.isPointwise(g)
        && (g.inC % Gemm.kernel().nr() == 0 || WindowGemm.narrows(g.transposed())) && WindowGemm.serves(g.transposed());
  }

  /** Every forward convolution but the pointwise ones (no lowering there) takes the window GEMM where it {@link WindowGemm#serves} them. */
  private static boolean windowForward(ConvGeometry g) {
    return WindowGemm.serves(g) && !Blocks.isPointwise(g);
  }

  /**
   * {@code dKernel (kH, kW, inC, outC) += input ⋆ dOut}.
   *
   * <p>{@code out = cols · K}, so {@code dK = colsᵀ · dOut}: a sum over rows, computed per fixed chunk
   * of whole images into its own partial, and the partials added to {@code dKernel} in chunk order.
   * Small windows (those {@link #forward} convolves directly) skip im2col here too:
   * {@link Kernels#convKernelGrad} reads each pixel's window in place and follows the GEMM's k-blocks,
   * so the bits are those of im2col and GEMM. A 5×5 stride-1 convolution of 8 or more input channels takes
   * {@link Winograd#backwardKernel} (unless turned off there): within a few roundings of these sums.
   */
  public static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel) {
    backwardKernel(g, batch, input, dOut, dKernel, true);
  }

  /** As above; {@code allowDirect} false forces im2col and GEMM (tests compare the two). */
  static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel,
      boolean allowDirect) {
    backwardKernel(g, batch, input, dOut, dKernel, allowDirect, transposedKernelGradient(g));
  }

  /**
   * Whether {@link #backwardKernel} computes {@code dKᵀ (outC, patch) = dOutᵀ · cols} rather than
   * {@code dK (patch, outC) = colsᵀ · dOut}: when the tiles waste less work that way. The tile's
   * {@code nr} columns run along the product's n, its {@code mr} rows along m, and a partial edge
   * sliver costs a whole one: captcha's 5×5×20 → 50 convolution fills 50/64 of its 16-column
   * slivers as {@code colsᵀ·dOut} (n = 50) but 500/512 of them as {@code dOutᵀ·cols} (n = 500),
   * 17% fewer multiply-adds in all (AVX2); the GEMM then packs the column matrix as its B, with vector
   * moves ({@code MicroKernel.packSlivers}). Measured alternately in one JVM ({@code Alternate
   * kernelgrad:captcha2,32}, JDK 25, AMD EPYC): 0.92 and 0.90 of the time on 1 thread, 0.87 and 1.03
   * on 2. Each element is the same chain of fused multiply-adds over the same k-blocks either way
   * ({@code fma(a, b, s) = fma(b, a, s)}), so the bits do not change.
   */
  static boolean transposedKernelGradient(ConvGeometry g) {
    int mr = Gemm.kernel().mr(), nr = Gemm.kernel().nr(), patch = g.patchSize(), outC = g.outC;
    long plain = (long) ceilDiv(patch, mr) * mr * ceilDiv(outC, nr) * nr;
    long transposed = (long) ceilDiv(outC, mr) * mr * ceilDiv(patch, nr) * nr;
    return outC > 2 && patch > 2 && transposed * 16 < plain * 15; // n ≤ 2 would take the GEMM's unfused loop
  }

  /** As above, {@code transpose} choosing the orientation of the product (tests compare the two). */
  static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel,
      boolean allowDirect, boolean transpose) {
    check(g, batch, "input", input, g.inSize());
    check(g, batch, "dOut", dOut, g.outSize());
    checkKernel(g, "dKernel", dKernel);
    if (allowDirect && Winograd.enabled() && Winograd.supportsKernelGradient(g)) {
      Winograd.backwardKernel(g, batch, input, dOut, dKernel);
      return;
    }
    Blocks plan = Blocks.of(g);
    int patch = g.patchSize(), outC = g.outC, kSize = patch * outC;
    int groupsPerChunk = plan.groupsPerKernelChunk(batch);
    int chunks = ceilDiv(plan.groups(batch), groupsPerChunk);
    float[] partials = scratch(PARTIALS, chunks * kSize);
    Direct direct = allowDirect && (direct(g) || directKernelGradient(g)) ? new Direct(g, null, null, false, null) : null;
    boolean transposed = transpose && direct == null; // the direct kernel writes (patch, outC)
    Parallel.forChunks(plan.groups(batch), groupsPerChunk, (c, from, to) -> {
      float[] cols = null;
      int[] padded = {-1, -1};
      float beta = 0f; // the chunk's first block overwrites its partial, later blocks add
      for (int i = from * plan.blocksPerImage, end = to * plan.blocksPerImage; i < end; i++) {
        int r0 = plan.from(i), r1 = plan.to(i, batch);
        if (direct != null && Gemm.isBlocked(patch, outC, r1 - r0)) {
          direct.kernelGradient(input, dOut, r0, r1, beta, partials, c * kSize, padded);
          beta = 1f;
          continue;
        }
        if (transposed && packsColumns(g, plan, r1 - r0)) {
          // dKᵀ = dOutᵀ · cols with cols packed for the GEMM as im2col makes them, a few rows at a time
          PackedB packed = Gemm.packing(r1 - r0, patch, PACKED_COLS.get());
          PACKED_COLS.set(packed);
          int step = Math.max(1, PACK_ROWS_FLOATS / patch);
          float[] rows = scratch(COLS, step * patch);
          for (int q = r0; q < r1; q += step) {
            int q1 = Math.min(r1, q + step);
            Im2col.im2colRows(g, input, 0, q, q1, rows, 0);
            Gemm.packRows(packed, q - r0, q1 - q, rows, 0, patch);
          }
          Gemm.sgemm(true, outC, 1f, dOut, r0 * outC, outC, packed, beta, partials, c * kSize, patch);
          beta = 1f;
          continue;
        }
        if (cols == null && !plan.pointwise) {
          cols = scratch(COLS, plan.blockRows * patch);
        }
        float[] a = input;
        int aOff = r0 * patch;
        if (!plan.pointwise) {
          Im2col.im2colRows(g, input, 0, r0, r1, cols, 0);
          a = cols;
          aOff = 0;
        }
        if (transposed) {
          // dKᵀ (outC, patch) = dOutᵀ · cols
          Gemm.sgemm(true, false, outC, patch, r1 - r0, 1f, dOut, r0 * outC, outC, a, aOff, patch, beta, partials,
              c * kSize, patch);
        } else {
          Gemm.sgemm(true, false, patch, outC, r1 - r0, 1f, a, aOff, patch, dOut, r0 * outC, outC, beta, partials,
              c * kSize, outC);
        }
        beta = 1f;
      }
    });
    if (transposed) {
      addTransposedInChunkOrder(partials, chunks, outC, patch, dKernel);
    } else {
      addInChunkOrder(partials, chunks, kSize, dKernel);
    }
  }

  /** The calling thread's im2col rows packed as the B of a transposed kernel gradient, storage reused. */
  private static final ThreadLocal<PackedB> PACKED_COLS = new ThreadLocal<>();
  /** Floats of im2col rows made at a time before {@link Gemm#packRows} moves them into the packing: 16 KB, in L1. */
  static final int PACK_ROWS_FLOATS = 4096;

  /**
   * Whether a transposed kernel gradient's block of {@code rows} im2col rows is written straight into
   * the GEMM's packing ({@link Gemm#packing}), a few rows at a time through L1, rather than whole and
   * then packed again by the product. The product against a packing takes the blocked path, so only
   * where the unpacked one does too (at least a tile of channels, {@link Gemm#isBlocked}): the same
   * tiles, k-blocks and bits. Captcha's 5×5×20 → 50 ({@code Alternate kernelgrad:captcha2,128}, JDK 25,
   * AMD Zen 5): 0.945 of the time on 1 thread, 0.962 on 2.
   */
  static boolean packsColumns(ConvGeometry g, Blocks plan, int rows) {
    return !plan.pointwise && g.outC >= Gemm.kernel().mr() && Gemm.isBlocked(g.outC, g.patchSize(), rows);
  }

  /** {@code dBias (outC) += Σ over batch and pixels of dOut}; summed per fixed chunk of rows, chunks in order. */
  public static void backwardBias(ConvGeometry g, int batch, float[] dOut, float[] dBias) {
    check(g, batch, "dOut", dOut, g.outSize());
    if (dBias == null || dBias.length < g.outC) {
      throw new IllegalArgumentException("conv2d: dBias has " + (dBias == null ? "no array" : dBias.length + " elements")
          + " but " + g + " needs outC = " + g.outC);
    }
    int outC = g.outC, rows = batch * g.outPixels();
    int chunks = ceilDiv(rows, BIAS_CHUNK_ROWS);
    float[] partials = scratch(PARTIALS, chunks * outC);
    Parallel.forChunks(rows, BIAS_CHUNK_ROWS, (c, from, to) -> {
      Arrays.fill(partials, c * outC, (c + 1) * outC, 0f);
      KernelProvider.kernels().biasGrad(dOut, from * outC, to - from, outC, partials, c * outC); // rows in order
    });
    addInChunkOrder(partials, chunks, outC, dBias);
  }

  /**
   * {@code target[0, size) += partial 0, then partial 1, ...}: a fixed order, whatever ran them. Split
   * over the elements (each sums the chunks in order), so parallel and serial give the same bits.
   */
  private static void addInChunkOrder(float[] partials, int chunks, int size, float[] target) {
    Parallel.forRange(size, 1 << 13, (from, to) -> {
      for (int c = 0; c < chunks; c++) {
        KernelProvider.kernels().add(target, from, partials, c * size + from, target, from, to - from);
      }
    });
  }

  /**
   * {@code target (cols, rows) += partial 0ᵀ, then partial 1ᵀ, ...}, each partial {@code (rows, cols)}:
   * {@link #addInChunkOrder} for partials computed transposed. Each element sees the same additions in
   * the same order, so the same bits. Split over the target's rows.
   */
  private static void addTransposedInChunkOrder(float[] partials, int chunks, int rows, int cols, float[] target) {
    int size = rows * cols;
    Parallel.forRange(cols, Math.max(1, (1 << 13) / rows), (from, to) -> {
      for (int j = from; j < to; j++) {
        for (int c = 0; c < chunks; c++) {
          for (int i = 0, t = j * rows, p = c * size + j; i < rows; i++, p += cols) {
            target[t + i] += partials[p];
          }
        }
      }
    });
  }

  /** The thread's buffer from {@code cache}, grown to at least {@code n} floats. Contents are stale. */
  static float[] scratch(ThreadLocal<float[]> cache, int n) {
    float[] a = cache.get();
    if (a.length < n) {
      a = new float[n];
      cache.set(a);
    }
    return a;
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Row blocks of a batch's column matrix; see {@link #of}. Depends only on the geometry and the batch. */
  static final class Blocks {
    final int pixels;
    /** Whole images per block (≥ 1); when > 1, {@link #blocksPerImage} is 1. */
    final int imagesPerBlock;
    /** Blocks per image (≥ 1); when > 1, {@link #imagesPerBlock} is 1. */
    final int blocksPerImage;
    /** The most rows a block holds. */
    final int blockRows;
    /** A 1×1, stride-1, unpadded window: the column matrix is the input itself. */
    final boolean pointwise;

    private Blocks(int pixels, int imagesPerBlock, int blocksPerImage, int blockRows, boolean pointwise) {
      this.pixels = pixels;
      this.imagesPerBlock = imagesPerBlock;
      this.blocksPerImage = blocksPerImage;
      this.blockRows = blockRows;
      this.pointwise = pointwise;
    }

    /** As many whole images as fit in {@link #COLS_TARGET} floats, else each image cut into equal row blocks that fit. */
    static Blocks of(ConvGeometry g) {
      int pixels = g.outPixels(), patch = g.patchSize();
      boolean pointwise = isPointwise(g);
      long perImage = (long) pixels * patch;
      if (perImage <= COLS_TARGET) {
        int images = (int) (COLS_TARGET / perImage);
        return new Blocks(pixels, images, 1, images * pixels, pointwise);
      }
      int maxRows = Math.max(1, COLS_TARGET / patch);
      int perImageBlocks = ceilDiv(pixels, maxRows);
      return new Blocks(pixels, 1, perImageBlocks, ceilDiv(pixels, perImageBlocks), pointwise);
    }

    /** A 1×1, stride-1, unpadded window: the column matrix is the input itself. */
    static boolean isPointwise(ConvGeometry g) {
      return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0;
    }

    /** Groups of {@link #imagesPerBlock} whole images; each holds {@link #blocksPerImage} blocks. */
    int groups(int batch) {
      return ceilDiv(batch, imagesPerBlock);
    }

    int blocks(int batch) {
      return groups(batch) * blocksPerImage;
    }

    /** First global row of block {@code i}. */
    int from(int i) {
      int group = i / blocksPerImage, j = i - group * blocksPerImage;
      return group * imagesPerBlock * pixels + j * blockRows;
    }

    /** One past the last global row of block {@code i}. */
    int to(int i, int batch) {
      int group = i / blocksPerImage;
      int groupEnd = Math.min(batch, (group + 1) * imagesPerBlock) * pixels;
      return Math.min(groupEnd, from(i) + blockRows);
    }

    /** Groups per {@link #backwardKernel} chunk: enough for {@link #KERNEL_CHUNK_ROWS} rows and at most {@link #MAX_KERNEL_CHUNKS} chunks. */
    int groupsPerKernelChunk(int batch) {
      return Math.max(ceilDiv(KERNEL_CHUNK_ROWS, imagesPerBlock * pixels), ceilDiv(groups(batch), MAX_KERNEL_CHUNKS));
    }
  }

  private static void checkKernel(ConvGeometry g, String what, float[] kernel) {
    int need = g.patchSize() * g.outC;
    if (kernel == null || kernel.length < need) {
      throw new IllegalArgumentException("conv2d: " + what + " has " + (kernel == null ? "no array" : kernel.length + " elements")
          + " but " + g + " needs " + g.kH + "x" + g.kW + "x" + g.inC + "x" + g.outC + " = " + need);
    }
  }

  static void check(ConvGeometry g, int batch, String what, float[] x, int perImage) {
    if (batch < 0) {
      throw new IllegalArgumentException("conv2d: batch must be >= 0, got " + batch);
    }
    long need = (long) batch * perImage;
    if (x == null || x.length < need) {
      throw new IllegalArgumentException("conv2d: " + what + " has " + (x == null ? "no array" : x.length + " elements")
          + " but batch " + batch + " with " + g + " needs " + need);
    }
  }
}
