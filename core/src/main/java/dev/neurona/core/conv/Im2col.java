package dev.neurona.core.conv;

import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.Arrays;

/**
 * im2col and its adjoint col2im for NHWC images: the lowering that turns a convolution into one
 * matrix product.
 *
 * <p>Row {@code r = (oy·outW + ox)} of an image's column matrix is the window that output pixel
 * reads, flattened in kernel order {@code (ky, kx, c)}: column {@code (ky·kW + kx)·inC + c} holds
 * {@code in[oy·strideH - padTop + ky, ox·strideW - padLeft + kx, c]}, or zero where that position
 * lies in the padding. So one image gives an {@code (outH·outW) × (kH·kW·inC)} row-major matrix, and a
 * batch of images gives their matrices stacked: global row {@code b·outH·outW + r}.
 *
 * <p>With NHWC, the {@code kW·inC} values of one window row are contiguous in the input; the
 * in-bounds part of each such run is one {@link System#arraycopy}.
 *
 * <p>{@code im2col} overwrites its rows of {@code cols}; {@code col2im} scatter-adds
 * ({@code +=}) every column-matrix entry back onto the input position it came from (entries that
 * came from padding are dropped), which is exactly the transpose of im2col.
 */
public final class Im2col {
  private Im2col() {}

  /** One image: {@code cols (outH·outW, kH·kW·inC)} at {@code colsOffset} from the image {@code (inH, inW, inC)} at {@code imageOffset}. */
  public static void im2col(ConvGeometry g, float[] input, int imageOffset, float[] cols, int colsOffset) {
    checkRegion(g, "input", input, imageOffset, g.inSize());
    checkRegion(g, "cols", cols, colsOffset, (long) g.outPixels() * g.patchSize());
    im2colRows(g, input, imageOffset, 0, g.outPixels(), cols, colsOffset);
  }

  /** Images {@code [fromImage, toImage)} of a batch starting at element 0 of {@code input}: their stacked column matrices at {@code colsOffset}. */
  public static void im2colImages(ConvGeometry g, float[] input, int fromImage, int toImage, float[] cols, int colsOffset) {
    checkImages(g, fromImage, toImage);
    checkRegion(g, "input", input, 0, (long) toImage * g.inSize());
    checkRegion(g, "cols", cols, colsOffset, (long) (toImage - fromImage) * g.outPixels() * g.patchSize());
    im2colRows(g, input, 0, fromImage * g.outPixels(), toImage * g.outPixels(), cols, colsOffset);
  }

  /** One image: {@code image (inH, inW, inC) += col2im(cols (outH·outW, kH·kW·inC))}. */
  public static void col2im(ConvGeometry g, float[] cols, int colsOffset, float[] input, int imageOffset) {
    checkRegion(g, "cols", cols, colsOffset, (long) g.outPixels() * g.patchSize());
    checkRegion(g, "input", input, imageOffset, g.inSize());
    col2imRows(g, cols, colsOffset, 0, g.outPixels(), input, imageOffset);
  }

  /** Images {@code [fromImage, toImage)} of a batch starting at element 0 of {@code input} {@code +=} col2im of their stacked column matrices. */
  public static void col2imImages(ConvGeometry g, float[] cols, int colsOffset, int fromImage, int toImage, float[] input) {
    checkImages(g, fromImage, toImage);
    checkRegion(g, "cols", cols, colsOffset, (long) (toImage - fromImage) * g.outPixels() * g.patchSize());
    checkRegion(g, "input", input, 0, (long) toImage * g.inSize());
    col2imRows(g, cols, colsOffset, fromImage * g.outPixels(), toImage * g.outPixels(), input, 0);
  }

