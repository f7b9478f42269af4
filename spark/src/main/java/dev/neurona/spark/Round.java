package dev.neurona.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;

/**
 * What the driver broadcasts at the start of each round: the weights, and for parameter averaging
 * the optimizer (its config, step count and state), with the steps the workers take.
 */
final class Round implements Serializable {
  private static final long serialVersionUID = 1L;

  final int index;
  final int epoch;
  /** The first step of the epoch this round takes (each partition's batch {@code firstStep}, ...). */
  final int firstStep;
  final int steps;
  /** Steps taken in this fit before this round: sets the Dropout masks' call counters. */
  final long stepsBefore;
  /** Every parameter's values, in {@code Sequential.parameters()} order. */
  final float[][] weights;
  /** Parameter averaging: the optimizer's config, step count and state (keys, values, shapes); else null. */
  final LinkedHashMap<String, Serializable> optimizerConfig;
  final long iterations;
  final String[] stateKeys;
  final float[][] state;
  final int[][] stateShapes;

  Round(int index, int epoch, int firstStep, int steps, long stepsBefore, float[][] weights,
      LinkedHashMap<String, Serializable> optimizerConfig, long iterations, String[] stateKeys, float[][] state, int[][] stateShapes) {
    this.index = index;
    this.epoch = epoch;
    this.firstStep = firstStep;
    this.steps = steps;
    this.stepsBefore = stepsBefore;
    this.weights = weights;
    this.optimizerConfig = optimizerConfig;
    this.iterations = iterations;
    this.stateKeys = stateKeys;
    this.state = state;
    this.stateShapes = stateShapes;
  }

  /** Floats broadcast to each worker: the weights, and the optimizer state when there is one. */
  long floats() {
    long n = 0;
    for (float[] w : weights) {
      n += w.length;
    }
    if (state != null) {
      for (float[] s : state) {
        n += s.length;
      }
    }
    return n;
  }
}
