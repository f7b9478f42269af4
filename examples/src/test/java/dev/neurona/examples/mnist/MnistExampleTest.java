package dev.neurona.examples.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  }
}
