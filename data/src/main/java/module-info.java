/**
 * Neurona data: file formats (IDX), in-memory image data sets, the MNIST, Fashion-MNIST and Iris
 * loaders and the fetchers that bring their files into a local cache.
 */
module dev.neurona.data {
  requires transitive dev.neurona.core;

  exports dev.neurona.data;
}
