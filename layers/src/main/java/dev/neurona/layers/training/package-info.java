/**
 * Training a {@link dev.neurona.layers.model.Sequential} model, as Keras' {@code Trainer} does:
 * {@link dev.neurona.layers.training.Trainer} holds what {@code compile} set and runs the loops
 * ({@code fit}: epochs, shuffled batches, the train step, validation; {@code trainOnBatch},
 * {@code evaluate}, {@code predict}), reusing its batch buffers. {@link dev.neurona.layers.training.Fit}
 * holds a run's options, immutable; {@link dev.neurona.layers.training.History} what it recorded;
 * {@link dev.neurona.layers.training.Callback}s hook into it, with Keras' names and meaning:
 * {@link dev.neurona.layers.training.ProgressBar}, {@link dev.neurona.layers.training.EarlyStopping},
 * {@link dev.neurona.layers.training.ReduceLROnPlateau}, {@link dev.neurona.layers.training.ModelCheckpoint},
 * {@link dev.neurona.layers.training.CSVLogger}, {@link dev.neurona.layers.training.TerminateOnNaN} and
 * {@link dev.neurona.layers.training.BackupAndRestore}, which makes a fit resumable after a crash or
 * {@code kill -9}, bit for bit. Without {@code TerminateOnNaN} a NaN or infinite loss stops training
 * with a {@link dev.neurona.layers.training.NonFiniteLossException}. Nothing prints unless asked.
 */
package dev.neurona.layers.training;
