/** Runnable examples of the Spark module: {@code ./neurona spark-mnist}. */
package dev.neurona.spark.examples;
