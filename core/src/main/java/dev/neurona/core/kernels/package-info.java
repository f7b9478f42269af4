/**
 * Element-wise and reduction kernels behind one interface: {@link dev.neurona.core.kernels.ScalarKernels}
 * (the reference) and a Vector API implementation chosen by {@link dev.neurona.core.kernels.KernelProvider}.
 * Internal: exported only to Neurona's own modules ({@link dev.neurona.core.Simd} is the public view).
 */
package dev.neurona.core.kernels;
