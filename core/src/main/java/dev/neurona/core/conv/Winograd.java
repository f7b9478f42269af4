package dev.neurona.core.conv;

import dev.neurona.core.Parallel;
import dev.neurona.core.gemm.Gemm;
import dev.neurona.core.gemm.MicroKernel;
import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * 3×3 and 5×5 stride-1 convolutions with Winograd's minimal filtering F(2×2, r×r) (Lavin and Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016): each 2×2 block of convolution outputs (when pooled, the
 * window one pooled value comes from) is computed from an {@code α×α} input tile ({@code α = r + 1}) with
 * {@code α²} multiplications per channel pair instead of {@code 4r²}: 16 instead of 36 for 3×3, 36 instead of 100
 * for 5×5.
 *
 * <p>For one tile {@code d} (α×α, per input channel) and one filter {@code g} (r×r):
 * {@code Y = Aᵀ·[(G·g·Gᵀ) ⊙ (Bᵀ·d·B)]·A} (2×2), the sum running over input channels inside the
 * brackets. With {@code U[ξ] = G·g·Gᵀ} (per channel pair, kept while the kernel is unchanged:
 * {@link #filters}) and {@code V[ξ] = Bᵀ·d·B} (per tile and channel), the {@code α²} positions
 * {@code ξ} are independent products {@code M[ξ] (tiles, outC) = V[ξ] (tiles, inC) · U[ξ] (inC, outC)},
 * run by the GEMM's micro-kernel; then {@code max(Aᵀ·M·A) + bias} is the pooled output
 * ({@link Kernels#winogradInput}, {@link Kernels#winogradMaxPool}). F(2, 3) uses the points 0, 1, −1
 * and ∞ (Lavin's matrices); F(2, 5) the points 0, 1, −1, 2, −½ and ∞, with {@code Bᵀ}'s rows scaled
 * to small integers and {@code G}'s rows by the inverse scales.
 *
 * <p>Where it runs: inference's convolution + 2×2 max pooling ({@link #forwardMaxPool}, pooled tile by tile);
 * training's fused convolution + pooling ({@link #forwardMaxPoolTraining}: the tiles' outputs, then the pooling with
 * argmax); and the two gradients, which are Winograd convolutions too: the input gradient is the convolution of
 * {@code dOut} by the turned kernel ({@link #backwardInput}), the kernel gradient runs the chain rule through the
 * tile's transforms ({@link #backwardKernel}).
 *
 * <p>Memory: the α² matrices of a chunk lie {@link #skew} apart, not a power of two: at 4 or 8 KB apart the α² rows
 * one tile's transform writes share one L1 set, and the transforms ran at a fraction of their speed.
 *
 * <p>Accuracy: not the bits of the direct sum. In float, the error of one 5×5 output is a few times
 * that of the im2col product (measured on random 32-channel tiles: 2·10⁻⁶ against 2·10⁻⁷ of values
 * near 2); F(2, 3)'s transforms only add, subtract and halve. Every output depends only on its own
 * tile, and the tiles are cut from the batch in fixed chunks, so the results do not depend on the
 * batch size or the thread count.
 *
 * <p>Speed: see benchmarks/README.md (tenth session for inference, nineteenth for training).
 */
public final class Winograd {
  /** {@code G} of F(2, 5), rows scaled by the inverse of {@code Bᵀ}'s row scales. */
  private static final float[][] G5 = {
      {1f / 2, 0, 0, 0, 0},
      {1f / 6, 1f / 6, 1f / 6, 1f / 6, 1f / 6},
      {1f / 6, -1f / 6, 1f / 6, -1f / 6, 1f / 6},
      {1f / 30, 1f / 15, 2f / 15, 4f / 15, 8f / 15},
      {16f / 15, -8f / 15, 4f / 15, -2f / 15, 1f / 15},
      {0, 0, 0, 0, 1f / 2}};
  /** {@code G} of F(2, 3). */
  private static final float[][] G3 = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
  /** Tiles per chunk, in micro-kernel row groups: each thread transforms, multiplies and pools one chunk at a time. */
  static final int GROUPS_PER_CHUNK = 4;
  /** Input channels below which the 36 products are too short to pay (a first layer). */
  static final int MIN_IN_CHANNELS = 8;

  private static volatile boolean enabled = !"false".equals(System.getProperty("neurona.conv.winograd"));

  /**
   * Each thread's buffers for one chunk, reused across calls ({@link Convolution#scratch}): V and M of the
   * chunk, a zero-padded border tile, the transforms' temporary and one micro-kernel tile of sums.
   */
  private static final ThreadLocal<float[]> V = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> M = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> PATCH = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> TMP = ThreadLocal.withInitial(() -> new float[0]);
  private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[0]);

  private Winograd() {}

  /**
   * Whether {@link Convolution#forwardMaxPool}, {@link Convolution#backwardInput} and
   * {@link Convolution#backwardKernel} take this path where it applies (default on; off with
   * {@code -Dneurona.conv.winograd=false} or {@link #setEnabled}). Off, they give the bits of the direct sums
   * ({@link Convolution#forward} followed by the pooling, im2col or window GEMMs).
   */
  public static boolean enabled() {
    return enabled;
  }

  /** Turns the Winograd paths ({@link #enabled}) on or off for every thread. */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /**
   * True for a convolution {@link #supports} takes, pooled 2×2 with stride 2 and no padding (partial windows at an
   * odd edge dropped, as "valid" pooling does): what {@link #forwardMaxPool} (inference) takes.
   */
  static boolean applies(ConvGeometry g, ConvGeometry pool) {
    return supports(g) && pool.kH == 2 && pool.kW == 2 && pool.strideH == 2 && pool.strideW == 2 && pool.padTop == 0
        && pool.padLeft == 0 && 2 * pool.outH <= g.outH && 2 * pool.outW <= g.outW;
  }

  /**
   * {@code output (batch, pool.outH, pool.outW, outC) = maxPool(relu?(conv(input, kernel) + bias))} for a
   * geometry where {@link #applies} holds; arguments checked by the caller.
   */
  static void forwardMaxPool(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, boolean relu,
      ConvGeometry pool, float[] output) {
    MicroKernel mk = Gemm.kernel();
    Kernels k = KernelProvider.kernels();
    int r = g.kH, alpha = r + 1, xis = alpha * alpha;
    int mr = mk.mr(), nr = mk.nr(), slivers = Convolution.ceilDiv(g.outC, nr), np = slivers * nr;
    float[] u = filters(g, kernel, nr, slivers);
    int ph = pool.outH, pw = pool.outW, perImage = ph * pw, tiles = batch * perImage;
    int chunk = mr * GROUPS_PER_CHUNK, chunks = Convolution.ceilDiv(tiles, chunk), inC = g.inC, outC = g.outC;
    int vStride = skew(chunk * inC), mStride = skew(chunk * np); // ξ apart
    Parallel.forRange(chunks, 1, (from, to) -> {
      float[] v = Convolution.scratch(V, xis * vStride), m = Convolution.scratch(M, xis * mStride);
      float[] patch = Convolution.scratch(PATCH, xis * inC), acc = Convolution.scratch(ACC, mr * nr);
      float[] tmp = Convolution.scratch(TMP, Math.max(xis * inC, 2 * alpha * outC));
      for (int ch = from; ch < to; ch++) {
        int first = ch * chunk, count = Math.min(chunk, tiles - first), groups = Convolution.ceilDiv(count, mr);
        inputTiles(k, g, input, first, count, perImage, pw, tmp, patch, v, vStride);
        products(mk, xis, slivers, inC, groups, v, vStride, u, acc, m, mStride);
        for (int t = 0; t < count; t++) { // out = max(Aᵀ·M·A) + bias
          int tile = first + t;
          k.winogradMaxPool(r, m, t * np, mStride, outC, bias, relu, tmp, output, tile * outC);
        }
      }
    });
  }

  /**
   * True for a 3×3 or 5×5 stride-1 convolution of at least {@link #MIN_IN_CHANNELS} input channels, any
   * padding: what {@link #forward} and {@link #forwardMaxPoolTraining} take.
   */
  static boolean supports(ConvGeometry g) {
    return (g.kH == 3 || g.kH == 5) && g.kW == g.kH && g.strideH == 1 && g.strideW == 1 && g.inC >= MIN_IN_CHANNELS;
  }

  /**
   * The input gradient of a convolution is a convolution of {@code dOut} ({@link ConvGeometry#transposed}):
   * Winograd's where {@link #supports} holds for that one (at least {@link #MIN_IN_CHANNELS} output channels
   * here), except where the window GEMM's narrow tiles take it ({@link WindowGemm#narrows}: flowers' 32 → 16 on
   * JDK 25, 1.05 of their time). Measured against the window GEMM or im2col ({@code Alternate inputgrad}, 2 threads,
   * JDK 25 / JDK 17): MNIST's 5×5 32 → 64 0.85 / 0.53, flowers' 3×3 64 → 32 0.82 / 0.74, flowers' 32 → 16 on JDK 17
   * 0.80; captcha's 5×5 50 → 20 1.03 on JDK 25 (20 channels fill 20/32 of a tile).
   */
  static boolean supportsInputGradient(ConvGeometry g) {
    return g.strideH == 1 && g.strideW == 1 && supports(g.transposed()) && !WindowGemm.narrows(g.transposed());
  }

  /**
   * {@code output (batch, outH, outW, outC) = relu?(conv(input, kernel) + bias)} for a geometry where
   * {@link #supports} holds, {@code bias} may be null; arguments checked by the caller. The output is cut
   * into 2×2 tiles (the last row or column of tiles keeps one row or column of an odd-sized output).
   */
  static void forward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, boolean relu,
      float[] output) {
    Tiles t = Tiles.of(g, kernel);
    Parallel.forRange(batch, 1, (from, to) -> t.convolve(input, bias, relu, from, to, output, 0));
  }

  /**
   * The training form of {@link #forwardMaxPool}: {@code output} and {@code argmax} as
   * {@link Kernels#maxPoolForward} makes them from this convolution's output (computed here, a few images
   * at a time into a buffer of the calling thread, and pooled from there). For a geometry where
   * {@link #supports} holds and a pooling of its output; arguments checked by the caller.
   */
  static void forwardMaxPoolTraining(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias,
      boolean relu, ConvGeometry pool, float[] output, int[] argmax) {
    Kernels k = KernelProvider.kernels();
    Tiles t = Tiles.of(g, kernel);
    int imageOut = g.outSize(), pooledOut = pool.outSize(), group = Math.max(1, Convolution.ceilDiv(t.chunk, t.perImage));
    Parallel.forRange(batch, 1, (from, to) -> {
      float[] conv = Convolution.scratch(CONV, group * imageOut);
      for (int n0 = from; n0 < to; n0 += group) {
        int n1 = Math.min(to, n0 + group);
        t.convolve(input, bias, relu, n0, n1, conv, n0);
        for (int n = n0; n < n1; n++) {
          k.maxPoolForward(pool, conv, (n - n0) * imageOut, output, n * pooledOut, argmax, n * pooledOut);
        }
      }
    });
  }

  /**
   * {@code dInput (batch, inH, inW, inC)} from {@code dOut (batch, outH, outW, outC)}, overwritten: the
   * convolution of {@code dOut} by the kernel turned 180° with its channels swapped
   * ({@link ConvGeometry#transposed}), by Winograd's algorithm, for a geometry where
   * {@link #supportsInputGradient} holds; arguments checked by the caller. The filters are transformed on
   * every call (the kernel changes with every training step).
   */
  static void backwardInput(ConvGeometry g, int batch, float[] dOut, float[] kernel, float[] dInput) {
    ConvGeometry gt = g.transposed();
    float[] flipped = WindowGemm.turnedKernel(g, kernel); // (kH, kW, outC, inC)
    int nr = Gemm.kernel().nr();
    Tiles t = new Tiles(gt, transform(gt, flipped, nr, Convolution.ceilDiv(gt.outC, nr)));
    Parallel.forRange(batch, 1, (from, to) -> t.convolve(dOut, null, false, from, to, dInput, 0));
  }

  /**
   * {@code dKernel (kH, kW, inC, outC) += input ⋆ dOut} by Winograd's algorithm, for a geometry where
   * {@link #supportsKernelGradient} holds; arguments checked by the caller. With {@code Y = Aᵀ·[U ⊙ V]·A}
   * per tile and {@code U = G·g·Gᵀ}, the chain rule gives {@code dU[ξ] = Σ_tiles V[ξ]ᵀ·dM[ξ]} with
   * {@code dM = A·dY·Aᵀ} ({@link Kernels#winogradOutputBackward}), and {@code dg = Gᵀ·dU·G}: α² products
   * (inC × tiles) · (tiles × outC) instead of one (inC·r² × pixels) · (pixels × outC), 2.8× fewer multiply-adds
   * for 5×5. The tiles are those of {@link #forward}; each fixed block of images ({@link #KERNEL_BLOCKS} at most,
   * whatever the thread count) sums its tiles in order into its own {@code dU}, and the blocks are added in
   * order: the same bits for any thread count.
   */
  static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel) {
    MicroKernel mk = Gemm.kernel();
    Kernels k = KernelProvider.kernels();
    int r = g.kH, alpha = r + 1, xis = alpha * alpha, mr = mk.mr(), nr = mk.nr(), inC = g.inC, outC = g.outC;
    int rows = Convolution.ceilDiv(inC, mr) * mr, slivers = Convolution.ceilDiv(outC, nr), np = slivers * nr;
    int tilesW = Convolution.ceilDiv(g.outW, 2), perImage = Convolution.ceilDiv(g.outH, 2) * tilesW;
    int chunk = mr * GROUPS_PER_CHUNK, size = xis * rows * np, outRow = g.outW * outC;
    int vStride = skew(chunk * inC), mStride = skew(slivers * chunk * nr); // ξ apart
    int images = Convolution.ceilDiv(batch, Math.min(batch, KERNEL_BLOCKS));
    int blocks = Convolution.ceilDiv(batch, images);
    float[] partials = Convolution.scratch(PARTIALS, blocks * size); // every block's first chunk overwrites its dU
    Parallel.forChunks(batch, images, (blk, n0, n1) -> {
      // v: the chunk's V[ξ][t][c] (plus a row group's overhang past the last channel); dm: dM[ξ][sliver][t][nr]
      float[] v = Convolution.scratch(V, xis * vStride + mr), dm = Convolution.scratch(M, xis * mStride);
      float[] patch = Convolution.scratch(PATCH, xis * inC), acc = Convolution.scratch(ACC, mr * nr);
      float[] tmp = Convolution.scratch(TMP, Math.max(xis * inC, 2 * alpha * nr));
      int base = blk * size, last = n1 * perImage;
      for (int first = n0 * perImage; first < last; first += chunk) {
        int count = Math.min(chunk, last - first);
        inputTiles(k, g, input, first, count, perImage, tilesW, tmp, patch, v, vStride);
        for (int t = 0; t < count; t++) { // dM[ξ][t] = (A·dY·Aᵀ)[ξ], a sliver of channels at a time
          int tile = first + t, n = tile / perImage, oy = 2 * (tile % perImage / tilesW), ox = 2 * (tile % tilesW);
          int dy = n * g.outSize() + oy * outRow + ox * outC;
          for (int sl = 0; sl < slivers; sl++) {
            k.winogradOutputBackward(r, dOut, dy + sl * nr, outRow, outC, Math.min(nr, outC - sl * nr),
                Math.min(2, g.outH - oy), Math.min(2, g.outW - ox), tmp, dm, (sl * chunk + t) * nr, mStride);
          }
        }
        boolean accumulate = first > n0 * perImage; // the block's first chunk overwrites its dU
        for (int xi = 0; xi < xis; xi++) { // dU[ξ] (inC, np) += V[ξ]ᵀ (inC, tiles) · dM[ξ] (tiles, np)
          for (int sl = 0; sl < slivers; sl++) {
            int bOff = xi * mStride + sl * chunk * nr;
            for (int c0 = 0; c0 < rows; c0 += mr) {
              mk.tileTransposedAInto(count, v, xi * vStride + c0, inC, dm, bOff, acc, accumulate, partials,
                  base + (xi * rows + c0) * np + sl * nr, np);
            }
          }
        }
      }
    });
    float[][] gm = r == 3 ? G3 : G5;
    Parallel.forRange(inC, 1, (from, to) -> {
      float[] du = new float[xis * outC], t = new float[alpha * r * outC], sum = new float[outC];
      for (int c = from; c < to; c++) { // input channel c's row of every dU[ξ], then dg = Gᵀ·dU·G, filters innermost
        Arrays.fill(du, 0f);
        for (int blk = 0; blk < blocks; blk++) { // Σ over blocks, in block order
          for (int xi = 0; xi < xis; xi++) {
            int o0 = blk * size + (xi * rows + c) * np;
            for (int o = 0; o < outC; o++) {
              du[xi * outC + o] += partials[o0 + o];
            }
          }
        }
        Arrays.fill(t, 0f);
        for (int a = 0; a < alpha; a++) { // t[a][x][o] = Σ_b dU[a][b][c][o]·G[b][x]
          for (int b = 0; b < alpha; b++) {
            int at = (alpha * a + b) * outC;
            for (int x = 0; x < r; x++) {
              float w = gm[b][x];
              if (w != 0f) {
                int tt = (a * r + x) * outC;
                for (int o = 0; o < outC; o++) {
                  t[tt + o] += w * du[at + o];
                }
              }
            }
          }
        }
        for (int y = 0; y < r; y++) { // dKernel[y][x][c][o] += Σ_a G[a][y]·t[a][x][o]
          for (int x = 0; x < r; x++) {
            Arrays.fill(sum, 0f);
            for (int a = 0; a < alpha; a++) {
              float w = gm[a][y];
              if (w != 0f) {
                int tt = (a * r + x) * outC;
                for (int o = 0; o < outC; o++) {
                  sum[o] += w * t[tt + o];
                }
              }
            }
            int kk = ((y * r + x) * inC + c) * outC;
            for (int o = 0; o < outC; o++) {
              dKernel[kk + o] += sum[o];
            }
          }
        }
      }
    });
  }

  /**
   * {@code n} floats rounded up to whole cache lines plus one: the distance between the α² matrices of a chunk. At a
   * power of two (4 or 8 KB for 32 tiles of 32 or 64 channels) the α² rows a transform writes map to one L1 set.
   */
  static int skew(int n) {
    return (n + 15) / 16 * 16 + 16;
  }

  /** Blocks of images {@link #backwardKernel} sums separately, at most: few enough partials, enough to share out. */
  static final int KERNEL_BLOCKS = 8;

  /**
   * Where {@link #backwardKernel} takes this path: wherever {@link #supports} holds. Against the im2col or in-place
   * kernel gradients ({@code Alternate kernelgrad}, 2 threads, JDK 25 / JDK 17): MNIST's 5×5 32 → 64 0.61 / 0.64,
   * captcha's 20 → 50 0.69 (JDK 25), flowers' 3×3 16 → 32 0.81 / 0.74, 32 → 64 0.67 / 0.75.
   */
  static boolean supportsKernelGradient(ConvGeometry g) {
    return supports(g);
  }

  /** The calling thread's per-block kernel gradients for {@link #backwardKernel}, reused across calls. */
  private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[0]);

  /** Each thread's convolution output for {@link #forwardMaxPoolTraining}'s images in hand. */
  private static final ThreadLocal<float[]> CONV = ThreadLocal.withInitial(() -> new float[0]);

  /**
   * One convolution cut into 2×2 output tiles: tile {@code (ty, tx)} of an image makes outputs
   * {@code (2ty.., 2tx..)} from the α×α input window at {@code (2ty − padTop, 2tx − padLeft)}. The tiles of
   * a range of images go through in chunks of {@link #GROUPS_PER_CHUNK} micro-kernel row groups, as in
   * {@link #forwardMaxPool}: transform, the α² products, the output transform. Each output depends only on
   * its own tile: the same bits for any split.
   */
  private static final class Tiles {
    final ConvGeometry g;
    final float[] u;
    final int r, alpha, xis, mr, nr, slivers, np, tilesW, perImage, chunk;

    /** The tiles of {@code g} with the transformed filters of {@code kernel} ({@link #filters}, kept between calls). */
    static Tiles of(ConvGeometry g, float[] kernel) {
      int nr = Gemm.kernel().nr();
      return new Tiles(g, filters(g, kernel, nr, Convolution.ceilDiv(g.outC, nr)));
    }

    Tiles(ConvGeometry g, float[] u) {
      MicroKernel mk = Gemm.kernel();
      this.g = g;
      this.u = u;
      r = g.kH;
      alpha = r + 1;
      xis = alpha * alpha;
      mr = mk.mr();
      nr = mk.nr();
      slivers = Convolution.ceilDiv(g.outC, nr);
      np = slivers * nr;
      tilesW = Convolution.ceilDiv(g.outW, 2);
      perImage = Convolution.ceilDiv(g.outH, 2) * tilesW;
      chunk = mr * GROUPS_PER_CHUNK;
    }

    /** Images {@code [n0, n1)} of {@code input} into {@code out}, whose first image is image {@code outImage0}. */
    void convolve(float[] input, float[] bias, boolean relu, int n0, int n1, float[] out, int outImage0) {
      MicroKernel mk = Gemm.kernel();
      Kernels k = KernelProvider.kernels();
      int inC = g.inC, outC = g.outC, outRow = g.outW * outC, vStride = skew(chunk * inC), mStride = skew(chunk * np);
      float[] v = Convolution.scratch(V, xis * vStride), m = Convolution.scratch(M, xis * mStride);
      float[] patch = Convolution.scratch(PATCH, xis * inC), acc = Convolution.scratch(ACC, mr * nr);
      float[] tmp = Convolution.scratch(TMP, Math.max(xis * inC, 2 * alpha * outC));
      int last = n1 * perImage;
      for (int first = n0 * perImage; first < last; first += chunk) {
        int count = Math.min(chunk, last - first), groups = Convolution.ceilDiv(count, mr);
        inputTiles(k, g, input, first, count, perImage, tilesW, tmp, patch, v, vStride);
        products(mk, xis, slivers, inC, groups, v, vStride, u, acc, m, mStride);
        for (int t = 0; t < count; t++) { // out = relu?(Aᵀ·M·A + bias), clipped at the output's edges
          int tile = first + t, n = tile / perImage, oy = 2 * (tile % perImage / tilesW), ox = 2 * (tile % tilesW);
          k.winogradOutput(r, m, t * np, mStride, outC, bias, relu, tmp, out,
              (n - outImage0) * g.outSize() + oy * outRow + ox * outC, outRow, Math.min(2, g.outH - oy),
              Math.min(2, g.outW - ox));
        }
      }
    }
  }

  /**
   * The transformed filters of {@code kernel}: computed by {@link #transform} on the first call for a
   * kernel array, then reused while the array holds the same values. Each entry keeps a copy of the
   * kernel it was made from and is compared with it on every call ({@link Arrays#equals}, a few
   * microseconds against the transform's half millisecond, which would double the time of a
   * one-image prediction), so weights changed by training or by hand are always seen. Entries go
   * with their kernel arrays (weak keys); a changed kernel gets a new entry, so a call still reading
   * the old one is unaffected.
   */
  static float[] filters(ConvGeometry g, float[] kernel, int nr, int slivers) {
    int n = g.patchSize() * g.outC;
    Filters f;
    synchronized (FILTERS) {
      f = FILTERS.get(kernel);
    }
    if (f != null && f.r == g.kH && f.inC == g.inC && f.outC == g.outC && f.nr == nr && f.kernel.length == n
        && Arrays.equals(f.kernel, 0, n, kernel, 0, n)) {
      return f.u;
    }
    f = new Filters(g.kH, g.inC, g.outC, nr, Arrays.copyOf(kernel, n), transform(g, kernel, nr, slivers));
    synchronized (FILTERS) {
      FILTERS.put(kernel, f);
    }
    return f.u;
  }

  /** Transformed filters by kernel array (identity), with the values they were made from. */
  private static final Map<float[], Filters> FILTERS = new WeakHashMap<>();

  private record Filters(int r, int inC, int outC, int nr, float[] kernel, float[] u) {}

  /**
   * {@code U[ξ] = G·g·Gᵀ} for every channel pair, packed as the micro-kernel's B slivers:
   * {@code u[((ξ·slivers + s)·inC + c)·nr + j]} holds filter {@code o = s·nr + j} (zero past outC). Loops
   * over the filters innermost (contiguous in the kernel).
   */
  static float[] transform(ConvGeometry g, float[] kernel, int nr, int slivers) {
    int r = g.kH, alpha = r + 1, inC = g.inC, outC = g.outC;
    float[][] gm = r == 3 ? G3 : G5;
    float[] u = new float[alpha * alpha * slivers * inC * nr];
    float[] t = new float[alpha * r * outC], row = new float[slivers * nr];
    for (int c = 0; c < inC; c++) {
      Arrays.fill(t, 0f); // t[a][x][o] = Σ_y G[a][y]·g[y][x][c][o]
      for (int a = 0; a < alpha; a++) {
        for (int x = 0; x < r; x++) {
          int to = (a * r + x) * outC;
          for (int y = 0; y < r; y++) {
            float w = gm[a][y];
            if (w != 0f) {
              int from = ((y * r + x) * inC + c) * outC;
              for (int o = 0; o < outC; o++) {
                t[to + o] += w * kernel[from + o];
              }
            }
          }
        }
      }
      for (int a = 0; a < alpha; a++) {
        for (int b = 0; b < alpha; b++) { // row[o] = Σ_x t[a][x][o]·G[b][x], zero past outC
          Arrays.fill(row, 0f);
          for (int x = 0; x < r; x++) {
            float w = gm[b][x];
            if (w != 0f) {
              int from = (a * r + x) * outC;
              for (int o = 0; o < outC; o++) {
                row[o] += w * t[from + o];
              }
            }
          }
          int xi = alpha * a + b;
          for (int sl = 0; sl < slivers; sl++) {
            System.arraycopy(row, sl * nr, u, ((xi * slivers + sl) * inC + c) * nr, nr);
          }
        }
      }
    }
    return u;
  }

  /**
   * {@code V[ξ][t][c] = (Bᵀ·d·B)[ξ]} into {@code v[ξ·vStride + t·inC + c]} for tiles {@code [first, first + count)} of
   * a grid {@code tilesW} tiles wide, {@code perImage} per image: tile {@code (ty, tx)} reads the α×α window at
   * {@code (2ty − padTop, 2tx − padLeft)}, from a zero-padded copy where it leaves the image.
   */
  private static void inputTiles(Kernels k, ConvGeometry g, float[] input, int first, int count, int perImage,
      int tilesW, float[] tmp, float[] patch, float[] v, int vStride) {
    int r = g.kH, alpha = r + 1, inC = g.inC;
    for (int t = 0; t < count; t++) {
      int tile = first + t, n = tile / perImage, ty = tile % perImage / tilesW, tx = tile % tilesW;
      int y0 = 2 * ty - g.padTop, x0 = 2 * tx - g.padLeft;
      if (y0 >= 0 && x0 >= 0 && y0 + alpha <= g.inH && x0 + alpha <= g.inW) {
        k.winogradInput(r, input, ((n * g.inH + y0) * g.inW + x0) * inC, g.inW * inC, inC, tmp, v, t * inC, vStride);
      } else {
        padTile(g, alpha, input, n, y0, x0, patch);
        k.winogradInput(r, patch, 0, alpha * inC, inC, tmp, v, t * inC, vStride);
      }
    }
  }

  /**
   * {@code M[ξ] (tiles, np) = V[ξ] (tiles, inC) · U[ξ] (inC, np)} for {@code groups} micro-kernel row groups of
   * tiles, each tile stored from the registers: {@code m[ξ·mStride + t·np + j]}, {@code np = slivers·nr}.
   */
  private static void products(MicroKernel mk, int xis, int slivers, int inC, int groups, float[] v, int vStride,
      float[] u, float[] acc, float[] m, int mStride) {
    int mr = mk.mr(), nr = mk.nr(), np = slivers * nr;
    for (int xi = 0; xi < xis; xi++) {
      for (int sl = 0; sl < slivers; sl++) {
        int uOff = (xi * slivers + sl) * inC * nr;
        for (int gr = 0; gr < groups; gr++) {
          mk.tileRowMajorAStore(inC, v, xi * vStride + gr * mr * inC, inC, u, uOff, acc, m,
              xi * mStride + gr * mr * np + sl * nr, np);
        }
      }
    }
  }

  /** The α×α window at {@code (y0, x0)} of image {@code n}, zeros outside the image, into {@code patch} (α rows of α·inC). */
  private static void padTile(ConvGeometry g, int alpha, float[] input, int n, int y0, int x0, float[] patch) {
    int inC = g.inC, row = alpha * inC;
    Arrays.fill(patch, 0, alpha * row, 0f);
    int xa = Math.max(x0, 0), xb = Math.min(x0 + alpha, g.inW);
    if (xa >= xb) {
      return;
    }
    for (int y = Math.max(y0, 0); y < Math.min(y0 + alpha, g.inH); y++) {
      System.arraycopy(input, ((n * g.inH + y) * g.inW + xa) * inC, patch, (y - y0) * row + (xa - x0) * inC,
          (xb - xa) * inC);
    }
  }
}
