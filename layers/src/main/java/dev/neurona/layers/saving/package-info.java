/**
 * Saving and loading models: {@link dev.neurona.layers.saving.ModelFile} writes a versioned zip
 * ({@code metadata.json}, {@code config.json}, the weights as a safetensors file numpy and PyTorch
 * can read, and a resumable optimizer's state) and reads it back, checking every entry and naming
 * the file and the fault in a {@link dev.neurona.layers.saving.ModelFormatException}. Layers are
 * re-created only through a {@link dev.neurona.layers.saving.LayerRegistry} (the built-in layers,
 * plus those a {@link dev.neurona.layers.saving.LayerProvider} service registers), never by loading
 * a class named in the file; the JSON and safetensors code has no dependency.
 * {@link dev.neurona.layers.saving.TrainingCheckpoint} is the backup a
 * {@link dev.neurona.layers.training.BackupAndRestore} writes after each epoch: a model file plus the
 * rest of the training state, read back as strictly.
 */
package dev.neurona.layers.saving;
