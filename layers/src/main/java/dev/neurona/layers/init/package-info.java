/**
 * Weight initializers (Glorot, He, truncated normal, constants), with fans computed Keras' way,
 * and a factory by Keras name.
 */
package dev.neurona.layers.init;
