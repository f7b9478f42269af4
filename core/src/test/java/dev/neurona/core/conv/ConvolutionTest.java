package dev.neurona.core.conv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parallel;
import dev.neurona.core.kernels.KernelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Convolution} and {@link DirectConv2d} against a convolution computed in double precision.
 *
 * <p>Tolerance: a float sum of {@code n} rounded products, in any order and grouping (FMA or not),
 * is within {@code γ_n·Σ|terms|} of the exact value, {@code γ_n = n·u / (1 - n·u)}, {@code u = 2⁻²⁴}.
 * The reference returns {@code Σ|terms|} for every element, and {@code n} is the reduction length of
 * each product: {@code kH·kW·inC + 1} (bias) for forward, {@code kH·kW·outC} for backwardInput (the
 * most outputs × filters that reach one input), {@code batch·outH·outW + 1} (the value accumulated
 * into) for the kernel and bias gradients. A wrong index breaks this bound by orders of magnitude.
 */
class ConvolutionTest {
  /** One test geometry with its batch size. */
  record Case(int inH, int inW, int inC, int kH, int kW, int sH, int sW, Padding padding, int outC, int batch) {
    ConvGeometry g() {
      return ConvGeometry.of(inH, inW, inC, kH, kW, sH, sW, padding, outC);
    }

    @Override
    public String toString() {
      return inH + "x" + inW + "x" + inC + " k" + kH + "x" + kW + " s" + sH + "x" + sW + " " + padding + " ->" + outC + " batch " + batch;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(28, 28, 1, 1, 1, 1, 1, Padding.VALID, 7, 3), // 1×1: the pointwise path, no im2col
        new Case(14, 14, 3, 1, 1, 1, 1, Padding.SAME, 1, 17), // 1×1 "same" is pointwise too
        new Case(9, 9, 3, 1, 1, 2, 2, Padding.VALID, 7, 3), // strided 1×1 is not
        new Case(28, 28, 3, 3, 3, 1, 1, Padding.SAME, 32, 3),
        new Case(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 32, 3), // MNIST conv1
        new Case(12, 13, 1, 5, 5, 1, 1, Padding.VALID, 20, 2), // 5-wide on one channel, read in place by the tile
        new Case(12, 11, 3, 3, 3, 1, 1, Padding.VALID, 20, 3), // 3×3 on three channels, unpadded: read in place by the tile
        new Case(12, 11, 3, 3, 3, 2, 1, Padding.SAME, 16, 3), // the 3×3×3 tile on rows two apart: not pooled row by row
        new Case(14, 14, 3, 5, 5, 1, 1, Padding.SAME, 7, 17),
        new Case(14, 14, 8, 5, 5, 1, 1, Padding.SAME, 16, 17), // several images per block, several kernel chunks
        new Case(28, 28, 8, 5, 5, 1, 1, Padding.SAME, 16, 2), // several blocks per image
        new Case(14, 14, 3, 2, 2, 1, 1, Padding.SAME, 7, 3), // even kernels pad more at the bottom/right
        new Case(14, 14, 3, 4, 4, 1, 1, Padding.SAME, 1, 3),
        new Case(14, 14, 3, 4, 4, 2, 2, Padding.SAME, 7, 3),
        new Case(13, 13, 3, 3, 3, 2, 2, Padding.SAME, 7, 3),
        new Case(14, 14, 1, 3, 3, 2, 2, Padding.VALID, 32, 1),
        new Case(11, 9, 3, 3, 2, 2, 1, Padding.SAME, 7, 3), // rectangular kernel and stride
        new Case(10, 12, 1, 1, 4, 1, 3, Padding.VALID, 1, 17),
        new Case(3, 3, 1, 5, 5, 1, 1, Padding.SAME, 7, 3), // window larger than the image
        // inC a multiple of the tile width (16 or 32 columns): the input gradient by the window GEMM
        new Case(10, 9, 32, 3, 3, 1, 1, Padding.SAME, 40, 3),
        new Case(9, 12, 32, 5, 3, 1, 1, Padding.VALID, 33, 2),
        new Case(7, 7, 64, 2, 2, 1, 1, Padding.SAME, 5, 3),
        new Case(19, 17, 16, 3, 3, 1, 1, Padding.SAME, 16, 2), // several row blocks per image
        // 16 input channels against 32 output: on 512-bit vectors (JDK 25) the input gradient by the narrow 8×16 tiles
        new Case(12, 11, 16, 3, 3, 1, 1, Padding.SAME, 32, 3),
        new Case(12, 10, 32, 5, 5, 2, 2, Padding.SAME, 16, 3), // strided windows read in place
        new Case(8, 8, 32, 3, 3, 1, 1, Padding.VALID, 24, 5), // no padding: the images read in place
        // outputs pooled in several bands by forwardMaxPool (Convolution.BAND_FLOATS), the second one a window of
        // 1,152 floats: im2col and the GEMM on JDK 17 (too wide for the gathering tiles)
        new Case(40, 36, 32, 3, 3, 1, 1, Padding.SAME, 48, 2),
        new Case(24, 20, 128, 3, 3, 1, 1, Padding.SAME, 40, 2));
  }

  private static final double U = 0x1p-24;

  /** Exact values and the sums of |terms| they came from. */
  record Ref(double[] value, double[] abs) {}

