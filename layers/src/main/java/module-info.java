/** Neurona layers, image augmentation layers, losses, the Sequential model and its training loop, and the classic Perceptron/ADALINE. */
module dev.neurona.layers {
  requires transitive dev.neurona.core;
  requires transitive dev.neurona.optim;

  exports dev.neurona.layers;
  exports dev.neurona.layers.init;
  exports dev.neurona.layers.loss;
  exports dev.neurona.layers.model;
  exports dev.neurona.layers.classic;
  exports dev.neurona.layers.preprocessing;
}
