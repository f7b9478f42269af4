/** Losses (cross-entropies, mean squared error) and metrics (accuracies), with factories by Keras name. */
package dev.neurona.layers.loss;
