package dev.neurona.layers.saving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.InputLayer;
import dev.neurona.layers.Layer;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.ReLU;
import dev.neurona.layers.Rescaling;
import dev.neurona.layers.Sigmoid;
import dev.neurona.layers.Softmax;
import dev.neurona.layers.Tanh;
import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestNoFromConfig;
import dev.neurona.layers.preprocessing.RandomContrast;
import dev.neurona.layers.preprocessing.RandomFlip;
import dev.neurona.layers.preprocessing.RandomRotation;
import dev.neurona.layers.preprocessing.RandomTranslation;
import dev.neurona.layers.preprocessing.RandomZoom;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LayerRegistryTest {

  @Test
  void everyBuiltInLayerIsRegisteredAndComesBackFromItsConfig() {
    LayerRegistry r = LayerRegistry.builtIn();
    List<Layer> samples = List.of(new Conv2D(8, 3, "same", "relu"), new Dense(4, "softmax").useBias(false),
        new Dropout(0.25), new Flatten(), new InputLayer(4, 4, 1), new MaxPool2D(3), new ReLU(),
        new Rescaling(1 / 255f, -1f), new Sigmoid(), new Softmax(), new Tanh(), new RandomContrast(0.1, 0.3),
        new RandomFlip("horizontal"), new RandomRotation(0.2), new RandomTranslation(0.1, 0.2), new RandomZoom(0.2, -0.1));
    assertThat(r.types()).containsExactly("Conv2D", "Dense", "Dropout", "Flatten", "InputLayer", "MaxPool2D",
        "RandomContrast", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom", "ReLU", "Rescaling",
        "Sigmoid", "Softmax", "Tanh");
    for (Layer l : samples) {
      Layer back = r.create(l.typeName(), l.config());
      assertThat(back).isExactlyInstanceOf(l.getClass());
      assertThat(back.config()).isEqualTo(l.config());
      assertThat(r.typeOf(l.getClass())).isEqualTo(l.typeName());
    }
  }

  /** A concrete public layer class in the main code that is not registered could be built but never loaded. */
  @Test
  void noPublicLayerClassOfTheLibraryIsLeftOut() throws IOException, ClassNotFoundException {
    Path classes = Path.of("target", "classes");
    List<String> unregistered = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(classes.resolve("dev/neurona/layers"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        int mod = c.getModifiers();
        if (Layer.class.isAssignableFrom(c) && Modifier.isPublic(mod) && !Modifier.isAbstract(mod)) {
          checked++;
          if (LayerRegistry.builtIn().typeOf(c.asSubclass(Layer.class)) == null) {
            unregistered.add(c.getName());
          }
        }
      }
    }
    assertThat(unregistered).as("register these in LayerRegistry.builtIn()").isEmpty();
    assertThat(checked).isEqualTo(LayerRegistry.builtIn().types().size());
  }

  @Test
  void theStandardRegistryAddsWhatLayerProvidersRegister() {
    LayerRegistry standard = LayerRegistry.standard();
    assertThat(standard).isSameAs(LayerRegistry.standard());
    assertThat(standard.types()).contains("Dense", "Conv2D", "TestLinear", "TestScale", "TestFlatten")
        .doesNotContain("TestNoFromConfig");
    assertThat(standard.create("TestLinear", Map.of("units", 3L, "activation", "relu")))
        .isExactlyInstanceOf(TestLinear.class);
  }

  @Test
  void registeringATypeOrAClassTwiceOrWithoutANameIsRefused() {
    LayerRegistry r = new LayerRegistry().register("Flat", TestFlatten.class, TestFlatten::fromConfig);
    assertThatThrownBy(() -> r.register("Flat", TestNoFromConfig.class, c -> new TestNoFromConfig()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type 'Flat' is already registered")
        .hasMessageContaining(TestFlatten.class.getName());
    assertThatThrownBy(() -> r.register("Flat2", TestFlatten.class, TestFlatten::fromConfig))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered, as type 'Flat'");
    assertThatThrownBy(() -> r.register(" ", TestNoFromConfig.class, c -> new TestNoFromConfig()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type must not be blank, got ' '");
    assertThatThrownBy(() -> r.register("X", TestNoFromConfig.class, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'X'").hasMessageContaining("factory=null");
    assertThat(r.types()).containsExactly("Flat");
    assertThat(r).hasToString("LayerRegistry[Flat]");
  }

  @Test
  void unknownTypesAndFactoriesThatMakeTheWrongLayerAreNamed() {
    LayerRegistry r = new LayerRegistry().register("Odd", TestNoFromConfig.class, c -> new TestFlatten());
    assertThatThrownBy(() -> r.create("Nope", Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown layer type 'Nope'").hasMessageContaining("[Odd]");
    assertThatThrownBy(() -> r.create("Odd", Map.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'Odd'").hasMessageContaining(TestFlatten.class.getName());
    assertThat(r.typeOfClassName(TestNoFromConfig.class.getName())).isEqualTo("Odd");
    assertThat(r.typeOfClassName("dev.neurona.layers.Dense")).isNull();
    assertThat(new TreeSet<>(r.types())).containsExactly("Odd");
  }
}
