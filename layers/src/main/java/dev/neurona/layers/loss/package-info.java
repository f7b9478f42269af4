/**
 * Losses (cross-entropies, mean squared error; for the classic linear units, half the sum of squared
 * errors and the perceptron criterion) and metrics (accuracies, misclassifications), with factories by
 * Keras-style name.
 */
package dev.neurona.layers.loss;
