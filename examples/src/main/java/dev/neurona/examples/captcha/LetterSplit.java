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
 * set. Images are (n, size, size, 1) tensors scaled to [0, 1] ({@code level / 255}).
 *
 * @param xTrain training images
 * @param trainLabels their symbols
 * @param xTest test images
 * @param testLabels their symbols
 */
public record LetterSplit(Tensor xTrain, List<String> trainLabels, Tensor xTest, List<String> testLabels) {

  /** Splits {@code letters}; {@code 0 < testFraction < 1}, and both parts must be non-empty. */
  public static LetterSplit of(CaptchaFolders.Letters letters, double testFraction, long seed) {
    int n = letters.count();
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
    List<String> testLabels = new ArrayList<>();
    List<String> trainLabels = new ArrayList<>();
    for (int i : test) {
      testLabels.add(letters.labels().get(i));
    }
    for (int i : train) {
      trainLabels.add(letters.labels().get(i));
    }
    return new LetterSplit(images(letters, train), List.copyOf(trainLabels), images(letters, test), List.copyOf(testLabels));
  }

  private static Tensor images(CaptchaFolders.Letters letters, int[] which) {
    int s = letters.size();
    int sample = s * s;
    Tensor x = Tensor.zeros(which.length, s, s, 1);
    float[] d = x.data();
    byte[] px = letters.pixels();
    for (int b = 0; b < which.length; b++) {
      int src = which[b] * sample;
      for (int k = 0; k < sample; k++) {
        d[b * sample + k] = (px[src + k] & 0xFF) / 255f;
      }
    }
    return x;
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
