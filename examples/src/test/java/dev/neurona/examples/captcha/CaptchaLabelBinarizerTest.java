package dev.neurona.examples.captcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LabelBinarizer}: scikit-learn's ordering, one-hot rows, the JSON round trip and its errors. */
class CaptchaLabelBinarizerTest {

  private static List<String> symbols() {
    List<String> s = new ArrayList<>();
    for (char c : CaptchaGenerator.ALPHABET.toCharArray()) {
      s.add(String.valueOf(c));
    }
    return s;
  }

  @Test
  void fitSortsTheDistinctLabelsLikeScikitLearn() {
    LabelBinarizer lb = LabelBinarizer.fit(List.of("B", "2", "Z", "A", "2", "9"));
    assertThat(lb.classes()).containsExactly("2", "9", "A", "B", "Z");
    List<String> shuffled = new ArrayList<>(symbols());
    java.util.Collections.reverse(shuffled);
    assertThat(LabelBinarizer.fit(shuffled).classes()).isEqualTo(symbols()); // 2…9 then A…Z
  }

  @Test
  void transformIsOneHotAndInverseTransformReadsItBack() {
    LabelBinarizer lb = LabelBinarizer.fit(symbols());
    Tensor y = lb.transform(List.of("2", "Z", "K"));
    assertThat(y.shape().toString()).isEqualTo(Tensor.zeros(3, 32).shape().toString());
    assertThat(y.get(0, 0)).isEqualTo(1f);
    assertThat(y.get(1, 31)).isEqualTo(1f);
    assertThat(y.get(2, lb.column("K"))).isEqualTo(1f);
    float sum = 0;
    for (float v : y.data()) {
      sum += v;
    }
    assertThat(sum).isEqualTo(3f);
    assertThat(lb.inverseTransform(y)).containsExactly("2", "Z", "K");
    assertThat(lb.symbol(8)).isEqualTo("A");
  }

  @Test
  void roundTripsThroughJsonAndAFile(@TempDir Path dir) throws IOException {
    LabelBinarizer lb = LabelBinarizer.fit(symbols());
    String json = lb.toJson();
    assertThat(json).startsWith("{\"type\": \"LabelBinarizer\", \"classes\": [\"2\", \"3\"");
    assertThat(LabelBinarizer.fromJson(json)).isEqualTo(lb);
    LabelBinarizer odd = LabelBinarizer.of(List.of("quote\"", "back\\slash", "tab\t", "é"));
    assertThat(LabelBinarizer.fromJson(odd.toJson()).classes()).isEqualTo(odd.classes());
    assertThat(LabelBinarizer.fromJson(" {\n \"classes\" : [\"b\",\"a\"] , \"type\":\"LabelBinarizer\" } ").classes())
        .containsExactly("b", "a"); // order as written, not re-sorted
    Path f = dir.resolve("labels.json");
    lb.save(f);
    assertThat(LabelBinarizer.load(f)).isEqualTo(lb);
  }

  @Test
  void unknownSymbolsAndBadTextAreNamed(@TempDir Path dir) throws IOException {
    LabelBinarizer lb = LabelBinarizer.fit(symbols());
    assertThatThrownBy(() -> lb.transform(List.of("A", "O"))).hasMessageContaining("unknown label 'O'");
    assertThatThrownBy(() -> lb.column("1")).hasMessageContaining("'1'").hasMessageContaining("[2, 3, 4");
    assertThatThrownBy(() -> lb.symbol(32)).hasMessageContaining("column 32");
    assertThatThrownBy(() -> LabelBinarizer.fit(List.of())).hasMessageContaining("no labels");
    assertThatThrownBy(() -> LabelBinarizer.of(List.of("A", "A"))).hasMessageContaining("'A' appears twice");
    assertThatThrownBy(() -> LabelBinarizer.fromJson("{\"type\": \"OneHot\", \"classes\": []}"))
        .hasMessageContaining("\"OneHot\"");
    assertThatThrownBy(() -> LabelBinarizer.fromJson("{\"type\": \"LabelBinarizer\", \"classes\": [\"A\", \"A\"]}"))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> LabelBinarizer.fromJson("{\"type\": \"LabelBinarizer\"}"))
        .hasMessageContaining("needs both");
    assertThatThrownBy(() -> LabelBinarizer.fromJson("{\"type\": \"LabelBinarizer\", \"classes\": [\"A\"]} x"))
        .hasMessageContaining("after the object");
    assertThatThrownBy(() -> LabelBinarizer.fromJson("{\"classes\": [\"A\"")).hasMessageContaining("expected");
    Path bad = Files.writeString(dir.resolve("labels.json"), "[1, 2]");
    assertThatThrownBy(() -> LabelBinarizer.load(bad)).isInstanceOf(IOException.class).hasMessageContaining(bad.toString());
    assertThatThrownBy(() -> LabelBinarizer.load(dir.resolve("missing.json"))).isInstanceOf(IOException.class)
        .hasMessageContaining("missing.json");
  }
}
