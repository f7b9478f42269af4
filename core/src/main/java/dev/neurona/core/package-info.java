/** Tensors ({@link dev.neurona.core.Tensor}, {@link dev.neurona.core.Shape}), parameters and the library thread pool ({@link dev.neurona.core.Parallel}). */
package dev.neurona.core;
