/**
 * Neurona core: float32 tensors, SIMD kernels (Vector API, with a scalar fallback), blocked GEMM,
 * im2col convolution, the library thread pool and data utilities.
 *
 * <p>The Vector API is optional ({@code requires static}): when {@code jdk.incubator.vector} is not
 * in the boot layer the scalar kernels run.
 */
module dev.neurona.core {
  requires static jdk.incubator.vector;

  exports dev.neurona.core;
  exports dev.neurona.core.kernels;
  exports dev.neurona.core.gemm;
  exports dev.neurona.core.conv;
  exports dev.neurona.core.data;
}
