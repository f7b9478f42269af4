package dev.neurona.layers.training;

import dev.neurona.layers.model.Sequential;

/**
 * What a {@link Sequential#fit} run will do, given to {@link Callback#onTrainBegin}.
 *
 * @param epochs the number of epochs asked for
 * @param stepsPerEpoch batches per epoch (the last one may be smaller)
 * @param batchSize samples per batch
 * @param samples training samples per epoch
 * @param validationSamples validation samples (0 when there is no validation)
 */
public record FitInfo(int epochs, int stepsPerEpoch, int batchSize, int samples, int validationSamples) {}
