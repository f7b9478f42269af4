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
  public void maxPoolBackwardTiled(ConvGeometry g, float[] dOut, float[] y, int[] argmax, int outOff, boolean relu,
      float[] dIn, int dInOff) {
    requireTiling(g);
    int c = g.inC;
    for (int iy = 0; iy < g.inH; iy++) {
      int oy = (iy + g.padTop) / g.kH;
      for (int ix = 0; ix < g.inW; ix++) {
        int ox = (ix + g.padLeft) / g.kW;
        int at = (iy * g.inW + ix) * c;
        int o = outOff + (oy * g.outW + ox) * c;
        for (int ch = 0; ch < c; ch++) {
          boolean routed = oy < g.outH && ox < g.outW && argmax[o + ch] == at + ch && (!relu || y[o + ch] > 0f);
          dIn[dInOff + at + ch] = routed ? 0f + dOut[o + ch] : 0f;
        }
      }
    }
  }

  /** Rejects a pooling whose windows overlap or leave gaps between them ({@link #maxPoolBackwardTiled}). */
  protected static void requireTiling(ConvGeometry g) {
    if (g.strideH != g.kH || g.strideW != g.kW || g.padTop >= g.kH || g.padLeft >= g.kW) {
      throw new IllegalArgumentException("maxPoolBackwardTiled needs windows that tile the input (strides equal to the "
          + "window, padding smaller than it), got window " + g.kH + "x" + g.kW + ", strides " + g.strideH + "x"
          + g.strideW + ", padding top/left " + g.padTop + "/" + g.padLeft);
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

  @Override
  public void winogradInput(int r, float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v, int vOff,
      int vStride) {
    if (winogradSize(r) == 3) {
      winograd3Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride, 0, channels);
    } else {
      winograd5Input(d, dOff, rowStride, channels, tmp, v, vOff, vStride, 0, channels);
    }
  }

  /** {@code r}, checked to be a window size the Winograd kernels have: 3 or 5. */
  protected static int winogradSize(int r) {
    if (r != 3 && r != 5) {
      throw new IllegalArgumentException("winograd: the kernels are F(2x2, 3x3) and F(2x2, 5x5); got window " + r);
    }
    return r;
  }

  /**
   * {@link #winogradInput} of F(2, 3) for channels {@code [from, to)}: {@code Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]}
   * (the points 0, 1, −1 and ∞).
   */
  protected static void winograd3Input(float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v,
      int vOff, int vStride, int from, int to) {
    int s = 4 * channels;
    for (int x = 0; x < 4; x++) { // tmp[a][x] = Σ_y Bᵀ[a][y]·d[y][x]
      int col = dOff + x * channels;
      for (int c = from; c < to; c++) {
        float d0 = d[col + c], d1 = d[col + rowStride + c], d2 = d[col + 2 * rowStride + c];
        float d3 = d[col + 3 * rowStride + c];
        int t = x * channels + c;
        tmp[t] = d0 - d2;
        tmp[t + s] = d1 + d2;
        tmp[t + 2 * s] = d2 - d1;
        tmp[t + 3 * s] = d1 - d3;
      }
    }
    for (int a = 0; a < 4; a++) { // V[a][b] = Σ_x tmp[a][x]·Bᵀ[b][x]
      int row = a * s, out = vOff + 4 * a * vStride;
      for (int c = from; c < to; c++) {
        float t0 = tmp[row + c], t1 = tmp[row + channels + c], t2 = tmp[row + 2 * channels + c];
        float t3 = tmp[row + 3 * channels + c];
        v[out + c] = t0 - t2;
        v[out + vStride + c] = t1 + t2;
        v[out + 2 * vStride + c] = t2 - t1;
        v[out + 3 * vStride + c] = t1 - t3;
      }
    }
  }

  /**
   * {@link #winogradInput} of F(2, 5) for channels {@code [from, to)}. {@code Bᵀ} on the points 0, 1, −1, 2, −½ and ∞,
   * each row scaled to small integers (the scales go to {@code G}, see {@link dev.neurona.core.conv.Winograd}):
   * {@code [2 3 −4 −3 2 0; 0 2 5 1 −2 0; 0 2 1 −5 2 0; 0 −1 −2 1 2 0; 0 −2 1 2 −1 0; 0 2 3 −4 −3 2]}.
   */
  protected static void winograd5Input(float[] d, int dOff, int rowStride, int channels, float[] tmp, float[] v,
      int vOff, int vStride, int from, int to) {
    int s = 6 * channels;
    for (int x = 0; x < 6; x++) { // tmp[a][x] = Σ_y Bᵀ[a][y]·d[y][x]
      int col = dOff + x * channels;
      for (int c = from; c < to; c++) {
        float d0 = d[col + c], d1 = d[col + rowStride + c], d2 = d[col + 2 * rowStride + c];
        float d3 = d[col + 3 * rowStride + c], d4 = d[col + 4 * rowStride + c], d5 = d[col + 5 * rowStride + c];
        int t = x * channels + c;
        tmp[t] = 2 * d0 + 3 * d1 - 4 * d2 - 3 * d3 + 2 * d4;
        tmp[t + s] = 2 * d1 + 5 * d2 + d3 - 2 * d4;
        tmp[t + 2 * s] = 2 * d1 + d2 - 5 * d3 + 2 * d4;
        tmp[t + 3 * s] = d3 - d1 - 2 * d2 + 2 * d4;
        tmp[t + 4 * s] = d2 - 2 * d1 + 2 * d3 - d4;
        tmp[t + 5 * s] = 2 * d1 + 3 * d2 - 4 * d3 - 3 * d4 + 2 * d5;
      }
    }
    for (int a = 0; a < 6; a++) { // V[a][b] = Σ_x tmp[a][x]·Bᵀ[b][x]
      int row = a * s, out = vOff + 6 * a * vStride;
      for (int c = from; c < to; c++) {
        float t0 = tmp[row + c], t1 = tmp[row + channels + c], t2 = tmp[row + 2 * channels + c];
        float t3 = tmp[row + 3 * channels + c], t4 = tmp[row + 4 * channels + c], t5 = tmp[row + 5 * channels + c];
        v[out + c] = 2 * t0 + 3 * t1 - 4 * t2 - 3 * t3 + 2 * t4;
        v[out + vStride + c] = 2 * t1 + 5 * t2 + t3 - 2 * t4;
        v[out + 2 * vStride + c] = 2 * t1 + t2 - 5 * t3 + 2 * t4;
        v[out + 3 * vStride + c] = t3 - t1 - 2 * t2 + 2 * t4;
        v[out + 4 * vStride + c] = t2 - 2 * t1 + 2 * t3 - t4;
        v[out + 5 * vStride + c] = 2 * t1 + 3 * t2 - 4 * t3 - 3 * t4 + 2 * t5;
      }
    }
  }

  @Override
  public void winogradMaxPool(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff) {
    if (winogradSize(r) == 3) {
      winograd3MaxPool(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, 0, channels);
    } else {
      winograd5MaxPool(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, 0, channels);
    }
  }

  /** F(2, 3)'s {@code tmp[i][b] = Σ_a Aᵀ[i][a]·M[a][b]} (2 rows of 4 columns of channels) for channels {@code [from, to)}. */
  protected static void atM3(float[] m, int mOff, int mStride, int channels, float[] tmp, int from, int to) {
    int a = 4 * mStride, s = 4 * channels;
    for (int b = 0; b < 4; b++) {
      int col = mOff + b * mStride;
      for (int c = from; c < to; c++) {
        float m0 = m[col + c], m1 = m[col + a + c], m2 = m[col + 2 * a + c], m3 = m[col + 3 * a + c];
        tmp[b * channels + c] = m0 + m1 + m2;
        tmp[s + b * channels + c] = m1 - m2 - m3;
      }
    }
  }

  /** F(2, 5)'s {@code tmp[i][b] = Σ_a Aᵀ[i][a]·M[a][b]} (2 rows of 6 columns of channels) for channels {@code [from, to)}. */
  protected static void atM5(float[] m, int mOff, int mStride, int channels, float[] tmp, int from, int to) {
    int a = 6 * mStride, s = 6 * channels;
    for (int b = 0; b < 6; b++) {
      int col = mOff + b * mStride;
      for (int c = from; c < to; c++) {
        float m0 = m[col + c], m1 = m[col + a + c], m2 = m[col + 2 * a + c], m3 = m[col + 3 * a + c];
        float m4 = m[col + 4 * a + c], m5 = m[col + 5 * a + c];
        tmp[b * channels + c] = m0 + m1 + m2 + m3 + m4;
        tmp[s + b * channels + c] = m1 - m2 + 2 * m3 - 0.5f * m4 + m5;
      }
    }
  }

  /**
   * {@link #winogradMaxPool} of F(2, 3) for channels {@code [from, to)}: {@code Aᵀ = [1 1 1 0; 0 1 −1 −1]}.
   */
  protected static void winograd3MaxPool(float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int from, int to) {
    int s = 4 * channels;
    atM3(m, mOff, mStride, channels, tmp, from, to);
    for (int c = from; c < to; c++) { // Y[i][j] = Σ_b tmp[i][b]·Aᵀ[j][b], then the max, bias, ReLU
      float p = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < 2; i++) {
        int r = i * s + c;
        float t0 = tmp[r], t1 = tmp[r + channels], t2 = tmp[r + 2 * channels], t3 = tmp[r + 3 * channels];
        float y0 = t0 + t1 + t2, y1 = t1 - t2 - t3;
        p = i == 0 ? Math.max(y0, y1) : Math.max(p, Math.max(y0, y1));
      }
      if (bias != null) {
        p += bias[c];
      }
      out[outOff + c] = relu ? Math.max(p, 0f) : p;
    }
  }

  /**
   * {@link #winogradMaxPool} of F(2, 5) for channels {@code [from, to)}. {@code Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −½ 1]}:
   * {@code tmp[i][b] = Σ_a Aᵀ[i][a]·M[a][b]}, then {@code Y[i][j] = Σ_b tmp[i][b]·Aᵀ[j][b]}.
   */
  protected static void winograd5MaxPool(float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int from, int to) {
    int s = 6 * channels;
    atM5(m, mOff, mStride, channels, tmp, from, to);
    for (int c = from; c < to; c++) {
      float p = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < 2; i++) {
        int r = i * s + c;
        float t0 = tmp[r], t1 = tmp[r + channels], t2 = tmp[r + 2 * channels], t3 = tmp[r + 3 * channels];
        float t4 = tmp[r + 4 * channels], t5 = tmp[r + 5 * channels];
        float y0 = t0 + t1 + t2 + t3 + t4, y1 = t1 - t2 + 2 * t3 - 0.5f * t4 + t5;
        p = i == 0 ? Math.max(y0, y1) : Math.max(p, Math.max(y0, y1));
      }
      if (bias != null) {
        p += bias[c];
      }
      out[outOff + c] = relu ? Math.max(p, 0f) : p;
    }
  }

  @Override
  public void winogradOutput(int r, float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int rowStride, int rows, int cols) {
    winogradClip("winogradOutput", rows, cols);
    if (winogradSize(r) == 3) {
      winograd3Output(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, rowStride, rows, cols, 0, channels);
    } else {
      winograd5Output(m, mOff, mStride, channels, bias, relu, tmp, out, outOff, rowStride, rows, cols, 0, channels);
    }
  }

  /** Checks the rows and columns of a {@link #winogradOutput} or {@link #winogradOutputBackward} tile: 1 or 2 each. */
  protected static void winogradClip(String method, int rows, int cols) {
    if (rows < 1 || rows > 2 || cols < 1 || cols > 2) {
      throw new IllegalArgumentException(method + ": a tile has 1 or 2 rows and columns; got " + rows + " rows, "
          + cols + " columns");
    }
  }

  /** {@link #winogradOutput} of F(2, 3) for channels {@code [from, to)}: the sums of {@link #winograd3MaxPool}. */
  protected static void winograd3Output(float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int rowStride, int rows, int cols, int from, int to) {
    int s = 4 * channels;
    atM3(m, mOff, mStride, channels, tmp, from, to);
    for (int i = 0; i < rows; i++) { // Y[i][j] = Σ_b tmp[i][b]·Aᵀ[j][b], then bias, ReLU
      for (int c = from; c < to; c++) {
        int t = i * s + c;
        float t0 = tmp[t], t1 = tmp[t + channels], t2 = tmp[t + 2 * channels], t3 = tmp[t + 3 * channels];
        float y0 = t0 + t1 + t2, y1 = t1 - t2 - t3;
        int o = outOff + i * rowStride + c;
        out[o] = biasRelu(y0, bias, c, relu);
        if (cols == 2) {
          out[o + channels] = biasRelu(y1, bias, c, relu);
        }
      }
    }
  }

  /** {@link #winogradOutput} of F(2, 5) for channels {@code [from, to)}: the sums of {@link #winograd5MaxPool}. */
  protected static void winograd5Output(float[] m, int mOff, int mStride, int channels, float[] bias, boolean relu,
      float[] tmp, float[] out, int outOff, int rowStride, int rows, int cols, int from, int to) {
    int s = 6 * channels;
    atM5(m, mOff, mStride, channels, tmp, from, to);
    for (int i = 0; i < rows; i++) {
      for (int c = from; c < to; c++) {
        int t = i * s + c;
        float t0 = tmp[t], t1 = tmp[t + channels], t2 = tmp[t + 2 * channels], t3 = tmp[t + 3 * channels];
        float t4 = tmp[t + 4 * channels], t5 = tmp[t + 5 * channels];
        float y0 = t0 + t1 + t2 + t3 + t4, y1 = t1 - t2 + 2 * t3 - 0.5f * t4 + t5;
        int o = outOff + i * rowStride + c;
        out[o] = biasRelu(y0, bias, c, relu);
        if (cols == 2) {
          out[o + channels] = biasRelu(y1, bias, c, relu);
        }
      }
    }
  }

  @Override
  public void winogradOutputBackward(int r, float[] dy, int dyOff, int rowStride, int pixelStride, int channels,
      int rows, int cols, float[] tmp, float[] dm, int dmOff, int dmStride) {
    winogradClip("winogradOutputBackward", rows, cols);
    int alpha = winogradSize(r) + 1;
    for (int c = 0; c < channels; c++) {
      int o = dyOff + c;
      float y00 = dy[o], y01 = cols == 2 ? dy[o + pixelStride] : 0f;
      float y10 = rows == 2 ? dy[o + rowStride] : 0f, y11 = rows == 2 && cols == 2 ? dy[o + rowStride + pixelStride] : 0f;
      for (int a = 0; a < alpha; a++) {
        float p0 = aColumn(r, a, y00, y10), p1 = aColumn(r, a, y01, y11); // (Aᵀ's column a)·dY, both columns of dY
        for (int b = 0; b < alpha; b++) {
          dm[dmOff + (alpha * a + b) * dmStride + c] = aColumn(r, b, p0, p1);
        }
      }
    }
  }

  /** {@code Aᵀ[0][a]·x0 + Aᵀ[1][a]·x1} as {@link #winogradOutputBackward} writes it. */
  protected static float aColumn(int r, int a, float x0, float x1) {
    if (r == 3) {
      return a == 0 ? x0 : a == 1 ? x0 + x1 : a == 2 ? x0 - x1 : -x1;
    }
    switch (a) {
      case 0: return x0;
      case 1: return x0 + x1;
      case 2: return x0 - x1;
      case 3: return x0 + 2 * x1;
      case 4: return x0 - 0.5f * x1;
      default: return x1;
    }
  }

  /** {@code relu?(y + bias[c])}, the bias skipped when null. */
  private static float biasRelu(float y, float[] bias, int c, boolean relu) {
    float z = bias == null ? y : y + bias[c];
    return relu ? Math.max(z, 0f) : z;
  }
}
