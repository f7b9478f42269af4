/**
 * Synchronous data-parallel training of Neurona models on Apache Spark: {@link
 * dev.neurona.spark.SparkTrainer} (gradient averaging every step, or parameter averaging every N
 * steps) over a {@link dev.neurona.spark.SampleSet} of samples spread over the cluster. Spark is a
 * {@code provided} dependency: the cluster brings its own.
 */
package dev.neurona.spark;
