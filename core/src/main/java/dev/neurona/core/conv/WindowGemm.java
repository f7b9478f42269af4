package dev.neurona.core.conv;

import dev.neurona.core.Parallel;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.MicroKernel;
import dev.neurona.core.kernels.KernelProvider;
import java.util.Arrays;

/**
 * A convolution as a GEMM whose A operand is read from the images in place ("implicit GEMM"): no
 * column matrix. On NHWC images the window of an output pixel is {@code kH} runs of
 * {@code kW·C} contiguous floats, one per window row, one (padded) image row apart, so
 * {@link MicroKernel#tileWindows} sums a tile of {@code mr} output pixels × {@code nr} output
 * channels straight from the image: row {@code r} of the tile reads from its own window corner.
 * im2col wrote those runs out first ({@code patch} floats per pixel, 25× the image for a 5×5
 * window) and the GEMM read them back.
 *
 * <p>The work is cut into blocks of whole output rows of one image ({@link #rowsPerBlock}); a block
 * reads the band of source rows its windows cover, copied with its zero padding into a buffer of
 * the calling thread, or in place when the convolution has no padding. Its pixels are taken
 * {@code mr} at a time in row-major order (a tile may span two output rows: each row of the tile has
 * its own offset); the last tile repeats its last pixel's offset for rows it does not write.
 *
 * <p>Every output element is one chain of products over the window ({@code kH} runs in order),
 * then {@code + bias}: its value depends on neither the block nor the thread, so results are
 * bit-identical for any thread count. The same operator with the kernel flipped and its channels
 * swapped computes a stride-1 convolution's input gradient ({@link #inputGradient}).
 */
final class WindowGemm {
  /**
   * Whether the convolution {@code g} (a forward geometry, or an input gradient's {@link ConvGeometry#transposed})
   * takes the window GEMM: always with the scalar micro-kernel and from JDK 25 on ({@link #IN_PLACE}), and
   * before that where its tiles {@link #gathers gather their windows} (windows of up to 1,040 floats; measured
   * on JDK 17, JDKs 18 to 24 do as 17). JDK 17's C2 boxes the vector accumulators of {@code tileWindows}' two
   * nested loops (runs, then k within a run): MNIST's second convolution forward on one thread ran at 112
   * images/s against 4,556 with im2col and the GEMM (AVX-512; 83 against 3,211 with AVX2).
   */
  static boolean serves(ConvGeometry g) {
    return IN_PLACE || gathers(g);
  }

  /**
   * Whether {@code g}'s output channels fit the kernel's {@link MicroKernel#narrowTiles narrow tiles} (one vector,
   * 512-bit vectors: 16 channels, half of the 8×32 tile's columns), read in place (JDK 25 on, as {@link #IN_PLACE}).
   * Flowers' second convolution's input gradient (90×90, 32 → 16 channels), {@code Alternate
   * inputgrad:flowers2,32}, JDK 25, AVX-512 (Zen 5), against im2col, the GEMM and col2im: 0.68 of the time on one
   * thread (23.4 → 15.9 ms), 0.67 on two (12.1 → 8.2 ms). A 16×16 tile took 0.85: its sixteen offsets spill in
   * place, so it ran from windows copied per tile. JDK 17 keeps im2col there (nested window loops box its
   * accumulators).
   */
  static boolean narrows(ConvGeometry g) {
    MicroKernel narrow = Gemm.kernel().narrowTiles();
    return IN_PLACE && narrow != Gemm.kernel() && g.outC <= narrow.nr();
  }

  /** The kernel whose tiles compute {@code g}: the narrow one, the gathering one, or the kernel itself. */
  private static MicroKernel tiles(ConvGeometry g) {
    return narrows(g) ? Gemm.kernel().narrowTiles() : gathers(g) ? Gemm.kernel().gatheringTiles() : Gemm.kernel();
  }

  /** The window tiles read the images in place: the scalar kernel, and the Vector API ones from JDK 25 on. */
  private static final boolean IN_PLACE = Gemm.kernel() == Gemm.scalarKernel() || Runtime.version().feature() >= 25;