  /**
   * Global rows {@code [fromRow, toRow)} of the stacked column matrix of the batch whose image 0
   * starts at {@code inputBase}; row {@code fromRow} lands at {@code colsOffset}. Unchecked: callers
   * validate. Rows may start and end mid-image.
   */
  static void im2colRows(ConvGeometry g, float[] input, int inputBase, int fromRow, int toRow, float[] cols, int colsOffset) {
    int pixels = g.outPixels(), run = g.kW * g.inC, patch = g.patchSize();
    int dst = colsOffset;
    for (int r = fromRow; r < toRow; r++, dst += patch) {
      int b = r / pixels, p = r - b * pixels;
      int oy = p / g.outW, ox = p - oy * g.outW;
      int image = inputBase + b * g.inSize();
      int ix0 = ox * g.strideW - g.padLeft;
      // The kx range whose input column is inside the image; the rest of the run is padding.
      int kxLo = Math.max(0, -ix0), kxHi = Math.min(g.kW, g.inW - ix0);
      for (int ky = 0; ky < g.kH; ky++) {
        int iy = oy * g.strideH - g.padTop + ky;
        int d = dst + ky * run;
        if (iy < 0 || iy >= g.inH || kxHi <= kxLo) {
          Arrays.fill(cols, d, d + run, 0f);
          continue;
        }
        int lo = kxLo * g.inC, hi = kxHi * g.inC;
        if (lo > 0) {
          Arrays.fill(cols, d, d + lo, 0f);
        }
        System.arraycopy(input, image + (iy * g.inW + ix0) * g.inC + lo, cols, d + lo, hi - lo);
        if (hi < run) {
          Arrays.fill(cols, d + hi, d + run, 0f);
        }
      }
    }
  }

  /** The transpose of {@link #im2colRows}: adds each in-bounds column entry onto its input element. Unchecked. */
  static void col2imRows(ConvGeometry g, float[] cols, int colsOffset, int fromRow, int toRow, float[] input, int inputBase) {
    int pixels = g.outPixels(), run = g.kW * g.inC, patch = g.patchSize();
    int src = colsOffset;
    for (int r = fromRow; r < toRow; r++, src += patch) {
      int b = r / pixels, p = r - b * pixels;
      int oy = p / g.outW, ox = p - oy * g.outW;
      int image = inputBase + b * g.inSize();
      int ix0 = ox * g.strideW - g.padLeft;
      int kxLo = Math.max(0, -ix0), kxHi = Math.min(g.kW, g.inW - ix0);
      if (kxHi <= kxLo) {
        continue;
      }
      int lo = kxLo * g.inC, len = (kxHi - kxLo) * g.inC;
      for (int ky = 0; ky < g.kH; ky++) {
        int iy = oy * g.strideH - g.padTop + ky;
        if (iy < 0 || iy >= g.inH) {
          continue;
        }
        add(cols, src + ky * run + lo, input, image + (iy * g.inW + ix0) * g.inC + lo, len);
      }
    }
  }

  /** Runs at least this long go to the (SIMD) element-wise kernel; shorter ones are not worth a call. */
  private static final int LONG_RUN = 32;
  private static final Kernels KERNELS = KernelProvider.kernels();

  /** {@code dst[d, d+n) += src[s, s+n)}; element-wise, so every path gives the same bits. */
  private static void add(float[] src, int s, float[] dst, int d, int n) {
    if (n >= LONG_RUN) {
      KERNELS.add(dst, d, src, s, dst, d, n);
    } else {
      for (int i = 0; i < n; i++) {
        dst[d + i] += src[s + i];
      }
    }
  }

  private static void checkImages(ConvGeometry g, int fromImage, int toImage) {
    if (fromImage < 0 || toImage < fromImage) {
      throw new IllegalArgumentException("im2col: image range must satisfy 0 <= fromImage <= toImage, got fromImage="
          + fromImage + ", toImage=" + toImage + " for " + g);
    }
  }

  private static void checkRegion(ConvGeometry g, String what, float[] x, int offset, long need) {
    if (x == null) {
      throw new IllegalArgumentException("im2col: " + what + " is null (" + g + ")");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("im2col: offset of " + what + " is negative: " + offset);
    }
    if (offset + need > x.length) {
      throw new IllegalArgumentException("im2col: " + what + " has " + x.length + " elements but offset " + offset
          + " plus the " + need + " that " + g + " needs is " + (offset + need));
    }
  }
}
