package dev.neurona.examples;

import static org.assertj.core.api.Assertions.assertThat;

// README-IMPORTS-BEGIN
import dev.neurona.data.Mnist;
import dev.neurona.data.TrainTest;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.optim.Adam;
import java.nio.file.Path;
import java.util.Map;
// README-IMPORTS-END
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java example honest: the imports and the code between the README markers below
 * are compiled here, and the test checks that README.md shows exactly these lines, imports first.
 */
class ReadmeExampleTest {

  /** The README example, as a method so that it compiles (it trains on all of MNIST: not run here). */
  static Map<String, Double> readmeExample() throws IOException {
    // README-BEGIN
    Sequential model = new Sequential()
        .input(28, 28, 1)
        .add(new Conv2D(32, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
    model.compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
    System.out.println(model.summary());

    TrainTest mnist = Mnist.load();   // fetched into ~/.cache/neurona/mnist on first use
    History history = model.fit(mnist.train(), Fit.defaults().epochs(8).batchSize(128).validationSplit(1 / 12.0).verbose(true));
    Map<String, Double> scores = model.evaluate(mnist.test(), 128);   // {loss=…, accuracy=…}
    model.save(Path.of("mnist-cnn.zip"));
    // README-END
    return scores;
  }

  @Test
  void readmeShowsTheCompiledExample() throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String source = Files.readString(Path.of("src", "test", "java", "dev", "neurona", "examples", "ReadmeExampleTest.java"),
        StandardCharsets.UTF_8);
    String imports = between(source, "// README-IMPORTS-BEGIN\n", "// README-IMPORTS-END");
    String block = between(source, "// README-BEGIN\n", "    // README-END");
    StringBuilder dedented = new StringBuilder();
    for (String line : block.split("\n", -1)) {
      dedented.append(line.startsWith("    ") ? line.substring(4) : line).append('\n');
    }
    String expected = imports + "\n" + dedented.toString().stripTrailing();
    assertThat(text).as("README.md must contain the example exactly as compiled in %s", getClass().getSimpleName())
        .contains(expected);
  }

  private static String between(String text, String begin, String end) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from);
    assertThat(from).as("marker %s", begin.strip()).isNotNegative();
    assertThat(to).as("marker %s", end.strip()).isGreaterThan(from);
    return text.substring(from + begin.length(), to);
  }
}