  static float[] random(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextFloat() * 2f - 1f;
    }
    return x;
  }

  /** Calls {@code term(b, oy, ox, ky, kx, iy, ix)} for every in-bounds (output pixel, window position). */
  interface Visit {
    void term(int b, int oy, int ox, int ky, int kx, int iy, int ix);
  }

  static void forEachWindowTap(ConvGeometry g, int batch, Visit v) {
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          for (int ky = 0; ky < g.kH; ky++) {
            for (int kx = 0; kx < g.kW; kx++) {
              int iy = oy * g.strideH - g.padTop + ky, ix = ox * g.strideW - g.padLeft + kx;
              if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) {
                v.term(b, oy, ox, ky, kx, iy, ix);
              }
            }
          }
        }
      }
    }
  }

  static Ref refForward(ConvGeometry g, int batch, float[] in, float[] k, float[] bias) {
    double[] v = new double[batch * g.outSize()], a = new double[v.length];
    for (int r = 0; r < batch * g.outPixels(); r++) {
      for (int f = 0; f < g.outC; f++) {
        v[r * g.outC + f] = bias[f];
        a[r * g.outC + f] = Math.abs(bias[f]);
      }
    }
    forEachWindowTap(g, batch, (b, oy, ox, ky, kx, iy, ix) -> {
      int o = ((b * g.outH + oy) * g.outW + ox) * g.outC, i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
      for (int c = 0; c < g.inC; c++) {
        for (int f = 0; f < g.outC; f++) {
          double t = (double) in[i + c] * k[((ky * g.kW + kx) * g.inC + c) * g.outC + f];
          v[o + f] += t;
          a[o + f] += Math.abs(t);
        }
      }
    });
    return new Ref(v, a);
  }

  static Ref refBackwardInput(ConvGeometry g, int batch, float[] dOut, float[] k) {
    double[] v = new double[batch * g.inSize()], a = new double[v.length];
    forEachWindowTap(g, batch, (b, oy, ox, ky, kx, iy, ix) -> {
      int o = ((b * g.outH + oy) * g.outW + ox) * g.outC, i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
      for (int c = 0; c < g.inC; c++) {
        for (int f = 0; f < g.outC; f++) {
          double t = (double) dOut[o + f] * k[((ky * g.kW + kx) * g.inC + c) * g.outC + f];
          v[i + c] += t;
          a[i + c] += Math.abs(t);
        }
      }
    });
    return new Ref(v, a);
  }

  /** {@code start + Σ input ⋆ dOut}. */
  static Ref refBackwardKernel(ConvGeometry g, int batch, float[] in, float[] dOut, float[] start) {
    double[] v = new double[g.patchSize() * g.outC], a = new double[v.length];
    for (int j = 0; j < v.length; j++) {
      v[j] = start[j];
      a[j] = Math.abs(start[j]);
    }
    forEachWindowTap(g, batch, (b, oy, ox, ky, kx, iy, ix) -> {
      int o = ((b * g.outH + oy) * g.outW + ox) * g.outC, i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
      for (int c = 0; c < g.inC; c++) {
        for (int f = 0; f < g.outC; f++) {
          double t = (double) in[i + c] * dOut[o + f];
          int w = ((ky * g.kW + kx) * g.inC + c) * g.outC + f;
          v[w] += t;
          a[w] += Math.abs(t);
        }
      }
    });
    return new Ref(v, a);
  }

  static Ref refBackwardBias(ConvGeometry g, int batch, float[] dOut, float[] start) {
    double[] v = new double[g.outC], a = new double[g.outC];
    for (int f = 0; f < g.outC; f++) {
      v[f] = start[f];
      a[f] = Math.abs(start[f]);
    }
    for (int r = 0; r < batch * g.outPixels(); r++) {
      for (int f = 0; f < g.outC; f++) {
        v[f] += dOut[r * g.outC + f];
        a[f] += Math.abs(dOut[r * g.outC + f]);
      }
    }
    return new Ref(v, a);
  }

  /** |got - exact| <= γ_n · Σ|terms| for every element (plus the double reference's own rounding). */
  static void assertWithinBound(String what, float[] got, Ref ref, long n) {
    double gamma = n * U / (1 - n * U);
    for (int i = 0; i < ref.value.length; i++) {
      double err = Math.abs(got[i] - ref.value[i]);
      double bound = gamma * ref.abs[i] * 1.0001 + 1e-12 * ref.abs[i];
      if (!(err <= bound)) {
        throw new AssertionError(what + "[" + i + "] = " + got[i] + " but exact is " + ref.value[i] + ": error " + err
            + " exceeds the bound " + bound + " for a reduction of length " + n);
      }
    }
  }

  /** The first {@code n} elements of {@code actual} have the bits of {@code expected}'s (all NaNs equal). */
  private static void assertSameBits(String what, float[] expected, float[] actual, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(Float.floatToIntBits(actual[i])).as("%s, element %d", what, i).isEqualTo(Float.floatToIntBits(expected[i]));
    }
  }

  /** The fused ReLU gives the bits of the convolution followed by a separate ReLU pass. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fusedReluGivesTheBitsOfASeparatePass(Case cs) {
    ConvGeometry g = cs.g();
    Random rnd = new Random(11);
    float[] in = random(rnd, cs.batch * g.inSize());
    float[] k = random(rnd, g.patchSize() * g.outC);
    float[] bias = random(rnd, g.outC);
    float[] expected = new float[cs.batch * g.outSize()];
    Convolution.forward(g, cs.batch, in, k, bias, expected);
    dev.neurona.core.kernels.KernelProvider.kernels().relu(expected, 0, expected, 0, expected.length);
    float[] fused = new float[expected.length];
    Arrays.fill(fused, Float.NaN);
    Convolution.forward(g, cs.batch, in, k, bias, fused, true);
    assertSameBits(cs + ", fused ReLU", expected, fused, expected.length);
    assertThat(fused).as("%s: some outputs are positive, some clipped", cs).contains(0f);
  }

  /**
   * Convolution and max pooling fused: the bits of the convolution (with or without ReLU) followed by the pooling
   * kernel, with the {@link Winograd} path off (it has its own tests below).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fusedMaxPoolGivesTheBitsOfConvolutionThenPooling(Case cs) {
    boolean winograd = Winograd.enabled();
    Winograd.setEnabled(false);
    try {
      fusedMaxPoolGivesTheBits(cs);
    } finally {
      Winograd.setEnabled(winograd);
    }
  }

  private static void fusedMaxPoolGivesTheBits(Case cs) {
    ConvGeometry g = cs.g();
    Random rnd = new Random(13);
    float[] in = random(rnd, cs.batch * g.inSize());
    float[] k = random(rnd, g.patchSize() * g.outC);
    float[] bias = random(rnd, g.outC);
    dev.neurona.core.kernels.Kernels kernels = dev.neurona.core.kernels.KernelProvider.kernels();
    // Tiling windows (pooled band by band; VALID leaves a row and column of odd outputs unread, SAME 3×3 pads the
    // top), and overlapping ones (pooled from the whole image).
    List<ConvGeometry> pools = new ArrayList<>(List.of(ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.SAME, g.outC),
        ConvGeometry.of(g.outH, g.outW, g.outC, 3, 3, 3, 3, Padding.SAME, g.outC),
        ConvGeometry.of(g.outH, g.outW, g.outC, 3, 3, 2, 1, Padding.SAME, g.outC)));
    if (g.outH >= 2 && g.outW >= 2) {
      pools.add(ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC));
    }
    for (ConvGeometry pool : pools) {
      for (boolean relu : new boolean[] {false, true}) {
        float[] conv = new float[cs.batch * g.outSize()];
        Convolution.forward(g, cs.batch, in, k, relu ? bias : null, conv, relu);
        float[] expected = new float[cs.batch * pool.outSize()];
        int[] expectedArgmax = new int[expected.length];
        for (int n = 0; n < cs.batch; n++) {
          kernels.maxPoolForward(pool, conv, n * g.outSize(), expected, n * pool.outSize(), expectedArgmax, n * pool.outSize());
        }
        float[] fused = new float[expected.length + 3];
        Arrays.fill(fused, Float.NaN);
        Convolution.forwardMaxPool(g, cs.batch, in, k, relu ? bias : null, relu, pool, fused);
        assertSameBits(cs + ", pool " + pool + ", relu " + relu, expected, fused, expected.length);
        assertThat(fused[expected.length]).as("nothing written past the batch").isNaN();
        // For training: the same values and each window's winner.
        Arrays.fill(fused, Float.NaN);
        int[] argmax = new int[expected.length + 3];
        Arrays.fill(argmax, -7);
        Convolution.forwardMaxPool(g, cs.batch, in, k, relu ? bias : null, relu, pool, fused, argmax);
        assertSameBits(cs + ", pool " + pool + ", relu " + relu + ", with argmax", expected, fused, expected.length);
        assertThat(Arrays.copyOf(argmax, expected.length)).as("argmax, %s, pool %s, relu %s", cs, pool, relu)
            .containsExactly(expectedArgmax);
        assertThat(argmax[expected.length]).as("no argmax past the batch").isEqualTo(-7);
      }
    }
  }

  /**
   * A rescaling folded into the fused convolution and pooling: the bits of rescaling the batch ({@code Kernels.scale},
   * then the offset where it is not 0) and then {@code forwardMaxPool}, whether the direct path's copies apply it or
   * the batch is rescaled first (another path, or a single image).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fusedMaxPoolOnARescaledInputGivesTheBitsOfRescalingFirst(Case cs) {
    ConvGeometry g = cs.g();
    if (g.outH < 2 || g.outW < 2) {
      return;
    }
    ConvGeometry pool = ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC);
    Random rnd = new Random(29);
    float[] in = random(rnd, cs.batch * g.inSize());
    in[0] = -0f;
    in[in.length / 2] = Float.NaN;
    float[] k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
    for (float[] so : new float[][] {{1f / 255, 0f}, {2f, -1f}}) {
      float[] scaled = new float[in.length];
      KernelProvider.kernels().scale(so[0], in, 0, scaled, 0, in.length);
      for (int i = 0; so[1] != 0f && i < scaled.length; i++) {
        scaled[i] += so[1];
      }
      float[] expected = new float[cs.batch * pool.outSize()];
      Convolution.forwardMaxPool(g, cs.batch, scaled, k, bias, true, pool, expected);
      float[] fused = new float[expected.length + 2];
      Arrays.fill(fused, Float.NaN);
      Convolution.forwardMaxPool(g, cs.batch, in, so[0], so[1], k, bias, true, pool, fused);
      assertSameBits(cs + ", scale " + so[0] + ", offset " + so[1] + ", folded " + Convolution.scalesInput(g, pool),
          expected, fused, expected.length);
      assertThat(fused[expected.length]).as("nothing written past the batch").isNaN();
    }
  }

  /**
   * With argmax (training), a Winograd geometry pools Winograd's convolution ({@link Winograd#forward}, itself
   * within the bound of the exact one): the values and winners of {@code maxPoolForward} on it, for any batch.
   * (With the path off, {@link #fusedMaxPoolGivesTheBitsOfConvolutionThenPooling} checks the bits of convolution
   * then pooling.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("winogradCases")
  void trainingMaxPoolOnTheWinogradPathPoolsWinogradsConvolution(Case cs) {
    ConvGeometry g = cs.g(), pool = ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC);
    assertThat(Winograd.enabled() && Winograd.supports(g)).as("%s takes the Winograd path", cs).isTrue();
    Random rnd = new Random(37);
    int batch = cs.batch;
    float[] in = random(rnd, batch * g.inSize()), k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
    float[] conv = new float[batch * g.outSize() + 2];
    Arrays.fill(conv, Float.NaN);
    Winograd.forward(g, batch, in, k, bias, false, conv);
    assertWithinBound(cs + ", Winograd.forward", Arrays.copyOf(conv, batch * g.outSize()), refForward(g, batch, in, k, bias),
        g.patchSize() + 1);
    assertThat(conv[batch * g.outSize()]).as("nothing written past the batch").isNaN();
    Winograd.forward(g, batch, in, k, bias, true, conv);
    float[] expected = new float[batch * pool.outSize()];
    int[] expectedArgmax = new int[expected.length];
    for (int n = 0; n < batch; n++) {
      KernelProvider.kernels().maxPoolForward(pool, conv, n * g.outSize(), expected, n * pool.outSize(), expectedArgmax,
          n * pool.outSize());
    }
    float[] fused = new float[expected.length];
    int[] argmax = new int[expected.length];
    Convolution.forwardMaxPool(g, batch, in, k, bias, true, pool, fused, argmax);
    assertSameBits(cs + ", with argmax", expected, fused, expected.length);
    assertThat(argmax).as("argmax, %s", cs).containsExactly(expectedArgmax);
    assertThatThrownBy(() -> Convolution.forwardMaxPool(g, batch, in, k, bias, true, pool, fused, new int[5]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argmax has 5 elements");
  }

  /**
   * The gradients on the Winograd path ({@link Winograd#backwardInput}, {@link Winograd#backwardKernel}) are
   * within the bounds of the exact sums that the other paths meet, and so are those paths with Winograd off.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("winogradCases")
  void winogradGradientsAreWithinTheBoundOfTheExactOnes(Case cs) {
    ConvGeometry g = cs.g();
    Random rnd = new Random(41);
    int batch = cs.batch;
    float[] in = random(rnd, batch * g.inSize()), k = random(rnd, g.patchSize() * g.outC);
    float[] dOut = random(rnd, batch * g.outSize());
    boolean winograd = Winograd.enabled();
    try {
      for (boolean on : new boolean[] {true, false}) {
        Winograd.setEnabled(on);
        boolean input = on && Winograd.supportsInputGradient(g), kernel = on && Winograd.supportsKernelGradient(g);
        String what = cs + (on ? ", Winograd on" : ", Winograd off");
        assertThat(kernel).as(what).isEqualTo(on);
        // Winograd adds the transforms' roundings to the sum's: some 60 rounded operations per value (input,
        // gradient and filter transforms, coefficients up to 5), counted as that much more length. A wrong
        // coefficient or tile breaks the bound by orders of magnitude.
        long transforms = 64;
        float[] dIn = new float[batch * g.inSize()];
        Arrays.fill(dIn, Float.NaN); // backwardInput overwrites
        Convolution.backwardInput(g, batch, dOut, k, dIn);
        assertWithinBound(what + ", backwardInput", dIn, refBackwardInput(g, batch, dOut, k),
            (long) g.kH * g.kW * g.outC + (input ? transforms : 0));
        float[] dK = random(rnd, k.length); // backwardKernel accumulates onto what is there
        Ref refK = refBackwardKernel(g, batch, in, dOut, dK);
        Convolution.backwardKernel(g, batch, in, dOut, dK);
        assertWithinBound(what + ", backwardKernel", dK, refK, (long) batch * g.outPixels() + 1 + (kernel ? transforms : 0));
      }
    } finally {
      Winograd.setEnabled(winograd);
    }
  }

  /** 3×3 and 5×5 stride-1 convolutions pooled 2×2 that take the {@link Winograd} path, with the batch sizes they come in. */
  static Stream<Case> winogradCases() {
    return Stream.of(
        new Case(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64, 3), // MNIST conv2: 147 tiles, a partial last chunk
        new Case(10, 10, 20, 5, 5, 1, 1, Padding.SAME, 50, 2), // captcha conv2: channels not a multiple of 8 or 16
        new Case(13, 11, 8, 5, 5, 1, 1, Padding.SAME, 17, 2), // odd output: the last row and column are not pooled
        new Case(12, 15, 9, 5, 5, 1, 1, Padding.VALID, 16, 5), // no padding: every tile inside the image
        new Case(4, 4, 8, 5, 5, 1, 1, Padding.SAME, 3, 1), // an image smaller than the tile
        new Case(26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64, 2), // the Keras MNIST network's second convolution
        new Case(45, 45, 16, 3, 3, 1, 1, Padding.SAME, 32, 1), // flowers' second (smaller): an odd edge
        new Case(11, 9, 9, 3, 3, 1, 1, Padding.SAME, 20, 3),
        new Case(3, 3, 8, 3, 3, 1, 1, Padding.SAME, 5, 2));
  }

  /**
   * The Winograd path is not the bits of the direct sums, but within the same bound of the exact value:
   * each pooled output against the exact convolution (ReLU and bias included), {@code γ_n·Σ|terms|} of
   * the window's largest sum with {@code n = patch + 1}, a worst-case bound its errors stay far inside;
   * a wrong tile or channel breaks it by orders of magnitude, a 3% change to one transform coefficient
   * of F(2, 5) already breaks it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("winogradCases")
  void winogradMaxPoolIsWithinTheBoundOfTheExactConvolution(Case cs) {
    ConvGeometry g = cs.g(), pool = ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC);
    assertThat(Winograd.enabled() && Winograd.applies(g, pool)).as("%s takes the Winograd path", cs).isTrue();
    Random rnd = new Random(23);
    float[] in = random(rnd, cs.batch * g.inSize()), k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
    Ref conv = refForward(g, cs.batch, in, k, bias);
    for (boolean relu : new boolean[] {false, true}) {
      double[] value = new double[cs.batch * pool.outSize()], abs = new double[value.length];
      for (int n = 0; n < cs.batch; n++) {
        for (int py = 0; py < pool.outH; py++) {
          for (int px = 0; px < pool.outW; px++) {
            for (int c = 0; c < g.outC; c++) {
              int o = ((n * pool.outH + py) * pool.outW + px) * g.outC + c;
              value[o] = Double.NEGATIVE_INFINITY;
              for (int i = 0; i < 4; i++) {
                int r = ((n * g.outH + 2 * py + i / 2) * g.outW + 2 * px + i % 2) * g.outC + c;
                value[o] = Math.max(value[o], conv.value()[r]);
                abs[o] = Math.max(abs[o], conv.abs()[r]);
              }
              value[o] = relu ? Math.max(value[o], 0) : value[o];
            }
          }
        }
      }
      float[] out = new float[value.length + 3];
      Arrays.fill(out, Float.NaN);
      Convolution.forwardMaxPool(g, cs.batch, in, k, bias, relu, pool, out);
      assertWithinBound(cs + ", Winograd, relu " + relu, Arrays.copyOf(out, value.length), new Ref(value, abs),
          g.patchSize() + 1);
      assertThat(out[value.length]).as("nothing written past the batch").isNaN();
    }
  }

  /** Each image's pooled output on the Winograd path has the same bits alone as in any batch, on any thread count. */
  @Test
  void winogradMaxPoolGivesEachImageTheSameBitsAloneAsInABatch() {
    ConvGeometry g = ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64);
    ConvGeometry pool = ConvGeometry.of(14, 14, 64, 2, 2, 2, 2, Padding.VALID, 64);
    int batch = 7, before = Parallel.threads();
    Random rnd = new Random(29);
    float[] in = random(rnd, batch * g.inSize()), k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
    float[] all = new float[batch * pool.outSize()];
    try {
      Parallel.setThreads(3);
      Convolution.forwardMaxPool(g, batch, in, k, bias, true, pool, all);
      Parallel.setThreads(1);
      for (int n = 0; n < batch; n++) {
        float[] one = new float[pool.outSize()];
        Convolution.forwardMaxPool(g, 1, Arrays.copyOfRange(in, n * g.inSize(), (n + 1) * g.inSize()), k, bias, true,
            pool, one);
        assertSameBits("image " + n, Arrays.copyOfRange(all, n * one.length, (n + 1) * one.length), one, one.length);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /**
   * The transformed filters are kept between calls for a kernel array, but a kernel changed in place is
   * always seen: the output after the change has the bits of a first call with a copy of the changed kernel.
   */
  @Test
  void winogradSeesAKernelChangedInPlaceBetweenCalls() {
    ConvGeometry g = ConvGeometry.of(10, 10, 20, 5, 5, 1, 1, Padding.SAME, 50);
    ConvGeometry pool = ConvGeometry.of(10, 10, 50, 2, 2, 2, 2, Padding.VALID, 50);
    Random rnd = new Random(31);
    float[] in = random(rnd, 2 * g.inSize()), k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
    float[] before = new float[2 * pool.outSize()], after = before.clone(), fresh = before.clone();
    Convolution.forwardMaxPool(g, 2, in, k, bias, false, pool, before);
    k[k.length - 1] += 0.5f; // the last filter's last tap: only output channel 49 moves
    Convolution.forwardMaxPool(g, 2, in, k, bias, false, pool, after);
    Convolution.forwardMaxPool(g, 2, in, k.clone(), bias, false, pool, fresh);
    assertSameBits("changed kernel", fresh, after, after.length);
    for (int i = 0; i < after.length; i++) {
      if (i % g.outC != g.outC - 1) {
        assertThat(after[i]).as("output %d", i).isEqualTo(before[i]);
      }
    }
    assertThat(after).as("channel 49 moved").isNotEqualTo(before);
  }

  @Test
  void fusedMaxPoolNamesAPoolingGeometryThatDoesNotFit() {
    ConvGeometry g = ConvGeometry.of(8, 8, 2, 3, 3, 1, 1, Padding.SAME, 4);
    ConvGeometry wrong = ConvGeometry.of(8, 8, 3, 2, 2, 2, 2, Padding.VALID, 3);
    assertThatThrownBy(() -> Convolution.forwardMaxPool(g, 1, new float[128], new float[72], null, true, wrong,
        new float[48])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not take the convolution's output (8, 8, 4)");
  }

  /**
   * Small windows are convolved directly ({@link Convolution#DIRECT_MAX_PATCH}); the result must be
   * the bits of im2col followed by the GEMM, the path every larger window takes.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void directPathGivesTheBitsOfIm2colAndGemm(Case cs) {
    ConvGeometry g = cs.g();
    int batch = cs.batch, rows = batch * g.outPixels(), patch = g.patchSize();
    if (patch > Convolution.DIRECT_MAX_PATCH || g.kH * g.kW == 1 || g.outC <= 2 || (long) rows * g.outC * patch <= 16 * 16 * 16) {
      return; // the GEMM path itself, or GEMM's own unfused direct loop for tiny products
    }
    Random rnd = new Random(7);
    float[] in = random(rnd, batch * g.inSize());
    float[] k = random(rnd, patch * g.outC);
    for (float[] bias : new float[][] {random(rnd, g.outC), null}) {
      float[] out = new float[batch * g.outSize()];
      Convolution.forward(g, batch, in, k, bias, out);
      float[] cols = new float[rows * patch];
      Im2col.im2colImages(g, in, 0, batch, cols, 0);
      float[] expected = new float[out.length];
      for (int r = 0; bias != null && r < rows; r++) {
        System.arraycopy(bias, 0, expected, r * g.outC, g.outC);
      }
      dev.neurona.core.gemm.Gemm.sgemm(false, false, rows, g.outC, patch, 1f, cols, 0, patch, k, 0, g.outC,
          bias == null ? 0f : 1f, expected, 0, g.outC);
      assertSameBits(cs + ", bias " + (bias != null), expected, out, out.length);
    }
  }

  @Test
  void directKernelGradientGivesTheBitsOfIm2colAndGemm() {
    // Small windows sum the kernel gradient straight from the image (Kernels.convKernelGrad) in the
    // GEMM's k-blocks; im2col + GEMM is the oracle, bit for bit, into a gradient that already holds
    // values (it accumulates). Geometries: padded and not, strides, channel counts that are not a
    // multiple of 8, tap counts that are not a multiple of 4, blocks of several images and images cut
    // into several blocks, many k-blocks, several chunks; tiny blocks fall back to the GEMM path; and the
    // larger windows that Kernels.convKernelGradRuns takes.
    ConvGeometry[] geometries = {
        ConvGeometry.of(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 32), ConvGeometry.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32),
        ConvGeometry.of(20, 20, 1, 5, 5, 1, 1, Padding.SAME, 20), ConvGeometry.of(33, 31, 3, 3, 3, 2, 2, Padding.SAME, 16),
        ConvGeometry.of(90, 90, 3, 3, 3, 1, 1, Padding.SAME, 13), ConvGeometry.of(9, 7, 2, 2, 3, 1, 2, Padding.VALID, 5),
        ConvGeometry.of(4, 4, 1, 2, 2, 1, 1, Padding.VALID, 3),
        // larger windows in runs of a multiple of 8 floats onto 32 channels: the 8×32 tiles (512-bit vectors, JDK 25)
        ConvGeometry.of(30, 29, 16, 3, 3, 1, 1, Padding.SAME, 32), ConvGeometry.of(31, 30, 8, 3, 3, 2, 2, Padding.SAME, 32)};
    int[] batches = {9, 5, 3, 4, 2, 11, 2, 3, 2};
    boolean winograd = Winograd.enabled();
    Winograd.setEnabled(false); // it would take the 3×3 stride-1 ones on 8 or more channels (its own tests above)
    try {
      assertSameKernelGradients(geometries, batches, new Random(11),
          (g, batch, in, dOut, dK) -> Convolution.backwardKernel(g, batch, in, dOut, dK, false),
          (g, batch, in, dOut, dK) -> Convolution.backwardKernel(g, batch, in, dOut, dK, true));
    } finally {
      Winograd.setEnabled(winograd);
    }
  }

  /** A way of computing {@code dK += input ⋆ dOut}. */
  @FunctionalInterface
  private interface KernelGradient {
    void add(ConvGeometry g, int batch, float[] in, float[] dOut, float[] dK);
  }

  /** Both ways, on random operands, into the same random gradient: the same bits, and the gradient changed. */
  private static void assertSameKernelGradients(ConvGeometry[] geometries, int[] batches, Random rnd,
      KernelGradient expected, KernelGradient actual) {
    for (int i = 0; i < geometries.length; i++) {
      ConvGeometry g = geometries[i];
      int batch = batches[i];
      float[] in = random(rnd, batch * g.inSize()), dOut = random(rnd, batch * g.outSize());
      float[] start = random(rnd, g.patchSize() * g.outC);
      float[] want = start.clone(), got = start.clone();
      expected.add(g, batch, in, dOut, want);
      actual.add(g, batch, in, dOut, got);
      assertSameBits(g + ", batch " + batch, want, got, want.length);
      assertThat(got).isNotEqualTo(start);
    }
  }

  @Test
  void kernelGradientHasTheSameBitsComputedTransposed() {
    // dKᵀ = dOutᵀ·cols (Convolution.transposedKernelGradient) against dK = colsᵀ·dOut: the same chains
    // over the same k-blocks, so the same bits, into a gradient that already holds values. Captcha's
    // second convolution (three chunks at batch 32), a pointwise one, strides, channels that fill no tile.
    ConvGeometry[] geometries = {
        ConvGeometry.of(10, 10, 20, 5, 5, 1, 1, Padding.SAME, 50), ConvGeometry.of(6, 5, 7, 1, 1, 1, 1, Padding.VALID, 5),
        ConvGeometry.of(13, 11, 9, 3, 3, 2, 2, Padding.SAME, 19), ConvGeometry.of(8, 8, 3, 3, 3, 1, 1, Padding.VALID, 40)};
    int[] batches = {32, 9, 4, 3};
    assertSameKernelGradients(geometries, batches, new Random(13),
        (g, batch, in, dOut, dK) -> Convolution.backwardKernel(g, batch, in, dOut, dK, false, false),
        (g, batch, in, dOut, dK) -> Convolution.backwardKernel(g, batch, in, dOut, dK, false, true));
    ConvGeometry captcha = geometries[0];
    // With vector tiles (16 or 32 columns) 50 channels fill few of them; the scalar 4x4 tile wastes nothing either way.
    assertThat(Convolution.transposedKernelGradient(captcha)).as("captcha's 5x5x20 -> 50 goes transposed")
        .isEqualTo(dev.neurona.core.gemm.Gemm.kernel().nr() >= 16);
    assertThat(Convolution.transposedKernelGradient(ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64)))
        .as("MNIST's 5x5x32 -> 64 fills its tiles either way").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conv2dMatchesTheDoubleReference(Case cs) {
    ConvGeometry g = cs.g();
    int batch = cs.batch;
    Random rnd = new Random(42);
    float[] in = random(rnd, batch * g.inSize());
    float[] k = random(rnd, g.patchSize() * g.outC);
    float[] bias = random(rnd, g.outC);
    float[] dOut = random(rnd, batch * g.outSize());

    float[] out = new float[batch * g.outSize()];
    Arrays.fill(out, Float.NaN); // forward overwrites
    Convolution.forward(g, batch, in, k, bias, out);
    assertWithinBound("forward", out, refForward(g, batch, in, k, bias), g.patchSize() + 1);

    float[] outNoBias = new float[out.length];
    Arrays.fill(outNoBias, Float.NaN);
    Convolution.forward(g, batch, in, k, null, outNoBias);
    assertWithinBound("forward without bias", outNoBias, refForward(g, batch, in, k, new float[g.outC]), g.patchSize());

    float[] dIn = new float[batch * g.inSize()];
    Arrays.fill(dIn, Float.NaN); // backwardInput overwrites
    Convolution.backwardInput(g, batch, dOut, k, dIn);
    assertWithinBound("backwardInput", dIn, refBackwardInput(g, batch, dOut, k), (long) g.kH * g.kW * g.outC);

    long rows = (long) batch * g.outPixels();
    float[] dK = random(rnd, k.length); // backwardKernel accumulates onto what is there
    Ref refK = refBackwardKernel(g, batch, in, dOut, dK);
    Convolution.backwardKernel(g, batch, in, dOut, dK);
    assertWithinBound("backwardKernel", dK, refK, rows + 1);

    float[] dB = random(rnd, g.outC);
    Ref refB = refBackwardBias(g, batch, dOut, dB);
    Convolution.backwardBias(g, batch, dOut, dB);
    assertWithinBound("backwardBias", dB, refB, rows + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void directConv2dMatchesTheDoubleReference(Case cs) {
    ConvGeometry g = cs.g();
    int batch = cs.batch;
    Random rnd = new Random(43);
    float[] in = random(rnd, batch * g.inSize());
    float[] k = random(rnd, g.patchSize() * g.outC);
    float[] bias = random(rnd, g.outC);
    float[] dOut = random(rnd, batch * g.outSize());

    float[] out = new float[batch * g.outSize()];
    DirectConv2d.forward(g, batch, in, k, bias, out);
    assertWithinBound("direct forward", out, refForward(g, batch, in, k, bias), g.patchSize() + 1);

    float[] dIn = new float[batch * g.inSize()];
    Arrays.fill(dIn, Float.NaN);
    DirectConv2d.backwardInput(g, batch, dOut, k, dIn);
    assertWithinBound("direct backwardInput", dIn, refBackwardInput(g, batch, dOut, k), (long) g.kH * g.kW * g.outC);

    long rows = (long) batch * g.outPixels();
    float[] dK = random(rnd, k.length);
    Ref refK = refBackwardKernel(g, batch, in, dOut, dK);
    DirectConv2d.backwardKernel(g, batch, in, dOut, dK);
    assertWithinBound("direct backwardKernel", dK, refK, rows + 1);

    float[] dB = random(rnd, g.outC);
    Ref refB = refBackwardBias(g, batch, dOut, dB);
    DirectConv2d.backwardBias(g, batch, dOut, dB);
    assertWithinBound("direct backwardBias", dB, refB, rows + 1);
  }

  @Test
  void backwardKernelAndBiasAccumulateSoTwoCallsDouble() {
    ConvGeometry g = ConvGeometry.of(14, 14, 8, 5, 5, 1, 1, Padding.SAME, 16);
    int batch = 17;
    Random rnd = new Random(44);
    float[] in = random(rnd, batch * g.inSize());
    float[] dOut = random(rnd, batch * g.outSize());
    long rows = (long) batch * g.outPixels();

    float[] dK = new float[g.patchSize() * g.outC];
    Convolution.backwardKernel(g, batch, in, dOut, dK);
    Convolution.backwardKernel(g, batch, in, dOut, dK);
    Ref once = refBackwardKernel(g, batch, in, dOut, new float[dK.length]);
    assertWithinBound("2 × backwardKernel", dK, twice(once), 2 * rows);

    float[] dB = new float[g.outC];
    Convolution.backwardBias(g, batch, dOut, dB);
    Convolution.backwardBias(g, batch, dOut, dB);
    assertWithinBound("2 × backwardBias", dB, twice(refBackwardBias(g, batch, dOut, new float[g.outC])), 2 * rows);
  }

  private static Ref twice(Ref r) {
    double[] v = r.value.clone(), a = r.abs.clone();
    for (int i = 0; i < v.length; i++) {
      v[i] *= 2;
      a[i] *= 2;
    }
    return new Ref(v, a);
  }

  @Test
  void resultsAreBitIdenticalForOneTwoAndThreeThreads() {
    ConvGeometry g = ConvGeometry.of(28, 28, 8, 5, 5, 1, 1, Padding.SAME, 16);
    int batch = 6;
    // The geometry must actually split the work: several blocks per image, several kernel and bias chunks.
    Convolution.Blocks plan = Convolution.Blocks.of(g);
    assertThat(plan.blocksPerImage).isGreaterThan(1);
    assertThat(plan.groups(batch)).isGreaterThan(plan.groupsPerKernelChunk(batch));
    assertThat(batch * g.outPixels()).isGreaterThan(Convolution.BIAS_CHUNK_ROWS);
    ConvGeometry small = ConvGeometry.of(14, 14, 8, 5, 5, 1, 1, Padding.SAME, 16);
    assertThat(Convolution.Blocks.of(small).imagesPerBlock).isGreaterThan(1);

    int before = Parallel.threads();
    try {
      float[][] one = runAll(g, batch, 1), two = runAll(g, batch, 2), three = runAll(g, batch, 3);
      float[][] oneSmall = runAll(small, 17, 1), threeSmall = runAll(small, 17, 3);
      for (int i = 0; i < one.length; i++) {
        assertThat(two[i]).as("product %d, 2 threads", i).containsExactly(one[i]);
        assertThat(three[i]).as("product %d, 3 threads", i).containsExactly(one[i]);
        assertThat(threeSmall[i]).as("product %d of the small geometry, 3 threads", i).containsExactly(oneSmall[i]);
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  /** forward, backwardInput, backwardKernel, backwardBias with {@code threads} threads, from fixed data. */
  private static float[][] runAll(ConvGeometry g, int batch, int threads) {
    Parallel.setThreads(threads);
    Random rnd = new Random(45);
    float[] in = random(rnd, batch * g.inSize());
    float[] k = random(rnd, g.patchSize() * g.outC);
    float[] bias = random(rnd, g.outC);
    float[] dOut = random(rnd, batch * g.outSize());
    float[] out = new float[batch * g.outSize()];
    float[] dIn = new float[batch * g.inSize()];
    float[] dK = random(rnd, k.length);
    float[] dB = random(rnd, g.outC);
    Convolution.forward(g, batch, in, k, bias, out);
    Convolution.backwardInput(g, batch, dOut, k, dIn);
    Convolution.backwardKernel(g, batch, in, dOut, dK);
    Convolution.backwardBias(g, batch, dOut, dB);
    return new float[][] {out, dIn, dK, dB};
  }

  @Test
  void fusedMaxPoolOfFewerImagesThanThreadsHasTheBitsOfOneThread() {
    // With fewer images than threads, forwardMaxPool convolves with every thread and then pools; the
    // fused per-image loops run on one thread. Both must give the same bits (window GEMM, direct and
    // im2col geometries).
    ConvGeometry[] geometries = {ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64),
        ConvGeometry.of(28, 28, 1, 5, 5, 1, 1, Padding.SAME, 32), ConvGeometry.of(13, 11, 3, 3, 3, 2, 2, Padding.SAME, 7)};
    Random rnd = new Random(19);
    int before = Parallel.threads();
    try {
      for (ConvGeometry g : geometries) {
        ConvGeometry pool = ConvGeometry.of(g.outH, g.outW, g.outC, 2, 2, 2, 2, Padding.VALID, g.outC);
        float[] in = random(rnd, 2 * g.inSize()), k = random(rnd, g.patchSize() * g.outC), bias = random(rnd, g.outC);
        for (int batch = 1; batch <= 2; batch++) {
          float[] single = new float[batch * pool.outSize()], shared = new float[single.length];
          Parallel.setThreads(1);
          Convolution.forwardMaxPool(g, batch, in, k, bias, true, pool, single);
          Parallel.setThreads(3);
          Convolution.forwardMaxPool(g, batch, in, k, bias, true, pool, shared);
          assertSameBits(g + ", batch " + batch, single, shared, single.length);
        }
      }
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void blocksTileTheRowsInOrderAndStayCacheSized() {
    cases().forEach(cs -> {
      ConvGeometry g = cs.g();
      Convolution.Blocks plan = Convolution.Blocks.of(g);
      assertThat((long) plan.blockRows * g.patchSize()).as("%s", cs).isLessThanOrEqualTo(Math.max(Convolution.COLS_TARGET, g.patchSize()));
      for (int batch : new int[] {1, 3, 17, 128}) {
        int next = 0;
        for (int i = 0; i < plan.blocks(batch); i++) {
          assertThat(plan.from(i)).as("%s batch %d block %d", cs, batch, i).isEqualTo(next);
          assertThat(plan.to(i, batch)).isGreaterThan(next).isLessThanOrEqualTo(next + plan.blockRows);
          next = plan.to(i, batch);
        }
        assertThat(next).isEqualTo(batch * g.outPixels());
      }
    });
  }

  @Test
  void kernelChunksHaveAtLeastTheMinimumRowsAndAreAtMostTheMaximumCount() {
    Convolution.Blocks conv2 = Convolution.Blocks.of(ConvGeometry.of(14, 14, 32, 5, 5, 1, 1, Padding.SAME, 64));
    for (int batch : new int[] {1, 17, 128, 1000, 5000}) {
      int perChunk = conv2.groupsPerKernelChunk(batch);
      assertThat(perChunk * conv2.imagesPerBlock * conv2.pixels).as("batch %d", batch).isGreaterThanOrEqualTo(Convolution.KERNEL_CHUNK_ROWS);
      assertThat((conv2.groups(batch) + perChunk - 1) / perChunk).as("batch %d", batch).isLessThanOrEqualTo(Convolution.MAX_KERNEL_CHUNKS);
    }
    assertThat(conv2.groupsPerKernelChunk(128)).isEqualTo(6); // 1176 rows: 22 chunks
    assertThat(conv2.groupsPerKernelChunk(5000)).isEqualTo(79); // 5000 images in 64 chunks
  }

  @Test
  void emptyBatchIsANoOp() {
    ConvGeometry g = ConvGeometry.of(5, 5, 2, 3, 3, 1, 1, Padding.SAME, 3);
    float[] dK = {1, 2, 3};
    float[] dKernel = new float[g.patchSize() * g.outC];
    Convolution.forward(g, 0, new float[0], dKernel, null, new float[0]);
    Convolution.backwardInput(g, 0, new float[0], dKernel, new float[0]);
    Convolution.backwardKernel(g, 0, new float[0], new float[0], dKernel);
    Convolution.backwardBias(g, 0, new float[0], dK);
    assertThat(dKernel).containsOnly(0f);
    assertThat(dK).containsExactly(1, 2, 3);
  }

  @Test
  void badArgumentsAreNamedWithTheirValues() {
    ConvGeometry g = ConvGeometry.of(5, 5, 2, 3, 3, 1, 1, Padding.SAME, 3);
    int batch = 2;
    float[] in = new float[batch * g.inSize()], out = new float[batch * g.outSize()];
    float[] k = new float[g.patchSize() * g.outC], bias = new float[g.outC];

    assertThatThrownBy(() -> Convolution.forward(g, -1, in, k, bias, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch must be >= 0, got -1");
    assertThatThrownBy(() -> Convolution.forward(g, batch, new float[in.length - 1], k, bias, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input has " + (in.length - 1) + " elements").hasMessageContaining("needs " + in.length);
    assertThatThrownBy(() -> Convolution.forward(g, batch, in, new float[5], bias, out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel has 5 elements").hasMessageContaining("3x3x2x3 = 54");
    assertThatThrownBy(() -> Convolution.forward(g, batch, in, k, new float[2], out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias has 2 elements").hasMessageContaining("outC = 3");
    assertThatThrownBy(() -> Convolution.forward(g, batch, in, k, bias, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output has no array");
    assertThatThrownBy(() -> Convolution.backwardInput(g, batch, new float[3], k, in))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dOut has 3 elements").hasMessageContaining("needs " + out.length);
    assertThatThrownBy(() -> Convolution.backwardInput(g, batch, out, k, new float[7]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dInput has 7 elements");
    assertThatThrownBy(() -> Convolution.backwardKernel(g, batch, in, out, new float[53]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dKernel has 53 elements").hasMessageContaining("= 54");
    assertThatThrownBy(() -> Convolution.backwardBias(g, batch, out, new float[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dBias has 1 elements").hasMessageContaining("outC = 3");
    assertThatThrownBy(() -> Convolution.backwardBias(g, -4, out, bias))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch must be >= 0, got -4");
    float[] same = new float[Math.max(in.length, out.length)];
    assertThatThrownBy(() -> Convolution.forward(g, batch, same, k, bias, same))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input and output must be different arrays");
  }
}
