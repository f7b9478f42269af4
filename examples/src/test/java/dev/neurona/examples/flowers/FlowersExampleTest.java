package dev.neurona.examples.flowers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.neurona.core.Shape;
import dev.neurona.data.ImageFolder;
import dev.neurona.data.Images;
import dev.neurona.keras.KerasModels;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flowers example end to end on a tiny generated photo tree (3 classes of coloured shapes, 8
 * images each, 32×32 with the hidden {@code --image-size}): one epoch of training writes every file
 * and prints the documented lines; {@code --predict} and {@code --evaluate} read the saved model back.
 */
class FlowersExampleTest {
  private static final List<String> SHAPES = List.of("circles", "squares", "triangles");

  @TempDir
  static Path tmp;
  static Path tree;
  static Path out;
  static String trainText;

  @BeforeAll
  static void trainOnce() throws IOException {
    tree = shapes(tmp.resolve("shapes"), SHAPES, 8, 11);
    out = tmp.resolve("out");
    Run r = run("--data", tree.toString(), "--image-size", "32", "--epochs", "1", "--seed", "5", "--out", out.toString());
    assertThat(r.code).as(r.text).isZero();
    trainText = r.text;
  }

  @Test
  void trainingPrintsTheDocumentedLines() throws IOException {
    assertThat(trainText).startsWith("Neurona flowers, augmented model | ");
    assertThat(trainText).contains(" threads | Java ", "loading shapes: 24/24 photos",
        "found 24 files belonging to 3 classes: 20 for training, 4 for validation (loaded in ",
        "class names: [circles, squares, triangles]", "random_flip (RandomFlip)", "dropout (Dropout)", "Epoch 1/1",
        " - val_accuracy: ", "precision", "true \\ predicted");
    assertThat(trainText).containsPattern("(?m)^training time: \\d+\\.\\d s for 1 epochs \\(\\d+\\.\\d images/s\\)$");
    Matcher m = Pattern.compile("(?m)^validation accuracy: (\\d\\.\\d{4}) \\((\\d+)/4\\)$").matcher(trainText);
    assertThat(m.find()).as("the last line in:\n%s", trainText).isTrue();
    // The same model on the same photos: the accuracy the fit logged for its last epoch.
    List<String> csv = Files.readAllLines(out.resolve("history.csv"));
    assertThat(csv.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,seconds");
    double logged = Double.parseDouble(csv.get(1).split(",")[4]);
    assertThat(Double.parseDouble(m.group(1))).isCloseTo(logged, offset(5e-5));
    assertThat(Integer.parseInt(m.group(2))).isEqualTo((int) Math.round(logged * 4));
  }

  @Test
  void trainingWritesTheModelWithItsClassNamesAndThePictures() throws IOException {
    for (String f : List.of("model.zip", "history.csv", "classification_report.txt", "training.png",
        "photos.png", "augmented.png", "confusion_matrix.png")) {
      assertThat(out.resolve(f)).as(f).isRegularFile();
      assertThat(Files.size(out.resolve(f))).as(f).isPositive();
    }
    assertThat(out.resolve("class_names.txt")).as("the names are in the model file now").doesNotExist();
    assertThat(Sequential.load(out.resolve("model.zip")).classNames()).containsExactlyElementsOf(SHAPES);
    BufferedImage training = ImageIO.read(out.resolve("training.png").toFile());
    assertThat(training.getWidth()).as("two charts side by side").isEqualTo(1600);
    BufferedImage augmented = ImageIO.read(out.resolve("augmented.png").toFile());
    assertThat(augmented.getWidth()).as("3 columns of 150-pixel cells").isGreaterThan(450);
    Sequential model = Sequential.load(out.resolve("model.zip"));
    assertThat(model.inputShape()).isEqualTo(Shape.of(32, 32, 3));
    assertThat(model.layers().get(0).typeName()).isEqualTo("RandomFlip");
  }

  @Test
  void predictPrintsTheTutorialsSentenceAndTheTop3() throws IOException {
    Path photo1 = tree.resolve("circles").resolve("0.png");
    Path photo2 = tree.resolve("triangles").resolve("3.png");
    Run r = run("--predict", photo1.toString(), photo2.toString(), "--model-file", out.resolve("model.zip").toString());
    assertThat(r.code).as(r.text).isZero();
    Matcher m = Pattern.compile("(?m)^This image most likely belongs to (circles|squares|triangles) with a (\\d+\\.\\d{2}) percent confidence\\.$")
        .matcher(r.text);
    assertThat(m.find()).as(r.text).isTrue();
    double confidence = Double.parseDouble(m.group(2));
    assertThat(confidence).isBetween(100.0 / 3 - 0.01, 100.0);
    assertThat(r.text).contains(photo1 + ":", photo2 + ":");
    assertThat(r.text).containsPattern("(?m)^  1\\. " + m.group(1) + " +" + Pattern.quote(m.group(2)) + "%$");
    assertThat(r.text).containsPattern("(?m)^  3\\. ");
    assertThat(m.find()).as("a sentence for the second photo").isTrue();
  }

  @Test
  void evaluatePrintsTheAccuracyAndAReport() throws IOException {
    Run r = run("--evaluate", tree.toString(), "--model-file", out.resolve("model.zip").toString());
    assertThat(r.code).as(r.text).isZero();
    assertThat(r.text).containsPattern("(?m)^accuracy: \\d\\.\\d{4} \\(\\d+/24\\)$");
    assertThat(r.text).contains("precision", "triangles", "macro avg");
  }

  @Test
  void evaluateRejectsOtherClassNamesListingBoth() throws IOException {
    Path other = shapes(tmp.resolve("other"), List.of("circles", "squares", "stars"), 2, 3);
    assertThatThrownBy(() -> run("--evaluate", other.toString(), "--model-file", out.resolve("model.zip").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[circles, squares, stars]")
        .hasMessageContaining("[circles, squares, triangles]")
        .hasMessageContaining("do not match");
  }

  @Test
  void aModelWithoutClassNamesTakesThemFromTheOptionTheFoldersOrAnOldSideFile() throws IOException {
    Path nameless = tmp.resolve("nameless");
    Files.createDirectories(nameless);
    Sequential m = Sequential.load(out.resolve("model.zip"));
    m.classNames(List.of()).save(nameless.resolve("model.zip"));
    String file = nameless.resolve("model.zip").toString();
    String photo = tree.resolve("squares").resolve("1.png").toString();
    assertThatThrownBy(() -> run("--predict", photo, "--model-file", file)).isInstanceOf(IOException.class)
        .hasMessageContaining("carries no class names").hasMessageContaining("--class-names A,B,...");
    Run named = run("--predict", photo, "--model-file", file, "--class-names", "round, square ,pointed");
    assertThat(named.code).as(named.text).isZero();
    assertThat(named.text).containsPattern("(?m)^This image most likely belongs to (round|square|pointed) with a ");
    Run withNames = run("--predict", photo, "--model-file", out.resolve("model.zip").toString());
    assertThat(named.text.replace("round", "circles").replace("square ", "squares").replace("pointed", "triangles"))
        .as("the same model, other names").isEqualToIgnoringWhitespace(withNames.text);
    assertThatThrownBy(() -> run("--predict", photo, "--model-file", file, "--class-names", "a,b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--class-names gives 2 names [a, b] but the model");
    Run folders = run("--evaluate", tree.toString(), "--model-file", file);
    assertThat(folders.code).as(folders.text).isZero();
    assertThat(folders.text).contains("class names: [circles, squares, triangles] (the folders of " + tree
        + "; the model file has none)");
    // A model trained before the names moved into the file: class_names.txt beside it is still read.
    Files.writeString(nameless.resolve("class_names.txt"), "circles\nsquares\nstars\n");
    assertThatThrownBy(() -> run("--evaluate", tree.toString(), "--model-file", file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[circles, squares, stars]")
        .hasMessageContaining("class_names.txt");
  }

  @Test
  void aKerasModelFileWorksToo() throws IOException {
    // Neurona's model written as a Keras 3 .keras file: the same accuracy as from the zip.
    Path keras = tmp.resolve("flowers.keras");
    KerasModels.save(Sequential.load(out.resolve("model.zip")), keras);
    Run fromZip = run("--evaluate", tree.toString(), "--model-file", out.resolve("model.zip").toString());
    Run fromKeras = run("--evaluate", tree.toString(), "--model-file", keras.toString());
    assertThat(fromKeras.code).as(fromKeras.text).isZero();
    assertThat(lastLine(fromKeras.text)).isEqualTo(lastLine(fromZip.text));
    // A model trained in Keras (the keras module's fixtures): a .keras file with logits, an .h5 file with a softmax.
    Path fixtures = Path.of("..", "keras", "src", "test", "resources", "dev", "neurona", "keras", "fixtures");
    String photo = tree.resolve("circles").resolve("2.png").toString();
    String five = "daisy,dandelion,roses,sunflowers,tulips";
    for (String f : List.of("flowers.keras", "misc.h5")) {
      Path model = fixtures.resolve(f);
      assertThat(model).as("the keras module's fixture").isRegularFile();
      Run r = run("--predict", photo, "--model-file", model.toString(), "--class-names", five);
      assertThat(r.code).as(r.text).isZero();
      Matcher m = Pattern.compile("(?m)^This image most likely belongs to (\\w+) with a (\\d+\\.\\d{2}) percent confidence\\.$")
          .matcher(r.text);
      assertThat(m.find()).as(r.text).isTrue();
      // The confidence is the model's probability (softmax of logits, or the softmax layer's output as it is).
      Sequential loaded = KerasModels.load(model);
      float[] y = loaded.predict(Pixels255.toRaw(Images.load(Path.of(photo), ImageFolder.Options.defaults()
          .imageSize(loaded.inputShape().dim(0), loaded.inputShape().dim(1))))).data();
      double[] p = f.endsWith(".h5") ? toDouble(y) : FlowersExample.softmax(y);
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k] > p[best] ? k : best;
      }
      assertThat(m.group(1)).isEqualTo(five.split(",")[best]);
      assertThat(m.group(2)).isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", 100 * p[best]));
    }
  }

  @Test
  void resumeGoesOnAfterACrashFromTheLastBackup() throws IOException {
    Path resumed = tmp.resolve("resumed");
    String[] common = {"--data", tree.toString(), "--image-size", "16", "--model", "plain", "--epochs", "2",
        "--batch-size", "8", "--seed", "9", "--out", resumed.toString(), "--resume"};
    Callback crash = new Callback() {
      @Override
      public void onBatchEnd(int epoch, int batch, Map<String, Double> logs) {
        if (epoch == 1 && batch == 1) {
          throw new Crash(); // two steps into the second epoch
        }
      }
    };
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> FlowersExample.run(common, ps, ps, crash)).isInstanceOf(Crash.class);
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("backup: after every epoch to " + resumed.resolve("backup"));
    assertThat(resumed.resolve("backup/epoch-1")).isDirectory();
    Run r = run(common);
    assertThat(r.code).as(r.text).isZero();
    assertThat(r.text).contains("backup: resuming from " + resumed.resolve("backup") + ", 1 epoch(s) done", "Epoch 2/2")
        .doesNotContain("Epoch 1/2");
    List<String> csv = Files.readAllLines(resumed.resolve("history.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy");
    assertThat(resumed.resolve("backup")).as("deleted when training finished").doesNotExist();
    // Bit for bit the weights of a run that was never interrupted.
    Path straight = tmp.resolve("straight");
    String[] plain = common.clone();
    plain[13] = straight.toString();
    Run uninterrupted = run(plain);
    assertThat(uninterrupted.code).as(uninterrupted.text).isZero();
    assertThat(Sequential.load(resumed.resolve("model.zip")).getWeights())
        .usingElementComparator((a, b) -> java.util.Arrays.equals(a.data(), b.data()) ? 0 : 1)
        .containsExactlyElementsOf(Sequential.load(straight.resolve("model.zip")).getWeights());
    assertThat(lastLine(r.text)).isEqualTo(lastLine(uninterrupted.text));
  }

  /** Thrown by a callback to stand for a crash: the example's run stops where it is. */
  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static double[] toDouble(float[] y) {
    double[] d = new double[y.length];
    for (int k = 0; k < y.length; k++) {
      d[k] = y[k];
    }
    return d;
  }

  @Test
  void aMissingModelSaysWhatWasExpected() throws IOException {
    assertThatThrownBy(() -> run("--predict", "x.jpg", "--out", tmp.resolve("nothing-here").toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no saved model at").hasMessageContaining("model.zip");
    assertThatThrownBy(() -> run("--predict", tmp.resolve("missing.jpg").toString(), "--model-file", out.resolve("model.zip").toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no photo at " + tmp.resolve("missing.jpg").toAbsolutePath());
  }

  @Test
  void aMissingDataFolderSaysWhatWasExpected() {
    Path missing = tmp.resolve("no-such-folder");
    assertThatThrownBy(() -> run("--data", missing.toString(), "--out", tmp.resolve("o").toString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no photo folder at " + missing.toAbsolutePath())
        .hasMessageContaining("one sub-folder of photos per class");
  }

  @Test
  void theDefaultDataFolderIsBesideTheProjectRoot() {
    FlowersExample.Options o = FlowersExample.parse(new String[0]);
    assertThat(FlowersExample.dataDir(o, "/work/main")).isEqualTo(Path.of("/work/shared/data/flower_photos"));
    o.data = Path.of("mine");
    assertThat(FlowersExample.dataDir(o, "/work/main")).isEqualTo(Path.of("mine"));
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--model", "resnet"}))
        .hasMessageContaining("--model must be one of plain, augmented; got 'resnet'");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--epochs", "0"}))
        .hasMessageContaining("--epochs").hasMessageContaining("'0'");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--lr", "-1"}))
        .hasMessageContaining("--lr must be a number > 0; got '-1'");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--limit", "3"}))
        .hasMessageContaining("--limit must be at least 5");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--image-size", "4"}))
        .hasMessageContaining("--image-size must be at least 8");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--data"}))
        .hasMessageContaining("--data needs a value");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "--model-file", "m.zip"}))
        .hasMessageContaining("--predict needs a value");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--frobnicate", "1"}))
        .hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "a.jpg", "--epochs", "3"}))
        .hasMessageContaining("--epochs only applies to training, not to --predict");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "a.jpg", "--evaluate", "dir"}))
        .hasMessageContaining("cannot be combined");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--model-file", "m.zip"}))
        .hasMessageContaining("--model-file goes with --predict or --evaluate");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--class-names", "a,b"}))
        .hasMessageContaining("--class-names goes with --predict or --evaluate");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "a.jpg", "--class-names", "a,,b"}))
        .hasMessageContaining("--class-names must list distinct, non-empty names separated by commas; got 'a,,b'");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "a.jpg", "--class-names", "a,b,a"}))
        .hasMessageContaining("got 'a,b,a'");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--predict", "a.jpg", "--resume"}))
        .hasMessageContaining("--resume only applies to training, not to --predict");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--resume", "--resume"}))
        .hasMessageContaining("--resume is given twice");
    assertThat(FlowersExample.parse(new String[] {"--resume", "--epochs", "2"}).resume).isTrue();
    assertThat(FlowersExample.usage()).contains("--resume", "--class-names", ".keras or .h5");
    assertThatThrownBy(() -> FlowersExample.parse(new String[] {"--seed", "1", "--seed", "2"}))
        .hasMessageContaining("--seed is given twice");
    assertThat(FlowersExample.parse(new String[] {"--help"})).isNull();
    FlowersExample.Options o = FlowersExample.parse(new String[] {"--predict", "a.jpg", "b.png", "--out", "o"});
    assertThat(o.predict).containsExactly(Path.of("a.jpg"), Path.of("b.png"));
    assertThat(o.modelFile()).isEqualTo(Path.of("o", "model.zip"));
  }

  @Test
  void thePlainModelHasTheTutorialsParameterCount() {
    Sequential plain = FlowersModels.plain(1, 180, 180, 5);
    assertThat(plain.countParams()).isEqualTo(3_989_285L);
    assertThat(FlowersModels.augmented(1, 180, 180, 5).countParams()).isEqualTo(3_989_285L);
  }

  // ------------------------------------------------------------------------------------------

  private record Run(int code, String text) {}

  private static Run run(String... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = FlowersExample.run(args, ps, ps);
    return new Run(code, buf.toString(StandardCharsets.UTF_8));
  }

  /**
   * A class-per-folder tree: per class {@code perClass} 40×30 PNGs of its shape (circle, square,
   * triangle or star) in a random colour, size and place on a random light background.
   */
  static Path shapes(Path root, List<String> classes, int perClass, long seed) throws IOException {
    Random rng = new Random(seed);
    for (String c : classes) {
      Path dir = Files.createDirectories(root.resolve(c));
      for (int i = 0; i < perClass; i++) {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200 + rng.nextInt(56), 200 + rng.nextInt(56), 200 + rng.nextInt(56)));
        g.fillRect(0, 0, 40, 30);
        g.setColor(new Color(rng.nextInt(160), rng.nextInt(160), rng.nextInt(160)));
        int s = 12 + rng.nextInt(10);
        int x = rng.nextInt(40 - s);
        int y = rng.nextInt(30 - s);
        switch (c) {
          case "circles": g.fillOval(x, y, s, s); break;
          case "squares": g.fillRect(x, y, s, s); break;
          case "triangles": g.fillPolygon(new int[] {x, x + s, x + s / 2}, new int[] {y + s, y + s, y}, 3); break;
          default: g.fillPolygon(new int[] {x + s / 2, x + s, x, x + s, x}, new int[] {y, y + s, y + s / 3, y + s / 3, y + s}, 5);
        }
        g.dispose();
        ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
      }
    }
    return root;
  }
}