  /**
   * Whether the window GEMM of {@code g} copies each tile's windows first ({@link MicroKernel#gatherWindows}),
   * a constant stride apart, and multiplies the copy in one loop ({@link MicroKernel#tileGathered}) with
   * the kernel's {@link MicroKernel#gatheringTiles} (its own six- or eight-row tile; the four-row kernel's
   * six-row one): where the windows fit ({@link MicroKernel#gatheredWindowLimit}) and either the tiles cannot
   * read them in place (JDK 17) or the gathering tile is taller than the kernel's own and two column slivers
   * or more share the copy. {@code Alternate}, 2 threads, batch 32 (MNIST 128), time:
   * <ul>
   *   <li>JDK 17, AVX2, against im2col + GEMM (+ col2im): forward MNIST's second convolution 0.85–0.88,
   *       captcha's 0.83, flowers' second 0.92 and third 0.91; input gradients flowers' second 0.79, third
   *       0.77. Before, one flat loop over k with a jump between runs avoided the boxing but ran at 64–67
   *       GFLOP/s (AVX2; 66–86 on AVX-512), below im2col's: its six row offsets spilled.
   *   <li>JDK 17, AVX-512 (the eight-row tile, Zen 5), against im2col + GEMM: forward MNIST 0.70, flowers'
   *       second 0.96 and third 0.82, captcha 0.88; input gradient flowers' third 0.88.
   *   <li>JDK 25, AVX2, the six-row tile against the four-row tile in place: forward MNIST 0.89, captcha 0.86,
   *       flowers 0.98 and 0.93; input gradient flowers' third 0.91, but flowers' second (16 channels, one
   *       sliver) 1.12: in place. The eight-row tile gathering against itself in place (AVX-512, Zen 5):
   *       forward MNIST 1.06, flowers' third 1.06, captcha 1.00, input gradient flowers' third 1.03: in place.
   * </ul>
   */
  static boolean gathers(ConvGeometry g) {
    MicroKernel gathering = Gemm.kernel().gatheringTiles();
    return g.patchSize() <= gathering.gatheredWindowLimit() && (!IN_PLACE
        || gathering.mr() > Gemm.kernel().mr() && Convolution.ceilDiv(g.outC, gathering.nr()) >= 2);
  }

  /** About this many output pixels per block (whole output rows): a band of source rows stays in L1/L2. */
  static final int BLOCK_PIXELS = 128;

