/**
 * Training a {@link dev.neurona.layers.model.Sequential} model, as Keras' {@code Trainer} does:
 * {@link dev.neurona.layers.training.Trainer} holds what {@code compile} set and runs the loops
 * ({@code fit}: epochs, shuffled batches, the train step, validation; {@code trainOnBatch},
 * {@code evaluate}, {@code predict}), reusing its batch buffers. {@link dev.neurona.layers.training.Fit}
 * holds a run's options, immutable; {@link dev.neurona.layers.training.History} what it recorded;
 * {@link dev.neurona.layers.training.Callback}s such as {@link dev.neurona.layers.training.EarlyStopping}
 * and {@link dev.neurona.layers.training.ProgressBar} hook into it, and a NaN or infinite loss stops it
 * with a {@link dev.neurona.layers.training.NonFiniteLossException}. Nothing prints unless asked.
 */
package dev.neurona.layers.training;
