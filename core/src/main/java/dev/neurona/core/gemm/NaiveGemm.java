package dev.neurona.core.gemm;

/**
 * The textbook triple loop: the definition of {@link Gemm#sgemm} and its test oracle. One float
 * accumulator per output element, {@code p} ascending.
 */
public final class NaiveGemm {
  private NaiveGemm() {}

  /** {@code C = alpha·op(A)·op(B) + beta·C} with the layouts of {@link Gemm}; no argument checks. */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          s += av * bv;
        }
        int ci = cOff + i * ldc + j;
        c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
      }
    }
  }
}
