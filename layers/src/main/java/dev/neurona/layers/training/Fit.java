package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.layers.model.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Options for {@link Sequential#fit}, read like Keras' keyword arguments:
 * <pre>{@code
 * model.fit(x, y, Fit.defaults().epochs(10).batchSize(128).validationSplit(0.1).verbose(true));
 * }</pre>
 * Immutable: each setter returns a new {@code Fit} and leaves this one as it was, so one set of
 * options can be shared and varied ({@code base.epochs(20)}). Defaults are Keras': 1 epoch, batch
 * size 32, shuffled every epoch, no validation. Unlike Keras the default is silent
 * ({@code verbose(false)}): the library prints only when asked.
 *
 * <p>The options hold callbacks, not copies of them: a callback such as {@link EarlyStopping}
 * keeps its own state across the runs it takes part in.
 */
public final class Fit {
  private static final Fit DEFAULTS = new Fit(1, 32, 0.0, null, true, null, List.of(), false);

  private final int epochs;
  private final int batchSize;
  private final double validationSplit;
  private final DataSource validationData;
  private final boolean shuffle;
  private final Long seed;
  private final List<Callback> callbacks;
  private final boolean verbose;

  private Fit(int epochs, int batchSize, double validationSplit, DataSource validationData, boolean shuffle,
      Long seed, List<Callback> callbacks, boolean verbose) {
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.validationSplit = validationSplit;
    this.validationData = validationData;
    this.shuffle = shuffle;
    this.seed = seed;
    this.callbacks = callbacks;
    this.verbose = verbose;
  }

  /** The default options: 1 epoch, batch size 32, shuffled, no validation, no callbacks, silent. */
  public static Fit defaults() {
    return DEFAULTS;
  }

  // ---------------------------------------------------------------- setters: each returns a new Fit

  /** These options for {@code n >= 1} epochs. */
  public Fit epochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Fit: epochs must be >= 1, got " + n);
    }
    return new Fit(n, batchSize, validationSplit, validationData, shuffle, seed, callbacks, verbose);
  }

  /** These options with {@code n >= 1} samples per gradient step; the last batch of an epoch may be smaller. */
  public Fit batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("Fit: batchSize must be >= 1, got " + n);
    }
    return new Fit(epochs, n, validationSplit, validationData, shuffle, seed, callbacks, verbose);
  }

  /**
   * These options holding out the <em>last</em> {@code fraction} of the samples (before shuffling)
   * for validation, as Keras does; {@code 0 <= fraction < 1}.
   */
  public Fit validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("Fit: validationSplit must be in [0, 1), got " + fraction);
    }
    return new Fit(epochs, batchSize, fraction, validationData, shuffle, seed, callbacks, verbose);
  }

  /** These options validating on these tensors at the end of every epoch. */
  public Fit validationData(Tensor x, Tensor y) {
    return validationData(DataSource.of(x, y));
  }

  /** These options validating on this source at the end of every epoch. */
  public Fit validationData(DataSource data) {
    if (data == null) {
      throw new IllegalArgumentException("Fit: validationData must not be null");
    }
    return new Fit(epochs, batchSize, validationSplit, data, shuffle, seed, callbacks, verbose);
  }

  /** These options with the training samples shuffled before each epoch, or not (default true). */
  public Fit shuffle(boolean shuffle) {
    return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, callbacks, verbose);
  }

  /** These options with this seed for the per-epoch shuffling; by default it is derived from the model's seed. */
  public Fit seed(long seed) {
    return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, callbacks, verbose);
  }

  /** These options with {@code callbacks} added after those already given; all are called in that order. */
  public Fit callbacks(Callback... callbacks) {
    for (int i = 0; i < callbacks.length; i++) {
      if (callbacks[i] == null) {
        throw new IllegalArgumentException("Fit: callback " + i + " of " + Arrays.toString(callbacks) + " is null");
      }
    }
    List<Callback> all = new ArrayList<>(this.callbacks);
    all.addAll(Arrays.asList(callbacks));
    return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, List.copyOf(all), verbose);
  }

  /** These options with a {@link ProgressBar} on {@code System.out} after the callbacks, or not (default false). */
  public Fit verbose(boolean verbose) {
    return new Fit(epochs, batchSize, validationSplit, validationData, shuffle, seed, callbacks, verbose);
  }

  // ---------------------------------------------------------------- getters

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

  /** The callbacks, in call order (an unmodifiable list). */
  public List<Callback> callbacks() {
    return callbacks;
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
