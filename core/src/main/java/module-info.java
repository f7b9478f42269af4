/**
 * Neurona core: float32 tensors, SIMD kernels (Vector API, with a scalar fallback), blocked GEMM,
 * im2col convolution, the library's thread team, and the {@code DataSource} the trainer consumes.
 * Pure maths: no files, processes or network.
 *
 * <p>The Vector API is optional ({@code requires static}): when {@code jdk.incubator.vector} is not
 * in the boot layer the scalar kernels run. The kernel interface and its loader are exported only
 * to Neurona's own modules; the SIMD implementations are not exported at all.
 */
@SuppressWarnings("module") // the qualified exports name modules that are compiled after this one
module dev.neurona.core {
  requires static jdk.incubator.vector;

  exports dev.neurona.core;
  exports dev.neurona.core.gemm;
  exports dev.neurona.core.conv;
  exports dev.neurona.core.data;
  exports dev.neurona.core.kernels to dev.neurona.optim, dev.neurona.layers, dev.neurona.data;
}
