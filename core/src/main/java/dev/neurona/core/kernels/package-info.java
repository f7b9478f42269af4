/**
 * Element-wise and reduction kernels behind one interface: {@link dev.neurona.core.kernels.ScalarKernels}
 * (the reference) and a Vector API implementation chosen by {@link dev.neurona.core.kernels.KernelProvider}.
 */
package dev.neurona.core.kernels;
