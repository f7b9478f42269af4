package dev.neurona.examples.captcha;

import static dev.neurona.examples.launch.OptionValues.parseLong;
import static dev.neurona.examples.launch.OptionValues.positiveInt;

import dev.neurona.core.Parallel;
import dev.neurona.core.Simd;
import dev.neurona.core.Tensor;
import dev.neurona.data.ImageDataset;
import dev.neurona.examples.mnist.ClassificationReport;
import dev.neurona.examples.plot.Plots;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "How to break a CAPTCHA system in 15 minutes with machine learning" (Adam Geitgey's Keras
 * tutorial), end to end in Java:
 *
 * <ol>
 *   <li>draws {@code --count} captchas in the style of WordPress' Really Simple CAPTCHA
 *       ({@link CaptchaGenerator}) into a cache folder, named by their text;</li>
 *   <li>cuts them into letters ({@link LetterExtractor}), one folder per symbol; captchas that do
 *       not give four regions are skipped and counted;</li>
 *   <li>loads the letters as 20×20 images, splits them 75/25, one-hot encodes the labels
 *       ({@link LabelBinarizer}) and trains the "bad" model (no pooling, 1 epoch) and the tutorial's
 *       model (two conv + pool blocks, Adam, batch 32, 10 epochs), printing summaries and progress;</li>
 *   <li>draws feature maps of one test letter and both models' predictions for it;</li>
 *   <li>reads {@code --fresh} captchas drawn with another seed, whole, and reports the share read
 *       right (segmentation rejects count as failures).</li>
 * </ol>
 *
 * <p>The last two lines are {@code letter accuracy: 0.9962 (9650/9687)} (the good model on the test
 * letters) and {@code captcha accuracy: 0.9870 (987/1000)} (fresh captchas). {@code --solve FILE…}
 * reads captcha files with the model saved in {@code --out}. Run {@code ./neurona captcha --help}.
 */
public final class CaptchaExample {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Fresh captchas are drawn from {@code seed + FRESH_SEED_OFFSET}, a seed the training set never uses. */
  static final long FRESH_SEED_OFFSET = 1_000_000_007L;
  /** Share of the letters held out for testing, as the tutorial's {@code test_size=0.25}. */
  static final double TEST_FRACTION = 0.25;
  /** How many fresh captchas are also written to {@code --out}/samples for {@code --solve}. */
  static final int SAMPLES = 10;

  /** Parsed command line. */
  static final class Options {
    int count = 10_000;
    int fresh = 1_000;
    long seed = 42;
    int epochs = 10;
    Integer threads;
    Path data;
    Path out = Path.of("out", "captcha");
    Path font;
    List<Path> solve;
    Path modelFile;
  }

  private CaptchaExample() {}

