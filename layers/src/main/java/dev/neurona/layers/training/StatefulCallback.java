package dev.neurona.layers.training;

import dev.neurona.core.Tensor;
import java.util.Map;

/**
 * A callback whose state decides what a later epoch does ({@link EarlyStopping}'s patience count
 * and best value, {@link ReduceLROnPlateau}'s, {@link ModelCheckpoint}'s best value, how much of
 * its file {@link CSVLogger} has written). {@link BackupAndRestore} saves {@link #state()} with the
 * rest of the training state after every epoch and, when a fit resumes, gives it back to
 * {@link #restoreState} right after {@link #onTrainBegin}, so the resumed run decides as the
 * uninterrupted one would have.
 *
 * <p>Callbacks are matched to their saved state by position among the fit's stateful callbacks
 * and by class: a resumed fit must be given the same stateful callbacks in the same order.
 */
public interface StatefulCallback extends Callback {
  /**
   * The state to save, by name. Values are {@code Long} (or {@code Integer}), {@code Double} (NaN
   * and infinities included), {@code Boolean} or {@link Tensor} (saved bit for bit); names are
   * non-blank and contain no {@code '/'}.
   *
   * @return a map the caller may keep (tensors are copied before being written)
   */
  Map<String, Object> state();

  /**
   * Continues from a {@link #state()} saved earlier; called after {@link #onTrainBegin}. Integers
   * come back as {@code Long}, numbers as {@code Double}, tensors as new {@link Tensor}s.
   *
   * @param state what {@link #state()} returned when the backup was written
   * @throws IllegalArgumentException naming the key when an entry is missing, unknown, of the wrong
   *     type or out of range
   */
  void restoreState(Map<String, Object> state);
}
