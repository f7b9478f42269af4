package dev.neurona.data;

/** A data set's standard training and test parts, e.g. MNIST's 60 000 and 10 000 images. */
public record TrainTest(ImageDataset train, ImageDataset test) {}
