package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsTheTypesConfigsUse() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("units", 128);
    m.put("rate", 0.1f);
    m.put("eps", 1e-7);
    m.put("big", 1L << 40);
    m.put("kernel_size", new int[] {3, 3});
    m.put("name", "a \"quoted\"\\ line\nwith\ttab and \u0001 and é");
    m.put("flag", true);
    m.put("none", null);
    m.put("nested", List.of(Map.of("k", List.of()), List.of(1, 2)));
    for (String text : new String[] {Json.write(m), Json.writePretty(m)}) {
      Map<String, Object> r = Json.parseObject(text);
      assertThat(r.keySet()).containsExactlyElementsOf(m.keySet());
      assertThat(r.get("units")).isEqualTo(128L);
      assertThat(((Double) r.get("rate")).floatValue()).isEqualTo(0.1f);
      assertThat(r.get("eps")).isEqualTo(1e-7);
      assertThat(r.get("big")).isEqualTo(1L << 40);
      assertThat(r.get("kernel_size")).isEqualTo(List.of(3L, 3L));
      assertThat(r.get("name")).isEqualTo(m.get("name"));
      assertThat(r.get("flag")).isEqualTo(true);
      assertThat(r).containsEntry("none", null);
      assertThat(r.get("nested")).isEqualTo(List.of(Map.of("k", List.of()), List.of(1L, 2L)));
    }
    assertThat(Json.write(0.1f)).isEqualTo("0.1");
    assertThat(Json.writePretty(Map.of("shape", List.of(3, 3, 1, 32)))).isEqualTo("{\n  \"shape\": [3, 3, 1, 32]\n}\n");
  }

  @Test
  void rejectsWhatJsonCannotHoldAndMalformedText() {
    assertThatThrownBy(() -> Json.write(Map.of("rate", Float.NaN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.rate");
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).hasMessageContaining("character 8");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1} x")).hasMessageContaining("after the JSON value");
    assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("duplicate key \"a\"");
    assertThatThrownBy(() -> Json.parse("[1, 2")).hasMessageContaining("expected ']'");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> Json.parse("-")).hasMessageContaining("bad number");
    assertThatThrownBy(() -> Json.parse("[".repeat(1000))).hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object");
  }

  @Test
  void numbersBeyondTheirRangeAreErrorsNotInfinities() {
    // Before: 1e999 parsed as Infinity.
    assertThatThrownBy(() -> Json.parse("[1e999]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("character 1").hasMessageContaining("number 1e999 is out of range");
    assertThatThrownBy(() -> Json.parse("-1e400")).hasMessageContaining("number -1e400 is out of range");
    assertThatThrownBy(() -> Json.parse("9223372036854775808")).hasMessageContaining("does not fit in 64 bits");
    assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Json.parse("1e-400")).isEqualTo(0.0);
    assertThat(Json.parse("1.7976931348623157e308")).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void describedValuesAreCutShort() {
    String s = "x".repeat(10_000);
    assertThat(Json.describe(s)).hasSize("the string \"\"".length() + 100 + "… (9900 more characters)".length());
  }
}
