package dev.neurona.layers.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything besides the weights and the optimizer that decides how a {@code fit} goes on after an
 * epoch, as {@link BackupAndRestore} saves it ({@code training.json} and
 * {@code callbacks.safetensors} beside the model file, see
 * {@link dev.neurona.layers.saving.TrainingCheckpoint}). The weights, the optimizer's buffers, its
 * step count (which drives the learning-rate schedule) and its learning rate are in the model file.
 *
 * @param epoch epochs completed: the index (from 0) of the next epoch to run
 * @param epochs the epochs the interrupted fit was asked for (for the record; a resumed fit may ask
 *     for more)
 * @param stopped whether training had been stopped (by {@link EarlyStopping}, {@link TerminateOnNaN}
 *     or {@code stopTraining}): a resumed fit then runs no further epoch
 * @param fitCount the model's count of {@code fit} calls, this one included, from which later fits
 *     derive their shuffling seeds
 * @param shuffle whether the fit shuffled the samples every epoch
 * @param shuffleSeed the seed of the fit's shuffling: a resumed fit replays the shuffles of the
 *     epochs done, which puts the samples in the order the next epoch starts from
 * @param samples training samples per epoch
 * @param batchSize samples per batch
 * @param validationSamples validation samples (0 when there is no validation)
 * @param seededLayers the call counter of every {@link dev.neurona.layers.SeededLayer} of the model,
 *     by layer name (Dropout masks, augmentation draws)
 * @param callbacks the state of each {@link StatefulCallback} of the fit, in order
 */
public record TrainingState(int epoch, int epochs, boolean stopped, int fitCount, boolean shuffle, long shuffleSeed,
    int samples, int batchSize, int validationSamples, Map<String, Long> seededLayers,
    List<CallbackState> callbacks) {

  /** Copies the map (keeping its order) and the list (each callback's values stay as given). */
  public TrainingState {
    seededLayers = Collections.unmodifiableMap(new LinkedHashMap<>(seededLayers));
    callbacks = List.copyOf(callbacks);
  }

  /**
   * One {@link StatefulCallback}'s saved state.
   *
   * @param type the callback's class name, which a resumed fit's callback at the same position must have
   * @param values what its {@link StatefulCallback#state()} returned
   */
  public record CallbackState(String type, Map<String, Object> values) {
    /** Copies the values (not the tensors in them). */
    public CallbackState {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }
}
