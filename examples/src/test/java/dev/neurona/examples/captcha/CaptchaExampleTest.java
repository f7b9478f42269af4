package dev.neurona.examples.captcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plumbing of {@code ./neurona captcha} on a tiny run: files, output format, {@code --solve}, options. */
class CaptchaExampleTest {

  @Test
  void tinyRunWritesItsFilesAndEndsWithTheTwoAccuracyLines(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("cache");
    Path out = tmp.resolve("out");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = CaptchaExample.run(new String[] {"--count", "80", "--epochs", "1", "--fresh", "12", "--seed", "3",
        "--data", data.toString(), "--out", out.toString()}, ps, ps);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    String[] lines = text.strip().split("\\R");
    assertThat(lines[lines.length - 2]).as(text).matches("letter accuracy: [01]\\.\\d{4} \\(\\d+/\\d+\\)");
    assertThat(lines[lines.length - 1]).as(text).matches("captcha accuracy: [01]\\.\\d{4} \\(\\d+/12\\)");
    assertThat(text).contains("Model: \"bad\"", "Model: \"good\"", "Total params: 4,017,052", "Total params: 667,102",
        "bad model letter accuracy: ", "Epoch 1/1", "time (wall / process cpu): generation");
    for (String f : List.of("model.zip", "labels.json", "history.csv", "classification_report.txt", "loss.png",
        "accuracy.png", "conv1_feature_maps.png", "pool1_feature_maps.png", "conv2_feature_maps.png", "predictions.png")) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
    }
    assertThat(data.resolve("3-80")).isDirectory();
    try (Stream<Path> s = Files.list(data.resolve("3-80-letters"))) {
      assertThat(s.filter(Files::isDirectory).count()).isBetween(15L, 32L);
    }

    // --solve reads the saved samples with the saved model.
    List<Path> samples;
    try (Stream<Path> s = Files.list(out.resolve("samples"))) {
      samples = s.sorted().limit(3).toList();
    }
    assertThat(samples).hasSize(3);
    buf.reset();
    String[] solveArgs = {"--solve", samples.get(0).toString(), samples.get(1).toString(), samples.get(2).toString(),
        "--out", out.toString()};
    int solved = CaptchaExample.run(solveArgs, ps, ps);
    String answer = buf.toString(StandardCharsets.UTF_8);
    assertThat(solved).as(answer).isIn(0, 1);
    assertThat(answer.strip().split("\\R")).hasSize(3);
    assertThat(answer).contains(samples.get(0) + ": ");
  }

  @Test
  void solveWithoutAModelSaysWhatIsMissing(@TempDir Path tmp) {
    assertThatThrownBy(() -> CaptchaExample.run(new String[] {"--solve", "x.png", "--out", tmp.toString()},
        System.out, System.err)).hasMessageContaining(tmp.resolve("model.zip").toString());
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--count", "0"}))
        .hasMessageContaining("--count").hasMessageContaining("'0'");
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--seed", "x1"}))
        .hasMessageContaining("--seed").hasMessageContaining("'x1'");
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--epochs"})).hasMessageContaining("--epochs needs a value");
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--solve"})).hasMessageContaining("--solve needs");
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--frobnicate", "1"}))
        .hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"file.png"})).hasMessageContaining("'file.png'");
    assertThat(CaptchaExample.parse(new String[] {"--help"})).isNull();
    CaptchaExample.Options o = CaptchaExample.parse(new String[] {"--solve", "a.png", "b.png", "--threads", "1"});
    assertThat(o.solve).containsExactly(Path.of("a.png"), Path.of("b.png"));
    assertThat(o.threads).isEqualTo(1);
  }
}
