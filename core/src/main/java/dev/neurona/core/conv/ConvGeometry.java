package dev.neurona.core.conv;

/**
 * The geometry of one sliding-window operation (convolution or pooling) on a single NHWC image:
 * input {@code (inH, inW, inC)}, window {@code (kH, kW)}, strides, the padding before each spatial
 * dimension, and output {@code (outH, outW, outC)}. For pooling {@code outC == inC}.
 *
 * <p>Batch size is not part of the geometry: one geometry serves every batch size.
 */
public final class ConvGeometry {
  public final int inH, inW, inC;
  public final int kH, kW;
  public final int strideH, strideW;
  /** Zero rows added above and zero columns added to the left (bottom/right get the rest). */
  public final int padTop, padLeft;
  public final int outH, outW, outC;

  private ConvGeometry(int inH, int inW, int inC, int kH, int kW, int strideH, int strideW,
      int padTop, int padLeft, int outH, int outW, int outC) {
    this.inH = inH;
    this.inW = inW;
    this.inC = inC;
    this.kH = kH;
    this.kW = kW;
    this.strideH = strideH;
    this.strideW = strideW;
    this.padTop = padTop;
    this.padLeft = padLeft;
    this.outH = outH;
    this.outW = outW;
    this.outC = outC;
  }

  /**
   * Computes the output size and padding the way Keras/TensorFlow do.
   *
   * @param outC filters for a convolution; {@code inC} for pooling
   */
  public static ConvGeometry of(int inH, int inW, int inC, int kH, int kW, int strideH, int strideW,
      Padding padding, int outC) {
    positive("input height", inH);
    positive("input width", inW);
    positive("input channels", inC);
    positive("kernel height", kH);
    positive("kernel width", kW);
    positive("stride height", strideH);
    positive("stride width", strideW);
    positive("output channels", outC);
    if (padding == null) {
      throw new IllegalArgumentException("padding is null; use Padding.VALID or Padding.SAME");
    }
    int outH, outW, padTop, padLeft;
    if (padding == Padding.VALID) {
      if (kH > inH || kW > inW) {
        throw new IllegalArgumentException("window " + kH + "x" + kW + " is larger than the input "
            + inH + "x" + inW + " with padding \"valid\"; use \"same\" or a smaller window");
      }
      outH = (inH - kH) / strideH + 1;
      outW = (inW - kW) / strideW + 1;
      padTop = 0;
      padLeft = 0;
    } else {
      outH = (inH + strideH - 1) / strideH;
      outW = (inW + strideW - 1) / strideW;
      padTop = Math.max((outH - 1) * strideH + kH - inH, 0) / 2;
      padLeft = Math.max((outW - 1) * strideW + kW - inW, 0) / 2;
    }
    return new ConvGeometry(inH, inW, inC, kH, kW, strideH, strideW, padTop, padLeft, outH, outW, outC);
  }

  /**
   * The stride-1 convolution that takes this one's output gradient to its input gradient: source
   * {@code (outH, outW, outC)}, the same window (turned 180° by the caller's kernel), padding
   * {@code kH - 1 - padTop} above and {@code kW - 1 - padLeft} left, output {@code (inH, inW, inC)}.
   */
  ConvGeometry transposed() {
    if (strideH != 1 || strideW != 1) {
      throw new IllegalArgumentException("the transposed geometry is for stride 1, got " + this);
    }
    return new ConvGeometry(outH, outW, outC, kH, kW, 1, 1, kH - 1 - padTop, kW - 1 - padLeft, inH, inW, inC);
  }

  /**
   * This pooling over a band of its input's rows: {@code inRows} rows starting where window row 0 of the
   * band reads row {@code -padTop}, {@code outRows} rows of windows; the rest as here. For
   * {@link Convolution#forwardMaxPool}, which pools each band as soon as it is convolved.
   */
  ConvGeometry band(int inRows, int padTop, int outRows) {
    return new ConvGeometry(inRows, inW, inC, kH, kW, strideH, strideW, padTop, padLeft, outRows, outW, outC);
  }

  private static void positive(String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + v);
    }
  }

  /** Elements in one input image: {@code inH·inW·inC}. */
  public int inSize() {
    return inH * inW * inC;
  }

  /** Elements in one output image: {@code outH·outW·outC}. */
  public int outSize() {
    return outH * outW * outC;
  }

  /** Output pixels per image: {@code outH·outW} (rows of the im2col matrix per image). */
  public int outPixels() {
    return outH * outW;
  }

  /** Length of one flattened window: {@code kH·kW·inC} (columns of the im2col matrix). */
  public int patchSize() {
    return kH * kW * inC;
  }

  @Override
  public String toString() {
    return "ConvGeometry[in " + inH + "x" + inW + "x" + inC + ", window " + kH + "x" + kW + ", stride "
        + strideH + "x" + strideW + ", pad top/left " + padTop + "/" + padLeft + ", out " + outH + "x" + outW
        + "x" + outC + "]";
  }
}