  /** Runs the example and exits with its status (2 for a bad option, 1 for a file problem). */
  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("captcha: " + e.getMessage());
      code = 2;
    } catch (IOException e) {
      System.err.println("captcha: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static String usage() {
    return String.join("\n",
        "Usage: ./neurona captcha [options]",
        "       ./neurona captcha --solve FILE... [--model-file FILE | --out DIR]",
        "",
        "Generates captchas, cuts them into letters, trains the tutorial's bad and good letter",
        "classifiers, draws feature maps and predictions, and reads fresh captchas whole.",
        "",
        "  --count N        captchas to generate for training (default 10000)",
        "  --fresh N        fresh captchas (another seed) to read whole at the end (default 1000)",
        "  --seed S         seed for the captchas, the split, initialisation and shuffling (default 42)",
        "  --epochs N       epochs for the good model (default 10; the bad model trains 1)",
        "  --threads T      library threads (default: all cores)",
        "  --data DIR       cache folder for captchas and letters (default ~/.cache/neurona/captcha)",
        "  --out DIR        where to write the model and pictures (default out/captcha)",
        "  --font FILE      TrueType font to draw with (default: DejaVu Sans Bold, searched for)",
        "  --solve FILE...  read these captcha images with the model saved in --out and print their text",
        "  --model-file F   the model for --solve (default: model.zip in --out); it carries its symbols",
        "  --help           this text",
        "");
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        return null;
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage());
      }
      if (a.equals("--solve")) {
        o.solve = new ArrayList<>();
        while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          o.solve.add(Path.of(args[++i]));
        }
        if (o.solve.isEmpty()) {
          throw new IllegalArgumentException("--solve needs at least one captcha file\n" + usage());
        }
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value\n" + usage());
      }
      String v = args[++i];
      switch (a) {
        case "--count": o.count = positiveInt(a, v); break;
        case "--fresh": o.fresh = positiveInt(a, v); break;
        case "--seed": o.seed = parseLong(a, v); break;
        case "--epochs": o.epochs = positiveInt(a, v); break;
        case "--threads": o.threads = positiveInt(a, v); break;
        case "--data": o.data = Path.of(v); break;
        case "--out": o.out = Path.of(v); break;
        case "--font": o.font = Path.of(v); break;
        case "--model-file": o.modelFile = Path.of(v); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    if (o.modelFile != null && o.solve == null) {
      throw new IllegalArgumentException("--model-file goes with --solve; training writes " + CaptchaSolver.MODEL_FILE
          + " into --out");
    }
    return o;
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Options o = parse(args);
    if (o == null) {
      out.print(usage());
      return 0;
    }
    if (o.threads != null) {
      Parallel.setThreads(o.threads);
    }
    if (o.solve != null) {
      return solve(o, out, err);
    }
    Phases phases = new Phases();
    Path root = o.data != null ? o.data : Path.of(System.getProperty("user.home"), ".cache", "neurona", "captcha");
    Path fontFile = o.font != null ? o.font : CaptchaFont.find();
    CaptchaGenerator generator = new CaptchaGenerator(fontFile);
    LetterExtractor extractor = new LetterExtractor();

    out.printf(Locale.ROOT, "Neurona captcha | %s | %d threads | Java %s%n", Simd.describe(), Parallel.threads(),
        Runtime.version());
    out.println("font: " + fontFile);

    // 1. Captchas, named by their text.
    CaptchaFolders.Generated gen = CaptchaFolders.captchas(generator, o.seed, o.count, root);
    phases.end("generation");
    out.printf(Locale.ROOT, "captchas: %d in %s (%s)%n", gen.count(), gen.dir(), gen.reused() ? "cached" : "generated");

    // 2. Letters, one folder per symbol.
    CaptchaFolders.Extracted ex = CaptchaFolders.letters(gen.dir(), extractor, CaptchaModels.SIZE);
    phases.end("extraction");
    out.printf(Locale.ROOT, "letters: %d from %d captchas in %s (%s); %d captchas skipped (%.2f%%): not 4 regions%n",
        ex.letters(), ex.accepted(), ex.dir(), ex.reused() ? "cached" : "extracted", ex.rejected(),
        100.0 * ex.rejected() / Math.max(1, ex.captchas()));

    // 3. Load (an image folder, one sub-folder per symbol), scale to [0, 1], split 75/25, one-hot.
    ImageDataset letters = CaptchaFolders.loadLetters(ex.dir(), CaptchaModels.SIZE);
    LetterSplit split = LetterSplit.of(letters, TEST_FRACTION, o.seed);
    // The tutorial fits the binarizer on Y_train, which holds all 32 symbols; fitting it on the alphabet
    // gives the same columns and keeps 32 outputs when a small --count leaves a symbol out.
    LabelBinarizer lb = LabelBinarizer.fit(CaptchaGenerator.ALPHABET.chars().mapToObj(c -> String.valueOf((char) c)).toList());
    Tensor yTrain = lb.transform(split.trainLabels());
    Tensor yTest = lb.transform(split.testLabels());
    phases.end("loading");
    out.printf(Locale.ROOT, "data: %d training, %d test letters of %d×%d, %d classes%n%n", split.xTrain().dim(0),
        split.xTest().dim(0), CaptchaModels.SIZE, CaptchaModels.SIZE, lb.size());

    // 4a. The bad model: no pooling, one epoch.
    Sequential bad = CaptchaModels.bad(lb.size(), o.seed);
    out.println(bad.summary());
    bad.fit(split.xTrain(), yTrain, Fit.defaults().epochs(1).batchSize(32).validationData(split.xTest(), yTest).seed(o.seed)
        .callbacks(new ProgressBar(out)));
    Tensor badProbabilities = bad.predict(split.xTest());
    int[] badPredicted = argmax(badProbabilities);
    int[] truth = argmax(yTest);
    int badCorrect = countEqual(badPredicted, truth);
    phases.end("bad model");
    out.printf(Locale.ROOT, "bad model letter accuracy: %.4f (%d/%d)%n%n", (double) badCorrect / truth.length, badCorrect,
        truth.length);

    // 4b. The tutorial's model.
    Sequential good = CaptchaModels.good(lb.size(), o.seed);
    out.println(good.summary());
    History history = good.fit(split.xTrain(), yTrain, Fit.defaults().epochs(o.epochs).batchSize(32)
        .validationData(split.xTest(), yTest).seed(o.seed).callbacks(new ProgressBar(out)));
    int[] predicted = good.predictClasses(split.xTest());
    phases.end("good model");
    ClassificationReport report = new ClassificationReport(lb.classes(), truth, predicted);

    // 5. Files and pictures.
    Files.createDirectories(o.out);
    good.classNames(lb.classes()); // the binarizer's columns travel inside the model file
    good.save(o.out.resolve(CaptchaSolver.MODEL_FILE));
    Files.writeString(o.out.resolve("history.csv"), history.toCsv(), StandardCharsets.UTF_8);
    Files.writeString(o.out.resolve("classification_report.txt"), report.report(), StandardCharsets.UTF_8);
    Plots.savePng(Plots.lineChart("Loss (good model)", "Epoch", "loss", false, List.of(
        Plots.Series.overEpochs("training", history.get("loss")),
        Plots.Series.overEpochs("test", history.get("val_loss")))), o.out.resolve("loss.png"));
    Plots.savePng(Plots.lineChart("Accuracy (good model)", "Epoch", "accuracy", false, List.of(
        Plots.Series.overEpochs("training", history.get("accuracy")),
        Plots.Series.overEpochs("test", history.get("val_accuracy")))), o.out.resolve("accuracy.png"));
    List<String> pictures = pictures(bad, good, split, lb, hardest(badProbabilities, truth), o.out);
    phases.end("files and pictures");
    out.println("wrote " + o.out.toAbsolutePath() + ": " + CaptchaSolver.MODEL_FILE + " (with the symbols of its columns)"
        + ", history.csv, classification_report.txt, loss.png, accuracy.png, " + String.join(", ", pictures));

    // 6. Fresh captchas, read whole.
    long freshSeed = o.seed + FRESH_SEED_OFFSET;
    List<GrayImage> fresh = new ArrayList<>(o.fresh);
    List<String> freshText = new ArrayList<>(o.fresh);
    Map<String, Integer> sampleNames = new HashMap<>();
    for (int i = 0; i < o.fresh; i++) {
      CaptchaGenerator.Captcha c = generator.captcha(freshSeed, i);
      fresh.add(GrayImage.of(c.image()));
      freshText.add(c.text());
      if (i < SAMPLES) {
        int k = sampleNames.merge(c.text(), 1, Integer::sum);
        Path sample = o.out.resolve("samples").resolve(c.text() + (k == 1 ? "" : "_" + k) + ".png");
        Files.createDirectories(sample.getParent());
        Files.write(sample, CaptchaGenerator.png(c.image()));
      }
    }
    CaptchaSolver solver = new CaptchaSolver(good, lb);
    List<CaptchaSolver.Result> results = solver.solveAll(fresh);
    int right = 0;
    int rejected = 0;
    for (int i = 0; i < results.size(); i++) {
      CaptchaSolver.Result r = results.get(i);
      if (!r.read()) {
        rejected++;
      } else if (r.text().equals(freshText.get(i))) {
        right++;
      }
    }
    phases.end("solving");
    out.printf(Locale.ROOT, "fresh captchas (seed %d): %d read right, %d misread, %d rejected by segmentation (%.2f%%, counted"
        + " as failures); %d samples in %s%n", freshSeed, right, o.fresh - right - rejected, rejected,
        100.0 * rejected / o.fresh, Math.min(SAMPLES, o.fresh), o.out.resolve("samples"));

    out.println(phases);
    out.printf(Locale.ROOT, "letter accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.total());
    out.printf(Locale.ROOT, "captcha accuracy: %.4f (%d/%d)%n", (double) right / o.fresh, right, o.fresh);
    return 0;
  }

  /**
   * Feature maps of the first test letter (first convolution, first pooling, first 20 of the second
   * convolution, all from the good model), and both models' predictions for test letter
   * {@code shown}; returns the file names.
   */
  private static List<String> pictures(Sequential bad, Sequential good, LetterSplit split, LabelBinarizer lb, int shown,
      Path dir) throws IOException {
    Tensor x = split.testBatch(0);
    GrayImage letter = split.testImage(0);
    String truth = split.testLabels().get(0);
    // good: conv2d (0), max_pool2d (1), conv2d_1 (2), ...: what the layers up to conv2d_1 give for the letter.
    List<Tensor> maps = good.upTo(2).outputs(x);
    List<String> names = new ArrayList<>();
    CaptchaPlots.featureMaps(letter, maps.get(0), 20, "First convolution: 20 feature maps (20×20) of a test \"" + truth + "\"",
        dir.resolve("conv1_feature_maps.png"));
    names.add("conv1_feature_maps.png");
    CaptchaPlots.featureMaps(letter, maps.get(1), 20, "After the first max-pooling: 20 maps (10×10)",
        dir.resolve("pool1_feature_maps.png"));
    names.add("pool1_feature_maps.png");
    CaptchaPlots.featureMaps(letter, maps.get(2), 20, "Second convolution: first 20 of 50 feature maps (10×10)",
        dir.resolve("conv2_feature_maps.png"));
    names.add("conv2_feature_maps.png");
    Tensor shownX = split.testBatch(shown);
    List<CaptchaPlots.Prediction> rows = new ArrayList<>();
    for (Sequential m : List.of(bad, good)) {
      float[] p = m.predict(shownX).data();
      rows.add(new CaptchaPlots.Prediction(m.name() + " model", lb.inverseTransform(Tensor.of(p, 1, p.length)).get(0), p));
    }
    CaptchaPlots.predictions("Test letter " + shown + ": the one the bad model is least sure of", split.testImage(shown),
        split.testLabels().get(shown), rows, lb.classes(), dir.resolve("predictions.png"));
    names.add("predictions.png");
    return names;
  }

  /** The test letter the model is least sure of: the lowest probability for its true class. */
  private static int hardest(Tensor probabilities, int[] truth) {
    int k = probabilities.dim(1);
    float[] d = probabilities.data();
    int worst = 0;
    for (int i = 1; i < truth.length; i++) {
      if (d[i * k + truth[i]] < d[worst * k + truth[worst]]) {
        worst = i;
      }
    }
    return worst;
  }

  /** {@code ./neurona captcha --solve FILE…}: one line per file, {@code FILE: TEXT}. */
  private static int solve(Options o, PrintStream out, PrintStream err) throws IOException {
    CaptchaSolver solver = CaptchaSolver.load(o.modelFile != null ? o.modelFile : o.out.resolve(CaptchaSolver.MODEL_FILE));
    int failed = 0;
    for (Path f : o.solve) {
      CaptchaSolver.Result r = solver.solve(GrayImage.read(f));
      if (r.read()) {
        out.println(f + ": " + r.text());
      } else {
        failed++;
        out.println(f + ": not read (segmentation found " + r.regions() + " regions, not " + CaptchaGenerator.LENGTH + ")");
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private static int[] argmax(Tensor oneHot) {
    int n = oneHot.dim(0);
    int k = oneHot.dim(1);
    int[] r = new int[n];
    float[] d = oneHot.data();
    for (int i = 0; i < n; i++) {
      for (int c = 1; c < k; c++) {
        if (d[i * k + c] > d[i * k + r[i]]) {
          r[i] = c;
        }
      }
    }
    return r;
  }

  private static int countEqual(int[] a, int[] b) {
    int s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] == b[i] ? 1 : 0;
    }
    return s;
  }

  /**
   * Wall-clock and process CPU seconds per phase: on a shared machine the CPU time says what the work
   * cost, the wall clock what it took.
   */
  static final class Phases {
    private final Map<String, double[]> phases = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    private final long startCpu = cpuNanos();
    private long wall = start;
    private long cpu = startCpu;

    /** Ends the phase that began at the previous {@code end} (or at construction). */
    void end(String name) {
      long w = System.nanoTime();
      long c = cpuNanos();
      phases.put(name, new double[] {(w - wall) / 1e9, (c - cpu) / 1e9});
      wall = w;
      cpu = c;
    }

    /** {@code time (wall / process cpu): generation 6.7 s / 3.1 s, …, total …}; cpu is "?" when the JVM cannot say. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("time (wall / process cpu):");
      for (Map.Entry<String, double[]> e : phases.entrySet()) {
        sb.append(String.format(Locale.ROOT, " %s %s,", e.getKey(), pair(e.getValue()[0], e.getValue()[1])));
      }
      return sb.append(" total ").append(pair((System.nanoTime() - start) / 1e9, (cpuNanos() - startCpu) / 1e9)).toString();
    }

    private static String pair(double wall, double cpu) {
      return String.format(Locale.ROOT, "%.1f s / %s", wall, CPU == null ? "?" : String.format(Locale.ROOT, "%.1f s", cpu));
    }

    /** The JVM's process CPU clock, when it has one (HotSpot does). */
    private static final com.sun.management.OperatingSystemMXBean CPU =
        ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean sun
            && sun.getProcessCpuTime() >= 0 ? sun : null;

    private static long cpuNanos() {
      return CPU == null ? 0 : CPU.getProcessCpuTime();
    }
  }

}
