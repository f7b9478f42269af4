package dev.neurona.layers.loss;

/**
 * What the accuracy metrics share: a name, and the count of correct predictions over the count
 * compared since the last {@link #reset()}. Each subclass checks a batch and counts its hits.
 */
abstract class AccuracyMetric implements Metric {
  private final String name;
  private long correct;
  private long total;

  AccuracyMetric(String name) {
    this.name = name;
  }

  /** Adds one checked batch: {@code correct} hits out of {@code compared} predictions. */
  final void count(long correct, long compared) {
    this.correct += correct;
    this.total += compared;
  }

  @Override
  public final String name() {
    return name;
  }

  /** {@code correct / compared} since the last reset; 0 before any batch. */
  @Override
  public final double result() {
    return total == 0 ? 0.0 : (double) correct / total;
  }

  @Override
  public final void reset() {
    correct = 0;
    total = 0;
  }
}