  private static final ThreadLocal<float[]> BAND = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<int[]> OFFSETS = ThreadLocal.withInitial(() -> new int[0]);
  private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[0]);
  /** The calling thread's copy of one tile's windows, where the tiles gather them ({@link #gather}). */
  private static final ThreadLocal<float[]> GATHERED = ThreadLocal.withInitial(() -> new float[0]);
  /** The calling thread's packed B (forward and input gradient alike), storage reused across calls. */
  private static final ThreadLocal<float[]> PACKED = ThreadLocal.withInitial(() -> new float[0]);

  /** The operator: source images {@code (inH, inW, inC)}, window, strides, padding, output {@code (outH, outW, outC)}. */
  final ConvGeometry g;
  /** Padded extent that the windows cover: the band buffer's row width, in pixels. */
  final int paddedW;
  /** No zero padding anywhere: blocks read the source in place. */
  final boolean inPlace;
  final MicroKernel mk;
  /** B (patch, outC) in slivers of nr columns, each {@code (patch, nr)}, zero-padded columns. */
  final float[] packed;
  /** The tiles copy their windows before multiplying them ({@link #gathers}). */
  final boolean gather;

  private WindowGemm(ConvGeometry g, MicroKernel mk, float[] packed, boolean gather) {
    this.g = g;
    this.mk = mk;
    this.packed = packed;
    this.gather = gather;
    this.paddedW = (g.outW - 1) * g.strideW + g.kW;
    int paddedH = (g.outH - 1) * g.strideH + g.kH;
    this.inPlace = g.padTop == 0 && g.padLeft == 0 && paddedW == g.inW && paddedH <= g.inH;
  }

  /** The forward convolution of {@code g}: B is the kernel {@code (kH·kW·inC, outC)} as stored. */
  static WindowGemm forward(ConvGeometry g, float[] kernel) {
    MicroKernel mk = tiles(g);
    boolean gather = !narrows(g) && gathers(g);
    int patch = g.patchSize(), outC = g.outC;
    float[] bp = pack(mk, patch, outC, (k, col) -> kernel[k * outC + col]);
    return new WindowGemm(g, mk, bp, gather);
  }

  /**
   * {@code dInput = conv(dOut, flipped kernel)} for a stride-1 convolution {@code g}: input pixel
   * {@code (y, x)} collects {@code dOut (y + padTop - ky, x + padLeft - kx)·K (ky, kx)}, a convolution
   * of dOut padded by {@code kH - 1 - padTop} (top) and {@code kW - 1 - padLeft} (left) with the kernel
   * turned 180° and its channels swapped: {@code K' (ky, kx, o, c) = K (kH-1-ky, kW-1-kx, c, o)}.
   */
  static WindowGemm inputGradient(ConvGeometry g, float[] kernel) {
    ConvGeometry t = g.transposed();
    MicroKernel mk = tiles(t);
    boolean gather = !narrows(t) && gathers(t);
    float[] turned = turnedKernel(g, kernel);
    float[] bp = pack(mk, g.kH * g.kW * g.outC, g.inC, (k, c) -> turned[k * g.inC + c]);
    return new WindowGemm(g.transposed(), mk, bp, gather);
  }

  /**
   * The kernel of the input gradient's convolution ({@link ConvGeometry#transposed}): {@code kernel (kH, kW, inC,
   * outC)} turned 180° with its channels swapped, {@code K' (ky, kx, o, c) = K (kH-1-ky, kW-1-kx, c, o)}, as a new
   * {@code (kH, kW, outC, inC)} array. {@link #inputGradient} packs it; {@link Winograd#backwardInput} transforms it.
   */
  static float[] turnedKernel(ConvGeometry g, float[] kernel) {
    int kH = g.kH, kW = g.kW, inC = g.inC, outC = g.outC;
    float[] turned = new float[kH * kW * outC * inC];
    for (int ky = 0; ky < kH; ky++) {
      for (int kx = 0; kx < kW; kx++) {
        int to = (ky * kW + kx) * outC * inC, from = ((kH - 1 - ky) * kW + (kW - 1 - kx)) * inC * outC;
        for (int c = 0; c < inC; c++) {
          for (int o = 0; o < outC; o++) {
            turned[to + o * inC + c] = kernel[from + c * outC + o];
          }
        }
      }
    }
    return turned;
  }

  private interface Element {
    float at(int k, int col);
  }

  /** B {@code (k, n)} into the calling thread's buffer: slivers of nr columns, each k rows of nr floats. */
  private static float[] pack(MicroKernel mk, int k, int n, Element b) {
    int nr = mk.nr(), slivers = (n + nr - 1) / nr;
    float[] bp = Convolution.scratch(PACKED, slivers * k * nr);
    for (int j = 0; j < slivers; j++) {
      int cols = Math.min(nr, n - j * nr);
      for (int p = 0; p < k; p++) {
        int o = (j * k + p) * nr;
        for (int c = 0; c < cols; c++) {
          bp[o + c] = b.at(p, j * nr + c);
        }
        Arrays.fill(bp, o + cols, o + nr, 0f);
      }
    }
    return bp;
  }

  /** Output rows per block: about {@link #BLOCK_PIXELS} pixels. Depends only on the geometry. */
  private int rowsPerBlock() {
    return Math.min(g.outH, Math.max(1, (BLOCK_PIXELS + g.outW - 1) / g.outW));
  }

  private int blocksPerImage() {
    int rows = rowsPerBlock();
    return (g.outH + rows - 1) / rows;
  }

  /**
   * Every output row of {@code batch} images, blocks in parallel: {@code out (batch, outH, outW, outC)}
   * overwritten with {@link #rows}, then {@code max(out, 0)} per block while it is in cache when
   * {@code relu}.
   */
  void batch(float[] src, int batch, float[] bias, boolean relu, float[] out) {
    int rows = rowsPerBlock(), blocks = blocksPerImage(), outRow = g.outW * g.outC;
    Parallel.forRange(batch * blocks, 1, (from, to) -> {
      for (int i = from; i < to; i++) {
        int n = i / blocks, oy0 = (i - n * blocks) * rows, oy1 = Math.min(g.outH, oy0 + rows);
        rows(src, n, oy0, oy1, bias, relu, out, (n * g.outH + oy0) * outRow);
      }
    });
  }

  /**
   * Output rows {@code [from, to)} of image {@code n} into {@code out[outOff ..]}, block after block of
   * {@link #rowsPerBlock} rows on the calling thread, as {@link #batch}.
   */
  void image(float[] src, int n, int from, int to, float[] bias, boolean relu, float[] out, int outOff) {
    int rows = rowsPerBlock(), outRow = g.outW * g.outC;
    for (int oy0 = from; oy0 < to; oy0 += rows) {
      rows(src, n, oy0, Math.min(to, oy0 + rows), bias, relu, out, outOff + (oy0 - from) * outRow);
    }
  }

  /**
   * Output rows {@code [oy0, oy1)} of image {@code n}:
   * {@code out[outOff + (pixel - oy0·outW)·outC + c] = Σ window · B + bias[c]} (bias may be null),
   * overwriting, then {@code max(out, 0)} over those rows while they are in cache when {@code relu}.
   * Uses the calling thread's buffers.
   */
  private void rows(float[] src, int n, int oy0, int oy1, float[] bias, boolean relu, float[] out, int outOff) {
    int mr = mk.mr(), nr = mk.nr(), patch = g.patchSize(), run = g.kW * g.inC;
    int bandTop = oy0 * g.strideH - g.padTop; // first source row the band holds (may be negative: padding)
    int bandRows = (oy1 - 1 - oy0) * g.strideH + g.kH;
    float[] a;
    int base;
    if (inPlace) {
      a = src;
      base = n * g.inSize() + bandTop * g.inW * g.inC;
    } else {
      a = band(src, n, bandTop, bandRows);
      base = 0;
    }
    int rowStep = paddedW * g.inC, pixels = (oy1 - oy0) * g.outW, tiles = (pixels + mr - 1) / mr;
    int[] offsets = offsets(OFFSETS, tiles * mr);
    // Pixel by pixel in row-major order, without a division per pixel; the last tile repeats the last pixel.
    int yStep = g.strideH * rowStep, xStep = g.strideW * g.inC;
    for (int p = 0, rowStart = base, ox = 0; p < pixels; p++) {
      offsets[p] = rowStart + ox * xStep;
      if (++ox == g.outW) {
        ox = 0;
        rowStart += yStep;
      }
    }
    Arrays.fill(offsets, pixels, tiles * mr, offsets[pixels - 1]);
    float[] acc = Convolution.scratch(ACC, mr * nr);
    float[] windows = gather ? Convolution.scratch(GATHERED, mr * mk.gatheredWindowLimit()) : null;
    for (int t = 0; t < tiles; t++) {
      int rows = Math.min(mr, pixels - t * mr);
      if (gather) { // once for all the tile's column slivers
        mk.gatherWindows(g.kH, run, rowStep, a, offsets, t * mr, windows);
      }
      for (int j = 0; j * nr < g.outC; j++) {
        int cols = Math.min(nr, g.outC - j * nr), o = outOff + t * mr * g.outC + j * nr;
        if (!gather && rows == mr && cols == nr) { // a whole tile, bias added and stored by the kernel
          mk.tileWindowsStore(g.kH, run, rowStep, a, offsets, t * mr, packed, j * patch * nr, acc, bias, j * nr, out, o,
              g.outC);
          continue;
        }
        if (gather) {
          mk.tileGathered(patch, windows, packed, j * patch * nr, acc);
        } else {
          mk.tileWindows(g.kH, run, rowStep, a, offsets, t * mr, packed, j * patch * nr, acc);
        }
        if (rows == mr && cols == nr) { // a whole gathered tile: 1·acc (+ 1·bias), as tileWindowsStore
          mk.update(acc, 1f, bias == null ? 0f : 1f, bias, j * nr, 0, out, o, g.outC);
        } else {
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              // update's formula: 1·acc + 1·bias, one rounding (1·x is exact)
              out[o + r * g.outC + c] = bias == null ? acc[r * nr + c] : acc[r * nr + c] + bias[j * nr + c];
            }
          }
        }
      }
    }
    if (relu) {
      KernelProvider.kernels().relu(out, outOff, out, outOff, pixels * g.outC);
    }
  }

  /** Source rows {@code [top, top + rows)} of image n, zero where outside, left padding added: {@code (rows, paddedW, inC)}. */
  private float[] band(float[] src, int n, int top, int rows) {
    int width = paddedW * g.inC;
    float[] band = Convolution.scratch(BAND, rows * width);
    int image = n * g.inSize(), copyW = Math.min(g.inW, paddedW - g.padLeft) * g.inC, left = g.padLeft * g.inC;
    for (int r = 0; r < rows; r++) {
      int y = top + r, o = r * width;
      if (y < 0 || y >= g.inH) {
        Arrays.fill(band, o, o + width, 0f);
        continue;
      }
      Arrays.fill(band, o, o + left, 0f);
      System.arraycopy(src, image + y * g.inW * g.inC, band, o + left, copyW);
      Arrays.fill(band, o + left + copyW, o + width, 0f);
    }
    return band;
  }

  private static int[] offsets(ThreadLocal<int[]> cache, int n) {
    int[] a = cache.get();
    if (a.length < n) {
      a = new int[n];
      cache.set(a);
    }
    return a;
  }
}
