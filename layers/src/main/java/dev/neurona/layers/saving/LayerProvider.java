package dev.neurona.layers.saving;

/**
 * The service through which a library or an application adds its own layer types to
 * {@link LayerRegistry#standard()}, so that {@code Sequential.load} can re-create them:
 * <pre>{@code
 * public final class MyLayers implements LayerProvider {
 *   public void registerLayers(LayerRegistry registry) {
 *     registry.register("Swish", Swish.class, Swish::fromConfig);
 *   }
 * }
 * }</pre>
 * declared on the class path in {@code META-INF/services/dev.neurona.layers.saving.LayerProvider}
 * (one class name per line), or on the module path with
 * {@code provides dev.neurona.layers.saving.LayerProvider with com.example.MyLayers;}. Found with
 * {@link java.util.ServiceLoader} once, the first time the standard registry is used; an
 * implementation needs a public no-argument constructor.
 */
public interface LayerProvider {
  /** Registers this provider's layer types, one {@link LayerRegistry#register} call each. */
  void registerLayers(LayerRegistry registry);
}
