package dev.neurona.core.conv;

/**
 * 2-D convolution on NHWC batches, forward and its three backward products. Kernel layout
 * {@code (kH, kW, inC, outC)}, bias {@code (outC)}; array lengths are checked against the geometry.
 *
 * <p>Contract: {@link #forward} and {@link #backwardInput} overwrite their output;
 * {@link #backwardKernel} and {@link #backwardBias} accumulate ({@code +=}) into theirs.
 */
public final class Conv2d {
  private Conv2d() {}

  /** {@code output (batch, outH, outW, outC) = conv(input (batch, inH, inW, inC), kernel) + bias}; bias may be null. */
  public static void forward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, float[] output) {
    check(g, batch, "input", input, g.inSize());
    checkKernel(g, kernel);
    if (bias != null) {
      check(g, 1, "bias", bias, g.outC);
    }
    check(g, batch, "output", output, g.outSize());
    DirectConv2d.forward(g, batch, input, kernel, bias, output);
  }

  /** {@code dInput (batch, inH, inW, inC)} from {@code dOut (batch, outH, outW, outC)}; overwrites dInput. */
  public static void backwardInput(ConvGeometry g, int batch, float[] dOut, float[] kernel, float[] dInput) {
    check(g, batch, "dOut", dOut, g.outSize());
    checkKernel(g, kernel);
    check(g, batch, "dInput", dInput, g.inSize());
    DirectConv2d.backwardInput(g, batch, dOut, kernel, dInput);
  }

  /** {@code dKernel (kH, kW, inC, outC) += input ⋆ dOut}. */
  public static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel) {
    check(g, batch, "input", input, g.inSize());
    check(g, batch, "dOut", dOut, g.outSize());
    checkKernel(g, dKernel);
    DirectConv2d.backwardKernel(g, batch, input, dOut, dKernel);
  }

  /** {@code dBias (outC) += Σ over batch and pixels of dOut}. */
  public static void backwardBias(ConvGeometry g, int batch, float[] dOut, float[] dBias) {
    check(g, batch, "dOut", dOut, g.outSize());
    check(g, 1, "dBias", dBias, g.outC);
    DirectConv2d.backwardBias(g, batch, dOut, dBias);
  }

  private static void checkKernel(ConvGeometry g, float[] kernel) {
    int need = g.patchSize() * g.outC;
    if (kernel == null || kernel.length < need) {
      throw new IllegalArgumentException("conv2d: kernel has " + (kernel == null ? "no array" : kernel.length + " elements")
          + " but " + g + " needs " + g.kH + "x" + g.kW + "x" + g.inC + "x" + g.outC + " = " + need);
    }
  }

  static void check(ConvGeometry g, int batch, String what, float[] x, int perImage) {
    if (batch < 0) {
      throw new IllegalArgumentException("conv2d: batch must be >= 0, got " + batch);
    }
    long need = (long) batch * perImage;
    if (x == null || x.length < need) {
      throw new IllegalArgumentException("conv2d: " + what + " has " + (x == null ? "no array" : x.length + " elements")
          + " but batch " + batch + " with " + g + " needs " + need);
    }
  }
}
