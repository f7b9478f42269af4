package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImagePreprocessingTest {
  private static float[] resize(float[] src, int h, int w, int c, int oh, int ow) {
    float[] dst = new float[oh * ow * c];
    ImagePreprocessing.resizeBilinear(src, h, w, c, dst, oh, ow);
    return dst;
  }

  @Test
  void shrinkMatchesTensorFlowsDocumentedExample() {
    // tf.image.resize docstring: a 5×5 identity resized to (3, 5).
    float[] eye = new float[25];
    for (int i = 0; i < 5; i++) {
      eye[i * 5 + i] = 1;
    }
    float[] got = resize(eye, 5, 5, 1, 3, 5);
    float[] tf = {
        0.6666667f, 0.3333333f, 0, 0, 0,
        0, 0, 1, 0, 0,
        0, 0, 0, 0.3333335f, 0.6666665f};
    for (int i = 0; i < tf.length; i++) {
      assertThat(got[i]).as("index %d", i).isCloseTo(tf[i], within(1e-6f));
    }
  }

  @Test
  void enlargeUsesHalfPixelCentresAndClampsAtTheBorder() {
    // tf.image.resize([[0, 1], [2, 3]], (4, 4)): sampling points −0.25, 0.25, 0.75, 1.25 clamp to the edges.
    float[] got = resize(new float[] {0, 1, 2, 3}, 2, 2, 1, 4, 4);
    assertThat(got).containsExactly(
        0f, 0.25f, 0.75f, 1f,
        0.5f, 0.75f, 1.25f, 1.5f,
        1.5f, 1.75f, 2.25f, 2.5f,
        2f, 2.25f, 2.75f, 3f);
  }

  @Test
  void sameSizeIsTheIdentityAndChannelsStayApart() {
    float[] src = new float[3 * 4 * 2];
    for (int i = 0; i < src.length; i++) {
      src[i] = i * 7 % 11;
    }
    assertThat(resize(src, 3, 4, 2, 3, 4)).containsExactly(src);
    // A constant channel stays constant whatever the size.
    float[] two = new float[6 * 6 * 2];
    for (int i = 0; i < two.length; i += 2) {
      two[i] = 42;
      two[i + 1] = i;
    }
    float[] r = resize(two, 6, 6, 2, 4, 9);
    for (int i = 0; i < r.length; i += 2) {
      assertThat(r[i]).isEqualTo(42f);
    }
  }

  @Test
  void interpolationWeightsAreTensorFlows() {
    int[] lo = new int[3];
    int[] hi = new int[3];
    float[] lerp = new float[3];
    ImagePreprocessing.interpolation(5, 3, lo, hi, lerp); // scale 5/3: points 1/3, 2, 11/3
    assertThat(lo).containsExactly(0, 2, 3);
    assertThat(hi).containsExactly(1, 2, 4);
    assertThat(lerp[0]).isCloseTo(1 / 3f, within(1e-6f));
    assertThat(lerp[1]).isZero();
    assertThat(lerp[2]).isCloseTo(2 / 3f, within(1e-6f));
  }

  @Test
  void centreCropIsKerasSmartResizeBox() {
    // 333 high × 500 wide into a square: keep all rows, the middle 333 columns.
    assertThat(ImagePreprocessing.centreCrop(333, 500, 180, 180)).isEqualTo(new ImagePreprocessing.Box(0, 83, 333, 333));
    // 240 × 320 into 100 × 50 (portrait): crop_height = int(320·100/50) = 640 → 240; crop_width = int(240·50/100) = 120.
    assertThat(ImagePreprocessing.centreCrop(240, 320, 100, 50)).isEqualTo(new ImagePreprocessing.Box(0, 100, 240, 120));
    // Already the right ratio: no crop.
    assertThat(ImagePreprocessing.centreCrop(90, 180, 50, 100)).isEqualTo(new ImagePreprocessing.Box(0, 0, 90, 180));
    // Extreme: a one-pixel-high strip into a square keeps at least one column.
    assertThat(ImagePreprocessing.centreCrop(1, 1000, 10, 10)).isEqualTo(new ImagePreprocessing.Box(0, 499, 1, 1));
  }

  @Test
  void toSampleConvertsColourThenRoundsOnce() {
    // One RGB pixel (200, 100, 50) and one grey-with-alpha pixel.
    ImageDecoder.Decoded rgb = new ImageDecoder.Decoded(1, 1, 3, new byte[] {(byte) 200, 100, 50}, false);
    byte[] out = new byte[4];
    ImagePreprocessing.toSample(rgb, 1, 1, 1, false, out, 0);
    // 0.2989·200 + 0.5870·100 + 0.1140·50 = 124.18 → 124
    assertThat(out[0] & 0xFF).isEqualTo(124);
    ImagePreprocessing.toSample(rgb, 1, 1, 4, false, out, 0);
    assertThat(new int[] {out[0] & 0xFF, out[1] & 0xFF, out[2] & 0xFF, out[3] & 0xFF}).containsExactly(200, 100, 50, 255);
    ImageDecoder.Decoded ga = new ImageDecoder.Decoded(1, 1, 2, new byte[] {77, (byte) 128}, false);
    ImagePreprocessing.toSample(ga, 1, 1, 3, false, out, 1);
    assertThat(new int[] {out[1] & 0xFF, out[2] & 0xFF, out[3] & 0xFF}).containsExactly(77, 77, 77);
    ImagePreprocessing.toSample(ga, 1, 1, 4, false, out, 0);
    assertThat(out[3] & 0xFF).isEqualTo(128);
    // Rounding to nearest: a 2-pixel row 0, 1 shrunk to 1 pixel is 0.5 → 1 (half up).
    ImageDecoder.Decoded two = new ImageDecoder.Decoded(2, 1, 1, new byte[] {0, 1}, false);
    ImagePreprocessing.toSample(two, 1, 1, 1, false, out, 0);
    assertThat(out[0]).isEqualTo((byte) 1);
  }
}
