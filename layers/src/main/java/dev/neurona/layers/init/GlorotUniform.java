package dev.neurona.layers.init;

import dev.neurona.core.Tensor;
import java.util.Random;

/**
 * Glorot (Xavier) uniform, Keras' default for kernels: {@code U(-limit, limit)} with
 * {@code limit = √(6 / (fanIn + fanOut))}, so the variance {@code limit²/3 = 2/(fanIn+fanOut)}
 * keeps activations and gradients at a similar scale in both directions.
 */
public final class GlorotUniform extends NoArgInitializer {
  @Override
  public void fill(Tensor t, Random rng) {
    Fans f = Fans.of(t.shape());
    float limit = (float) Math.sqrt(6.0 / Math.max(1.0, f.fanIn() + f.fanOut()));
    t.fillUniform(-limit, limit, rng);
  }

  @Override
  public String kerasName() {
    return "glorot_uniform";
  }
}
