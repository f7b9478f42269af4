/**
 * The Vector API kernels. Not exported, never referenced directly: {@code KernelProvider} loads
 * them by name only when {@code jdk.incubator.vector} is in the boot layer.
 */
package dev.neurona.core.kernels.simd;
