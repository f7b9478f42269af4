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
    assertThat(out.resolve("labels.json")).as("the symbols are in the model file now").doesNotExist();
    assertThat(dev.neurona.layers.model.Sequential.load(out.resolve("model.zip")).classNames()).hasSize(32)
        .startsWith("2", "3").endsWith("Y", "Z").doesNotContain("I", "O");
    for (String f : List.of("model.zip", "history.csv", "classification_report.txt", "loss.png",
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

    // --model-file: the model alone, anywhere, reads the same texts.
    Path alone = Files.createDirectories(tmp.resolve("alone")).resolve("letters.zip");
    Files.copy(out.resolve("model.zip"), alone);
    buf.reset();
    assertThat(CaptchaExample.run(new String[] {"--solve", samples.get(0).toString(), samples.get(1).toString(),
        samples.get(2).toString(), "--model-file", alone.toString()}, ps, ps)).isEqualTo(solved);
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(answer);

    // A model saved before the symbols moved inside it: labels.json beside it is read.
    dev.neurona.layers.model.Sequential old = dev.neurona.layers.model.Sequential.load(alone);
    old.classNames(List.of()).save(alone);
    assertThatThrownBy(() -> CaptchaExample.run(new String[] {"--solve", samples.get(0).toString(), "--model-file",
        alone.toString()}, ps, ps)).hasMessageContaining("has no class names")
        .hasMessageContaining(alone.resolveSibling("labels.json").toString());
    LabelBinarizer.fit(CaptchaGenerator.ALPHABET.chars().mapToObj(c -> String.valueOf((char) c)).toList())
        .save(alone.resolveSibling("labels.json"));
    buf.reset();
    CaptchaExample.run(new String[] {"--solve", samples.get(0).toString(), samples.get(1).toString(),
        samples.get(2).toString(), "--model-file", alone.toString()}, ps, ps);
    assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo(answer);
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
    assertThatThrownBy(() -> CaptchaExample.parse(new String[] {"--model-file", "m.zip"}))
        .hasMessageContaining("--model-file goes with --solve");
    assertThat(CaptchaExample.parse(new String[] {"--solve", "a.png", "--model-file", "m.zip"}).modelFile)
        .isEqualTo(Path.of("m.zip"));
    CaptchaExample.Options o = CaptchaExample.parse(new String[] {"--solve", "a.png", "b.png", "--threads", "1"});
    assertThat(o.solve).containsExactly(Path.of("a.png"), Path.of("b.png"));
    assertThat(o.threads).isEqualTo(1);
  }
}
