/**
 * JMH benchmarks (GEMM, convolution, training step, inference) and {@code LayerProfile}; see
 * benchmarks/README.md for the commands and the measured figures.
 */
package dev.neurona.benchmarks;
