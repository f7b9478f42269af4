package dev.neurona.examples.captcha;

import dev.neurona.core.Tensor;
import dev.neurona.data.ImageDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The letters split into training and test parts, as the tutorial's
 * {@code train_test_split(data, labels, test_size=0.25, random_state=…)}: the letters are shuffled
 * with the seed, the first {@code ceil(n · testFraction)} are the test set, the rest the training
 * set. Images are (n, size, size, 1) tensors scaled to [0, 1] ({@code level / 255}); labels are the
 * class names of the letters' folders.
 *
 * @param xTrain training images
 * @param trainLabels their symbols
 * @param xTest test images
 * @param testLabels their symbols
 */
public record LetterSplit(Tensor xTrain, List<String> trainLabels, Tensor xTest, List<String> testLabels) {

  /** Splits {@code letters}; {@code 0 < testFraction < 1}, and both parts must be non-empty. */
  public static LetterSplit of(ImageDataset letters, double testFraction, long seed) {
    int n = letters.size();
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("LetterSplit: testFraction must be in (0, 1), got " + testFraction);
    }
    int nTest = (int) Math.ceil(n * testFraction);
    if (nTest >= n) {
      throw new IllegalArgumentException("LetterSplit: " + n + " letters leave no training letters at test fraction "
          + testFraction);
    }
    int[] order = ImageDataset.permutation(n, seed);
    int[] test = Arrays.copyOfRange(order, 0, nTest);
    int[] train = Arrays.copyOfRange(order, nTest, n);
    ImageDataset testSet = letters.select(letters.name() + "/test", test);
    ImageDataset trainSet = letters.select(letters.name() + "/train", train);
    return new LetterSplit(trainSet.toTensors().x(), labels(trainSet), testSet.toTensors().x(), labels(testSet));
  }

  private static List<String> labels(ImageDataset data) {
    List<String> out = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      out.add(data.classNames().get(data.label(i)));
    }
    return List.copyOf(out);
  }

  /** Test image {@code i} as a batch of one, {@code (1, size, size, 1)}. */
  public Tensor testBatch(int i) {
    int sample = xTest.size() / xTest.dim(0);
    float[] d = Arrays.copyOfRange(xTest.data(), i * sample, (i + 1) * sample);
    return Tensor.of(d, 1, xTest.dim(1), xTest.dim(2), 1);
  }

  /** Test image {@code i} as gray levels. */
  public GrayImage testImage(int i) {
    int h = xTest.dim(1);
    int w = xTest.dim(2);
    GrayImage g = new GrayImage(w, h, 0);
    float[] d = xTest.data();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        g.set(x, y, Math.round(d[i * h * w + y * w + x] * 255f));
      }
    }
    return g;
  }
}
