/** Neurona optimizers (SGD, Adam) and learning-rate schedules. */
module dev.neurona.optim {
  requires transitive dev.neurona.core;

  exports dev.neurona.optim;
}
