package dev.neurona.core.gemm;

import dev.neurona.core.Parallel;

/**
 * The GotoBLAS/BLIS loop nest around a {@link MicroKernel}:
 *
 * <pre>
 * for jc in n step NC                      B panel kc×nc lives in L3 (packed once, shared by threads)
 *   for pc in k step KC                    one k-block; beta applies on the first only
 *     pack op(B)[pc.., jc..] into kc×nr slivers (zero-padded)
 *     parallel over items (ic block × group of B slivers):
 *       pack op(A)[ic.., pc..] into mr×kc slivers (per-thread buffer, zero-padded; stays in L2),
 *         or, when A is not transposed and the item has few B slivers, read its rows in place
 *       for jr over the group's B slivers   one sliver stays in L1
 *         for ir over the A slivers         micro-kernel: an mr×nr tile of C in registers
 * </pre>
 *
 * Packing absorbs the four transpose cases and any leading dimension, so the micro-kernel sees one
 * layout. Every C element is accumulated k-block by k-block in ascending order by the same
 * micro-kernel whatever the thread count (the k-blocks depend only on k; C is rounded only
 * between k-blocks), so results are bit-identical for any number of threads. Small problems and n ≤ 2 (matrix·vector)
 * skip packing. One A block against a wide B (m ≤ MC, e.g. a dense layer's batch) takes
 * {@link #smallM} instead, which packs A once and B sliver group by sliver group inside the work items.
 */
final class BlockedGemm {
  /**
   * Largest k-block (blocks are balanced: k=800 gives 3×267). A kc×32 B sliver is then at most
   * 48 KB, about L1; larger blocks mean fewer passes over C, which the tall-skinny im2col products
   * (C of 25088×64) need most. Measured on AVX-512 (48 KB L1, 2 MB L2): 256–512 within noise for
   * 1024³, 384–512 best for 25088×64×800.
   */
  static final int KC = 384;
  /** Target rows of an A block: 192×384 floats = 288 KB, well inside a 2 MB L2. */
  static final int MC = 192;
  /** Columns of a B panel: 384×2048 floats = 3 MB, shared by the threads through L3. */
  static final int NC = 2048;
  /** m·n·k at or below which the unpacked triple loop is cheaper than packing. */
  static final long DIRECT_WORK = 16L * 16 * 16;
  /** B slivers per work item from which packing A pays (measured: 1024³ +20%, 25088×64×800 −40%). */
  static final int PACK_A_SLIVERS = 8;
  /** At most this many columns of C: padding B slivers to nr columns would waste most of the work. */
  static final int DIRECT_MAX_N = 2;
  /**
   * m·n·k below which the product runs on the calling thread. Measured with 2 threads on a shared
   * 2-core machine: 0.8× at 128³, ~1.1× at 256³ (and worse on average when a neighbour takes a
   * core, since every k-block ends in a barrier), 1.3–1.5× at 512³, 1.5–1.8× at 1024³.
   */
  static final long PARALLEL_WORK = 300L * 300 * 300;
  /** As {@link #PARALLEL_WORK} for the direct path (n ≤ 2): one fork/join round, ~1 GFLOP/s per thread. */
  static final long DIRECT_PARALLEL_WORK = 1L << 20;
  /**
   * Largest packed op(A) (floats, 8 MB) for the small-m path ({@link #smallM}), which packs all of
   * A up front: 128×3136 (dense forward) is 1.6 MB.
   */
  static final long SMALL_M_PACK = 1L << 21;

  /**
   * Per-thread packing buffers, grown on demand and reused across calls: at most one KC×NC B panel
   * (3 MB) per calling thread and one MC×KC A block (288 KB) per worker.
   */
  private static final class Buffers {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] tile = new float[0];

    float[] a(int size) {
      if (a.length < size) {
        a = new float[size];
      }
      return a;
    }

