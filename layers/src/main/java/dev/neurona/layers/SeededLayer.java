package dev.neurona.layers;

/**
 * A layer whose training-mode forward pass draws random numbers: {@link Dropout}'s masks, the
 * augmentation layers' transforms in {@code dev.neurona.layers.preprocessing}. The {@code n}-th
 * training call draws from a generator seeded with the layer's build seed and {@code n}, so the
 * seed and one counter decide everything it will draw; inference calls draw nothing and leave the
 * counter alone.
 *
 * <p>Whatever saves training state to resume it later (the {@code BackupAndRestore} callback)
 * walks the model's layers, saves the counter of each {@code SeededLayer} by layer name and sets it
 * back on resume, so a resumed run draws exactly what the uninterrupted one would have. A layer of
 * your own that draws random numbers in training takes part by implementing this interface.
 */
public interface SeededLayer {
  /**
   * The number of training forward passes so far: the index of the call whose random numbers the
   * next training forward draws.
   *
   * @return the call counter, {@code >= 0}
   */
  long callCount();

  /**
   * Sets the call counter: the next training forward draws the random numbers of call {@code n}.
   *
   * @param n the index of the next training call, {@code >= 0}
   * @throws IllegalArgumentException when {@code n} is negative, naming the layer
   */
  void callCount(long n);
}
