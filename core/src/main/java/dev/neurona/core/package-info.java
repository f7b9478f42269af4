/**
 * Tensors ({@link dev.neurona.core.Tensor}, {@link dev.neurona.core.Shape}), parameters
 * ({@link dev.neurona.core.Parameter}), the library's thread team ({@link dev.neurona.core.Parallel})
 * and which kernels run ({@link dev.neurona.core.Simd}).
 */
package dev.neurona.core;
