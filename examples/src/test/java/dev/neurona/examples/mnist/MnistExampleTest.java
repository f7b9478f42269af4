package dev.neurona.examples.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.data.DatasetUnavailableException;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.FitInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MNIST example end to end on the real data (fetched into the cache on first use, as
 * {@code ./neurona mnist} does): a short training run on a subset must learn, and the example must
 * write its model, history and plots.
 */
class MnistExampleTest {

  @Test
  void shortRealTrainingRunLearnsAndWritesItsFiles(@TempDir Path out) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    // 300 steps of 32 images (9,600 images, one epoch) of the Keras tutorial network.
    int code = MnistExample.run(new String[] {"--model", "keras", "--limit", "9600", "--epochs", "1",
        "--batch-size", "32", "--seed", "7", "--out", out.toString()}, ps, ps);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    Matcher m = Pattern.compile("(?m)^test accuracy: (0\\.\\d{4}) \\((\\d+)/10000\\)$").matcher(text);
    assertThat(m.find()).as("final line in:\n%s", text).isTrue();
    double accuracy = Double.parseDouble(m.group(1));
    assertThat(accuracy).as("test accuracy after 300 steps").isGreaterThanOrEqualTo(0.90);
    assertThat(Integer.parseInt(m.group(2))).isEqualTo((int) Math.round(accuracy * 10000));
    assertThat(text).contains("Total params: 591,786", "precision", "macro avg", "true \\ predicted");
    for (String f : new String[] {"model.zip", "history.csv", "classification_report.txt", "loss.png", "accuracy.png",
        "confusion_matrix.png", "misclassified.png"}) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
      assertThat(Files.size(out.resolve(f))).as(f).isPositive();
    }
    byte[] png = Files.readAllBytes(out.resolve("confusion_matrix.png"));
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    assertThat(Files.readString(out.resolve("history.csv"))).startsWith("epoch,loss,accuracy,val_loss,val_accuracy");
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> MnistExample.parse(new String[] {"--model", "vgg"}))
        .hasMessageContaining("--model").hasMessageContaining("vgg");
    assertThatThrownBy(() -> MnistExample.parse(new String[] {"--epochs", "0"}))
        .hasMessageContaining("--epochs").hasMessageContaining("'0'");
    assertThatThrownBy(() -> MnistExample.parse(new String[] {"--lr"}))
        .hasMessageContaining("--lr needs a value");
    assertThatThrownBy(() -> MnistExample.parse(new String[] {"--frobnicate", "1"}))
        .hasMessageContaining("unknown option --frobnicate");
    assertThat(MnistExample.parse(new String[] {"--help"})).isNull();
    assertThat(MnistExample.parse(new String[] {"--resume", "--epochs", "2"}).resume).isTrue();
    assertThat(MnistExample.parse(new String[] {"--epochs", "2"}).resume).isFalse();
    assertThat(MnistExample.usage()).contains("--resume");
  }

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private final PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);

  private String printed() {
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anOutDirectoryThatCannotBeWrittenFailsBeforeLoadingOrTraining(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Path out = file.resolve("results");
    assertThatThrownBy(() -> MnistExample.run(new String[] {"--epochs", "1", "--out", out.toString()}, ps, ps))
        .isInstanceOf(IOException.class).hasMessageStartingWith("--out " + out + ": cannot create the directory");
    assertThat(printed()).as("nothing loaded or trained").doesNotContain("data:").doesNotContain("Epoch");
  }

  @Test
  void aMissingDataDirectoryOrAnEmptyNeuronaDataIsAnErrorSayingWhatWasExpected(@TempDir Path tmp) throws Exception {
    Path missing = tmp.resolve("no-such-dir");
    String[] withData = {"--data", missing.toString(), "--out", tmp.resolve("o").toString()};
    assertThatThrownBy(() -> MnistExample.run(withData, ps, ps)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--data " + missing + ": no such directory; expected a directory holding the four IDX"
            + " files (train-images-idx3-ubyte");
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    String[] emptyData = {"--data", empty.toString(), "--out", tmp.resolve("o").toString()};
    assertThatThrownBy(() -> MnistExample.run(emptyData, ps, ps)).isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("MNIST is not in the data directory given (--data")
        .hasMessageContaining(empty.resolve("mnist") + ": does not exist")
        .hasMessageContaining(empty + ": has none of the files");
    String[] noData = {"--out", tmp.resolve("o").toString()};
    assertThatThrownBy(() -> MnistExample.run(noData, ps, ps, Map.of("NEURONA_DATA", "")::get))
        .isInstanceOf(DatasetUnavailableException.class).hasMessageStartingWith("NEURONA_DATA is set but empty");
    assertThatThrownBy(() -> MnistExample.run(noData, ps, ps, Map.of("NEURONA_DATA", empty.toString())::get))
        .hasMessageContaining("MNIST is not in the directory in NEURONA_DATA, " + empty);
    assertThat(printed()).doesNotContain("Epoch");
  }

  /** Thrown by a callback to stand for a crash: the example's run stops where it is. */
  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The --resume wiring end to end on the real data; that the resumed weights are bit for bit those of an
   * uninterrupted run is shown by the layers module's BackupAndRestore tests (a second run here would double
   * the time of this, the slowest test of the build).
   */
  @Test
  void resumeGoesOnAfterACrashFromTheLastBackup(@TempDir Path tmp) throws Exception {
    // Small: 5 steps per epoch (each epoch still validates on 5,000 images, and the finished run predicts 10,000).
    String[] common = {"--model", "keras", "--limit", "640", "--epochs", "2", "--batch-size", "128", "--seed", "3",
        "--resume"};
    Path out = tmp.resolve("out");
    Callback crashInSecondEpoch = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        if (epoch == 1 && batch == 2) {
          throw new Crash(); // three steps into the second epoch
        }
      }
    };
    assertThatThrownBy(() -> MnistExample.run(args(common, out), ps, ps, System::getenv, crashInSecondEpoch))
        .isInstanceOf(Crash.class);
    assertThat(printed()).contains("backup: after every epoch to " + out.resolve("backup"));
    assertThat(out.resolve("backup/epoch-1")).isDirectory();
    List<String> before = Files.readAllLines(out.resolve("history.csv"));
    assertThat(before).hasSize(2).first().isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy");
    // Without --resume the backup is pointed out (and left alone); this run is stopped before it trains.
    Callback stopAtOnce = new Callback() {
      @Override
      public void onTrainBegin(Sequential model, FitInfo info) {
        throw new Crash();
      }
    };
    String[] plain = {"--model", "keras", "--limit", "640", "--epochs", "2", "--out", out.toString()};
    assertThatThrownBy(() -> MnistExample.run(plain, ps, ps, System::getenv, stopAtOnce)).isInstanceOf(Crash.class);
    assertThat(printed()).contains("note: " + out.resolve("backup") + " holds the backup of an interrupted run"
        + " (1 epoch(s) done); add --resume to go on from it");
    assertThat(out.resolve("backup/epoch-1")).isDirectory();
    buf.reset();

    assertThat(MnistExample.run(args(common, out), ps, ps)).isZero();
    String text = printed();
    assertThat(text).contains("backup: resuming from " + out.resolve("backup") + ", 1 epoch(s) done")
        .contains("Epoch 2/2").doesNotContain("Epoch 1/2").contains("training time: ").contains("for 1 epochs");
    List<String> after = Files.readAllLines(out.resolve("history.csv"));
    assertThat(after).hasSize(3).startsWith(before.toArray(new String[0]));
    assertThat(after.get(2)).startsWith("1,");
    assertThat(lastLine(text)).startsWith("test accuracy: ");
    assertThat(out.resolve("backup")).as("deleted when training finished").doesNotExist();
    assertThat(Sequential.load(out.resolve("model.zip")).optimizer().iterations()).isEqualTo(10);
  }

  private static String[] args(String[] common, Path out) {
    String[] a = java.util.Arrays.copyOf(common, common.length + 2);
    a[common.length] = "--out";
    a[common.length + 1] = out.toString();
    return a;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
