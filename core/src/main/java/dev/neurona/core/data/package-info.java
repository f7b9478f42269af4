/**
 * Data sets: IDX files ({@link dev.neurona.core.data.Idx}), in-memory uint8 image data sets with
 * seeded shuffling and batching into reusable tensors ({@link dev.neurona.core.data.ImageDataset}),
 * and the MNIST / Fashion-MNIST loaders that find or fetch their files
 * ({@link dev.neurona.core.data.Mnist}, {@link dev.neurona.core.data.FashionMnist},
 * {@link dev.neurona.core.data.DatasetLoader}).
 */
package dev.neurona.core.data;
