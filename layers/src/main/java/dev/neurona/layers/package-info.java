/**
 * Neurona's layers (Dense, Conv2D, MaxPool2D, Flatten, Dropout, activation layers, Rescaling), each
 * with its forward and backward pass side by side, the activation functions they share, and
 * {@link dev.neurona.layers.GradientCheck}, which compares any layer's backward pass with finite
 * differences.
 */
package dev.neurona.layers;
