/**
 * Keras models in and out: {@link dev.neurona.keras.KerasModels} loads {@code .keras} archives and
 * legacy {@code .h5} model files as a {@code Sequential}, loads {@code .weights.h5} files into an
 * existing model, and saves a model as a {@code .keras} archive that Keras 3 loads.
 *
 * <pre>{@code
 * Sequential model = KerasModels.load(Path.of("mnist.keras"));   // or "mnist.h5"
 * KerasModels.save(model, Path.of("copy.keras"));
 * }</pre>
 *
 * <p>What is read: {@code Sequential} models and functional models that are a plain chain (one input,
 * each layer fed by the one before, one output) of InputLayer, Conv2D, MaxPooling2D, Dense, Dropout,
 * Flatten, Rescaling, Activation, ReLU, Softmax, RandomFlip, RandomRotation, RandomZoom,
 * RandomTranslation and RandomContrast, in float32, channels last. Every option of those layers is
 * checked: a value Neurona does not implement (a dilated or grouped convolution, channels first, a
 * ReLU with a maximum, an activation other than linear, relu, sigmoid, tanh and softmax, ...) fails
 * with an {@link dev.neurona.keras.UnsupportedKerasModelException} naming the file, the layer, the
 * option and its value, never a silently different model. The training configuration is restored
 * when Neurona has its equivalent; when it has not, or a layer uses regularizers or constraints
 * (which change training but not predictions), the model loads uncompiled and one warning goes to the
 * {@link java.lang.System.Logger} {@code dev.neurona.keras}.
 */
package dev.neurona.keras;
