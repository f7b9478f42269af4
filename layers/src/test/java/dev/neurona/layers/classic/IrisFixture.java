package dev.neurona.layers.classic;

import dev.neurona.data.Iris;

/** The tutorial's problem: setosa (-1) vs versicolor (+1) on sepal length and petal length. */
final class IrisFixture {
  static final Iris TWO = Iris.load().only("setosa", "versicolor");
  static final double[][] X = TWO.features("sepal_length", "petal_length");
  static final int[] Y = TWO.labels("versicolor");

  private IrisFixture() {}
}
