package dev.neurona.layers.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  /** A clock the test moves by hand, in milliseconds. */
  private long nowMs;

  private static Map<String, Double> logs(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    return m;
  }

  @Test
  void printsKerasLinesRewritingInPlaceAtMostEvery100ms() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, () -> nowMs * 1_000_000L);
    bar.onTrainBegin(null, new FitInfo(2, 12, 32, 384, 0));
    nowMs = 0;
    bar.onEpochBegin(0);
    nowMs = 50;
    bar.onBatchEnd(0, 0, logs("loss", 0.5, "accuracy", 0.25)); // printed: first update
    nowMs = 120;
    bar.onBatchEnd(0, 1, logs("loss", 0.45, "accuracy", 0.3)); // 70 ms later: skipped
    nowMs = 200;
    bar.onBatchEnd(0, 2, logs("loss", 0.4, "accuracy", 0.5)); // printed
    nowMs = 2400;
    bar.onBatchEnd(0, 11, logs("loss", 0.1, "accuracy", 0.9)); // last step: left to onEpochEnd
    bar.onEpochEnd(0, logs("loss", 0.1, "accuracy", 0.9, "val_loss", 0.00012, "val_accuracy", 1.0));
    String expected = "Epoch 1/2\n"
        + " 1/12 [=>............................] - ETA: 1s - loss: 0.5000 - accuracy: 0.2500"
        + "\r 3/12 [======>.......................] - ETA: 1s - loss: 0.4000 - accuracy: 0.5000"
        + "\r12/12 [==============================] - 2s 200ms/step - loss: 0.1000 - accuracy: 0.9000"
        + " - val_loss: 1.2000e-04 - val_accuracy: 1.0000\n";
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(expected);

    buf.reset();
    nowMs = 10_000;
    bar.onEpochBegin(1);
    nowMs = 10_010;
    bar.onBatchEnd(1, 0, logs("loss", 12345.678));
    nowMs = 10_500;
    bar.onBatchEnd(1, 1, logs("loss", 1.5));
    nowMs = 14_000;
    bar.onEpochEnd(1, logs("loss", 1.5));
    String second = buf.toString(StandardCharsets.UTF_8);
    assertThat(second).isEqualTo("Epoch 2/2\n"
        + " 1/12 [=>............................] - ETA: 0s - loss: 12345.6780"
        + "\r 2/12 [====>.........................] - ETA: 3s - loss: 1.5000    " // blanks the longer line
        + "\r 2/12 [====>.........................] - 4s 2s/step - loss: 1.5000\n");
  }

  @Test
  void timeFormatsFollowKeras() {
    assertThat(ProgressBar.eta(8.2)).isEqualTo("8s");
    assertThat(ProgressBar.eta(125)).isEqualTo("2:05");
    assertThat(ProgressBar.eta(3725)).isEqualTo("1:02:05");
    assertThat(ProgressBar.perStep(0.025)).isEqualTo("25ms/step");
    assertThat(ProgressBar.perStep(2.2)).isEqualTo("2s/step");
    assertThat(ProgressBar.perStep(0.00085)).isEqualTo("850us/step");
  }
}
