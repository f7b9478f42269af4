/** Neurona layers, image augmentation layers, losses, the Sequential model, its training loop and file format, and the classic Perceptron/ADALINE. */
module dev.neurona.layers {
  requires transitive dev.neurona.core;
  requires transitive dev.neurona.optim;

  exports dev.neurona.layers;
  exports dev.neurona.layers.init;
  exports dev.neurona.layers.loss;
  exports dev.neurona.layers.model;
  exports dev.neurona.layers.training;
  exports dev.neurona.layers.saving;
  exports dev.neurona.layers.classic;
  exports dev.neurona.layers.preprocessing;

  uses dev.neurona.layers.saving.LayerProvider;
}
