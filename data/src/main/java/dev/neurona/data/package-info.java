/**
 * Data sets and file formats: IDX files ({@link dev.neurona.data.Idx}), in-memory uint8 image data
 * sets with seeded shuffling and batching into reusable tensors ({@link dev.neurona.data.ImageDataset}),
 * the MNIST / Fashion-MNIST loaders that find or fetch their files, over HTTPS from public mirrors or
 * else through a package manager ({@link dev.neurona.data.Mnist}, {@link dev.neurona.data.FashionMnist},
 * {@link dev.neurona.data.DatasetLoader}), CIFAR-10's binary batches ({@link dev.neurona.data.Cifar10}), Iris
 * ({@link dev.neurona.data.Iris}), and folders of images with one sub-folder per class
 * ({@link dev.neurona.data.ImageFolder}, Keras' {@code image_dataset_from_directory}) with the
 * single-image helpers of {@link dev.neurona.data.Images}.
 *
 * <p>Everything here reaches the training loop through core's {@link dev.neurona.core.data.DataSource}:
 * this module depends on {@code core} only, and the layers and optimizers never depend on it.
 */
package dev.neurona.data;
