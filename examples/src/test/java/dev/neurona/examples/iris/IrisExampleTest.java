package dev.neurona.examples.iris;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisExampleTest {
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @Test
  void trainsBothLearnersAndWritesTheCharts(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("iris");
    assertThat(IrisExample.run(new String[] {"--out", dir.toString()}, out, err)).isZero();
    String report = outBytes.toString(StandardCharsets.UTF_8);
    assertThat(report)
        .contains("converged (stopped early) after 6 of 10 epochs")
        .contains("training accuracy: 50.0%  55.0%  100.0%  100.0%")
        .contains("7.813e+28")
        // the models' own histories: the perceptron's mistakes per epoch, the standardised ADALINE's last cost
        .contains("      3              3\n      4              2\n      5              1\n      6              0\n")
        .contains("perceptron_criterion")
        .contains("     15                                           2.572");
    assertThat(errBytes.size()).isZero();
    for (String name : IrisExample.CHARTS) {
      Path png = dir.resolve(name);
      byte[] bytes = Files.readAllBytes(png);
      assertThat(Arrays.copyOf(bytes, 8)).as(name).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
      BufferedImage img = ImageIO.read(png.toFile());
      assertThat(img.getWidth()).as(name).isEqualTo(800);
      assertThat(img.getHeight()).as(name).isEqualTo(560);
    }
  }

  @Test
  void helpAndBadArguments() {
    assertThat(IrisExample.run(new String[] {"--help"}, out, err)).isZero();
    assertThat(outBytes.toString(StandardCharsets.UTF_8)).startsWith("Usage: iris");
    assertThat(IrisExample.run(new String[] {"--epochs", "3"}, out, err)).isEqualTo(2);
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("unknown argument '--epochs'");
    assertThat(IrisExample.run(new String[] {"--out"}, out, err)).isEqualTo(2);
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("--out needs a folder");
  }

  @Test
  void anOutFolderThatCannotBeWrittenFailsBeforeTraining(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThat(IrisExample.run(new String[] {"--out", file.resolve("charts").toString()}, out, err)).isEqualTo(1);
    assertThat(errBytes.toString(StandardCharsets.UTF_8)).startsWith("iris: --out " + file.resolve("charts") + ": ");
    assertThat(outBytes.size()).as("nothing trained").isZero();
  }
}
