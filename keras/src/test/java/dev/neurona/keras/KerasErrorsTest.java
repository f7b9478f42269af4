package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.neurona.layers.model.Sequential;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and unsupported files: one clear error per kind, naming the file, the layer and the value. */
class KerasErrorsTest {
  @TempDir
  Path dir;

  @Test
  void notAModelFile() throws Exception {
    Path f = dir.resolve("notes.h5");
    Files.writeString(f, "just some text\n");
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("notes.h5: not a model file: it is neither a zip archive (.keras, Neurona) nor HDF5");
  }

  @Test
  void truncatedKerasArchive() throws Exception {
    Path f = truncated("flowers.keras", 0.6);
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("flowers.keras: not a complete zip archive, truncated or damaged");
  }

  @Test
  void truncatedHdf5() throws Exception {
    Path f = truncated("captcha.h5", 0.5);
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(KerasFormatException.class)
        .hasMessageContaining("captcha.h5");
  }

  @Test
  void unknownLayerClass() throws Exception {
    Path f = editedConfig("misc.keras", c -> c.replace("\"class_name\": \"ReLU\"", "\"class_name\": \"LeakyReLU\""));
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageContaining("misc.keras: layer 're_lu' (LeakyReLU) is not supported by Neurona")
        .satisfies(e -> assertThat(((UnsupportedKerasModelException) e).kerasClass()).isEqualTo("LeakyReLU"));
  }

  @Test
  void unsupportedOption() throws Exception {
    Path f = editedConfig("keras_mnist.keras", c -> c.replace("\"dilation_rate\": [1, 1]", "\"dilation_rate\": [2, 2]"));
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageMatching(".*keras_mnist.keras: layer 'conv2d_\\d+' \\(Conv2D\\): dilation_rate=\\[2, 2\\] is not supported.*")
        .satisfies(e -> assertThat(((UnsupportedKerasModelException) e).option()).isEqualTo("dilation_rate"));
    Path g = editedConfig("keras_mnist.keras", c -> c.replace("\"data_format\": \"channels_last\"",
        "\"data_format\": \"channels_first\""));
    assertThatThrownBy(() -> KerasModels.load(g))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageContaining("data_format=\"channels_first\" is not supported by Neurona");
    Path h = editedConfig("keras_mnist.keras", c -> c.replace("\"activation\": \"relu\"", "\"activation\": \"gelu\""));
    assertThatThrownBy(() -> KerasModels.load(h))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageContaining("activation=\"gelu\" is not supported by Neurona");
  }

  @Test
  void functionalModelThatIsNotAChain() throws Exception {
    Path f = editedConfig("flowers.keras", c -> c.replace("\"keras_history\": [\"rescaling\", 0, 0]",
        "\"keras_history\": [\"random_zoom\", 0, 0]"));
    assertThatThrownBy(() -> KerasModels.load(f))
        .isInstanceOf(UnsupportedKerasModelException.class)
        .hasMessageMatching(".*flowers.keras: layer 'conv2d_\\d+' \\(Conv2D\\) is not supported by Neurona: its input comes"
            + " from \\[random_zoom\\], not from the layer before it \\('rescaling'\\).*");
  }

  @Test
  void regularizersLoadUncompiled() throws Exception {
    Path f = editedConfig("keras_mnist.keras", c -> c.replaceFirst("\"kernel_regularizer\": null",
        "\"kernel_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"L2\", \"config\": {\"l2\": 0.01},"
            + " \"registered_name\": null}"));
    Sequential model;
    List<String> warnings;
    try (LogCapture log = new LogCapture()) {
      model = KerasModels.load(f);
      warnings = log.messages();
    }
    assertThat(warnings).singleElement().asString().startsWith("WARNING " + f + ": the model is loaded uncompiled")
        .contains("layer 'conv2d_2' (Conv2D) has kernel_regularizer \"L2\", which Neurona does not apply in training");
    assertThat(model.optimizer()).isNull();
    assertThat(model.predict(Fixtures.inputs("keras_mnist")).data())
        .isEqualTo(KerasModels.load(Fixtures.file("keras_mnist.keras")).predict(Fixtures.inputs("keras_mnist")).data());
  }

  private Path truncated(String fixture, double fraction) throws IOException {
    byte[] b = Files.readAllBytes(Fixtures.file(fixture));
    Path f = dir.resolve(fixture);
    Files.write(f, Arrays.copyOf(b, (int) (b.length * fraction)));
    return f;
  }

  /** A copy of a {@code .keras} fixture whose config.json went through {@code edit}. */
  private Path editedConfig(String fixture, UnaryOperator<String> edit) throws IOException {
    Path f = dir.resolve(fixture);
    try (ZipFile in = new ZipFile(Fixtures.file(fixture).toFile());
        OutputStream os = Files.newOutputStream(f);
        ZipOutputStream out = new ZipOutputStream(os)) {
      Enumeration<? extends ZipEntry> es = in.entries();
      while (es.hasMoreElements()) {
        ZipEntry e = es.nextElement();
        byte[] data;
        try (InputStream is = in.getInputStream(e)) {
          data = is.readAllBytes();
        }
        if (e.getName().equals("config.json")) {
          String before = new String(data, StandardCharsets.UTF_8);
          String after = edit.apply(before);
          assertThat(after).as("the edit changed config.json").isNotEqualTo(before);
          data = after.getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(data);
        out.closeEntry();
      }
    }
    return f;
  }
}
