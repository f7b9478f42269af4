package dev.neurona.layers;

import dev.neurona.core.Parameter;
import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.gemm.Gemm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Test-only fully connected layer (the model tests must not depend on the real Dense):
 * {@code y = act(x·W + b)}, x (batch, in), W (in, units), b (units).
 */
public final class TestLinear extends Layer implements HasActivation {
  private final int units;
  private final Activation activation;
  private Parameter kernel;
  private Parameter bias;
  private Tensor input;
  private Tensor z;
  private Tensor y;
  private Tensor dz;
  private Tensor dx;

  public TestLinear(int units, String activation) {
    if (units < 1) {
      throw new IllegalArgumentException("TestLinear: units must be >= 1, got " + units);
    }
    this.units = units;
    this.activation = Activation.of(activation);
  }

  public static TestLinear fromConfig(Map<String, Object> config) {
    return new TestLinear(((Number) config.get("units")).intValue(), (String) config.get("activation"));
  }

  @Override
  public Shape computeOutputShape(Shape inputShape) {
    if (inputShape.rank() != 1) {
      throw new IllegalArgumentException(describe() + ": expects (features,) input, got " + inputShape);
    }
    return Shape.of(units);
  }

  @Override
  protected void onBuild(Shape inputShape, long seed) {
    int in = inputShape.dim(0);
    float limit = (float) Math.sqrt(6.0 / (in + units));
    kernel = addWeight("kernel", Tensor.zeros(in, units).fillUniform(-limit, limit, new Random(seed)));
    bias = addWeight("bias", Tensor.zeros(units));
  }

  // x (B, in) -> y (B, units)
  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    int b = x.dim(0);
    int in = inputShape().dim(0);
    if (z == null || z.dim(0) != b) {
      z = Tensor.zeros(b, units);
      y = Tensor.zeros(b, units);
      dz = Tensor.zeros(b, units);
      dx = Tensor.zeros(b, in);
    }
    input = x;
    Gemm.sgemm(false, false, b, units, in, 1f, x.data(), 0, in, kernel.value().data(), 0, units, 0f, z.data(), 0, units);
    float[] zd = z.data();
    float[] bd = bias.value().data();
    for (int r = 0; r < b; r++) {
      for (int c = 0; c < units; c++) {
        zd[r * units + c] += bd[c];
      }
    }
    activation.forward(z, y);
    return y;
  }

  @Override
  public Tensor backward(Tensor dOut) {
    activation.backward(y, dOut, dz);
    return backwardFromPreActivation(dz);
  }

  // dW += xᵀ·dz, db += Σ_rows dz, dx = dz·Wᵀ
  @Override
  public Tensor backwardFromPreActivation(Tensor dZ) {
    int b = input.dim(0);
    int in = inputShape().dim(0);
    Gemm.sgemm(true, false, in, units, b, 1f, input.data(), 0, in, dZ.data(), 0, units, 1f,
        kernel.grad().data(), 0, units);
    float[] g = bias.grad().data();
    for (int r = 0; r < b; r++) {
      for (int c = 0; c < units; c++) {
        g[c] += dZ.data()[r * units + c];
      }
    }
    if (!needsInputGradient) {
      return null;
    }
    Gemm.sgemm(false, true, b, in, units, 1f, dZ.data(), 0, units, kernel.value().data(), 0, units, 0f,
        dx.data(), 0, in);
    return dx;
  }

  @Override
  public Activation activation() {
    return activation;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("units", units);
    c.put("activation", activation.kerasName());
    return c;
  }

}
