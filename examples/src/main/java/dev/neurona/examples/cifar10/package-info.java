/**
 * TensorFlow's "Convolutional Neural Network (CNN)" tutorial on CIFAR-10 ({@code ./neurona cifar10}):
 * the tutorial's network ({@link dev.neurona.examples.cifar10.Cifar10Models}) and the example program.
 */
package dev.neurona.examples.cifar10;
