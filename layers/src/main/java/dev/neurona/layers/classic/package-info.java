/**
 * The classic single-layer learners the library's story starts from: Rosenblatt's {@link
 * dev.neurona.layers.classic.Perceptron} and Widrow–Hoff's {@link dev.neurona.layers.classic.Adaline}
 * (batch and stochastic gradient descent), with feature {@link dev.neurona.layers.classic.Standardizer
 * standardisation}. They follow chapter 2 of Raschka's <i>Python Machine Learning</i>: labels in
 * {-1, 1}, weights starting at zero, a history per epoch. They work on {@code double[][]} rows (see
 * {@link dev.neurona.layers.classic.LinearUnit} for why).
 */
package dev.neurona.layers.classic;
