/**
 * Neurona's layers (Dense, Conv2D, MaxPool2D, Flatten, Dropout, activation layers, Rescaling), each
 * with its forward and backward pass side by side, and the activation functions they share.
 */
package dev.neurona.layers;