    float[] b(int size) {
      if (b.length < size) {
        b = new float[size];
      }
      return b;
    }

    float[] tile(int size) {
      if (tile.length < size) {
        tile = new float[size];
      }
      return tile;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private BlockedGemm() {}

  // op(A) is m×k, op(B) is k×n, C is m×n; arguments already checked by Gemm.
  static void sgemm(MicroKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    sgemm(kernel, PARALLEL_WORK, DIRECT_PARALLEL_WORK, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
        beta, c, cOff, ldc);
  }

  /** As above with explicit parallel thresholds (tests lower them to run small products in parallel). */
  static void sgemm(MicroKernel kernel, long parallelWork, long directParallelWork, boolean transA, boolean transB,
      int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
      float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0f) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    long work = (long) m * n * k;
    if (work <= DIRECT_WORK || n <= DIRECT_MAX_N) {
      // Rows of C are independent, so splitting them over threads keeps results bit-identical.
      RangeBody rows = (from, to) -> direct(transA, transB, from, to, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
      if (work < directParallelWork || Parallel.threads() == 1) {
        rows.run(0, m);
      } else {
        Parallel.forRange(m, 16, rows::run);
      }
      return;
    }
    int mr = kernel.mr(), nr = kernel.nr();
    int threads = work < parallelWork ? 1 : Parallel.threads();
    if (m <= MC && ceilDiv(n, nr) >= PACK_A_SLIVERS && (long) ceilDiv(m, mr) * mr * k <= SMALL_M_PACK) {
      smallM(kernel, threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    // Balanced A blocks: as many as MC asks for, rows spread evenly, rounded up to whole slivers.
    // In parallel, prefer more (smaller) A blocks over splitting B slivers into groups: a group
    // split makes every group pack the same A block again. Tiling never changes the results.
    int parts = 4 * threads;
    int mBlocks = ceilDiv(m, MC);
    if (threads > 1 && mBlocks < parts) {
      mBlocks = Math.max(mBlocks, Math.min(parts, ceilDiv(m, 4 * mr)));
    }
    int mc = ceilDiv(ceilDiv(m, mBlocks), mr) * mr;
    mBlocks = ceilDiv(m, mc);
    // Balanced k-blocks too: no thin last block paying a full pass over C for little work.
    int kBlock = ceilDiv(k, ceilDiv(k, KC));
    int nc = Math.max(nr, NC / nr * nr);
    float[] bPack = BUFFERS.get().b(kBlock * ceilDiv(Math.min(n, nc), nr) * nr);
    for (int jc = 0; jc < n; jc += nc) {
      int ncur = Math.min(nc, n - jc);
      int nSlivers = ceilDiv(ncur, nr);
      int groups = threads == 1 ? 1 : groups(mBlocks, nSlivers, parts);
      for (int pc = 0; pc < k; pc += kBlock) {
        int kc = Math.min(kBlock, k - pc);
        float betaNow = pc == 0 ? beta : 1f;
        int jc0 = jc, pc0 = pc;
        RangeBody packB = (from, to) -> {
          for (int s = from; s < to; s++) {
            packB(transB, b, bOff, ldb, pc0, kc, jc0 + s * nr, Math.min(nr, n - jc0 - s * nr), nr, bPack, s * nr * kc);
          }
        };
        RangeBody items = (from, to) -> {
          for (int item = from; item < to; item++) {
            int ib = item / groups, g = item % groups;
            int i0 = ib * mc;
            int mcur = Math.min(mc, m - i0);
            int s0 = (int) ((long) nSlivers * g / groups), s1 = (int) ((long) nSlivers * (g + 1) / groups);
            macro(kernel, transA, a, aOff, lda, i0, mcur, pc0, kc, bPack, s0, s1, jc0, n, alpha, betaNow,
                c, cOff, ldc);
          }
        };
        if (threads == 1) {
          packB.run(0, nSlivers);
          items.run(0, mBlocks * groups);
        } else {
          Parallel.forRange(nSlivers, 4, packB::run);
          Parallel.forRange(mBlocks * groups, 1, items::run);
        }
      }
    }
  }

  /**
   * How many groups to split the B slivers into so that there are at least {@code parts} work
   * items (Parallel.forRange makes up to four parts per thread), preferring an item count that is a
   * multiple of {@code parts} so the parts are equal. Depends on the thread count, but only decides
   * who computes a tile, never how: results stay bit-identical.
   */
  static int groups(int mBlocks, int nSlivers, int parts) {
    int min = ceilDiv(parts, mBlocks);
    for (int g = min; g <= Math.min(nSlivers, 4 * min); g++) {
      if ((long) mBlocks * g % parts == 0) {
        return g;
      }
    }
    return Math.min(nSlivers, min);
  }

  /**
   * The path for one A block (m ≤ MC, e.g. a dense layer's batch of 128) against a wide B. Each B
   * element is used by only m rows, so packing B into a shared panel and reading it back (the
   * general path) costs as much as the product. Here all of op(A) is packed once, k-block by
   * k-block, and each work item owns a group of B slivers for the whole k: per k-block it packs one
   * sliver into its own L1-sized buffer and runs every A sliver against it at once. Two fork/join
   * rounds in all instead of two per k-block. The k-blocks, the kernel and the per-k-block update
   * are those of the general path, so results are the same bits for any thread count. Only for at
   * least {@link #PACK_A_SLIVERS} B slivers: with fewer, packing A costs more than it saves, and
   * the general path reads A in place (conv 5×5×32 → 64 forward, m = 98, n = 64: 33 → 40 ms).
   */
  private static void smallM(MicroKernel kernel, int threads, boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc) {
    int mr = kernel.mr(), nr = kernel.nr();
    int aSlivers = ceilDiv(m, mr);
    int kBlock = ceilDiv(k, ceilDiv(k, KC));
    int kBlocks = ceilDiv(k, kBlock);
    // Packed A: k-block pc starts at aSlivers·mr·pc, its sliver t at + t·mr·kc.
    float[] aPack = BUFFERS.get().a(aSlivers * mr * k);
    RangeBody packA = (from, to) -> {
      for (int x = from; x < to; x++) {
        int pc = x / aSlivers * kBlock, t = x % aSlivers;
        int kc = Math.min(kBlock, k - pc);
        packA(transA, a, aOff, lda, t * mr, Math.min(mr, m - t * mr), pc, kc, mr, aPack, aSlivers * mr * pc + t * mr * kc);
      }
    };
    int nSlivers = ceilDiv(n, nr);
    int items = threads == 1 ? 1 : Math.min(nSlivers, 4 * threads);
    RangeBody run = (from, to) -> {
      Buffers buf = BUFFERS.get();
      float[] bPack = buf.b(kBlock * nr * ceilDiv(nSlivers, items));
      float[] acc = buf.tile(mr * nr);
      for (int item = from; item < to; item++) {
        int s0 = (int) ((long) nSlivers * item / items), s1 = (int) ((long) nSlivers * (item + 1) / items);
        for (int pc = 0; pc < k; pc += kBlock) {
          int kc = Math.min(kBlock, k - pc);
          float betaNow = pc == 0 ? beta : 1f;
          packBGroup(transB, b, bOff, ldb, pc, kc, s0 * nr, Math.min(n, s1 * nr) - s0 * nr, nr, bPack);
          for (int s = s0; s < s1; s++) {
            int j = s * nr;
            int cols = Math.min(nr, n - j);
            for (int t = 0; t < aSlivers; t++) {
              int i = t * mr;
              kernel.tile(kc, aPack, aSlivers * mr * pc + i * kc, bPack, (s - s0) * nr * kc, acc);
              store(kernel, acc, Math.min(mr, m - i), cols, alpha, betaNow, c, cOff + i * ldc + j, ldc);
            }
          }
        }
      }
    };
    if (threads == 1) {
      packA.run(0, kBlocks * aSlivers);
      run.run(0, items);
    } else {
      Parallel.forRange(kBlocks * aSlivers, 1, packA::run);
      Parallel.forRange(items, 1, run::run);
    }
  }

  /** Writes an mr×nr tile of raw sums to C: full tiles through the kernel, edge tiles with the same formula. */
  private static void store(MicroKernel kernel, float[] acc, int rows, int cols, float alpha, float beta, float[] c,
      int co, int ldc) {
    int mr = kernel.mr(), nr = kernel.nr();
    if (rows == mr && cols == nr) {
      kernel.update(acc, alpha, beta, c, co, ldc);
      return;
    }
    for (int r = 0; r < rows; r++) {
      for (int q = 0; q < cols; q++) {
        int ci = co + r * ldc + q;
        float x = acc[r * nr + q];
        c[ci] = beta == 0f ? alpha * x : alpha * x + beta * c[ci];
      }
    }
  }

  /** A loop body over {@code [from, to)}; the serial path calls it directly. */
  @FunctionalInterface
  private interface RangeBody {
    void run(int from, int to);
  }

  /**
   * One work item: rows [i0, i0+mcur) of C against B slivers [s0, s1) for one k-block. op(A) is
   * packed into mr×kc slivers when transposed or when the item has at least {@link #PACK_A_SLIVERS}
   * B slivers to amortise the packing over (packed slivers are contiguous: no L1 set conflicts
   * when lda is a multiple of 1024). Otherwise a non-transposed A is read in place — the tall-skinny
   * im2col case, where packing cost as much as the product — and only a final partial sliver is
   * packed, for its zero padding.
   */
  private static void macro(MicroKernel kernel, boolean transA, float[] a, int aOff, int lda, int i0, int mcur,
      int pc, int kc, float[] bPack, int s0, int s1, int jc, int n, float alpha, float beta,
      float[] c, int cOff, int ldc) {
    int mr = kernel.mr(), nr = kernel.nr();
    Buffers buf = BUFFERS.get();
    int aSlivers = ceilDiv(mcur, mr);
    int packedFrom = transA || s1 - s0 >= PACK_A_SLIVERS ? 0 : mcur / mr; // slivers before it are read in place
    float[] aPack = buf.a((aSlivers - packedFrom) * mr * kc);
    for (int t = packedFrom; t < aSlivers; t++) {
      packA(transA, a, aOff, lda, i0 + t * mr, Math.min(mr, mcur - t * mr), pc, kc, mr, aPack,
          (t - packedFrom) * mr * kc);
    }
    float[] acc = buf.tile(mr * nr);
    for (int s = s0; s < s1; s++) {
      int j = jc + s * nr;
      int cols = Math.min(nr, n - j);
      int bo = s * nr * kc;
      for (int t = 0; t < aSlivers; t++) {
        int i = i0 + t * mr;
        int rows = Math.min(mr, mcur - t * mr);
        int co = cOff + i * ldc + j;
        boolean inPlace = t < packedFrom;
        int ao = inPlace ? aOff + i * lda + pc : (t - packedFrom) * mr * kc;
        if (inPlace) {
          kernel.tileRowMajorA(kc, a, ao, lda, bPack, bo, acc);
        } else {
          kernel.tile(kc, aPack, ao, bPack, bo, acc);
        }
        store(kernel, acc, rows, cols, alpha, beta, c, co, ldc);
      }
    }
  }

  /** Packs op(A)[i0..i0+rows, pc..pc+kc] as a kc×mr sliver (p-major), rows ≥ {@code rows} zero. */
  static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int pc, int kc, int mr,
      float[] dst, int dOff) {
    if (transA) {
      // A is stored k×m: for each p the sliver's rows are contiguous.
      for (int p = 0; p < kc; p++) {
        int src = aOff + (pc + p) * lda + i0;
        int d = dOff + p * mr;
        System.arraycopy(a, src, dst, d, rows);
        for (int r = rows; r < mr; r++) {
          dst[d + r] = 0f;
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        int src = aOff + (i0 + r) * lda + pc;
        for (int p = 0, d = dOff + r; p < kc; p++, d += mr) {
          dst[d] = a[src + p];
        }
      }
      for (int r = rows; r < mr; r++) {
        for (int p = 0, d = dOff + r; p < kc; p++, d += mr) {
          dst[d] = 0f;
        }
      }
    }
  }

  /** Packs op(B)[pc..pc+kc, j0..j0+cols] as a kc×nr sliver (p-major), columns ≥ {@code cols} zero. */
  static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0, int cols, int nr,
      float[] dst, int dOff) {
    if (!transB) {
      // B is stored k×n: for each p the sliver's columns are contiguous.
      for (int p = 0; p < kc; p++) {
        int d = dOff + p * nr;
        System.arraycopy(b, bOff + (pc + p) * ldb + j0, dst, d, cols);
        for (int q = cols; q < nr; q++) {
          dst[d + q] = 0f;
        }
      }
    } else {
      // B is stored n×k: column q of the sliver is a contiguous row of B. Four rows at a time, so
      // each p writes four adjacent floats instead of one scattered store.
      int q = 0;
      for (; q + 4 <= cols; q += 4) {
        int s0 = bOff + (j0 + q) * ldb + pc, s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
        for (int p = 0, d = dOff + q; p < kc; p++, d += nr) {
          dst[d] = b[s0 + p];
          dst[d + 1] = b[s1 + p];
          dst[d + 2] = b[s2 + p];
          dst[d + 3] = b[s3 + p];
        }
      }
      for (; q < cols; q++) {
        int src = bOff + (j0 + q) * ldb + pc;
        for (int p = 0, d = dOff + q; p < kc; p++, d += nr) {
          dst[d] = b[src + p];
        }
      }
      for (q = cols; q < nr; q++) {
        for (int p = 0, d = dOff + q; p < kc; p++, d += nr) {
          dst[d] = 0f;
        }
      }
    }
  }

  /**
   * Packs op(B)[pc..pc+kc, j0..j0+cols] as consecutive kc×nr slivers, the last one zero-padded. For
   * a non-transposed B it walks whole rows of the group (long contiguous reads, one page per row),
   * rather than one sliver at a time.
   */
  static void packBGroup(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0, int cols, int nr,
      float[] dst) {
    int slivers = ceilDiv(cols, nr);
    if (transB) {
      for (int s = 0; s < slivers; s++) {
        packB(true, b, bOff, ldb, pc, kc, j0 + s * nr, Math.min(nr, cols - s * nr), nr, dst, s * nr * kc);
      }
      return;
    }
    for (int p = 0; p < kc; p++) {
      int src = bOff + (pc + p) * ldb + j0;
      for (int s = 0; s < slivers; s++) {
        int w = Math.min(nr, cols - s * nr);
        int d = s * nr * kc + p * nr;
        System.arraycopy(b, src + s * nr, dst, d, w);
        for (int q = w; q < nr; q++) {
          dst[d + q] = 0f;
        }
      }
    }
  }

  /** C = beta·C (zeros when beta is 0, whatever C held). */
  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0f ? 0f : beta * c[row + j];
      }
    }
  }

  /** The unpacked path for tiny products and n ≤ 2: rows [i0, i1) of C, one accumulator per element, p ascending. */
  private static void direct(boolean transA, boolean transB, int i0, int i1, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
    int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
    for (int i = i0; i < i1; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int p = 0, ai = aOff + i * aRow, bi = bOff + j * bCol; p < k; p++, ai += aCol, bi += bRow) {
          s += a[ai] * b[bi];
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
      }
    }
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }
}
