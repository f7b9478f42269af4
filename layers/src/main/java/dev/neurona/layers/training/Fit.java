package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Options for {@link Sequential#fit}, read like Keras' keyword arguments:
 * <pre>{@code
 * model.fit(x, y, Fit.epochs(10).batchSize(128).validationSplit(0.1).verbose(true));
 * }</pre>
 * Defaults are Keras': 1 epoch, batch size 32, shuffled every epoch, no validation. Unlike Keras
 * the default is silent ({@code verbose(false)}): the library prints only when asked.
 */
public final class Fit {
  private int epochs = 1;
  private int batchSize = 32;
  private double validationSplit;
  private DataSource validationData;
  private boolean shuffle = true;
  private Long seed;
  private final List<Callback> callbacks = new ArrayList<>();
  private boolean verbose;

  private Fit() {}

  /** Default options: 1 epoch, batch size 32. */
  public static Fit defaults() {
    return new Fit();
  }

  /** Options for {@code n >= 1} epochs; chain the other settings. */
  public static Fit epochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Fit: epochs must be >= 1, got " + n);
    }
    Fit f = new Fit();
    f.epochs = n;
    return f;
  }

  /** Samples per gradient step ({@code >= 1}); the last batch of an epoch may be smaller. */
  public Fit batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Fit: batchSize must be >= 1, got " + n);
    }
    this.batchSize = n;
    return this;
  }

  /**
   * Holds out the <em>last</em> {@code fraction} of the samples (before shuffling) for validation,
   * as Keras does; {@code 0 <= fraction < 1}.
   */
  public Fit validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("Fit: validationSplit must be in [0, 1), got " + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  /** Validates on these tensors at the end of every epoch. */
  public Fit validationData(Tensor x, Tensor y) {
    return validationData(DataSource.of(x, y));
  }

  /** Validates on this source at the end of every epoch. */
  public Fit validationData(DataSource data) {
    if (data == null) {
      throw new IllegalArgumentException("Fit: validationData must not be null");
    }
    this.validationData = data;
    return this;
  }

  /** Whether to shuffle the training samples before each epoch (default true). */
  public Fit shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Seed for the per-epoch shuffling; by default it is derived from the model's seed. */
  public Fit seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Callbacks, called in the order given. */
  public Fit callbacks(Callback... callbacks) {
    for (int i = 0; i < callbacks.length; i++) {
      if (callbacks[i] == null) {
        throw new IllegalArgumentException("Fit: callback " + i + " of " + Arrays.toString(callbacks) + " is null");
      }
    }
    this.callbacks.addAll(Arrays.asList(callbacks));
    return this;
  }

  /** When true, a {@link ProgressBar} on {@code System.out} is added after the given callbacks. */
  public Fit verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** The number of epochs. */
  public int epochs() {
    return epochs;
  }

  /** Samples per batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The fraction held out for validation (0 for none). */
  public double validationSplit() {
    return validationSplit;
  }

  /** The validation source, or null. */
  public DataSource validationData() {
    return validationData;
  }

  /** Whether samples are shuffled before each epoch. */
  public boolean shuffle() {
    return shuffle;
  }

  /** The shuffling seed, or null when it is derived from the model's seed. */
  public Long seed() {
    return seed;
  }

  /** The callbacks, in call order. */
  public List<Callback> callbacks() {
    return Collections.unmodifiableList(callbacks);
  }

  /** Whether a progress bar is printed to {@code System.out}. */
  public boolean verbose() {
    return verbose;
  }

  @Override
  public String toString() {
    return "Fit(epochs=" + epochs + ", batchSize=" + batchSize + ", validationSplit=" + validationSplit
        + ", validationData=" + (validationData == null ? "none" : validationData.size() + " samples")
        + ", shuffle=" + shuffle + ", seed=" + (seed == null ? "model" : seed) + ", callbacks=" + callbacks.size()
        + ", verbose=" + verbose + ")";
  }
}
