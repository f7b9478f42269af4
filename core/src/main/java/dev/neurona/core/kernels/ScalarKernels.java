package dev.neurona.core.kernels;

import dev.neurona.core.conv.ConvGeometry;

/**
 * The reference kernels: plain loops, one accumulator, no tricks. They define what every other
 * implementation must compute, and they run wherever the Vector API is absent or disabled.
 */
public class ScalarKernels implements Kernels {
  public static final ScalarKernels INSTANCE = new ScalarKernels();

  protected ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  @Override
  public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  @Override
  public void scale(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  @Override
  public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  @Override
  public float sum(float[] x, int off, int n) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[off + i];
    }
    return s;
  }

  @Override
  public float max(float[] x, int off, int n) {
    float m = x[off];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, x[off + i]);
    }
    return m;
  }

  @Override
  public float maxAbs(float[] x, int off, int n) {
    float m = 0f;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, Math.abs(x[off + i])); // Math.max propagates NaN
    }
    return m;
  }

  @Override
  public boolean adam(float[] w, float[] g, float[] m, float[] v, float[] vHat, int off, int n, float alpha,
      float decay, float b1c, float b2c, float eps) {
    float probe = 0f; // stays 0 unless a written value is not finite
    for (int i = off, end = off + n; i < end; i++) {
      float gi = g[i];
      float wi = w[i] - decay * w[i]; // w = w − lr·wd·w
      float mi = m[i] + b1c * (gi - m[i]); // m = m + (1 − β1)·(g − m)
      float vi = v[i] + b2c * (gi * gi - v[i]); // v = v + (1 − β2)·(g² − v)
      m[i] = mi;
      v[i] = vi;
      if (vHat != null) {
        vi = Math.max(vHat[i], vi); // v̂ = max(v̂, v)
        vHat[i] = vi;
      }
      wi = wi - alpha * mi / ((float) Math.sqrt(vi) + eps); // w = w − α·m / (√v̂ + ε)
      w[i] = wi;
      probe += wi * 0f + mi * 0f + vi * 0f;
    }
    return probe == 0f;
  }

  @Override
  public void relu(float[] x, int xOff, float[] out, int outOff, int n) {
    for (int i = 0; i < n; i++) {
      out[outOff + i] = Math.max(x[xOff + i], 0f);
    }
  }

  @Override
  public void reluBackward(float[] y, int yOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int n) {
    for (int i = 0; i < n; i++) {
      dIn[dInOff + i] = y[yOff + i] > 0f ? dOut[dOutOff + i] : 0f;
    }
  }

  @Override
  public void softmaxRows(float[] x, int xOff, float[] out, int outOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      int oi = outOff + r * cols;
      float m = max(x, xi, cols);
      float s = 0f;
      for (int c = 0; c < cols; c++) {
        float e = (float) Math.exp(x[xi + c] - m);
        out[oi + c] = e;
        s += e;
      }
      float inv = 1f / s;
      for (int c = 0; c < cols; c++) {
        out[oi + c] *= inv;
      }
    }
  }

  @Override
  public void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff) {
    for (int r = 0; r < rows; r++) {
      int xi = xOff + r * cols;
      for (int c = 0; c < cols; c++) {
        x[xi + c] += bias[biasOff + c];
      }
    }
  }

  @Override
  public void biasGrad(float[] dOut, int dOutOff, int rows, int cols, float[] dBias, int dBiasOff) {
    for (int r = 0; r < rows; r++) {
      int di = dOutOff + r * cols;
      for (int c = 0; c < cols; c++) {
        dBias[dBiasOff + c] += dOut[di + c];
      }
    }
  }

  @Override
  public void maxPoolForward(ConvGeometry g, float[] in, int inOff, float[] out, int outOff, int[] argmax, int argOff) {
    int c = g.inC;
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        int o = (oy * g.outW + ox) * c;
        for (int ch = 0; ch < c; ch++) {
          float best = Float.NEGATIVE_INFINITY;
          int bestAt = -1;
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
              int at = (iy * g.inW + ix) * c + ch;
              float v = in[inOff + at];
              if (bestAt < 0 || v > best) {
                best = v;
                bestAt = at;
              }
            }
          }
          out[outOff + o + ch] = best;
          if (argmax != null) {
            argmax[argOff + o + ch] = bestAt;
          }
        }
      }
    }
  }

  @Override
  public void maxPoolBackward(float[] dOut, int dOutOff, int[] argmax, int argOff, int n, float[] dIn, int dInOff) {
    for (int o = 0; o < n; o++) {
      dIn[dInOff + argmax[argOff + o]] += dOut[dOutOff + o];
    }
  }

  @Override
  public void convRow(float[] src, int srcOff, int step, int[] taps, int nTaps, float[] w, int wStride, float[] bias,
      int count, float[] out, int outOff, int outC) {
    for (int x = 0; x < count; x++) {
      int base = srcOff + x * step;
      for (int o = 0; o < outC; o++) {
        float s = 0f;
        for (int t = 0; t < nTaps; t++) {
          s += src[base + taps[t]] * w[t * wStride + o]; // unfused, as ScalarMicroKernel
        }
        out[outOff + x * outC + o] = bias == null ? s : s + bias[o];
      }
    }
  }
  @Override
  public void convKernelGrad(float[] src, int[] corners, int from, int to, int[] taps, int nTaps, float[] dOut, int dOff,
      int outC, float beta, float[] dK, int dkOff) {
    float[] s = new float[nTaps * outC];
    for (int q = from; q < to; q++) { // each s[t·outC + o] is summed over q ascending
      int c = corners[q], d = dOff + q * outC;
      for (int t = 0; t < nTaps; t++) {
        float x = src[c + taps[t]];
        for (int o = 0; o < outC; o++) {
          s[t * outC + o] += x * dOut[d + o]; // unfused, as ScalarMicroKernel
        }
      }
    }
    for (int e = 0; e < nTaps * outC; e++) {
      dK[dkOff + e] = beta == 0f ? s[e] : s[e] + beta * dK[dkOff + e];
    }
  }
}
