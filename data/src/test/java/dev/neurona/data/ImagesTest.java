package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
  @TempDir
  Path tmp;

  @Test
  void tensorToImageScalesRoundsAndClamps() {
    // (2, 3, 3) in [0, 1]
    float[] v = new float[18];
    v[0] = 1f;          // (0, 0) red
    v[4] = 0.5f;        // (0, 1) green 127.5 → 128
    v[8] = 2f;          // (0, 2) blue clamps to 255
    v[9] = -1f;         // (1, 0) red clamps to 0
    v[10] = Float.NaN;  // (1, 0) green: NaN → 0
    BufferedImage im = Images.toImage(Tensor.of(v, 2, 3, 3), 1f);
    assertThat(im.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
    assertThat(im.getWidth()).isEqualTo(3);
    assertThat(im.getHeight()).isEqualTo(2);
    assertThat(im.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
    assertThat(im.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x008000);
    assertThat(im.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
    assertThat(im.getRGB(0, 1) & 0xFFFFFF).isEqualTo(0x000000);
    // [0, 255] tensors, batch of one, grey and RGBA.
    BufferedImage grey = Images.toImage(Tensor.of(new float[] {0, 64, 255, 300}, 1, 2, 2, 1), 255f);
    assertThat(grey.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(grey.getRaster().getSample(1, 0, 0)).isEqualTo(64);
    assertThat(grey.getRaster().getSample(1, 1, 0)).isEqualTo(255);
    BufferedImage rgba = Images.toImage(Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 4), 255f);
    assertThat(rgba.getType()).isEqualTo(BufferedImage.TYPE_4BYTE_ABGR);
    assertThat(Integer.toHexString(rgba.getRGB(0, 0))).isEqualTo("280a141e");
  }

  @Test
  void toImageRejectsOtherShapesAndScales() {
    assertThatThrownBy(() -> Images.toImage(Tensor.zeros(2, 2, 2, 3), 1f)).hasMessageContaining("got shape (2, 2, 2, 3)");
    assertThatThrownBy(() -> Images.toImage(Tensor.zeros(4, 4), 1f)).hasMessageContaining("(h, w, c) or (1, h, w, c)");
    assertThatThrownBy(() -> Images.toImage(Tensor.zeros(2, 2, 2), 1f)).hasMessageContaining("1, 3 or 4 channels, got 2");
    assertThatThrownBy(() -> Images.toImage(Tensor.zeros(2, 2, 3), 0f)).hasMessageContaining("got 0.0");
  }

  @Test
  void roundTripThroughTensorsKeepsEveryByte() {
    BufferedImage im = ImageFixtures.rgb(9, 7, 3);
    ImageFolder.Options same = ImageFolder.Options.defaults().imageSize(7, 9);
    Tensor x = Images.toTensor(im, same); // same size: the identity resize
    assertThat(x.shape().toString()).isEqualTo("(1, 7, 9, 3)");
    BufferedImage back = Images.toImage(x, 1f);
    for (int y = 0; y < 7; y++) {
      for (int xx = 0; xx < 9; xx++) {
        assertThat(back.getRGB(xx, y)).isEqualTo(im.getRGB(xx, y));
      }
    }
  }

  @Test
  void dataSetSamplesBecomeImages() throws Exception {
    byte[] px = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ImageDataset d = ImageDataset.of("tiny", px, new int[] {0, 1}, 1, 2, 3, List.of("a", "b"));
    BufferedImage second = Images.toImage(d, 1);
    assertThat(second.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0A0B0C);
    assertThatThrownBy(() -> Images.toImage(d, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void loadNamesTheFileItCannotDecode() throws Exception {
    Path bad = ImageFixtures.write(tmp.resolve("bad.png"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Images.load(bad, ImageFolder.Options.defaults())).isInstanceOf(ImageFormatException.class)
        .hasMessage(bad + ": not a JPEG, PNG, GIF or BMP image: it starts with 01 02 03 (\"...\"), 3 bytes");
  }

  @Test
  void decodeNamesTheImageItCannotDecode() {
    assertThatThrownBy(() -> Images.decode(new byte[] {1, 2, 3}, "hdfs://nn/photos/roses/bad.png", ImageFolder.Options.defaults()))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage("hdfs://nn/photos/roses/bad.png: not a JPEG, PNG, GIF or BMP image: it starts with 01 02 03 (\"...\"), 3 bytes");
    assertThatThrownBy(() -> Images.decode(new byte[0], "empty.jpg", ImageFolder.Options.defaults()))
        .hasMessage("empty.jpg: empty file (0 bytes)");
  }
}
