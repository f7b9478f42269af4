/**
 * TensorFlow's image classification tutorial on the flower photos ({@code ./neurona flowers}): the
 * plain and augmented CNNs ({@link dev.neurona.examples.flowers.FlowersModels}), the example program
 * with training, {@code --predict} and {@code --evaluate}, and its pictures.
 */
package dev.neurona.examples.flowers;
