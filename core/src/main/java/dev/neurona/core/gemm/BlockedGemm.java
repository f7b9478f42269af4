package dev.neurona.core.gemm;

import dev.neurona.core.Parallel;

/**
 * The GotoBLAS/BLIS loop nest around a {@link MicroKernel}, run on rectangular regions of C:
 *
 * <pre>
 * parallel over regions (a gm×gn grid of C, one fork/join per product, no barriers inside)
 *   for jc in region columns step NC
 *     for pc in k step KC                    one k-block; beta applies on the first only
 *       pack op(B)[pc.., jc..] into kc×nr slivers (zero-padded; or use a {@link PackedB})
 *       for ic in region rows step MC
 *         pack op(A)[ic.., pc..] into mr×kc slivers (zero-padded; stays in L2),
 *           or, when A is not transposed and there are few B slivers, read its rows in place
 *         for jr over the B slivers         one sliver stays in L1
 *           for ir over the A slivers       micro-kernel: an mr×nr tile of C in registers,
 *                                             added to C (or, for a wide C, to a staging buffer
 *                                             until the last k-block: {@link #STAGE_MIN_LDC})
 * </pre>
 *
 * Packing absorbs the four transpose cases and any leading dimension, so the micro-kernel sees one
 * layout. Each region is an independent sub-product that packs its own panels: two threads never
 * wait for each other inside a product (a shared B panel would need a barrier per k-block), and
 * the duplicated packing is kept small by cutting C along the dimension that costs least to
 * repeat. Region edges fall on whole mr×nr tiles and the k-blocks depend only on k, so every C
 * element is accumulated k-block by k-block in ascending order by the same micro-kernel whatever
 * the thread count: results are bit-identical for any number of threads. Small problems and
 * n ≤ 2 (matrix·vector) skip packing. One A block against a wide B (m ≤ MC, e.g. a dense layer's
 * batch) takes {@link #smallM} instead, which packs A once and B sliver group by sliver group
 * inside the work items.
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
  /** Columns of a B panel: at most 384×2048 floats = 3 MB, packed by each region for its own columns. */
  static final int NC = 2048;
  /** m·n·k at or below which the unpacked triple loop is cheaper than packing. */
  static final long DIRECT_WORK = 16L * 16 * 16;
  /** B slivers per work item from which packing A pays (measured: 1024³ +20%, 25088×64×800 −40%). */
  static final int PACK_A_SLIVERS = 8;
  /** At most this many columns of C: padding B slivers to nr columns would waste most of the work. */
  static final int DIRECT_MAX_N = 2;
  /**
   * m·n·k below which the product runs on the calling thread. Measured on this 2-core machine, 2
   * threads vs 1 (square, one region per thread, spinning workers): 0.85× at 48³, 1.04× at 64³,
   * 1.30× at 96³, 1.38× at 128³, 1.69× at 192³, 1.78× at 256³, 1.9× at 384³.
   */
  static final long PARALLEL_WORK = 96L * 96 * 96;
  /** As {@link #PARALLEL_WORK} for the direct path (n ≤ 2): one fork/join round, ~1 GFLOP/s per thread. */
  static final long DIRECT_PARALLEL_WORK = 1L << 20;
  /**
   * Largest packed op(A) (floats, 8 MB) for the small-m path ({@link #smallM}), which packs all of
   * A up front: 128×3136 (dense forward) is 1.6 MB.
   */
  static final long SMALL_M_PACK = 1L << 21;
  /**
   * Leading dimension of C (floats) from which, when k spans several k-blocks, the partial sums
   * between k-blocks are kept in a tile-major staging buffer rather than in C. A tile's rows lie
   * ldc apart: at 2 KB or more each row sits on its own page (or shares it with one other), so
   * the hardware prefetcher, which stops at page boundaries, cannot fetch the tile ahead, and every
   * k-block after the first stalls on loading it (SGEMM 1024³, one thread: 25% of the time was
   * the C update). The buffer is read and written in tile order, one sequential stream.
   */
  static final int STAGE_MIN_LDC = 512;
  /**
   * Largest staging buffer per thread (floats, 5 MB): a region's rows times a panel's columns; a
   * 1024×1024 C in one panel with the rows padded to six-row tiles (1026 × 1024).
   */
  static final int STAGE_FLOATS = 5 << 18;
  /** Narrowest panel (columns) worth staging for: narrower panels repack A too often. */
  static final int STAGE_MIN_COLS = 512;

  /**
   * Per-thread packing buffers, grown on demand and reused across calls: at most one KC×NC B panel
   * (3 MB), one MC×KC A block (288 KB), or all of A for the small-m path (8 MB), and the staging
   * buffer of a wide C (4 MB), per thread.
   */
  private static final class Buffers {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] tile = new float[0];
    float[] stage = new float[0];
    /** {@code Cᵀ} of a {@link #transposed} product. */
    float[] swap = new float[0];

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

    float[] swap(int size) {
      if (swap.length < size) {
        swap = new float[size];
      }
      return swap;
    }

    float[] stage(int size) {
      if (stage.length < size) {
        stage = new float[size];
      }
      return stage;
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
    sgemm(kernel, parallelWork, directParallelWork, true, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
        beta, c, cOff, ldc);
  }

  /** As above; {@code mayTranspose} false never takes {@link #transposed} (tests compare the two). */
  static void sgemm(MicroKernel kernel, long parallelWork, long directParallelWork, boolean mayTranspose,
      boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b,
      int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (trivial(m, n, k, alpha, beta, c, cOff, ldc)) {
      return;
    }
    if (mayTranspose && transposes(kernel, transA, transB, m, n, k)) {
      transposed(kernel, parallelWork, directParallelWork, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
          ldc);
      return;
    }
    long work = (long) m * n * k;
    if (!isBlocked(m, n, k)) {
      // Rows of C are independent, so splitting them over threads keeps results bit-identical.
      Parallel.RangeBody rows = (from, to) -> direct(transA, transB, from, to, n, k, alpha, a, aOff, lda, b, bOff,
          ldb, beta, c, cOff, ldc);
      if (work < directParallelWork || Parallel.fanOut() == 1) {
        rows.run(0, m);
      } else {
        Parallel.forRange(m, 16, rows);
      }
      return;
    }
    int threads = work < parallelWork ? 1 : Parallel.fanOut();
    if (m < kernel.mr() && !transB) {
      fewRows(kernel, threads, transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    blocked(kernel, threads, transA, m, n, k, alpha, a, aOff, lda, transB, b, bOff, ldb, null, beta, c, cOff, ldc);
  }

  /** Rows of C up to which {@link #transposes} an {@code A·Bᵀ} product: four 16-column slivers (AVX2), at least. */
  static final int TRANSPOSE_MAX_M = 64;

  /**
   * Whether {@code C = A·Bᵀ} (A stored m×k, B stored n×k) runs as {@code Cᵀ = B·Aᵀ}: for a few rows
   * against a wide B, such as a dense layer's input gradient {@code dZ·Wᵀ}. As {@code A·Bᵀ} every
   * k×nr sliver of Bᵀ is gathered from nr rows of B, a transpose that serves only m rows; as
   * {@code B·Aᵀ} the wide operand is read in place, its rows contiguous, and only the few rows of A
   * are packed. Up to four of the kernel's slivers' width of rows ({@link #transposeMaxM}). Measured
   * alternately in one JVM (JDK 25, AVX2, 1 thread), {@code A·Bᵀ} against {@code B·Aᵀ}: 32×1250×500
   * (captcha's dense layer) 1.04–1.19 against 0.74–0.76 ms, 16 rows 0.79 against 0.41, 64 rows 2.32
   * against 1.77, 64×1024×3136 10.7 against 8.4; with 128 rows the two are close (4.05 / 3.80) or the
   * transposed one slower (MNIST's 128×3136×1024: 15.4 / 19.6 ms). With AVX-512's 32-column slivers
   * ({@code Alternate sgemm:128,N,K,NT}, JDK 25, AMD Zen 5), B·Aᵀ takes 0.853 of the time for MNIST's
   * 128×3136×1024 and 0.900 for captcha's 128×1250×500 on 2 threads (0.74 / 0.87 on 1; JDK 17 0.91 /
   * 0.87), while 256-bit vectors on that machine ({@code -XX:UseAVX=2}) stay level (0.96–1.04).
   */
  static boolean transposes(MicroKernel kernel, boolean transA, boolean transB, int m, int n, int k) {
    return !transA && transB && m > DIRECT_MAX_N && m <= transposeMaxM(kernel) && n >= 4 * m && isBlocked(m, n, k);
  }

  /** {@link #TRANSPOSE_MAX_M}, or four of {@code kernel}'s slivers when they are wider (128 rows for 32 columns). */
  static int transposeMaxM(MicroKernel kernel) {
    return Math.max(TRANSPOSE_MAX_M, 4 * kernel.nr());
  }

  /**
   * {@code C = alpha·A·Bᵀ + beta·C} computed as {@code T = alpha·B·Aᵀ + beta·T} with {@code T = Cᵀ}
   * in a buffer of the calling thread, then {@code C = Tᵀ}. Each element is the same chain of
   * multiply-adds ({@code fma(a, b, s) = fma(b, a, s)}) over the same k-blocks, updated by the same
   * formula: the bits of the untransposed product.
   */
  private static void transposed(MicroKernel kernel, long parallelWork, long directParallelWork, int m, int n, int k,
      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
      int ldc) {
    float[] t = BUFFERS.get().swap(m * n);
    if (beta != 0f) {
      transpose(c, cOff, ldc, m, n, t, 0, m);
    }
    sgemm(kernel, parallelWork, directParallelWork, false, false, true, n, m, k, alpha, b, bOff, ldb, a, aOff, lda,
        beta, t, 0, m);
    transpose(t, 0, m, n, m, c, cOff, ldc);
  }

  /**
   * {@code dst (cols × rows, row stride ldd) = src (rows × cols, row stride lds)ᵀ}, in 32×32 blocks;
   * bands of 32 source rows on the team's threads when there are {@link #PARALLEL_TRANSPOSE} elements
   * or more (a copy: the same bits for any thread count). Serial, it held the transposed product
   * 128×1250×500 on 2 threads at 1.06 of the untransposed one's time.
   */
  private static void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] dst, int dOff, int ldd) {
    int bands = ceilDiv(rows, 32);
    Parallel.RangeBody body = (from, to) -> {
      for (int i0 = from * 32, iStop = Math.min(rows, to * 32); i0 < iStop; i0 += 32) {
        for (int j0 = 0; j0 < cols; j0 += 32) {
          for (int i = i0, iEnd = Math.min(rows, i0 + 32); i < iEnd; i++) {
            for (int j = j0, jEnd = Math.min(cols, j0 + 32); j < jEnd; j++) {
              dst[dOff + j * ldd + i] = src[sOff + i * lds + j];
            }
          }
        }
      }
    };
    if ((long) rows * cols < PARALLEL_TRANSPOSE || bands == 1 || Parallel.fanOut() == 1) {
      body.run(0, bands);
    } else {
      Parallel.forRange(bands, 1, body);
    }
  }

  /** Elements from which {@link #transpose} runs in parallel. */
  static final long PARALLEL_TRANSPOSE = 1L << 15;

  /** Whether a product takes the k-blocked paths, rather than the direct loop of tiny products and n ≤ 2. */
  static boolean isBlocked(int m, int n, int k) {
    return (long) m * n * k > DIRECT_WORK && n > DIRECT_MAX_N;
  }

  /** Columns of C per work item of {@link #fewRows}: at most 7×512 floats (14 KB) of sums stay in L1. */
  static final int FEW_ROWS_COLS = 512;

  /**
   * Fewer rows than a tile (a dense layer on one sample, m = 1) against a row-major B: every B
   * element is used by at most mr − 1 rows, so packing B (read it, write it, read it again) would
   * cost several times the product. Instead {@link MicroKernel#rows} streams B's rows once per
   * k-block. The k-blocks, the per-step rounding and the update formula are those of the blocked
   * path, so each row of C has the same bits as when it is computed among many rows (one sample's
   * prediction equals its row in a batch), for any thread count: threads split the columns.
   */
  private static void fewRows(MicroKernel kernel, int threads, boolean transA, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    int kBlock = kBlock(k);
    int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
    int items = ceilDiv(n, FEW_ROWS_COLS);
    Parallel.RangeBody body = (from, to) -> {
      float[] acc = BUFFERS.get().tile(m * FEW_ROWS_COLS);
      for (int item = from; item < to; item++) {
        int j0 = item * FEW_ROWS_COLS;
        int cols = Math.min(FEW_ROWS_COLS, n - j0);
        for (int pc = 0; pc < k; pc += kBlock) {
          int kc = Math.min(kBlock, k - pc);
          float betaNow = pc == 0 ? beta : 1f;
          kernel.rows(m, kc, a, aOff + pc * aStep, aRow, aStep, b, bOff + pc * ldb + j0, ldb, cols, acc);
          for (int r = 0; r < m; r++) {
            int co = cOff + r * ldc + j0;
            for (int q = 0; q < cols; q++) { // the edge-tile formula of put()
              float x = acc[r * cols + q];
              c[co + q] = betaNow == 0f ? alpha * x : alpha * x + betaNow * c[co + q];
            }
          }
        }
      }
    };
    if (threads == 1 || items == 1) {
      body.run(0, items);
    } else {
      Parallel.forRange(items, 1, body);
    }
  }

  /**
   * {@code C = alpha·op(A)·B + beta·C} with B already packed: the blocked path with the packing of
   * B skipped. Same tiles, k-blocks and kernel as the unpacked call, hence the same bits whenever
   * that call takes the blocked path (more than {@link #DIRECT_MAX_N} columns and m·n·k above
   * {@link #DIRECT_WORK}).
   */
  static void sgemm(long parallelWork, boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b,
      float beta, float[] c, int cOff, int ldc) {
    int n = b.n(), k = b.k();
    if (trivial(m, n, k, alpha, beta, c, cOff, ldc)) {
      return;
    }
    int threads = (long) m * n * k < parallelWork ? 1 : Parallel.fanOut();
    blocked(b.kernel(), threads, transA, m, n, k, alpha, a, aOff, lda, false, null, 0, 0, b, beta, c, cOff, ldc);
  }

  /** Balanced k-blocks: as many as KC asks for, equal to within one (k = 800 gives 267, 267, 266). */
  static int kBlock(int k) {
    return ceilDiv(k, ceilDiv(k, KC));
  }

  /** The packed path; B comes from {@code packed} when it is not null, else from (transB, b, bOff, ldb). */
  private static void blocked(MicroKernel kernel, int threads, boolean transA, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, boolean transB, float[] b, int bOff, int ldb, PackedB packed, float beta,
      float[] c, int cOff, int ldc) {
    int mr = kernel.mr(), nr = kernel.nr();
    if (m <= MC && ceilDiv(n, nr) >= PACK_A_SLIVERS && (long) ceilDiv(m, mr) * mr * k <= SMALL_M_PACK) {
      // smallM packs every A sliver, or reads the whole ones in place
      MicroKernel tiles = readsAInPlace(transA, m, lda, kernel) ? kernel : packedTilesFor(kernel, m);
      smallM(tiles, threads, transA, m, n, k, alpha, a, aOff, lda, transB, b, bOff, ldb, packed, beta, c, cOff, ldc);
      return;
    }
    int mSlivers = ceilDiv(m, mr), nSlivers = ceilDiv(n, nr);
    long grid = threads == 1 ? 1L << 32 | 1 : grid(threads, mSlivers, nSlivers, m, n);
    int gm = (int) (grid >>> 32), gn = (int) grid;
    Parallel.RangeBody regions = (from, to) -> {
      for (int r = from; r < to; r++) {
        int ri = r / gn, rj = r % gn;
        // Edges on whole slivers: the tiles, and so the bits, do not depend on the grid.
        int i0 = (int) ((long) mSlivers * ri / gm) * mr, i1 = Math.min(m, (int) ((long) mSlivers * (ri + 1) / gm) * mr);
        int j0 = (int) ((long) nSlivers * rj / gn) * nr, j1 = Math.min(n, (int) ((long) nSlivers * (rj + 1) / gn) * nr);
        region(kernel, transA, i0, i1, j0, j1, k, alpha, a, aOff, lda, transB, b, bOff, ldb, packed, beta, c, cOff, ldc);
      }
    };
    if (gm * gn == 1) {
      regions.run(0, 1);
    } else {
      Parallel.forRange(gm * gn, 1, regions);
    }
  }

  /**
   * The region grid for at least {@code want} regions (one per thread), as {@code gm << 32 | gn}.
   * Each region packs op(B) for its columns and op(A) for its rows, so a gm×gn grid packs
   * {@code gm·n + gn·m} rows and columns of length k in all; the grid with the least of that wins
   * (1024² on 2 threads: 1×2; an im2col product 25088×64: 2×1). More regions than threads would
   * balance better when a neighbour takes a core, but the packing they repeat costs more: JMH,
   * SGEMM 1024³ on 2 threads, 181 ± 11 GFLOP/s with 2 regions, 164 ± 11 with 4, 162 ± 7 with 8.
   * Depends on the thread count, but only decides who computes a tile, never how.
   */
  static long grid(int want, int mSlivers, int nSlivers, int m, int n) {
    long enough = Math.min(want, (long) mSlivers * Math.max(1, nSlivers / PACK_A_SLIVERS));
    int bestGm = 1, bestGn = 1;
    long bestCost = Long.MAX_VALUE;
    // Columns are cut only into regions of at least PACK_A_SLIVERS slivers: narrower ones would
    // read A in place (256³ in 1×2 regions: lda = 1 KB puts a tile's 8 rows in 2 L1 sets, 0.85× serial).
    int maxGn = Math.max(1, nSlivers / PACK_A_SLIVERS);
    for (int gm = 1; gm <= Math.min(want, mSlivers); gm++) {
      int gn = Math.min(maxGn, ceilDiv(want, gm));
      if ((long) gm * gn < enough) {
        continue;
      }
      long cost = (long) gm * n + (long) gn * m;
      if (cost < bestCost) {
        bestCost = cost;
        bestGm = gm;
        bestGn = gn;
      }
    }
    return (long) bestGm << 32 | bestGn;
  }

  /**
   * One region: rows [i0, i1) and columns [j0, j1) of C, all of k, on the calling thread. B panels
   * are packed into the thread's buffer (or taken from {@code packed}), A blocks of about MC rows
   * (balanced, whole slivers) packed or read in place by {@link #macro}.
   */
  private static void region(MicroKernel kernel, boolean transA, int i0, int i1, int j0, int j1, int k, float alpha,
      float[] a, int aOff, int lda, boolean transB, float[] b, int bOff, int ldb, PackedB packed, float beta,
      float[] c, int cOff, int ldc) {
    kernel = regionKernel(kernel, transA, lda, i1 - i0, j1 - j0, k, ldc);
    int mr = kernel.mr(), nr = kernel.nr();
    int rows = i1 - i0;
    int mBlocks = ceilDiv(rows, MC);
    int mc = ceilDiv(ceilDiv(rows, mBlocks), mr) * mr;
    int kBlock = kBlock(k);
    int nc = panelColumns(kernel, rows, j1 - j0, k, ldc);
    Buffers buf = BUFFERS.get();
    int rSlivers = ceilDiv(rows, mr);
    float[] stage = null;
    if (stagedColumns(kernel, rows, j1 - j0, k, ldc) > 0) {
      stage = buf.stage(rSlivers * mr * Math.min(nc, ceilDiv(j1 - j0, nr) * nr));
    }
    for (int jc = j0; jc < j1; jc += nc) {
      int ncur = Math.min(nc, j1 - jc);
      int nSlivers = ceilDiv(ncur, nr);
      for (int pc = 0; pc < k; pc += kBlock) {
        int kc = Math.min(kBlock, k - pc);
        float betaNow = pc == 0 ? beta : 1f;
        int phase = phase(stage, pc, kc, k);
        float[] panel;
        int base;
        if (packed != null) {
          panel = packed.data();
          base = packed.offset(pc, jc);
        } else {
          panel = buf.b(nSlivers * nr * kc);
          base = 0;
          packBGroup(kernel, transB, b, bOff, ldb, pc, kc, jc, ncur, panel);
        }
        for (int ic = i0; ic < i1; ic += mc) {
          macro(kernel, transA, a, aOff, lda, ic, Math.min(mc, i1 - ic), pc, kc, panel, base, nSlivers, jc, j1,
              alpha, betaNow, c, cOff, ldc, phase, stage, (ic - i0) / mr, rSlivers);
        }
      }
    }
  }

  /**
   * Columns of C per B panel of a region ({@code rows × width}): at most {@link #NC}, or what the
   * staging buffer holds when the region's partial sums are staged ({@link #stageColumns}), in
   * panels of equal width (whole slivers). Unequal ones left a sliver or two for the last panel
   * (1024 columns staged 1008 at a time), too narrow to pack A for.
   */
  static int panelColumns(MicroKernel kernel, int rows, int width, int k, int ldc) {
    int nr = kernel.nr();
    int nc = Math.max(nr, NC / nr * nr);
    int stageCols = stagedColumns(kernel, rows, width, k, ldc);
    int most = stageCols > 0 ? Math.min(nc, stageCols) : nc;
    return width <= most ? most : ceilDiv(ceilDiv(width, ceilDiv(width, most)), nr) * nr;
  }

  /**
   * Columns of a region's partial sums the staging buffer holds ({@link #stageColumns}), or 0 when
   * they wait in C: one k-block, a narrow C, or too few columns would fit.
   */
  private static int stagedColumns(MicroKernel kernel, int rows, int width, int k, int ldc) {
    int mr = kernel.mr();
    return k > kBlock(k) ? stageColumns(ldc, ceilDiv(rows, mr) * mr, kernel.nr(), width) : 0;
  }

  /**
   * The kernel for a region of {@code rows × width}: {@link MicroKernel#packedTiles} when
   * {@link #macro} packs every A sliver of it (each B panel at least {@link #PACK_A_SLIVERS} slivers
   * wide, or a transposed A it packs anyway) and the packed kernel's tile pads the rows by at most
   * 3% more than this kernel's; else {@code kernel}. Both give the same bits.
   */
  static MicroKernel regionKernel(MicroKernel kernel, boolean transA, int lda, int rows, int width, int k, int ldc) {
    MicroKernel packed = packedTilesFor(kernel, rows);
    if (packed == kernel) {
      return kernel;
    }
    if (transA && lda % 128 == 0) {
      return packed;
    }
    int nc = panelColumns(packed, rows, width, k, ldc);
    int last = width - (ceilDiv(width, nc) - 1) * nc; // the narrowest panel
    return ceilDiv(last, packed.nr()) >= PACK_A_SLIVERS ? packed : kernel;
  }

  /**
   * {@code kernel}'s {@link MicroKernel#packedTiles} for {@code rows} rows whose A slivers are all
   * packed, when its tiles pad the rows to at most 33/32 of what {@code kernel}'s do; else {@code kernel}.
   */
  private static MicroKernel packedTilesFor(MicroKernel kernel, int rows) {
    MicroKernel packed = kernel.packedTiles();
    long padded = (long) ceilDiv(rows, kernel.mr()) * kernel.mr();
    return (long) ceilDiv(rows, packed.mr()) * packed.mr() * 32 <= padded * 33 ? packed : kernel;
  }

  /**
   * The path for one A block (m ≤ MC, e.g. a dense layer's batch of 128) against a wide B. Each B
   * element is used by only m rows, so packing B into a shared panel and reading it back (the
   * general path) costs as much as the product. Here all of op(A) is packed once, k-block by
   * k-block, and each work item owns a group of B slivers for the whole k: per k-block it packs its
   * slivers into its own buffer (or reads them from {@code packed}) and runs every A sliver against
   * them. Two fork/join rounds in all. The k-blocks, the kernel and the per-k-block update are those
   * of the general path, so results are the same bits for any thread count. Only for at least
   * {@link #PACK_A_SLIVERS} B slivers: with fewer, packing A costs more than it saves, and the
   * general path reads A in place (conv 5×5×32 → 64 forward, m = 98, n = 64: 33 → 40 ms).
   */
  private static void smallM(MicroKernel kernel, int threads, boolean transA, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, boolean transB, float[] b, int bOff, int ldb, PackedB packed, float beta,
      float[] c, int cOff, int ldc) {
    int mr = kernel.mr(), nr = kernel.nr();
    int aSlivers = ceilDiv(m, mr);
    int kBlock = kBlock(k);
    int kBlocks = ceilDiv(k, kBlock);
    // Slivers before inPlace are read in place (readsAInPlace), the others packed: k-block pc of the
    // packed ones starts at packedSlivers·mr·pc, sliver t at + (t − inPlace)·mr·kc.
    int inPlace = readsAInPlace(transA, m, lda, kernel) ? m / mr : 0;
    int packedSlivers = aSlivers - inPlace;
    float[] aPack = BUFFERS.get().a(packedSlivers * mr * k);
    Parallel.RangeBody packA = (from, to) -> {
      for (int x = from; x < to; x++) {
        int pc = x / packedSlivers * kBlock, t = inPlace + x % packedSlivers;
        int kc = Math.min(kBlock, k - pc);
        packA(transA, a, aOff, lda, t * mr, Math.min(mr, m - t * mr), pc, kc, mr, aPack,
            packedSlivers * mr * pc + (t - inPlace) * mr * kc);
      }
    };
    int nSlivers = ceilDiv(n, nr);
    int items = threads == 1 ? 1 : Math.min(nSlivers, 4 * threads);
    Parallel.RangeBody run = (from, to) -> {
      Buffers buf = BUFFERS.get();
      float[] acc = buf.tile(mr * nr);
      for (int item = from; item < to; item++) {
        int s0 = (int) ((long) nSlivers * item / items), s1 = (int) ((long) nSlivers * (item + 1) / items);
        float[] bPack = packed != null ? packed.data() : buf.b(kBlock * nr * (s1 - s0));
        // The item's columns of C, staged tile by tile when they stay under the buffer's cap.
        int stageCols = k > kBlock ? stageColumns(ldc, aSlivers * mr, nr, (s1 - s0) * nr) : 0;
        float[] stage = stageCols >= (s1 - s0) * nr ? buf.stage(aSlivers * mr * (s1 - s0) * nr) : null;
        for (int pc = 0; pc < k; pc += kBlock) {
          int kc = Math.min(kBlock, k - pc);
          float betaNow = pc == 0 ? beta : 1f;
          int phase = phase(stage, pc, kc, k);
          int base;
          if (packed != null) {
            base = packed.offset(pc, s0 * nr);
          } else {
            base = 0;
            packBGroup(kernel, transB, b, bOff, ldb, pc, kc, s0 * nr, Math.min(n, s1 * nr) - s0 * nr, bPack);
          }
          for (int s = s0; s < s1; s++) {
            int j = s * nr;
            int cols = Math.min(nr, n - j);
            for (int t = 0; t < aSlivers; t++) {
              int i = t * mr;
              int bo = base + (s - s0) * nr * kc, co = cOff + i * ldc + j, so = ((s - s0) * aSlivers + t) * mr * nr;
              if (t < inPlace) {
                kernel.tileRowMajorA(kc, a, aOff + i * lda + pc, lda, bPack, bo, acc);
                write(kernel, acc, Math.min(mr, m - i), cols, alpha, betaNow, c, co, ldc, phase, stage, so);
              } else {
                tileAndWrite(kernel, false, kc, aPack, packedSlivers * mr * pc + (t - inPlace) * mr * kc, mr, bPack, bo, acc,
                    Math.min(mr, m - i), cols, alpha, betaNow, c, co, ldc, phase, stage, so);
              }
            }
          }
        }
      }
    };
    if (threads == 1 || packedSlivers == 0) {
      packA.run(0, kBlocks * packedSlivers);
    } else {
      Parallel.forRange(kBlocks * packedSlivers, 1, packA);
    }
    if (threads == 1) {
      run.run(0, items);
    } else {
      Parallel.forRange(items, 1, run);
    }
  }

  /**
   * Whether {@link #smallM} reads op(A)'s whole slivers in place ({@link MicroKernel#tileRowMajorA})
   * instead of packing them: a row-major A whose rows do not share L1 sets (lda not a multiple of
   * 1024 floats), on a kernel with no companion for packed regions ({@link MicroKernel#packedTiles}).
   * Packing A, a gather of eight rows per k step, took 6% of MNIST's dense forward (128×1024×3136,
   * perf, JDK 25, 1 thread); in place, {@code Alternate sgemm} (JDK 25, AVX-512) gives 0.942 of the time
   * on 1 thread and 0.967 on 2 for it, 0.964 for captcha's 128×500×1250, 0.973 for flowers' 32×128×30976.
   */
  static boolean readsAInPlace(boolean transA, int m, int lda, MicroKernel kernel) {
    return !transA && lda % 1024 != 0 && m >= kernel.mr() && kernel.packedTiles() == kernel;
  }

  /** How a tile's sums reach C: in place, or through the staging buffer in the first, a middle or the last k-block. */
  private static final int IN_PLACE = 0, FIRST = 1, MIDDLE = 2, LAST = 3;

  private static int phase(float[] stage, int pc, int kc, int k) {
    return stage == null ? IN_PLACE : pc == 0 ? FIRST : pc + kc == k ? LAST : MIDDLE;
  }

  /**
   * Columns of C per panel when its partial sums are staged (see {@link #STAGE_MIN_LDC}), or 0
   * to update C in place: C's rows are close enough, or the buffer would hold too few columns.
   */
  static int stageColumns(int ldc, int rowsPadded, int nr, int width) {
    if (ldc < STAGE_MIN_LDC) {
      return 0;
    }
    int cols = STAGE_FLOATS / rowsPadded / nr * nr;
    return cols >= Math.min(STAGE_MIN_COLS, ceilDiv(width, nr) * nr) ? cols : 0;
  }

  /**
   * Writes an mr×nr tile of raw sums for one k-block. In place: {@code C = alpha·acc + beta·C}.
   * Staged ({@code so}: the tile's offset in {@code stage}, row length nr): the first k-block
   * writes {@code alpha·acc + beta·C} to the stage, the middle ones {@code alpha·acc + stage}, the
   * last {@code alpha·acc + stage} to C. The same formula on the same values as in place, so the
   * same bits; only where the partial sums wait between k-blocks differs.
   */
  private static void write(MicroKernel kernel, float[] acc, int rows, int cols, float alpha, float beta, float[] c,
      int co, int ldc, int phase, float[] stage, int so) {
    int nr = kernel.nr();
    switch (phase) {
      case FIRST -> put(kernel, acc, rows, cols, alpha, beta, c, co, ldc, stage, so, nr);
      case MIDDLE -> put(kernel, acc, rows, cols, alpha, 1f, stage, so, nr, stage, so, nr);
      case LAST -> put(kernel, acc, rows, cols, alpha, 1f, stage, so, nr, c, co, ldc);
      default -> put(kernel, acc, rows, cols, alpha, beta, c, co, ldc, c, co, ldc);
    }
  }

  /**
   * One tile, of packed A ({@code aStep} = mr) or of a transposed A read in place ({@code transposedA},
   * {@code aStep} = lda), against the sliver at {@code bp[bo]}, then {@link #write}. A full tile whose
   * write only stores its sums or adds them to the place it writes (alpha 1; in place with beta 0 or
   * 1; the staging buffer's first k-block with beta 0, or a middle one) goes through the kernel's
   * {@link MicroKernel#tileInto} instead: from the registers, with the same bits.
   */
  private static void tileAndWrite(MicroKernel kernel, boolean transposedA, int kc, float[] a, int aOff, int aStep,
      float[] bp, int bo, float[] acc, int rows, int cols, float alpha, float beta, float[] c, int co, int ldc,
      int phase, float[] stage, int so) {
    if (rows == kernel.mr() && cols == kernel.nr() && alpha == 1f) {
      boolean inPlace = phase == IN_PLACE && (beta == 0f || beta == 1f);
      boolean staged = phase == MIDDLE || (phase == FIRST && beta == 0f);
      if (inPlace || staged) {
        float[] dst = inPlace ? c : stage;
        int dOff = inPlace ? co : so, ldd = inPlace ? ldc : kernel.nr();
        boolean add = inPlace ? beta == 1f : phase == MIDDLE;
        if (transposedA) {
          kernel.tileTransposedAInto(kc, a, aOff, aStep, bp, bo, acc, add, dst, dOff, ldd);
        } else {
          kernel.tileInto(kc, a, aOff, bp, bo, acc, add, dst, dOff, ldd);
        }
        return;
      }
    }
    if (transposedA) {
      kernel.tileTransposedA(kc, a, aOff, aStep, bp, bo, acc);
    } else {
      kernel.tile(kc, a, aOff, bp, bo, acc);
    }
    write(kernel, acc, rows, cols, alpha, beta, c, co, ldc, phase, stage, so);
  }

  /** {@code dst = alpha·acc + beta·src} for a tile: full tiles by {@link MicroKernel#update}, edge tiles by its {@code updateEdge}. */
  private static void put(MicroKernel kernel, float[] acc, int rows, int cols, float alpha, float beta, float[] src,
      int sOff, int lds, float[] dst, int dOff, int ldd) {
    if (rows == kernel.mr() && cols == kernel.nr()) {
      kernel.update(acc, alpha, beta, src, sOff, lds, dst, dOff, ldd);
    } else {
      kernel.updateEdge(rows, cols, acc, alpha, beta, src, sOff, lds, dst, dOff, ldd);
    }
  }

  /**
   * Rows [i0, i0+mcur) of C against {@code slivers} packed B slivers (starting at {@code bBase},
   * the first at column jc; columns stop at {@code jEnd}) for one k-block. op(A) is packed into
   * mr×kc slivers when there are at least {@link #PACK_A_SLIVERS} B slivers to amortise the
   * packing over (packed slivers are contiguous: no L1 set conflicts when lda is a multiple of
   * 1024). Otherwise A is read in place — the tall-skinny im2col products, plain (conv forward)
   * or transposed (conv kernel gradient, colsᵀ·dOut), where packing cost as much as the product —
   * and only a final partial sliver is packed, for its zero padding.
   */
  private static void macro(MicroKernel kernel, boolean transA, float[] a, int aOff, int lda, int i0, int mcur,
      int pc, int kc, float[] bPack, int bBase, int slivers, int jc, int jEnd, float alpha, float beta,
      float[] c, int cOff, int ldc, int phase, float[] stage, int stageT0, int stageSlivers) {
    int mr = kernel.mr(), nr = kernel.nr();
    Buffers buf = BUFFERS.get();
    int aSlivers = ceilDiv(mcur, mr);
    // Slivers before packedFrom are read in place. A transposed A in place reads one line per k
    // step, lda apart: with lda a multiple of 128 floats (512 B) those lines fall in at most 8 of the
    // 64 L1 sets and evict each other, so it is packed then.
    boolean inPlace = slivers < PACK_A_SLIVERS && (!transA || lda % 128 != 0);
    int packedFrom = inPlace ? mcur / mr : 0;
    float[] aPack = buf.a((aSlivers - packedFrom) * mr * kc);
    for (int t = packedFrom; t < aSlivers; t++) {
      packA(transA, a, aOff, lda, i0 + t * mr, Math.min(mr, mcur - t * mr), pc, kc, mr, aPack,
          (t - packedFrom) * mr * kc);
    }
    float[] acc = buf.tile(mr * nr);
    for (int s = 0; s < slivers; s++) {
      int j = jc + s * nr;
      int cols = Math.min(nr, jEnd - j);
      int bo = bBase + s * nr * kc;
      for (int t = 0; t < aSlivers; t++) {
        int i = i0 + t * mr;
        int rows = Math.min(mr, mcur - t * mr);
        int co = cOff + i * ldc + j;
        int so = (s * stageSlivers + stageT0 + t) * mr * nr;
        if (t < packedFrom && transA) {
          tileAndWrite(kernel, true, kc, a, aOff + pc * lda + i, lda, bPack, bo, acc, rows, cols, alpha, beta, c, co, ldc,
              phase, stage, so);
        } else if (t < packedFrom) {
          kernel.tileRowMajorA(kc, a, aOff + i * lda + pc, lda, bPack, bo, acc);
          write(kernel, acc, rows, cols, alpha, beta, c, co, ldc, phase, stage, so);
        } else {
          tileAndWrite(kernel, false, kc, aPack, (t - packedFrom) * mr * kc, mr, bPack, bo, acc, rows, cols, alpha, beta,
              c, co, ldc, phase, stage, so);
        }
      }
    }
  }

  /** Packs op(A)[i0..i0+rows, pc..pc+kc] as a kc×mr sliver (p-major), rows ≥ {@code rows} zero. */
  static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int pc, int kc, int mr,
      float[] dst, int dOff) {
    if (transA && rows == 8 && mr == 8) {
      // A full sliver of the AVX-512 kernel: eight contiguous floats per p, copied in one statement each: eight
      // scalar moves and no call (JDK 25's C2 does not vectorize them; System.arraycopy of eight floats was a call each).
      for (int p = 0, s = aOff + pc * lda + i0, d = dOff; p < kc; p++, s += lda, d += 8) {
        dst[d] = a[s];
        dst[d + 1] = a[s + 1];
        dst[d + 2] = a[s + 2];
        dst[d + 3] = a[s + 3];
        dst[d + 4] = a[s + 4];
        dst[d + 5] = a[s + 5];
        dst[d + 6] = a[s + 6];
        dst[d + 7] = a[s + 7];
      }
    } else if (transA && rows == mr && (mr == 4 || mr == 6)) {
      // The AVX2 kernels' full slivers, likewise.
      for (int p = 0, s = aOff + pc * lda + i0, d = dOff; p < kc; p++, s += lda, d += mr) {
        dst[d] = a[s];
        dst[d + 1] = a[s + 1];
        dst[d + 2] = a[s + 2];
        dst[d + 3] = a[s + 3];
        if (mr == 6) {
          dst[d + 4] = a[s + 4];
          dst[d + 5] = a[s + 5];
        }
      }
    } else if (transA) {
      // A is stored k×m: for each p the sliver's rows are contiguous.
      for (int p = 0; p < kc; p++) {
        int src = aOff + (pc + p) * lda + i0;
        int d = dOff + p * mr;
        System.arraycopy(a, src, dst, d, rows);
        for (int r = rows; r < mr; r++) {
          dst[d + r] = 0f;
        }
      }
    } else if (rows == mr && (mr == 4 || mr == 6 || mr == 8)) {
      // A full sliver, written in order, one element from each row per k step (the loop below writes every
      // mr-th float: ~5 cycles an element, 4–8% of SGEMM 1024³ on AVX2; with the AVX-512 kernel's eight rows,
      // 10% of it on two threads, where each thread packs all of A).
      int s0 = aOff + i0 * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
      if (mr == 8) {
        int s4 = s3 + lda, s5 = s4 + lda, s6 = s5 + lda, s7 = s6 + lda;
        for (int p = 0, d = dOff; p < kc; p++, d += 8) {
          dst[d] = a[s0 + p];
          dst[d + 1] = a[s1 + p];
          dst[d + 2] = a[s2 + p];
          dst[d + 3] = a[s3 + p];
          dst[d + 4] = a[s4 + p];
          dst[d + 5] = a[s5 + p];
          dst[d + 6] = a[s6 + p];
          dst[d + 7] = a[s7 + p];
        }
      } else if (mr == 4) {
        for (int p = 0, d = dOff; p < kc; p++, d += 4) {
          dst[d] = a[s0 + p];
          dst[d + 1] = a[s1 + p];
          dst[d + 2] = a[s2 + p];
          dst[d + 3] = a[s3 + p];
        }
      } else {
        int s4 = s3 + lda, s5 = s4 + lda;
        for (int p = 0, d = dOff; p < kc; p++, d += 6) {
          dst[d] = a[s0 + p];
          dst[d + 1] = a[s1 + p];
          dst[d + 2] = a[s2 + p];
          dst[d + 3] = a[s3 + p];
          dst[d + 4] = a[s4 + p];
          dst[d + 5] = a[s5 + p];
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
   * a non-transposed B the kernel's {@link MicroKernel#packSlivers} walks whole rows of the group
   * (long contiguous reads, one page per row) rather than one sliver at a time.
   */
  static void packBGroup(MicroKernel kernel, boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0,
      int cols, float[] dst) {
    packBGroup(kernel, transB, b, bOff, ldb, pc, kc, j0, cols, dst, 0);
  }

  /** As above, the first sliver at {@code dst[dOff]}. */
  static void packBGroup(MicroKernel kernel, boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0,
      int cols, float[] dst, int dOff) {
    int nr = kernel.nr(), slivers = ceilDiv(cols, nr);
    if (transB) {
      for (int s = 0; s < slivers; s++) {
        packB(true, b, bOff, ldb, pc, kc, j0 + s * nr, Math.min(nr, cols - s * nr), nr, dst, dOff + s * nr * kc);
      }
      return;
    }
    int full = cols / nr;
    kernel.packSlivers(kc, full, b, bOff + pc * ldb + j0, ldb, dst, dOff, kc * nr);
    if (full < slivers) {
      packB(false, b, bOff, ldb, pc, kc, j0 + full * nr, cols - full * nr, nr, dst, dOff + full * nr * kc);
    }
  }

  /** Handles the products with no multiply-adds (C empty, or k = 0 or alpha = 0: C = beta·C); true if it did. */
  private static boolean trivial(int m, int n, int k, float alpha, float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return true;
    }
    if (k == 0 || alpha == 0f) {
      scale(m, n, beta, c, cOff, ldc);
      return true;
    }
    return false;
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
