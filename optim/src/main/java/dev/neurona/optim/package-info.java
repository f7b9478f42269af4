/**
 * Optimizers ({@link dev.neurona.optim.SGD}, {@link dev.neurona.optim.Adam}) and learning-rate
 * schedules ({@link dev.neurona.optim.LearningRateSchedule}), with Keras semantics and defaults.
 * Each update is written out per element with its formula beside it.
 */
package dev.neurona.optim;
