package dev.neurona.data;

import static dev.neurona.data.ImageFixtures.encode;
import static dev.neurona.data.ImageFixtures.solid;
import static dev.neurona.data.ImageFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.neurona.core.Parallel;
import dev.neurona.core.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  private static final int[] RED = {220, 30, 30};
  private static final int[] GREEN = {30, 200, 40};
  private static final int[] BLUE = {20, 40, 230};

  @TempDir
  Path tmp;

  private static BufferedImage colour(int[] c) {
    return solid(24, 16, c[0], c[1], c[2]);
  }

  /**
   * birds (red): g.png h.png i.png; cats (green): B.JPG a.png c.jpeg sub/d.bmp, plus notes.txt,
   * .hidden.png and .thumbs/t.png; dogs (blue): e.gif f.png. At the root: LICENSE.txt and a hidden
   * .git folder.
   */
  private Path zoo() throws IOException {
    Path root = tmp.resolve("zoo");
    write(root.resolve("LICENSE.txt"), "CC-BY".getBytes(StandardCharsets.UTF_8));
    write(root.resolve(".git/x.png"), encode(colour(RED), "png"));
    for (String f : new String[] {"g.png", "h.png", "i.png"}) {
      write(root.resolve("birds").resolve(f), encode(colour(RED), "png"));
    }
    write(root.resolve("cats/B.JPG"), encode(colour(GREEN), "jpeg"));
    write(root.resolve("cats/a.png"), encode(colour(GREEN), "png"));
    write(root.resolve("cats/c.jpeg"), encode(colour(GREEN), "jpeg"));
    write(root.resolve("cats/sub/d.bmp"), encode(colour(GREEN), "bmp"));
    write(root.resolve("cats/notes.txt"), "meow".getBytes(StandardCharsets.UTF_8));
    write(root.resolve("cats/.hidden.png"), "not even an image".getBytes(StandardCharsets.UTF_8));
    write(root.resolve("cats/.thumbs/t.png"), encode(colour(RED), "png"));
    write(root.resolve("dogs/e.gif"), encode(colour(BLUE), "gif"));
    write(root.resolve("dogs/f.png"), encode(colour(BLUE), "png"));
    return root;
  }

  private static ImageFolder.Options small() {
    return ImageFolder.Options.defaults().imageSize(8, 12);
  }

  private static List<String> relative(Path root, List<Path> files) {
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      names.add(root.relativize(f).toString().replace('\\', '/'));
    }
    return names;
  }

  /** Checks every sample's label against its colour (red birds, green cats, blue dogs). */
  private static void assertLabelsMatchColours(ImageDataset d) {
    int[][] colours = {RED, GREEN, BLUE};
    for (int i = 0; i < d.size(); i++) {
      int[] expected = colours[d.label(i)];
      for (int c = 0; c < 3; c++) {
        assertThat(Math.abs(d.pixel(i, 4, 6, c) - expected[c])).as("sample %d (label %d) channel %d", i, d.label(i), c)
            .isLessThanOrEqualTo(6);
      }
    }
  }

  @Test
  void loadsEveryClassFolderInKerasOrder() throws Exception {
    Path root = zoo();
    ImageFolder zoo = ImageFolder.load(root, small().shuffle(false));
    assertThat(zoo.classNames()).containsExactly("birds", "cats", "dogs");
    assertThat(zoo.fileCount()).isEqualTo(9);
    assertThat(relative(root, zoo.trainFiles())).containsExactly(
        "birds/g.png", "birds/h.png", "birds/i.png", "cats/B.JPG", "cats/a.png", "cats/c.jpeg", "cats/sub/d.bmp", "dogs/e.gif", "dogs/f.png");
    assertThat(relative(root, zoo.ignoredFiles())).containsExactlyInAnyOrder(".git", "LICENSE.txt", "cats/.hidden.png", "cats/.thumbs", "cats/notes.txt");
    ImageDataset all = zoo.train();
    assertThat(all.name()).isEqualTo("zoo");
    assertThat(all.sampleShape().toString()).isEqualTo("(8, 12, 3)");
    assertThat(all.classNames()).containsExactly("birds", "cats", "dogs");
    assertThat(all.classCounts()).containsExactly(3, 4, 2);
    assertLabelsMatchColours(all);
    assertThat(zoo.hasValidation()).isFalse();
    assertThatThrownBy(zoo::validation).isInstanceOf(IllegalStateException.class).hasMessageContaining("validationSplit is 0");
    assertThat(zoo.skipped()).isEmpty();
    assertThat(zoo.fallbackDecoded()).isEmpty();
    assertThat(zoo.toString()).contains("9 files, 3 classes [birds, cats, dogs]; train 9 of (8, 12, 3); 0 skipped");
  }

  @Test
  void splitIsKerasShuffleThenTheLastFraction() throws Exception {
    Path root = zoo();
    ImageFolder zoo = ImageFolder.load(root, small().validationSplit(0.25).seed(7));
    // Keras: index_directory's list shuffled by np.random.RandomState(7), the last int(0.25·9) = 2 for validation
    // (computed with numpy on the same names).
    assertThat(relative(root, zoo.trainFiles())).containsExactly(
        "birds/i.png", "dogs/e.gif", "birds/g.png", "dogs/f.png", "cats/c.jpeg", "cats/B.JPG", "cats/sub/d.bmp");
    assertThat(relative(root, zoo.validationFiles())).containsExactly("birds/h.png", "cats/a.png");
    assertThat(zoo.train().name()).isEqualTo("zoo/train");
    assertThat(zoo.validation().name()).isEqualTo("zoo/validation");
    assertThat(zoo.seed()).isEqualTo(7);
    assertLabelsMatchColours(zoo.train());
    assertLabelsMatchColours(zoo.validation());

    // Loading the subsets separately gives the same two sets, byte for byte.
    ImageFolder trainOnly = ImageFolder.load(root, small().validationSplit(0.25).seed(7).subset(ImageFolder.Subset.TRAINING));
    ImageFolder valOnly = ImageFolder.load(root, small().validationSplit(0.25).seed(7).subset(ImageFolder.Subset.VALIDATION));
    assertThat(trainOnly.trainFiles()).isEqualTo(zoo.trainFiles());
    assertThat(valOnly.validationFiles()).isEqualTo(zoo.validationFiles());
    assertThat(trainOnly.train().toTensors().x().data()).isEqualTo(zoo.train().toTensors().x().data());
    assertThat(valOnly.validation().toTensors().x().data()).isEqualTo(zoo.validation().toTensors().x().data());
    assertThat(trainOnly.hasValidation()).isFalse();
    assertThat(valOnly.hasTrain()).isFalse();
    assertThatThrownBy(valOnly::train).hasMessageContaining("only the validation subset was loaded");
    Set<Path> union = new HashSet<>(zoo.trainFiles());
    union.addAll(zoo.validationFiles());
    assertThat(union).hasSize(9);

    // Another seed, another split; no shuffle: the last files in name order.
    assertThat(ImageFolder.load(root, small().validationSplit(0.25).seed(8)).validationFiles()).isNotEqualTo(zoo.validationFiles());
    assertThat(relative(root, ImageFolder.load(root, small().validationSplit(0.25).shuffle(false)).validationFiles()))
        .containsExactly("dogs/e.gif", "dogs/f.png");
  }

  @Test
  void subsetOrderNumbersTheListedFilesAsLoadTakesThem() throws Exception {
    Path root = zoo();
    List<Path> listed = ImageFolder.load(root, small().shuffle(false)).trainFiles(); // the listing order
    ImageFolder.Options split = small().validationSplit(0.25).seed(7);
    ImageFolder zoo = ImageFolder.load(root, split);
    for (ImageFolder.Subset which : new ImageFolder.Subset[] {ImageFolder.Subset.TRAINING, ImageFolder.Subset.VALIDATION}) {
      List<Path> picked = new ArrayList<>();
      for (int i : ImageFolder.subsetOrder(9, split, which)) {
        picked.add(listed.get(i));
      }
      assertThat(picked).as("%s", which)
          .isEqualTo(which == ImageFolder.Subset.TRAINING ? zoo.trainFiles() : zoo.validationFiles());
    }
    List<Path> all = new ArrayList<>();
    for (int i : ImageFolder.subsetOrder(9, small().seed(3), ImageFolder.Subset.TRAINING)) {
      all.add(listed.get(i));
    }
    assertThat(all).isEqualTo(ImageFolder.load(root, small().seed(3)).trainFiles());
    assertThat(ImageFolder.subsetOrder(3, small().shuffle(false), ImageFolder.Subset.TRAINING)).containsExactly(0, 1, 2);

    assertThatThrownBy(() -> ImageFolder.subsetOrder(9, small(), ImageFolder.Subset.TRAINING))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shuffling needs a seed");
    assertThatThrownBy(() -> ImageFolder.subsetOrder(9, split, ImageFolder.Subset.BOTH)).hasMessageContaining("got BOTH");
    assertThatThrownBy(() -> ImageFolder.subsetOrder(9, small().seed(1), ImageFolder.Subset.VALIDATION))
        .hasMessageContaining("no VALIDATION subset without a validation split");
    assertThatThrownBy(() -> ImageFolder.subsetOrder(3, split, ImageFolder.Subset.TRAINING))
        .hasMessageContaining("validationSplit 0.25 of 3 files leaves no validation files");
  }

  @Test
  void aSplitNeedsASeedAndMustLeaveBothSubsetsNonEmpty() throws Exception {
    Path root = zoo();
    assertThatThrownBy(() -> ImageFolder.load(root, small().validationSplit(0.2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit 0.2 with shuffling needs a seed");
    assertThatThrownBy(() -> ImageFolder.load(root, small().validationSplit(0.1).seed(1)))
        .hasMessageContaining("validationSplit 0.1 of 9 files leaves no validation files (int(0.1 × 9) = 0)");
    // Without a split and without a seed, Keras draws one: so do we, and say which.
    ImageFolder drawn = ImageFolder.load(root, small());
    assertThat(drawn.seed()).isBetween(0L, 999_999L);
    assertThat(drawn.train().size()).isEqualTo(9);
  }

  @Test
  void optionsAreImmutableValuesThatCheckTheirArguments() {
    ImageFolder.Options d = ImageFolder.Options.defaults();
    ImageFolder.Options o = d.imageSize(180, 200).validationSplit(0.2).seed(123).colorMode(ImageFolder.ColorMode.GRAYSCALE)
        .cropToAspectRatio(true).skipBadFiles(true).subset(ImageFolder.Subset.TRAINING).shuffle(false);
    assertThat(d.imageHeight()).isEqualTo(256);
    assertThat(d.imageWidth()).isEqualTo(256);
    assertThat(d.colorMode()).isEqualTo(ImageFolder.ColorMode.RGB);
    assertThat(d.validationSplit()).isZero();
    assertThat(d.seed()).isEmpty();
    assertThat(d.shuffle()).isTrue();
    assertThat(d.cropToAspectRatio()).isFalse();
    assertThat(d.skipBadFiles()).isFalse();
    assertThat(d.subset()).isEqualTo(ImageFolder.Subset.BOTH);
    assertThat(o.imageHeight()).isEqualTo(180);
    assertThat(o.imageWidth()).isEqualTo(200);
    assertThat(o.seed()).hasValue(123);
    assertThat(o.colorMode().channels()).isEqualTo(1);
    assertThat(o).isEqualTo(d.imageSize(180, 200).validationSplit(0.2).seed(123).colorMode(ImageFolder.ColorMode.GRAYSCALE)
        .cropToAspectRatio(true).skipBadFiles(true).subset(ImageFolder.Subset.TRAINING).shuffle(false));
    assertThat(o.hashCode()).isEqualTo(o.shuffle(false).hashCode());
    assertThat(o).isNotEqualTo(d);
    assertThat(o.toString()).isEqualTo("Options[imageSize=(180, 200), GRAYSCALE, validationSplit=0.2, subset=TRAINING, seed=123, "
        + "shuffle=false, cropToAspectRatio=true, skipBadFiles=true]");
    assertThatThrownBy(() -> d.imageSize(0, 5)).hasMessageContaining("must be >= 1, got (0, 5)");
    assertThatThrownBy(() -> d.imageSize(100_000, 100_000)).hasMessageContaining("too large");
    assertThatThrownBy(() -> d.validationSplit(1)).hasMessageContaining("must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> d.validationSplit(Double.NaN)).hasMessageContaining("got NaN");
    assertThatThrownBy(() -> d.seed(-5)).hasMessageContaining("got -5");
    assertThatThrownBy(() -> d.colorMode(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void folderProblemsNameTheFolder() throws Exception {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> ImageFolder.load(missing)).isInstanceOf(ImageFolderException.class)
        .hasMessage("image folder " + missing.toAbsolutePath() + " does not exist");
    Path file = write(tmp.resolve("file.png"), encode(colour(RED), "png"));
    assertThatThrownBy(() -> ImageFolder.load(file)).isInstanceOf(ImageFolderException.class).hasMessageContaining("is not a directory");
    Path flat = tmp.resolve("flat");
    write(flat.resolve("LICENSE.txt"), new byte[1]);
    write(flat.resolve("a.png"), encode(colour(RED), "png"));
    write(flat.resolve(".cache/b.png"), encode(colour(RED), "png"));
    assertThatThrownBy(() -> ImageFolder.load(flat)).isInstanceOf(ImageFolderException.class)
        .hasMessageContaining(flat.toAbsolutePath() + " has no class folders: expected one sub-folder per class holding its images, "
            + "found 3 other entries: .cache, LICENSE.txt, a.png");

    Path root = zoo();
    write(root.resolve("empty/readme.md"), new byte[3]);
    assertThatThrownBy(() -> ImageFolder.load(root, small())).isInstanceOf(ImageFolderException.class)
        .hasMessage(root.resolve("empty").toAbsolutePath() + ": class folder has no images (.bmp, .gif, .jpeg, .jpg, .png); "
            + "found 1 other files: readme.md");
    // Skipping keeps the class (labels stay the folder order) and reports it.
    ImageFolder kept = ImageFolder.load(root, small().skipBadFiles(true).shuffle(false), (done, total) -> { });
    assertThat(kept.classNames()).containsExactly("birds", "cats", "dogs", "empty");
    assertThat(kept.train().classCounts()).containsExactly(3, 4, 2, 0);
    assertThat(kept.skipped()).hasSize(1);
    assertThat(kept.skipped().get(0).file()).isEqualTo(root.resolve("empty"));
    assertThat(kept.skipped().get(0).reason()).contains("class folder has no images").contains("class 'empty' is kept with no samples");
  }

  @Test
  void badFilesStopTheLoadOrAreSkippedAndReported() throws Exception {
    Path root = zoo();
    Path text = write(root.resolve("cats/text.jpg"), "<html>not a photo</html>".getBytes(StandardCharsets.UTF_8));
    Path empty = write(root.resolve("dogs/empty.png"), new byte[0]);
    byte[] full = ImageFixtures.jpeg(ImageFixtures.rgb(120, 90, 3), 0.95f);
    Path truncated = write(root.resolve("birds/truncated.jpg"), java.util.Arrays.copyOf(full, full.length / 2));

    ImageFormatException e = (ImageFormatException) catchThrowable(() -> ImageFolder.load(root, small().shuffle(false)));
    // The first bad file in list order: birds/truncated.jpg.
    assertThat(e.file()).isEqualTo(truncated);
    assertThat(e.getMessage()).startsWith(truncated + ": damaged JPEG data: truncated (");

    List<LogRecord> logged = new ArrayList<>();
    Logger jul = Logger.getLogger(ImageFolder.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    boolean parents = jul.getUseParentHandlers();
    jul.addHandler(capture);
    jul.setUseParentHandlers(false); // keep the console (and so the test) silent
    ImageFolder zoo;
    try {
      zoo = ImageFolder.load(root, small().shuffle(false).skipBadFiles(true));
    } finally {
      jul.removeHandler(capture);
      jul.setUseParentHandlers(parents);
    }
    assertThat(zoo.fileCount()).isEqualTo(12);
    assertThat(zoo.train().size()).isEqualTo(9);
    assertThat(zoo.trainFiles()).doesNotContain(text, empty, truncated);
    assertLabelsMatchColours(zoo.train());
    assertThat(zoo.skipped()).extracting(ImageFolder.SkippedFile::file).containsExactly(truncated, text, empty);
    assertThat(zoo.skipped().get(1).reason()).isEqualTo("not a JPEG, PNG, GIF or BMP image: it starts with "
        + "3c 68 74 6d 6c 3e 6e 6f (\"<html>no\") …, 24 bytes");
    assertThat(zoo.skipped().get(2).reason()).isEqualTo("empty file (0 bytes)");
    assertThat(zoo.skipped().get(2).toString()).isEqualTo(empty + ": empty file (0 bytes)");
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(logged.get(0).getMessage()).contains("skipped 3 of 12").contains("truncated.jpg");
  }

  @Test
  void filesTheJdkCannotReadAreDecodedByTheFallbackAndListed() throws Exception {
    Path root = zoo();
    Path odd = write(root.resolve("cats/odd.jpg"), ImageFixtures.withDuplicateIccChunks(encode(colour(GREEN), "jpeg")));
    ImageFolder zoo = ImageFolder.load(root, small().validationSplit(0.3).seed(3));
    assertThat(zoo.fallbackDecoded()).containsExactly(odd);
    assertLabelsMatchColours(zoo.train());
    assertLabelsMatchColours(zoo.validation());
    assertThat(zoo.toString()).endsWith("0 skipped, 1 by the fallback decoder");
  }

  @Test
  void progressIsReportedOnTheCallingThreadUpToTheTotal() throws Exception {
    Path root = tmp.resolve("many");
    for (int i = 0; i < 40; i++) {
      write(root.resolve(i % 2 == 0 ? "even" : "odd").resolve(i + ".png"), encode(ImageFixtures.rgb(10, 7, i), "png"));
    }
    List<int[]> calls = new ArrayList<>();
    Thread caller = Thread.currentThread();
    ImageFolder.load(root, small().validationSplit(0.5).seed(1), (done, total) -> {
      assertThat(Thread.currentThread()).isSameAs(caller);
      calls.add(new int[] {done, total});
    });
    assertThat(calls).isNotEmpty();
    for (int k = 0; k < calls.size(); k++) {
      assertThat(calls.get(k)[1]).isEqualTo(40);
      assertThat(calls.get(k)[0]).isGreaterThan(k == 0 ? 0 : calls.get(k - 1)[0]);
    }
    assertThat(calls.get(calls.size() - 1)[0]).isEqualTo(40);
  }

  @Test
  void bytesAreTheSameForOneAndTwoThreads() throws Exception {
    Path root = tmp.resolve("noise");
    for (int i = 0; i < 30; i++) {
      BufferedImage im = ImageFixtures.rgb(31 + i, 23 + (i % 5), 100 + i);
      write(root.resolve("c" + (i % 3)).resolve(i + (i % 2 == 0 ? ".jpg" : ".png")), encode(im, i % 2 == 0 ? "jpeg" : "png"));
    }
    ImageFolder.Options opts = ImageFolder.Options.defaults().imageSize(16, 20).validationSplit(0.2).seed(9).cropToAspectRatio(true);
    int before = Parallel.threads();
    try {
      Parallel.setThreads(1);
      ImageFolder one = ImageFolder.load(root, opts);
      Parallel.setThreads(2);
      ImageFolder two = ImageFolder.load(root, opts);
      assertThat(two.train().toTensors().x().data()).isEqualTo(one.train().toTensors().x().data());
      assertThat(two.validation().toTensors().x().data()).isEqualTo(one.validation().toTensors().x().data());
      assertThat(two.train().toTensors().y().data()).isEqualTo(one.train().toTensors().y().data());
      assertThat(two.trainFiles()).isEqualTo(one.trainFiles());
    } finally {
      Parallel.setThreads(before);
    }
  }

  @Test
  void imagesLoadGivesExactlyTheDataSetSample() throws Exception {
    Path root = tmp.resolve("same");
    List<BufferedImage> images = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BufferedImage im = ImageFixtures.rgb(40 + 7 * i, 30 + 3 * i, 50 + i);
      images.add(im);
      write(root.resolve(i < 3 ? "a" : "b").resolve(i + (i % 2 == 0 ? ".jpg" : ".png")), encode(im, i % 2 == 0 ? "jpeg" : "png"));
    }
    for (ImageFolder.ColorMode mode : ImageFolder.ColorMode.values()) {
      for (boolean crop : new boolean[] {false, true}) {
        ImageFolder.Options opts = ImageFolder.Options.defaults().imageSize(13, 17).colorMode(mode).cropToAspectRatio(crop).seed(2);
        ImageFolder folder = ImageFolder.load(root, opts);
        ImageDataset d = folder.train();
        assertThat(d.channels()).isEqualTo(mode.channels());
        for (int i = 0; i < d.size(); i++) {
          Path file = folder.trainFiles().get(i);
          Tensor x = d.newBatchX(1);
          d.fillBatch(new int[] {i}, 0, 1, x, d.newBatchY(1));
          assertThat(Images.load(file, opts).data()).as("%s %s crop=%s", file, mode, crop).isEqualTo(x.data());
          assertThat(Images.decode(java.nio.file.Files.readAllBytes(file), "x", opts).data()).isEqualTo(x.data());
          if (file.toString().endsWith(".png")) { // lossless: the BufferedImage that was written gives the same
            int k = Integer.parseInt(file.getFileName().toString().replace(".png", ""));
            assertThat(Images.toTensor(images.get(k), opts).data()).isEqualTo(x.data());
          }
        }
      }
    }
  }

  @Test
  void cropToAspectRatioKeepsTheCentre() throws Exception {
    // 30 × 10: red thirds left and right, blue square in the middle. Into 5 × 5: only blue is left.
    BufferedImage im = solid(30, 10, 220, 30, 30);
    for (int y = 0; y < 10; y++) {
      for (int x = 10; x < 20; x++) {
        im.setRGB(x, y, (20 << 16) | (40 << 8) | 230);
      }
    }
    Path root = tmp.resolve("crop");
    write(root.resolve("only/wide.png"), encode(im, "png"));
    ImageDataset cropped = ImageFolder.load(root, small().imageSize(5, 5).cropToAspectRatio(true)).train();
    ImageDataset squashed = ImageFolder.load(root, small().imageSize(5, 5)).train();
    for (int x = 0; x < 5; x++) {
      assertThat(new int[] {cropped.pixel(0, 2, x, 0), cropped.pixel(0, 2, x, 1), cropped.pixel(0, 2, x, 2)}).containsExactly(20, 40, 230);
    }
    assertThat(squashed.pixel(0, 2, 0, 0)).isEqualTo(220);
    assertThat(squashed.pixel(0, 2, 2, 2)).isEqualTo(230);
  }
}
