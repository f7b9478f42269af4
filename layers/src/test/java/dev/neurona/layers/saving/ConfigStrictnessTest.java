package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import dev.neurona.layers.Activation;
import dev.neurona.layers.Dense;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;
import dev.neurona.optim.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configs are read strictly: a key nothing reads is an error naming the layer (or optimizer) and the
 * key, unless loading is lenient; a number that does not fit the type it is kept in is an error in
 * both modes.
 */
class ConfigStrictnessTest {
  @TempDir
  Path dir;

  private int counter;

  private Path out() {
    return dir.resolve("edited" + counter++ + ".zip");
  }

  @Test
  void aMisspelledKeyIsAnErrorNamingTheLayerAndTheKeyUnlessLoadingIsLenient() throws IOException {
    Path src = dir.resolve("small.zip");
    SavedModels.small().save(src);
    Path typo = SavedModels.editJson(src, out(), "config.json", c -> {
      Map<String, Object> head = SavedModels.layerConfig(c, 1);
      head.put("activatoin", head.remove("activation"));
    });
    // Before: it loaded, and the softmax head came back as a linear layer.
    assertThatThrownBy(() -> Sequential.load(typo)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(typo + ": config.json: layer 1 'dense_1' (Dense) has unknown config key \"activatoin\"")
        .hasMessageContaining("known keys: [activation, bias_initializer, kernel_initializer, units, use_bias]")
        .hasMessageContaining("LoadOptions.lenient()");
    Sequential lenient = Sequential.load(typo, ModelFile.LoadOptions.lenient());
    assertThat(((HasActivation) lenient.layers().get(1)).activation()).isEqualTo(Activation.LINEAR);
  }

  @Test
  void everyBuiltInLayerRejectsAnUnknownKeyAndAcceptsItWhenLenient() throws IOException {
    Sequential m = SavedModels.everyLayer();
    Path src = dir.resolve("every.zip");
    m.save(src);
    Tensor x = Tensor.uniform(dev.neurona.core.Shape.of(2, 8, 8, 3), 0f, 255f, 11);
    List<String> types = new ArrayList<>();
    for (int i = 0; i < m.layers().size(); i++) {
      Layer l = m.layers().get(i);
      int at = i;
      Path f = SavedModels.editJson(src, out(), "config.json", c -> SavedModels.layerConfig(c, at).put("future_key", 1L));
      assertThatThrownBy(() -> Sequential.load(f)).as(l.typeName()).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(f + ": config.json: layer " + i + " '" + l.name() + "' (" + l.typeName()
              + ") has unknown config key \"future_key\" (value 1)");
      Sequential r = Sequential.load(f, ModelFile.LoadOptions.lenient());
      assertThat(r.predict(x).data()).as(l.typeName()).containsExactly(m.predict(x).data());
      types.add(l.typeName());
    }
    assertThat(types).containsAll(LayerRegistry.builtIn().types().stream().filter(t -> !t.equals("InputLayer")).toList());
  }

  @Test
  void unknownKeysInsideNestedConfigsAreNamedWithTheirPath() throws IOException {
    Path src = dir.resolve("small.zip");
    SavedModels.small().save(src);
    Path f = SavedModels.editJson(src, out(), "config.json", c -> SavedModels.layerConfig(c, 0).put("kernel_initializer",
        Json.parseObject("{\"class_name\": \"truncated_normal\", \"config\": {\"stdev\": 0.1}}")));
    // Before: the misspelled stddev was ignored and the default 0.05 used.
    assertThatThrownBy(() -> Sequential.load(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("layer 0 'dense' (Dense) has unknown config key \"kernel_initializer.config.stdev\"")
        .hasMessageContaining("known keys of kernel_initializer.config: [mean, stddev]");
  }

  @Test
  void theOptimizerConfigIsCheckedTheSameWayIncludingItsSchedule() throws IOException {
    Path src = dir.resolve("small.zip");
    SavedModels.small().save(src);
    Path typo = SavedModels.editJson(src, out(), "optimizer.json", o -> config(o).put("betta_1", 0.8));
    assertThatThrownBy(() -> Sequential.load(typo)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(typo + ": optimizer.json: the optimizer (adam) has unknown config key \"betta_1\" (value 0.8)")
        .hasMessageContaining("[amsgrad, beta_1, beta_2, epsilon, learning_rate, name, weight_decay]");
    assertThat(Sequential.load(typo, ModelFile.LoadOptions.lenient()).optimizer().config())
        .isEqualTo(SavedModels.small().optimizer().config());

    Sequential scheduled = new Sequential(1).input(4).add(new Dense(2));
    scheduled.compile(SGD.builder().schedule(LearningRateSchedule.exponential(0.1, 100, 0.5, true)).momentum(0.9)
        .build(), "mean_squared_error");
    Path s = dir.resolve("scheduled.zip");
    scheduled.save(s);
    Path nested = SavedModels.editJson(s, out(), "optimizer.json", o -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> schedule = (Map<String, Object>) config(o).get("learning_rate");
      schedule.put("stair_case", true);
    });
    assertThatThrownBy(() -> Sequential.load(nested)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("the optimizer (sgd) has unknown config key \"learning_rate.stair_case\"");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(Map<String, Object> optimizerJson) {
    return (Map<String, Object>) optimizerJson.get("config");
  }

  @Test
  void integersThatDoNotFitAnIntAreErrorsNotWrappedValues() throws IOException {
    Path src = dir.resolve("small.zip");
    SavedModels.small().save(src);
    // 4294967298 wraps to 2, the head's real size: before, this file loaded as Dense(2) without a word.
    Path wrap = SavedModels.editJson(src, out(), "config.json", c -> SavedModels.layerConfig(c, 1).put("units", 4294967298L));
    assertThatThrownBy(() -> Sequential.load(wrap)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(wrap + ": config.json: layer 1 'dense_1' (Dense)")
        .hasMessageContaining("\"units\" must be an int (between -2147483648 and 2147483647), got 4294967298");
    Path fractional = SavedModels.editJson(src, out(), "config.json", c -> SavedModels.layerConfig(c, 1).put("units", 2.5));
    assertThatThrownBy(() -> Sequential.load(fractional)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("\"units\" must be a whole number, got 2.5");
  }

  @Test
  void everyLayerNumberIsCheckedInTheTypeItIsUsedIn() {
    LayerRegistry r = LayerRegistry.builtIn();
    Object[][] cases = {
        {"Dense", "{\"units\": 4294967304}", "\"units\" must be an int"},
        {"Conv2D", "{\"filters\": 4, \"kernel_size\": [3, 4294967299]}", "\"kernel_size\" must be an int"},
        {"Conv2D", "{\"filters\": 4, \"kernel_size\": 3, \"strides\": -4294967295}", "\"strides\" must be an int"},
        {"MaxPool2D", "{\"pool_size\": [2, 1e10]}", "\"pool_size\" must be an int"},
        {"Rescaling", "{\"scale\": 1e300}", "\"scale\" must be a finite number within the float range"},
        {"Rescaling", "{\"scale\": 1, \"offset\": -1e39}", "\"offset\" must be a finite number within the float range"},
        {"RandomContrast", "{\"factor\": 0.1, \"value_range\": [0, 1e300]}", "\"value_range\" must hold finite numbers"},
        {"RandomRotation", "{\"factor\": 0.1, \"fill_value\": -1e300}", "\"fill_value\" must hold finite numbers"},
        {"RandomZoom", "{\"height_factor\": 1e300}", "\"height_factor\" must hold finite numbers"},
        {"InputLayer", "{\"shape\": [28, 4294967324]}", "\"shape\" must be an int"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> r.create((String) c[0], Json.parseObject((String) c[1]))).as("%s %s", c[0], c[1])
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining((String) c[2]);
    }
    assertThat(((InputLayer) r.create("InputLayer", Json.parseObject("{\"shape\": [28, 28, 1]}"))).shape().toArray())
        .containsExactly(28, 28, 1);
  }

  @Test
  void optimizerNumbersThatOverflowOrVanishAsFloatsAreErrors() throws IOException {
    Path src = dir.resolve("small.zip");
    SavedModels.small().save(src);
    // Before: Adam came back with epsilon = Infinity, and every update was zero.
    Path eps = SavedModels.editJson(src, out(), "optimizer.json", o -> config(o).put("epsilon", 1e300));
    assertThatThrownBy(() -> Sequential.load(eps)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(eps + ": optimizer.json: the optimizer (adam): config \"epsilon\" is 1.0E300 in the file,"
            + " out of the range of the float it is kept in");
    Path decay = SavedModels.editJson(src, out(), "optimizer.json", o -> config(o).put("weight_decay", 1e-60));
    assertThatThrownBy(() -> Sequential.load(decay)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("config \"weight_decay\" is 1.0E-60 in the file, too small for the float it is kept in");
    // A double that is not exactly a float is what the file says, rounded: that is fine.
    Path rounded = SavedModels.editJson(src, out(), "optimizer.json", o -> config(o).put("beta_1", 0.1));
    assertThat(((Adam) Sequential.load(rounded).optimizer()).beta1()).isEqualTo(0.1f);
  }
}
