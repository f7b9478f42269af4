package dev.neurona.core.gemm;

/**
 * The plain-Java micro-kernel: a 4×4 tile of scalar accumulators (16 registers), the path used
 * without the Vector API. Each accumulator is a separate multiply then add (Java never fuses).
 */
final class ScalarMicroKernel implements MicroKernel {
  static final ScalarMicroKernel INSTANCE = new ScalarMicroKernel();
  private static final int MR = 4;
  private static final int NR = 4;

  private ScalarMicroKernel() {}

  @Override
  public String name() {
    return "scalar " + MR + "x" + NR;
  }

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return NR;
  }

  @Override
  public void tile(int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] acc) {
    tile(kc, ap, apOff, MR, bp, bpOff, acc);
  }

  @Override
  public void tileTransposedA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    tile(kc, a, aOff, lda, bp, bpOff, acc);
  }

  /** The tile loop for A values {@code ap[apOff + p·aStep + r]}: a packed sliver (step mr) or a transposed A in place (step lda). */
  private static void tile(int kc, float[] ap, int apOff, int aStep, float[] bp, int bpOff, float[] acc) {
    float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
    float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
    float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
    float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
    for (int p = 0, ai = apOff, bi = bpOff; p < kc; p++, ai += aStep, bi += NR) {
      float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
      float a0 = ap[ai];
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      float a1 = ap[ai + 1];
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      float a2 = ap[ai + 2];
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
      float a3 = ap[ai + 3];
      c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    }
    store(acc, 0, c00, c01, c02, c03);
    store(acc, NR, c10, c11, c12, c13);
    store(acc, 2 * NR, c20, c21, c22, c23);
    store(acc, 3 * NR, c30, c31, c32, c33);
  }

  @Override
  public void tileRowMajorA(int kc, float[] a, int aOff, int lda, float[] bp, int bpOff, float[] acc) {
    int r0 = aOff, r1 = aOff + lda, r2 = aOff + 2 * lda, r3 = aOff + 3 * lda;
    float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
    float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
    float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
    float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
    for (int p = 0, bi = bpOff; p < kc; p++, bi += NR) {
      float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
      float a0 = a[r0 + p];
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      float a1 = a[r1 + p];
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      float a2 = a[r2 + p];
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
      float a3 = a[r3 + p];
      c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    }
    store(acc, 0, c00, c01, c02, c03);
    store(acc, NR, c10, c11, c12, c13);
    store(acc, 2 * NR, c20, c21, c22, c23);
    store(acc, 3 * NR, c30, c31, c32, c33);
  }

  @Override
  public void tileWindows(int segs, int segLen, int segStep, float[] a, int[] rowOff, int ro, float[] bp, int bpOff,
      float[] acc) {
    float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
    float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
    float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
    float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
    for (int s = 0, bi = bpOff; s < segs; s++) {
      int r0 = rowOff[ro] + s * segStep, r1 = rowOff[ro + 1] + s * segStep;
      int r2 = rowOff[ro + 2] + s * segStep, r3 = rowOff[ro + 3] + s * segStep;
      for (int q = 0; q < segLen; q++, bi += NR) {
        float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
        float a0 = a[r0 + q];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        float a1 = a[r1 + q];
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        float a2 = a[r2 + q];
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        float a3 = a[r3 + q];
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
    }
    store(acc, 0, c00, c01, c02, c03);
    store(acc, NR, c10, c11, c12, c13);
    store(acc, 2 * NR, c20, c21, c22, c23);
    store(acc, 3 * NR, c30, c31, c32, c33);
  }

  private static void store(float[] acc, int o, float x0, float x1, float x2, float x3) {
    acc[o] = x0;
    acc[o + 1] = x1;
    acc[o + 2] = x2;
    acc[o + 3] = x3;
  }

  @Override
  public void update(float[] acc, float alpha, float beta, float[] src, int sOff, int lds, float[] dst, int dOff,
      int ldd) {
    for (int r = 0; r < MR; r++) {
      int so = sOff + r * lds, d = dOff + r * ldd;
      for (int j = 0; j < NR; j++) {
        dst[d + j] = beta == 0f ? alpha * acc[r * NR + j] : alpha * acc[r * NR + j] + beta * src[so + j];
      }
    }
  }

  @Override
  public void rows(int rows, int kc, float[] a, int aOff, int aRow, int aStep, float[] b, int bOff, int ldb, int cols,
      float[] acc) {
    java.util.Arrays.fill(acc, 0, rows * cols, 0f);
    for (int p = 0; p < kc; p++) {
      int bi = bOff + p * ldb;
      for (int r = 0; r < rows; r++) {
        float ar = a[aOff + r * aRow + p * aStep];
        int o = r * cols;
        for (int j = 0; j < cols; j++) {
          acc[o + j] += ar * b[bi + j]; // multiply, then add: as tile
        }
      }
    }
  }
}
