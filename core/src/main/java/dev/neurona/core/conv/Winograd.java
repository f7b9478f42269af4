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
 * A 3×3 or 5×5 stride-1 convolution followed by 2×2 max pooling, for inference, with Winograd's
 * minimal filtering F(2×2, r×r) (Lavin and Gray, "Fast Algorithms for Convolutional Neural
 * Networks", 2016): each 2×2 block of convolution outputs, the window one pooled value comes from, is
 * computed from an {@code α×α} input tile ({@code α = r + 1}) with {@code α²} multiplications per
 * channel pair instead of {@code 4r²}: 16 instead of 36 for 3×3, 36 instead of 100 for 5×5.
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
 * <p>Accuracy: not the bits of the direct sum. In float, the error of one 5×5 output is a few times
 * that of the im2col product (measured on random 32-channel tiles: 2·10⁻⁶ against 2·10⁻⁷ of values
 * near 2); F(2, 3)'s transforms only add, subtract and halve. Every output depends only on its own
 * tile, and the tiles are cut from the batch in fixed chunks, so the results do not depend on the
 * batch size or the thread count.
 *
 * <p>Speed: see benchmarks/README.md (tenth session).
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
   * Whether {@link Convolution#forwardMaxPool} takes this path (default on; off with
   * {@code -Dneurona.conv.winograd=false} or {@link #setEnabled}). Off, it gives the bits of
   * {@link Convolution#forward} followed by the pooling.
   */
  public static boolean enabled() {
    return enabled;
  }

  /** Turns the Winograd path of {@link Convolution#forwardMaxPool} on or off for every thread. */
  public static void setEnabled(boolean on) {
    enabled = on;
  }

  /**
   * True for a 3×3 or 5×5 stride-1 convolution of at least {@link #MIN_IN_CHANNELS} input channels
   * pooled 2×2 with stride 2 and no padding (partial windows at an odd edge dropped, as "valid" pooling
   * does).
   */
  static boolean applies(ConvGeometry g, ConvGeometry pool) {
    return (g.kH == 3 || g.kH == 5) && g.kW == g.kH && g.strideH == 1 && g.strideW == 1 && g.inC >= MIN_IN_CHANNELS
        && pool.kH == 2 && pool.kW == 2 && pool.strideH == 2 && pool.strideW == 2 && pool.padTop == 0
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
    Parallel.forRange(chunks, 1, (from, to) -> {
      float[] v = Convolution.scratch(V, xis * chunk * inC), m = Convolution.scratch(M, xis * chunk * np);
      float[] patch = Convolution.scratch(PATCH, xis * inC), acc = Convolution.scratch(ACC, mr * nr);
      float[] tmp = Convolution.scratch(TMP, Math.max(xis * inC, 2 * alpha * outC));
      for (int ch = from; ch < to; ch++) {
        int first = ch * chunk, count = Math.min(chunk, tiles - first), groups = Convolution.ceilDiv(count, mr);
        for (int t = 0; t < count; t++) { // V[ξ][t][c] = (Bᵀ·d·B)[ξ]
          int tile = first + t, n = tile / perImage, py = tile % perImage / pw, px = tile % pw;
          int y0 = 2 * py - g.padTop, x0 = 2 * px - g.padLeft;
          if (y0 >= 0 && x0 >= 0 && y0 + alpha <= g.inH && x0 + alpha <= g.inW) {
            k.winogradInput(r, input, ((n * g.inH + y0) * g.inW + x0) * inC, g.inW * inC, inC, tmp, v, t * inC,
                chunk * inC);
          } else {
            padTile(g, alpha, input, n, y0, x0, patch);
            k.winogradInput(r, patch, 0, alpha * inC, inC, tmp, v, t * inC, chunk * inC);
          }
        }
        for (int xi = 0; xi < xis; xi++) { // M[ξ] (tiles, np) = V[ξ] (tiles, inC) · U[ξ] (inC, np)
          for (int sl = 0; sl < slivers; sl++) {
            int uOff = (xi * slivers + sl) * inC * nr;
            for (int gr = 0; gr < groups; gr++) {
              int row = xi * chunk + gr * mr;
              mk.tileRowMajorAStore(inC, v, row * inC, inC, u, uOff, acc, m, row * np + sl * nr, np);
            }
          }
        }
        for (int t = 0; t < count; t++) { // out = max(Aᵀ·M·A) + bias
          int tile = first + t;
          k.winogradMaxPool(r, m, t * np, chunk * np, outC, bias, relu, tmp, output, tile * outC);
        }
      }
    });
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
