/**
 * The Keras-style {@link dev.neurona.layers.model.Sequential} model: {@code add}, {@code summary},
 * {@code compile}, {@code fit} (with {@link dev.neurona.layers.model.Fit} options, a
 * {@link dev.neurona.layers.model.History} and {@link dev.neurona.layers.model.Callback}s such as
 * {@link dev.neurona.layers.model.EarlyStopping} and {@link dev.neurona.layers.model.ProgressBar}),
 * {@code evaluate}, {@code predict}, and saving to a versioned zip whose weights are a
 * safetensors file numpy and PyTorch can read.
 */
package dev.neurona.layers.model;
