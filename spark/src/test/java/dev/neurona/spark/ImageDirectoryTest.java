package dev.neurona.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.neurona.core.Parameter;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.ImageFolder;
import dev.neurona.data.ImageFolderException;
import dev.neurona.data.ImageFormatException;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.optim.Adam;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SampleSet#fromImageDirectory}: the samples of {@link ImageFolder#load}, read and decoded on the executors. */
class ImageDirectoryTest {
  private static SparkSession spark;
  private static JavaSparkContext sc;
  /** 3 classes, 15 photos of several sizes (PNG, JPEG, a grey PNG, a BMP in a sub-folder), plus files to ignore. */
  @TempDir
  static Path shapes;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start();
    sc = LocalSpark.context(spark);
    String[] classes = {"circles", "squares", "stripes"};
    for (int k = 0; k < classes.length; k++) {
      for (int i = 0; i < 4; i++) {
        write(shapes.resolve(classes[k]).resolve("p" + i + ".png"), image(k, i, 20 + 3 * i, 18 + 5 * i, false), "png");
      }
      write(shapes.resolve(classes[k]).resolve("Photo.JPG"), image(k, 7, 40, 30, false), "jpeg");
    }
    write(shapes.resolve("circles/grey.png"), image(0, 9, 17, 23, true), "png");
    write(shapes.resolve("squares/deep/more.bmp"), image(1, 5, 25, 19, false), "bmp");
    Files.writeString(shapes.resolve("LICENSE.txt"), "CC0");
    Files.writeString(shapes.resolve("stripes/notes.txt"), "not an image");
    Files.writeString(shapes.resolve("stripes/.hidden.png"), "not even an image");
    write(shapes.resolve(".cache/x.png"), image(0, 0, 8, 8, false), "png");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A w × h picture of class k (a disc, a square, stripes) in colours varied by i; grey if asked. */
  private static BufferedImage image(int k, int i, int w, int h, boolean grey) {
    BufferedImage im = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = im.createGraphics();
    g.setColor(new Color(30 * i % 256, 90 + 20 * k, 200 - 15 * i));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(240 - 40 * k, 60 * i % 256, 40 * k));
    if (k == 0) {
      g.fillOval(w / 5, h / 5, 3 * w / 5, 3 * h / 5);
    } else if (k == 1) {
      g.fillRect(w / 4, h / 4, w / 2, h / 2);
    } else {
      for (int x = 0; x < w; x += 4) {
        g.fillRect(x, 0, 2, h);
      }
    }
    g.dispose();
    return im;
  }

  private static void write(Path file, BufferedImage im, String format) {
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(im, format, file.toFile())) {
        throw new IOException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ImageFolder.Options options() {
    return ImageFolder.Options.defaults().imageSize(16, 16).seed(5);
  }

  /** The samples and labels of every partition, in partition order, as one (x, y). */
  private static float[][] gather(SampleSet set) {
    List<Block> blocks = set.blocks().collect();
    float[] x = new float[0];
    float[] y = new float[0];
    for (Block b : blocks) {
      int n = x.length;
      x = Arrays.copyOf(x, n + b.x.length);
      System.arraycopy(b.x, 0, x, n, b.x.length);
      int m = y.length;
      y = Arrays.copyOf(y, m + b.y.length);
      System.arraycopy(b.y, 0, y, m, b.y.length);
    }
    return new float[][] {x, y};
  }

  private static void assertSameSamples(SampleSet set, ImageDataset expected) {
    ImageDataset.Tensors t = expected.toTensors();
    float[][] got = gather(set);
    assertThat(got[0]).isEqualTo(t.x().data());
    assertThat(got[1]).isEqualTo(t.y().data());
    assertThat(set.sampleShape()).isEqualTo(expected.sampleShape());
    assertThat(set.targetShape()).isEqualTo(expected.targetShape());
    assertThat(set.classNames()).isEqualTo(expected.classNames());
  }

  @Test
  void theSamplesAreImageFoldersBitForBit() throws Exception {
    String root = shapes.toUri().toString();
    ImageFolder local = ImageFolder.load(shapes, options());
    assertThat(local.fileCount()).isEqualTo(17);
    assertThat(local.classNames()).containsExactly("circles", "squares", "stripes");
    for (int partitions : new int[] {1, 3}) {
      SampleSet set = SampleSet.fromImageDirectory(sc, root, options(), partitions);
      assertSameSamples(set, local.train());
      assertThat(set.partitions()).isEqualTo(partitions);
      assertThat(set.partitionSizes()).containsExactly(partitions == 1 ? new long[] {17} : new long[] {5, 6, 6});
      set.unpersist();
    }
    // A path on the default file system, grey with the crop, and no shuffle.
    ImageFolder.Options grey = options().colorMode(ImageFolder.ColorMode.GRAYSCALE).cropToAspectRatio(true)
        .imageSize(12, 16).shuffle(false);
    SampleSet set = SampleSet.fromImageDirectory(sc, shapes.toString(), grey, 2);
    assertSameSamples(set, ImageFolder.load(shapes, grey).train());
    set.unpersist();
    // Each subset of a split, with the same seed.
    ImageFolder.Options split = options().validationSplit(0.3);
    ImageFolder both = ImageFolder.load(shapes, split);
    SampleSet train = SampleSet.fromImageDirectory(sc, root, split.subset(ImageFolder.Subset.TRAINING), 2);
    SampleSet validation = SampleSet.fromImageDirectory(sc, root, split.subset(ImageFolder.Subset.VALIDATION), 2);
    assertSameSamples(train, both.train());
    assertSameSamples(validation, both.validation());
    assertThat(train.partitionSizes()).containsExactly(6, 6);
    assertThat(validation.partitionSizes()).containsExactly(2, 3);
    train.unpersist();
    validation.unpersist();
  }

  private static Sequential net() {
    Sequential m = new Sequential(3).input(16, 16, 3)
        .add(new Flatten())
        .add(new Dense(8, "relu"))
        .add(new Dense(3, "softmax"));
    m.compile(new Adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
    return m;
  }

  @Test
  void trainingOnTheImagesIsDeterministicAndAsOnTheDriversSamples() throws Exception {
    Fit fit = Fit.defaults().epochs(1).batchSize(5).seed(8); // 8 or 9 samples per worker: 2 steps, one round
    Sequential a = net();
    SampleSet first = SampleSet.fromImageDirectory(sc, shapes.toUri().toString(), options(), 2);
    History history = SparkTrainer.parameterAveraging(2).fit(a, first, fit);
    first.unpersist();
    Sequential b = net();
    SampleSet second = SampleSet.fromImageDirectory(sc, shapes.toUri().toString(), options(), 2);
    SparkTrainer.parameterAveraging(2).fit(b, second, fit);
    second.unpersist();
    // The same samples decoded on the driver and broadcast train to the same bits.
    Sequential c = net();
    SampleSet driver = SampleSet.parallelize(sc, ImageFolder.load(shapes, options()).train(), 2);
    SparkTrainer.parameterAveraging(2).fit(c, driver, fit);
    driver.unpersist();

    assertThat(history.get("loss")).hasSize(1).allSatisfy(l -> assertThat(l).isFinite());
    List<Parameter> pa = a.parameters();
    for (int i = 0; i < pa.size(); i++) {
      assertThat(b.parameters().get(i).value().data()).as(pa.get(i).name()).containsExactly(pa.get(i).value().data());
      assertThat(c.parameters().get(i).value().data()).as(pa.get(i).name()).containsExactly(pa.get(i).value().data());
    }
  }

  @Test
  void aBadFileIsNamedOrSkippedAsImageFolderSkipsIt(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("photos");
    write(root.resolve("a/one.png"), image(0, 1, 20, 20, false), "png");
    write(root.resolve("a/two.png"), image(0, 2, 21, 19, false), "png");
    write(root.resolve("b/three.png"), image(1, 3, 22, 18, false), "png");
    Files.write(root.resolve("b/broken.jpg"), "<html>not a photo</html>".getBytes(StandardCharsets.UTF_8));
    String uri = root.toUri().toString();
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, uri, options(), 2))
        .isInstanceOf(ImageFormatException.class)
        .hasMessageContaining("b/broken.jpg: not a JPEG, PNG, GIF or BMP image: it starts with 3c 68 74 6d");

    ImageFolder.Options skip = options().skipBadFiles(true);
    SampleSet set = SampleSet.fromImageDirectory(sc, uri, skip, 2);
    ImageFolder local = ImageFolder.load(root, skip);
    assertThat(local.train().size()).isEqualTo(3);
    assertSameSamples(set, local.train());
    assertThat(Arrays.stream(set.partitionSizes()).sum()).isEqualTo(3);
    set.unpersist();

    Path bad = dir.resolve("bad");
    Files.createDirectories(bad.resolve("x"));
    Files.write(bad.resolve("x/only.png"), new byte[0]);
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, bad.toString(), skip, 1))
        .isInstanceOf(ImageFolderException.class).hasMessageContaining("none of the 1 image files could be decoded")
        .hasMessageContaining("only.png: empty file (0 bytes)");
  }

  @Test
  void folderProblemsAndBadArgumentsAreNamed(@TempDir Path dir) throws Exception {
    String missing = dir.resolve("missing").toString();
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, missing, options(), 1))
        .isInstanceOf(ImageFolderException.class).hasMessage("image folder " + missing + " does not exist");
    Path flat = dir.resolve("flat");
    write(flat.resolve("x.png"), image(0, 0, 8, 8, false), "png");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, flat.toString(), options(), 1))
        .isInstanceOf(ImageFolderException.class)
        .hasMessage("image folder " + flat + " has no class folders: expected one sub-folder per class holding its "
            + "images, found 1 other entries: x.png");
    Path empty = dir.resolve("empty");
    write(empty.resolve("cats/c.png"), image(0, 0, 8, 8, false), "png");
    Files.createDirectories(empty.resolve("dogs"));
    Files.writeString(empty.resolve("dogs/readme.md"), "no dogs yet");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, empty.toString(), options(), 1))
        .isInstanceOf(ImageFolderException.class).hasMessageContaining("dogs: class folder has no images");
    // skipBadFiles keeps the class, with no samples (as ImageFolder).
    SampleSet kept = SampleSet.fromImageDirectory(sc, empty.toString(), options().skipBadFiles(true), 1);
    assertThat(kept.classNames()).containsExactly("cats", "dogs");
    assertSameSamples(kept, ImageFolder.load(empty, options().skipBadFiles(true)).train());
    kept.unpersist();
    Path none = dir.resolve("none");
    Files.createDirectories(none.resolve("cats"));
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, none.toString(), options().skipBadFiles(true), 1))
        .isInstanceOf(ImageFolderException.class).hasMessageContaining("has no images in any of its 1 class folders [cats]");

    String root = shapes.toString();
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, root, options(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions must be >= 1, got 0");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, root, options(), 18))
        .hasMessageContaining("partitions must be in 1..17 (the number of image files), got 18");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, root, ImageFolder.Options.defaults().imageSize(16, 16), 2))
        .hasMessageContaining("shuffling needs a seed");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, root, options().validationSplit(0.2), 2))
        .hasMessageContaining("set Options.subset(TRAINING)");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(sc, root, options().validationSplit(0.01)
        .subset(ImageFolder.Subset.TRAINING), 2)).hasMessageContaining("leaves no validation files");
    assertThatThrownBy(() -> SampleSet.fromImageDirectory(null, root, options(), 2))
        .hasMessageContaining("must not be null");
  }
}
