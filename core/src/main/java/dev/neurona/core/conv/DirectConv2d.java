package dev.neurona.core.conv;

/**
 * Convolution by its definition: nested loops over output pixels, window and channels, no im2col.
 * The reference for {@link Convolution} (and its test oracle's structure). NHWC images, kernel
 * {@code (kH, kW, inC, outC)} as in Keras. Padded positions read as zero.
 */
public final class DirectConv2d {
  private DirectConv2d() {}

  /** {@code out[b,y,x,f] = bias[f] + Σ_{ky,kx,c} in[b, y·s-pad+ky, x·s-pad+kx, c] · kernel[ky,kx,c,f]}. */
  public static void forward(ConvGeometry g, int batch, float[] input, float[] kernel, float[] bias, float[] output) {
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          int o = ((b * g.outH + oy) * g.outW + ox) * g.outC;
          for (int f = 0; f < g.outC; f++) {
            float s = bias == null ? 0f : bias[f];
            for (int ky = 0; ky < g.kH; ky++) {
              int iy = oy * g.strideH - g.padTop + ky;
              if (iy < 0 || iy >= g.inH) {
                continue;
              }
              for (int kx = 0; kx < g.kW; kx++) {
                int ix = ox * g.strideW - g.padLeft + kx;
                if (ix < 0 || ix >= g.inW) {
                  continue;
                }
                int i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
                int w = (ky * g.kW + kx) * g.inC * g.outC + f;
                for (int c = 0; c < g.inC; c++) {
                  s += input[i + c] * kernel[w + c * g.outC];
                }
              }
            }
            output[o + f] = s;
          }
        }
      }
    }
  }

  /** {@code dInput = Σ} over every output that read an input element of {@code dOut · kernel} (overwrites dInput). */
  public static void backwardInput(ConvGeometry g, int batch, float[] dOut, float[] kernel, float[] dInput) {
    java.util.Arrays.fill(dInput, 0, batch * g.inSize(), 0f);
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          int o = ((b * g.outH + oy) * g.outW + ox) * g.outC;
          for (int ky = 0; ky < g.kH; ky++) {
            int iy = oy * g.strideH - g.padTop + ky;
            if (iy < 0 || iy >= g.inH) {
              continue;
            }
            for (int kx = 0; kx < g.kW; kx++) {
              int ix = ox * g.strideW - g.padLeft + kx;
              if (ix < 0 || ix >= g.inW) {
                continue;
              }
              int i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
              int w = (ky * g.kW + kx) * g.inC * g.outC;
              for (int c = 0; c < g.inC; c++) {
                float s = 0f;
                for (int f = 0; f < g.outC; f++) {
                  s += dOut[o + f] * kernel[w + c * g.outC + f];
                }
                dInput[i + c] += s;
              }
            }
          }
        }
      }
    }
  }

  /** {@code dKernel[ky,kx,c,f] += Σ_{b,y,x} in[b, y·s-pad+ky, x·s-pad+kx, c] · dOut[b,y,x,f]}. */
  public static void backwardKernel(ConvGeometry g, int batch, float[] input, float[] dOut, float[] dKernel) {
    for (int b = 0; b < batch; b++) {
      for (int oy = 0; oy < g.outH; oy++) {
        for (int ox = 0; ox < g.outW; ox++) {
          int o = ((b * g.outH + oy) * g.outW + ox) * g.outC;
          for (int ky = 0; ky < g.kH; ky++) {
            int iy = oy * g.strideH - g.padTop + ky;
            if (iy < 0 || iy >= g.inH) {
              continue;
            }
            for (int kx = 0; kx < g.kW; kx++) {
              int ix = ox * g.strideW - g.padLeft + kx;
              if (ix < 0 || ix >= g.inW) {
                continue;
              }
              int i = ((b * g.inH + iy) * g.inW + ix) * g.inC;
              int w = (ky * g.kW + kx) * g.inC * g.outC;
              for (int c = 0; c < g.inC; c++) {
                float x = input[i + c];
                for (int f = 0; f < g.outC; f++) {
                  dKernel[w + c * g.outC + f] += x * dOut[o + f];
                }
              }
            }
          }
        }
      }
    }
  }

  /** {@code dBias[f] += Σ_{b,y,x} dOut[b,y,x,f]}. */
  public static void backwardBias(ConvGeometry g, int batch, float[] dOut, float[] dBias) {
    int rows = batch * g.outPixels();
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < g.outC; f++) {
        dBias[f] += dOut[r * g.outC + f];
      }
    }
  }
}
