/**
 * The Vector API GEMM micro-kernel. Not exported: {@link dev.neurona.core.gemm.Gemm} loads it by
 * name, only when {@code jdk.incubator.vector} is in the boot layer.
 */
package dev.neurona.core.gemm.simd;
