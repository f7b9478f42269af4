/**
 * The classic single-layer learners the library's story starts from, twice.
 *
 * <p>As readable float64 references that import nothing from the library: Rosenblatt's {@link
 * dev.neurona.layers.classic.Perceptron} and Widrow–Hoff's {@link dev.neurona.layers.classic.Adaline}
 * (batch and stochastic gradient descent), with feature {@link dev.neurona.layers.classic.Standardizer
 * standardisation}. They follow chapter 2 of Raschka's <i>Python Machine Learning</i>: labels in
 * {-1, 1}, weights starting at zero, a history per epoch. They work on {@code double[][]} rows (see
 * {@link dev.neurona.layers.classic.LinearUnit} for why).
 *
 * <p>As ordinary {@code Sequential} models built from the library's parts ({@link
 * dev.neurona.layers.classic.Classic}): a zero-initialised {@code Dense(1)} trained by SGD on the
 * {@link dev.neurona.layers.loss.PerceptronCriterion perceptron criterion} or on {@link
 * dev.neurona.layers.loss.SumSquaredError half the sum of squared errors}, whose gradients are the two
 * classic rules; the perceptron's {@link dev.neurona.layers.classic.StopWhenSeparated stop} is a
 * callback. They learn the references' weights and per-epoch errors and costs.
 */
package dev.neurona.layers.classic;
