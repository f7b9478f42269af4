/** Convolution and pooling geometry, im2col/col2im, the window GEMM, and convolution forward/backward built on GEMM. */
package dev.neurona.core.conv;
