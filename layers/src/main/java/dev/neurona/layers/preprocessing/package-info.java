/**
 * Keras' random image augmentation layers for NHWC float images of any channel count:
 * {@link dev.neurona.layers.preprocessing.RandomFlip}, {@link dev.neurona.layers.preprocessing.RandomRotation},
 * {@link dev.neurona.layers.preprocessing.RandomZoom}, {@link dev.neurona.layers.preprocessing.RandomTranslation}
 * and {@link dev.neurona.layers.preprocessing.RandomContrast}.
 *
 * <p>They change images only when called with {@code training = true} and are the identity at
 * inference. Their random parameters are reproducible: those of the {@code n}-th training call come
 * from the layer's build seed (derived from the model seed) and {@code n}, all images' parameters are
 * drawn before the images are transformed in parallel, so results do not depend on the thread count.
 * The geometric layers resample with Keras' maths (its projective-transform coordinates, fill modes
 * and interpolation). Each layer has no weights but a true backward pass (the adjoint of its forward),
 * so it may sit anywhere in a model; as the first layer it skips that work.
 *
 * <pre>{@code
 * Sequential model = new Sequential(seed)
 *     .input(180, 180, 3)
 *     .add(new RandomFlip("horizontal"))
 *     .add(new RandomRotation(0.1))
 *     .add(new RandomZoom(0.1))
 *     .add(new Rescaling(1 / 255.0))
 *     ...
 * }</pre>
 */
package dev.neurona.layers.preprocessing;
