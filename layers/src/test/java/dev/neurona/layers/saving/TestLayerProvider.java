package dev.neurona.layers.saving;

import dev.neurona.layers.TestFlatten;
import dev.neurona.layers.TestLinear;
import dev.neurona.layers.TestScale;

/**
 * Registers the test-only layers, as a user's own layers would be: found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.neurona.layers.saving.LayerProvider} in the test resources.
 */
public final class TestLayerProvider implements LayerProvider {
  /** What {@link java.util.ServiceLoader} calls. */
  public TestLayerProvider() {}

  @Override
  public void registerLayers(LayerRegistry registry) {
    registry.register("TestFlatten", TestFlatten.class, TestFlatten::fromConfig);
    registry.register("TestLinear", TestLinear.class, TestLinear::fromConfig);
    registry.register("TestScale", TestScale.class, TestScale::fromConfig);
  }
}
