/**
 * Neurona Keras: Keras 3 {@code .keras} archives, legacy HDF5 model files ({@code model.save("x.h5")})
 * and weights files ({@code .weights.h5}) read into Neurona's {@code Sequential}, and Neurona models
 * written as {@code .keras} archives that Keras 3 loads. HDF5 through jHDF, a pure-Java library.
 */
@SuppressWarnings("requires-automatic") // jHDF is an automatic module (its jar names itself io.jhdf)
module dev.neurona.keras {
  requires transitive dev.neurona.layers;
  requires io.jhdf;

  exports dev.neurona.keras;
}
