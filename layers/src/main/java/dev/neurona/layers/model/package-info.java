/**
 * The Keras-style {@link dev.neurona.layers.model.Sequential} model: a stack of layers, named,
 * built from the input shape and seeded from one seed, with its weights and {@code summary()}.
 * Its {@code compile}, {@code fit}, {@code evaluate}, {@code predict} and {@code trainOnBatch}
 * delegate to {@link dev.neurona.layers.training}, and {@code save}/{@code load} to
 * {@link dev.neurona.layers.saving}.
 */
package dev.neurona.layers.model;
