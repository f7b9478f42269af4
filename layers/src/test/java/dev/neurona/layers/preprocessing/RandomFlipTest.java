package dev.neurona.layers.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.layers.GradientCheck;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomFlipTest {
  private static final int N = 16;
  private static final int H = 3;
  private static final int W = 4;
  private static final int C = 2;

  /** Per image: which of {@code outcomes} it equals (0 = unchanged); fails when it equals none. */
  private static int[] classify(Tensor x, Tensor y, TestImages.PixelMap... outcomes) {
    int[] kinds = new int[x.dim(0)];
    for (int n = 0; n < x.dim(0); n++) {
      float[] out = TestImages.imageOf(y, n);
      kinds[n] = -1;
      if (Arrays.equals(out, TestImages.imageOf(x, n))) {
        kinds[n] = 0;
      }
      for (int k = 0; k < outcomes.length; k++) {
        if (Arrays.equals(out, TestImages.remapped(x, n, outcomes[k]))) {
          kinds[n] = k + 1;
        }
      }
      assertThat(kinds[n]).as("image %d is neither unchanged nor one of the flips", n).isNotNegative();
    }
    return kinds;
  }

  private static void assertSomeFlippedSomeNot(int[] kinds) {
    assertThat(kinds).contains(0, 1);
  }

  @Test
  void horizontalReversesTheColumnsOfAboutHalfTheImages() {
    RandomFlip flip = TestImages.built(new RandomFlip("horizontal"), 3, H, W, C);
    Tensor x = TestImages.coded(N, H, W, C);
    assertSomeFlippedSomeNot(classify(x, flip.forward(x, true), (r, c) -> new int[] {r, W - 1 - c}));
  }

  @Test
  void verticalReversesTheRows() {
    RandomFlip flip = TestImages.built(new RandomFlip(RandomFlip.Mode.VERTICAL), 3, H, W, C);
    Tensor x = TestImages.coded(N, H, W, C);
    assertSomeFlippedSomeNot(classify(x, flip.forward(x, true), (r, c) -> new int[] {H - 1 - r, c}));
  }

  /** One coin per axis: unchanged, left-right, top-bottom and both all occur. */
  @Test
  void horizontalAndVerticalTossesACoinPerAxis() {
    RandomFlip flip = TestImages.built(new RandomFlip(), 3, H, W, C);
    assertThat(flip.mode()).isEqualTo(RandomFlip.Mode.HORIZONTAL_AND_VERTICAL);
    Tensor x = TestImages.coded(2 * N, H, W, C);
    int[] kinds = classify(x, flip.forward(x, true), (r, c) -> new int[] {r, W - 1 - c},
        (r, c) -> new int[] {H - 1 - r, c}, (r, c) -> new int[] {H - 1 - r, W - 1 - c});
    assertThat(kinds).contains(0, 1, 2, 3);
  }

  @Test
  void identityAtInference() {
    RandomFlip flip = TestImages.built(new RandomFlip(), 3, H, W, C);
    Tensor x = TestImages.coded(2, H, W, C);
    assertThat(flip.forward(x, false)).isSameAs(x);
    Tensor g = Tensor.uniform(x.shape(), -1, 1, 1);
    assertThat(flip.backward(g)).isSameAs(g);
    assertThat(flip.callCount()).isZero();
  }

  @Test
  void backwardFlipsTheGradientTheSameWay() {
    RandomFlip flip = TestImages.built(new RandomFlip(), 3, H, W, C);
    Tensor x = TestImages.coded(N, H, W, C);
    float[] y = flip.forward(x, true).data().clone();
    // A flip is its own inverse: backward of the output gives back the input.
    assertThat(flip.backward(Tensor.of(y, x.shape().toArray())).data()).containsExactly(x.data());
    GradientCheck.create().beforeForward(() -> flip.callCount(0))
        .checkLayer(flip, Tensor.uniform(Shape.of(4, H, W, C), -1, 1, 7));
  }

  @Test
  void asFirstLayerBackwardReturnsNull() {
    RandomFlip flip = TestImages.built(new RandomFlip(), 3, H, W, C);
    flip.setNeedsInputGradient(false);
    Tensor x = TestImages.coded(2, H, W, C);
    flip.forward(x, true);
    assertThat(flip.backward(Tensor.zeros(x.shape()))).isNull();
  }

  @Test
  void rejectsUnknownModes() {
    assertThatThrownBy(() -> new RandomFlip("diagonal"))
        .hasMessage("RandomFlip: mode must be \"horizontal\", \"vertical\" or \"horizontal_and_vertical\", got \"diagonal\"");
    assertThatThrownBy(() -> new RandomFlip((RandomFlip.Mode) null)).hasMessageContaining("mode");
    assertThatThrownBy(() -> TestImages.built(new RandomFlip(), 1, 28, 28))
        .hasMessageContaining("RandomFlip").hasMessageContaining("(28, 28)");
  }

  @Test
  void configAndToString() {
    assertThat(new RandomFlip()).hasToString("RandomFlip()");
    assertThat(new RandomFlip("vertical")).hasToString("RandomFlip(mode=vertical)");
    assertThat(RandomFlip.fromConfig(Map.of("mode", "horizontal")).mode()).isEqualTo(RandomFlip.Mode.HORIZONTAL);
    assertThat(RandomFlip.fromConfig(Map.of()).mode()).isEqualTo(RandomFlip.Mode.HORIZONTAL_AND_VERTICAL);
    assertThatThrownBy(() -> RandomFlip.fromConfig(Map.of("mode", 3))).hasMessageContaining("\"mode\"").hasMessageContaining("3");
  }
}
