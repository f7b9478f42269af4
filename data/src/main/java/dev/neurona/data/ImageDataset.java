package dev.neurona.data;

import dev.neurona.core.Shape;
import dev.neurona.core.Shuffle;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An in-memory labelled image data set: uint8 pixels stored compactly (one byte per value, NHWC),
 * one int class label per sample.
 *
 * <p>Training loops shuffle with {@link #shuffledIndices(long)} and copy mini-batches into tensors
 * they reuse with {@link #fillBatch}: pixels become floats {@code (b & 0xFF) / 255f} in [0, 1] and
 * labels become <b>sparse</b> class indices stored as floats (0.0, 1.0, …), the form a sparse
 * categorical cross-entropy expects. Filling a batch allocates nothing.
 *
 * <pre>{@code
 * int[] order = train.shuffledIndices(seed + epoch);
 * Tensor x = train.newBatchX(128), y = train.newBatchY(128);
 * for (int from = 0; from + 128 <= train.size(); from += 128) {
 *   train.fillBatch(order, from, from + 128, x, y);   // x (128, 28, 28, 1), y (128)
 *   ...
 * }
 * }</pre>
 *
 * <p>Each class has a name ({@link #classNames()}): the folder names of an image folder
 * ({@link ImageFolder}), otherwise {@code "0"}, {@code "1"}, … (MNIST's digits).
 *
 * <p>Instances are immutable (the arrays are never exposed) and safe to share between threads.
 */
public final class ImageDataset implements DataSource {
  /** A whole data set as tensors: {@code x} (n, h, w, c) in [0, 1], {@code y} (n) class indices. */
  public record Tensors(Tensor x, Tensor y) {}

  /** The two parts returned by {@link #split(double, long)}. */
  public record Split(ImageDataset train, ImageDataset validation) {}

  /** 0..255 → [0, 1]; a table lookup gives exactly {@code v / 255f}. */
  private static final float[] SCALE = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      SCALE[v] = v / 255f;
    }
  }

  private final String name;
  private final byte[] pixels;
  private final int[] labels;
  private final int height;
  private final int width;
  private final int channels;
  private final int numClasses;
  private final List<String> classNames;
  private final int sampleSize;

  private ImageDataset(String name, byte[] pixels, int[] labels, int height, int width, int channels, List<String> classNames) {
    this.name = name;
    this.pixels = pixels;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.numClasses = classNames.size();
    this.classNames = classNames;
    this.sampleSize = height * width * channels;
  }

  /**
   * A data set over {@code pixels} (n, h, w, c) uint8 and {@code labels} (n) in
   * [0, numClasses). The arrays are copied. {@code name} appears in error messages
   * (e.g. {@code "mnist/train"}).
   */
  public static ImageDataset of(String name, byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
    return ofOwned(name, pixels == null ? null : pixels.clone(), labels == null ? null : labels.clone(),
        height, width, channels, numClasses);
  }

  /**
   * As {@link #of(String, byte[], int[], int, int, int, int)} with named classes: label {@code k}
   * is {@code classNames.get(k)}, and {@code numClasses} is {@code classNames.size()}.
   */
  public static ImageDataset of(String name, byte[] pixels, int[] labels, int height, int width, int channels,
      List<String> classNames) {
    return ofOwned(name, pixels == null ? null : pixels.clone(), labels == null ? null : labels.clone(),
        height, width, channels, classNames);
  }

  /** As {@link #of} but takes ownership of the arrays (no copy); for loaders that built them. */
  static ImageDataset ofOwned(String name, byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("ImageDataset '" + name + "': numClasses must be >= 1, got " + numClasses);
    }
    return ofOwned(name, pixels, labels, height, width, channels, indexNames(numClasses));
  }

  /** As {@link #of(String, byte[], int[], int, int, int, List)} but takes ownership of the arrays (no copy). */
  static ImageDataset ofOwned(String name, byte[] pixels, int[] labels, int height, int width, int channels,
      List<String> classNames) {
    String who = "ImageDataset '" + name + "'";
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(who + ": sample shape (" + height + ", " + width + ", " + channels + ") must be positive");
    }
    if (classNames == null || classNames.isEmpty()) {
      throw new IllegalArgumentException(who + ": classNames must name at least one class, got " + classNames);
    }
    for (String n : classNames) { // not contains(null): List.of lists throw on that
      if (n == null) {
        throw new IllegalArgumentException(who + ": classNames has a null name: " + classNames);
      }
    }
    List<String> names = List.copyOf(classNames);
    int numClasses = names.size();
    if (pixels == null || labels == null) {
      throw new IllegalArgumentException(who + ": " + (pixels == null ? "pixels" : "labels") + " is null");
    }
    long sample = (long) height * width * channels;
    if ((long) labels.length * sample != pixels.length) {
      throw new IllegalArgumentException(who + ": " + labels.length + " labels need " + labels.length + " × " + sample
          + " = " + (long) labels.length * sample + " pixel bytes of (" + height + ", " + width + ", " + channels
          + "), got " + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(who + ": label[" + i + "] = " + labels[i] + " is not in [0, " + numClasses + ")");
      }
    }
    return new ImageDataset(name, pixels, labels, height, width, channels, names);
  }

  /** {@code "0", "1", …, "n-1"}: the names of classes that were given only a count. */
  private static List<String> indexNames(int n) {
    List<String> names = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      names.add(Integer.toString(k));
    }
    return Collections.unmodifiableList(names);
  }

  /** The name given at construction, used in error messages. */
  public String name() {
    return name;
  }

  /** Number of samples. */
  @Override
  public int size() {
    return labels.length;
  }

  /** Per-sample shape (h, w, c). */
  @Override
  public Shape sampleShape() {
    return Shape.of(height, width, channels);
  }

  /** Image height h. */
  public int height() {
    return height;
  }

  /** Image width w. */
  public int width() {
    return width;
  }

  /** Channels c (1 for grayscale). */
  public int channels() {
    return channels;
  }

  /** Number of classes; labels are in [0, numClasses). */
  public int numClasses() {
    return numClasses;
  }

  /**
   * The class names, label {@code k} being {@code classNames().get(k)} (unmodifiable, length
   * {@link #numClasses()}): an image folder's class folder names, else {@code "0"}, {@code "1"}, ….
   */
  public List<String> classNames() {
    return classNames;
  }

  /** The class label of sample {@code i}. */
  public int label(int i) {
    checkIndex("label", i);
    return labels[i];
  }

  /** The raw pixel value (0..255) of sample {@code i} at (y, x, ch). */
  public int pixel(int i, int y, int x, int ch) {
    checkIndex("pixel", i);
    if (y < 0 || y >= height || x < 0 || x >= width || ch < 0 || ch >= channels) {
      throw new IndexOutOfBoundsException(
          "ImageDataset '" + name + "': pixel (" + y + ", " + x + ", " + ch + ") is outside " + sampleShape());
    }
    return pixels[i * sampleSize + (y * width + x) * channels + ch] & 0xFF;
  }

  /** How many samples each class has (length {@code numClasses}). */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /** A fresh batch tensor for images: (n, h, w, c). */
  public Tensor newBatchX(int n) {
    return Tensor.zeros(sampleShape().prepend(n));
  }

  /** A fresh batch tensor for sparse labels: (n). */
  public Tensor newBatchY(int n) {
    return Tensor.zeros(n);
  }

  /**
   * A permutation of 0..size-1 drawn from {@code seed} (Fisher–Yates with a {@link SplittableRandom}):
   * the same seed always gives the same order; use e.g. {@code seed + epoch} for a new order each epoch.
   */
  public int[] shuffledIndices(long seed) {
    return permutation(size(), seed);
  }

  /** A seeded permutation of 0..n-1. */
  public static int[] permutation(int n, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("ImageDataset.permutation: n must be >= 0, got " + n);
    }
    return Shuffle.permutation(n, new SplittableRandom(seed));
  }

  /** Sparse labels: one class index per sample, so the per-sample target shape is {@code ()}. */
  @Override
  public Shape targetShape() {
    return Shape.of();
  }

  /** {@link DataSource} view of {@link #fillBatch(int[], int, int, Tensor, Tensor)}. */
  @Override
  public void fill(int[] indices, int from, int to, Tensor x, Tensor y) {
    fillBatch(indices, from, to, x, y);
  }

  /**
   * Copies samples {@code indices[from..to)} into {@code x} (n, h, w, c) as floats in [0, 1]
   * ({@code (b & 0xFF) / 255f}) and their labels into {@code y} (n) as sparse class indices
   * (float 0.0 … numClasses-1), where {@code n = to - from}. Both tensors must have exactly these
   * shapes (keep one pair for full batches and one for the last, smaller batch). Allocates nothing.
   *
   * @throws IllegalArgumentException on a wrong range or tensor shape
   * @throws IndexOutOfBoundsException naming the position and value of an index outside [0, size)
   */
  public void fillBatch(int[] indices, int from, int to, Tensor x, Tensor y) {
    // x is (n, h, w, c), y is (n)
    if (indices == null) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.fillBatch: indices is null");
    }
    if (from < 0 || to > indices.length || from > to) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.fillBatch: range [" + from + ", " + to
          + ") is not within indices of length " + indices.length);
    }
    int n = to - from;
    checkBatchShapes(n, x, y);
    for (int b = 0; b < n; b++) {
      int i = indices[from + b];
      if (i < 0 || i >= labels.length) {
        throw new IndexOutOfBoundsException("ImageDataset '" + name + "'.fillBatch: indices[" + (from + b) + "] = " + i
            + " is not in [0, " + labels.length + ")");
      }
    }
    float[] xd = x.data();
    float[] yd = y.data();
    for (int b = 0; b < n; b++) {
      int i = indices[from + b];
      int src = i * sampleSize;
      int dst = b * sampleSize;
      for (int k = 0; k < sampleSize; k++) {
        xd[dst + k] = SCALE[pixels[src + k] & 0xFF];
      }
      yd[b] = labels[i];
    }
  }

  /** As {@link #fillBatch(int[], int, int, Tensor, Tensor)} for samples {@code from..to-1} in order. */
  public void fillBatch(int from, int to, Tensor x, Tensor y) {
    if (from < 0 || to > labels.length || from > to) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.fillBatch: range [" + from + ", " + to
          + ") is not within [0, " + labels.length + ")");
    }
    int n = to - from;
    checkBatchShapes(n, x, y);
    float[] xd = x.data();
    float[] yd = y.data();
    int base = from * sampleSize;
    for (int k = 0; k < n * sampleSize; k++) {
      xd[k] = SCALE[pixels[base + k] & 0xFF];
    }
    for (int b = 0; b < n; b++) {
      yd[b] = labels[from + b];
    }
  }

  /** The whole set as tensors; for small sets (the image tensor must stay under 2^31 floats). */
  public Tensors toTensors() {
    Tensor x = newBatchX(size());
    Tensor y = newBatchY(size());
    fillBatch(0, size(), x, y);
    return new Tensors(x, y);
  }

  /** A new data set of the samples at {@code indices}, in that order (repeats allowed). */
  public ImageDataset select(String newName, int[] indices) {
    if (indices == null) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.select: indices is null");
    }
    byte[] px = new byte[Math.multiplyExact(indices.length, sampleSize)];
    int[] lb = new int[indices.length];
    for (int b = 0; b < indices.length; b++) {
      int i = indices[b];
      if (i < 0 || i >= labels.length) {
        throw new IndexOutOfBoundsException("ImageDataset '" + name + "'.select: indices[" + b + "] = " + i
            + " is not in [0, " + labels.length + ")");
      }
      System.arraycopy(pixels, i * sampleSize, px, b * sampleSize, sampleSize);
      lb[b] = labels[i];
    }
    return new ImageDataset(newName, px, lb, height, width, channels, classNames);
  }

  /** The first {@code n} samples (a copy); handy to train on a slice while experimenting. */
  public ImageDataset subset(int n) {
    if (n < 0 || n > size()) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.subset: n = " + n + " is not in [0, " + size() + "]");
    }
    return new ImageDataset(name + "[:" + n + "]", Arrays.copyOf(pixels, n * sampleSize), Arrays.copyOf(labels, n),
        height, width, channels, classNames);
  }

  /**
   * Splits into disjoint train and validation sets: the samples are shuffled with {@code seed}, the
   * first {@code round(size · validationFraction)} go to validation, the rest to train (both keep the
   * shuffled order). Both parts must be non-empty.
   */
  public Split split(double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.split: validationFraction must be in (0, 1), got "
          + validationFraction);
    }
    int nVal = (int) Math.round(size() * validationFraction);
    if (nVal == 0 || nVal == size()) {
      throw new IllegalArgumentException("ImageDataset '" + name + "'.split: validationFraction " + validationFraction
          + " of " + size() + " samples leaves " + (nVal == 0 ? "no validation" : "no training") + " samples");
    }
    int[] order = shuffledIndices(seed);
    ImageDataset validation = select(name + "/validation", Arrays.copyOfRange(order, 0, nVal));
    ImageDataset train = select(name + "/train", Arrays.copyOfRange(order, nVal, order.length));
    return new Split(train, validation);
  }

  /** Checked without allocating; the messages (and expected shapes) are built only on failure. */
  private void checkBatchShapes(int n, Tensor x, Tensor y) {
    if (x == null || x.rank() != 4 || x.dim(0) != n || x.dim(1) != height || x.dim(2) != width || x.dim(3) != channels) {
      Tensor.requireShape("ImageDataset '" + name + "'.fillBatch: x", x, sampleShape().prepend(n));
    }
    if (y == null || y.rank() != 1 || y.dim(0) != n) {
      Tensor.requireShape("ImageDataset '" + name + "'.fillBatch: y", y, Shape.of(n));
    }
  }

  private void checkIndex(String what, int i) {
    if (i < 0 || i >= labels.length) {
      throw new IndexOutOfBoundsException("ImageDataset '" + name + "'." + what + ": sample " + i + " is not in [0, " + labels.length + ")");
    }
  }

  /** {@code ImageDataset 'mnist/train' (60000 × (28, 28, 1), 10 classes)}. */
  @Override
  public String toString() {
    return "ImageDataset '" + name + "' (" + size() + " × " + sampleShape() + ", " + numClasses + " classes)";
  }
}
