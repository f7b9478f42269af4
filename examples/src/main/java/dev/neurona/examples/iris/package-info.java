/** The Iris example: the perceptron and ADALINE of Raschka's chapter 2 on setosa vs versicolor. */
package dev.neurona.examples.iris;
