package dev.neurona.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {
  private static final int H = 3;
  private static final int W = 2;
  private static final int C = 2;
  private static final int S = H * W * C;

  /** n samples; sample i's first byte is i (so samples can be identified), the rest seeded random. */
  private static ImageDataset dataset(int n, long seed) {
    Random rng = new Random(seed);
    byte[] px = new byte[n * S];
    rng.nextBytes(px);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      px[i * S] = (byte) i;
      labels[i] = rng.nextInt(5);
    }
    return ImageDataset.of("toy", px, labels, H, W, C, 5);
  }

  private static int id(ImageDataset d, int i) {
    return d.pixel(i, 0, 0, 0);
  }

  @Test
  void validatesConstruction() {
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[S * 2], new int[] {0, 5}, H, W, C, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad'").hasMessageContaining("label[1] = 5 is not in [0, 5)");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[S * 2], new int[] {-1, 0}, H, W, C, 5))
        .hasMessageContaining("label[0] = -1");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[S * 2 + 1], new int[] {0, 1}, H, W, C, 5))
        .hasMessageContaining("2 labels need 2 × 12 = 24 pixel bytes of (3, 2, 2), got 25");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[0], new int[0], 0, W, C, 5)).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[0], new int[0], H, W, C, 0)).hasMessageContaining("numClasses must be >= 1, got 0");
    assertThatThrownBy(() -> ImageDataset.of("bad", null, new int[0], H, W, C, 2)).hasMessageContaining("pixels is null");
  }

  @Test
  void classNamesAreGivenOrTheClassIndices() {
    ImageDataset named = ImageDataset.of("named", new byte[S * 2], new int[] {1, 0}, H, W, C, List.of("cat", "dog"));
    assertThat(named.classNames()).containsExactly("cat", "dog");
    assertThat(named.numClasses()).isEqualTo(2);
    assertThatThrownBy(() -> named.classNames().add("cow")).isInstanceOf(UnsupportedOperationException.class);
    // Every derived set keeps them.
    assertThat(named.select("sel", new int[] {1}).classNames()).containsExactly("cat", "dog");
    assertThat(named.subset(1).classNames()).containsExactly("cat", "dog");
    assertThat(named.split(0.5, 1).validation().classNames()).containsExactly("cat", "dog");
    // Without names: the indices, as MNIST's digits.
    assertThat(dataset(4, 9).classNames()).containsExactly("0", "1", "2", "3", "4");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[S], new int[] {2}, H, W, C, List.of("cat", "dog")))
        .hasMessageContaining("label[0] = 2 is not in [0, 2)");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[0], new int[0], H, W, C, List.of()))
        .hasMessageContaining("classNames must name at least one class, got []");
    assertThatThrownBy(() -> ImageDataset.of("bad", new byte[0], new int[0], H, W, C, Arrays.asList("a", null)))
        .hasMessageContaining("classNames has a null name: [a, null]");
  }

  @Test
  void copiesItsInputAndReportsShape() {
    byte[] px = new byte[S];
    px[0] = 7;
    int[] labels = {2};
    ImageDataset d = ImageDataset.of("copy", px, labels, H, W, C, 3);
    px[0] = 9;
    labels[0] = 0;
    assertThat(d.pixel(0, 0, 0, 0)).isEqualTo(7);
    assertThat(d.label(0)).isEqualTo(2);
    assertThat(d.sampleShape()).isEqualTo(Shape.of(H, W, C));
    assertThat(d.size()).isEqualTo(1);
    assertThat(d.toString()).isEqualTo("ImageDataset 'copy' (1 × (3, 2, 2), 3 classes)");
    assertThatThrownBy(() -> d.pixel(0, 3, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("(3, 0, 0)");
    assertThatThrownBy(() -> d.label(1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("sample 1 is not in [0, 1)");
  }

  @Test
  void fillBatchScalesPixelsAndWritesSparseLabels() {
    // Every byte value 0..255 once: x must be exactly b / 255f, NHWC order preserved.
    int n = 256 / S + 1;
    byte[] px = new byte[n * S];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i % 256);
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 4;
    }
    ImageDataset d = ImageDataset.of("ramp", px, labels, H, W, C, 4);
    int[] order = {n - 1, 0, 5, 5, 2};
    Tensor x = d.newBatchX(3);
    Tensor y = d.newBatchY(3);
    d.fillBatch(order, 1, 4, x, y); // samples 0, 5, 5
    assertThat(x.shape()).isEqualTo(Shape.of(3, H, W, C));
    int[] picked = {0, 5, 5};
    for (int b = 0; b < 3; b++) {
      for (int yy = 0; yy < H; yy++) {
        for (int xx = 0; xx < W; xx++) {
          for (int c = 0; c < C; c++) {
            int raw = px[picked[b] * S + (yy * W + xx) * C + c] & 0xFF;
            assertThat(x.get(b, yy, xx, c)).isEqualTo(raw / 255f);
          }
        }
      }
      assertThat(y.get(b)).isEqualTo((float) labels[picked[b]]);
    }
    Tensor all = d.toTensors().x();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : all.data()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertThat(min).isEqualTo(0f);
    assertThat(max).isEqualTo(1f);
  }

  @Test
  void sequentialFillBatchAndToTensorsMatchIndexedFill() {
    ImageDataset d = dataset(10, 1);
    int[] idx = {3, 4, 5, 6};
    Tensor x1 = d.newBatchX(4);
    Tensor y1 = d.newBatchY(4);
    Tensor x2 = d.newBatchX(4);
    Tensor y2 = d.newBatchY(4);
    d.fillBatch(idx, 0, 4, x1, y1);
    d.fillBatch(3, 7, x2, y2);
    assertThat(x2.data()).isEqualTo(x1.data());
    assertThat(y2.data()).isEqualTo(y1.data());
    ImageDataset.Tensors all = d.toTensors();
    assertThat(all.x().shape()).isEqualTo(Shape.of(10, H, W, C));
    assertThat(Arrays.copyOfRange(all.x().data(), 3 * S, 7 * S)).isEqualTo(x1.data());
    assertThat(all.y().get(9)).isEqualTo((float) d.label(9));
  }

  @Test
  void fillBatchRejectsBadIndicesRangesAndShapes() {
    ImageDataset d = dataset(6, 2);
    Tensor x = d.newBatchX(2);
    Tensor y = d.newBatchY(2);
    assertThatThrownBy(() -> d.fillBatch(new int[] {0, 6}, 0, 2, x, y))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("indices[1] = 6 is not in [0, 6)");
    assertThatThrownBy(() -> d.fillBatch(new int[] {-3, 1}, 0, 2, x, y)).hasMessageContaining("indices[0] = -3");
    assertThatThrownBy(() -> d.fillBatch(new int[] {0, 1}, 1, 3, x, y))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range [1, 3) is not within indices of length 2");
    assertThatThrownBy(() -> d.fillBatch(new int[] {0, 1, 2}, 0, 3, x, y))
        .hasMessageContaining("fillBatch: x has shape (2, 3, 2, 2), expected (3, 3, 2, 2)");
    assertThatThrownBy(() -> d.fillBatch(new int[] {0, 1}, 0, 2, x, Tensor.zeros(2, 1)))
        .hasMessageContaining("fillBatch: y has shape (2, 1), expected (2,)");
    assertThatThrownBy(() -> d.fillBatch(5, 7, x, y)).hasMessageContaining("range [5, 7) is not within [0, 6)");
    assertThatThrownBy(() -> d.fillBatch(null, 0, 0, x, y)).hasMessageContaining("indices is null");
  }

  @Test
  void fillBatchAllocatesNothing() throws Exception {
    ImageDataset d = dataset(64, 3);
    int[] order = d.shuffledIndices(1);
    Tensor x = d.newBatchX(16);
    Tensor y = d.newBatchY(16);
    for (int i = 0; i < 2000; i++) { // warm up (and let the JIT settle)
      d.fillBatch(order, (i % 4) * 16, (i % 4) * 16 + 16, x, y);
    }
    allocatedBytes(); // warm up the reflective calls
    long before = allocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      d.fillBatch(order, (i % 4) * 16, (i % 4) * 16 + 16, x, y);
    }
    long allocated = allocatedBytes() - before;
    // One allocation per batch would be at least 16 bytes × 10 000; allow the measurement's own ~1 KB.
    assertThat(allocated).isLessThan(10_000);
  }

  /**
   * HotSpot's per-thread allocation counter. Reflection, because the tests are compiled inside
   * module dev.neurona.core, which does not read java.management (they run on the class path).
   */
  private static long allocatedBytes() throws Exception {
    Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    Method m = Class.forName("com.sun.management.ThreadMXBean").getMethod("getThreadAllocatedBytes", long.class);
    return (long) m.invoke(mx, Thread.currentThread().getId());
  }

  @Test
  void shufflingIsAPermutationDeterministicPerSeedAndDiffersAcrossSeeds() {
    ImageDataset d = dataset(200, 4);
    int[] a = d.shuffledIndices(42);
    int[] b = d.shuffledIndices(42);
    int[] c = d.shuffledIndices(43);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertThat(sorted).isEqualTo(range(200));
    assertThat(ImageDataset.permutation(0, 0)).isEmpty();
    assertThat(a).isNotEqualTo(range(200));
    assertThatThrownBy(() -> ImageDataset.permutation(-1, 0)).hasMessageContaining("n must be >= 0, got -1");
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  @Test
  void splitSizesAreRightAndPartsAreDisjointAndComplete() {
    ImageDataset d = dataset(100, 5);
    ImageDataset.Split s = d.split(0.2, 7);
    assertThat(s.validation().size()).isEqualTo(20);
    assertThat(s.train().size()).isEqualTo(80);
    assertThat(s.train().name()).isEqualTo("toy/train");
    Set<Integer> ids = new HashSet<>();
    for (ImageDataset part : new ImageDataset[] {s.train(), s.validation()}) {
      for (int i = 0; i < part.size(); i++) {
        assertThat(ids.add(id(part, i))).as("sample %d appears twice", id(part, i)).isTrue();
        // The label travels with its image.
        assertThat(part.label(i)).isEqualTo(d.label(id(part, i)));
      }
    }
    assertThat(ids).hasSize(100);
    // Same seed, same split; another seed, another split.
    assertThat(id(d.split(0.2, 7).validation(), 0)).isEqualTo(id(s.validation(), 0));
    int[] v7 = new int[20];
    int[] v8 = new int[20];
    ImageDataset other = d.split(0.2, 8).validation();
    for (int i = 0; i < 20; i++) {
      v7[i] = id(s.validation(), i);
      v8[i] = id(other, i);
    }
    assertThat(v7).isNotEqualTo(v8);
    assertThat(d.split(0.333, 1).validation().size()).isEqualTo(33);
  }

  @Test
  void splitRejectsFractionsThatLeaveAnEmptyPart() {
    ImageDataset d = dataset(10, 6);
    assertThatThrownBy(() -> d.split(0, 1)).hasMessageContaining("validationFraction must be in (0, 1), got 0.0");
    assertThatThrownBy(() -> d.split(1.0, 1)).hasMessageContaining("got 1.0");
    assertThatThrownBy(() -> d.split(Double.NaN, 1)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> d.split(0.01, 1)).hasMessageContaining("leaves no validation samples");
    assertThatThrownBy(() -> d.split(0.99, 1)).hasMessageContaining("leaves no training samples");
  }

  @Test
  void subsetSelectAndClassCounts() {
    ImageDataset d = dataset(30, 7);
    ImageDataset first = d.subset(12);
    assertThat(first.size()).isEqualTo(12);
    assertThat(id(first, 11)).isEqualTo(11);
    assertThat(first.label(11)).isEqualTo(d.label(11));
    assertThat(d.subset(0).size()).isZero();
    assertThatThrownBy(() -> d.subset(31)).hasMessageContaining("n = 31 is not in [0, 30]");
    ImageDataset sel = d.select("sel", new int[] {29, 0, 29});
    assertThat(new int[] {id(sel, 0), id(sel, 1), id(sel, 2)}).containsExactly(29, 0, 29);
    assertThatThrownBy(() -> d.select("sel", new int[] {30})).hasMessageContaining("indices[0] = 30 is not in [0, 30)");
    int[] counts = d.classCounts();
    assertThat(Arrays.stream(counts).sum()).isEqualTo(30);
    int zeros = 0;
    for (int i = 0; i < 30; i++) {
      zeros += d.label(i) == 0 ? 1 : 0;
    }
    assertThat(counts[0]).isEqualTo(zeros);
  }
}
