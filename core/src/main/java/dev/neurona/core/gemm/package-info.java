/** Matrix multiplication: the blocked, packed, multithreaded {@link dev.neurona.core.gemm.Gemm} and its naive reference. */
package dev.neurona.core.gemm;
