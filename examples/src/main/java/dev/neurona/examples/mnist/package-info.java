/**
 * MNIST end to end ({@code ./neurona mnist}): the TensorFlow and Keras tutorial networks
 * ({@link dev.neurona.examples.mnist.MnistModels}), the example program, its classification report and plots.
 */
package dev.neurona.examples.mnist;
