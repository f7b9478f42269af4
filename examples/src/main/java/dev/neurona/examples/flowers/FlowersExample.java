package dev.neurona.examples.flowers;

import static dev.neurona.examples.launch.OptionValues.oneOf;
import static dev.neurona.examples.launch.OptionValues.parseLong;
import static dev.neurona.examples.launch.OptionValues.positiveDouble;
import static dev.neurona.examples.launch.OptionValues.positiveInt;

import dev.neurona.core.Parallel;
import dev.neurona.core.Simd;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.ImageFolder;
import dev.neurona.data.Images;
import dev.neurona.examples.launch.LaunchChecks;
import dev.neurona.examples.launch.ResumableFit;
import dev.neurona.examples.mnist.ClassificationReport;
import dev.neurona.examples.plot.Plots;
import dev.neurona.keras.KerasModels;
import dev.neurona.layers.Activation;
import dev.neurona.layers.HasActivation;
import dev.neurona.layers.Layer;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow's image classification tutorial on the flower photos, end to end: loads a
 * class-per-folder tree as Keras' {@code image_dataset_from_directory} does (180×180, 80/20 split with
 * seed 123), trains the tutorial's plain or augmented CNN, prints the summary, per-epoch progress and
 * the validation accuracy, and writes the model (with its class names inside), history and pictures
 * into {@code --out}; with {@code --resume} it backs up after every epoch and goes on from the last
 * backup after a crash. With {@code --predict} it classifies photos with a saved model; with
 * {@code --evaluate} it scores one on another class-per-folder tree. The saved model may also be a
 * Keras {@code .keras} or {@code .h5} file.
 *
 * <p>Run it with {@code ./neurona flowers --help}.
 */
public final class FlowersExample {
  /** Where the photos are by default, relative to the project root ({@code -Dneurona.root}, set by the launcher). */
  static final String DEFAULT_DATA = "../shared/data/flower_photos";
  /** The tutorial's split: the last 20% of the files shuffled with seed 123 are for validation. */
  static final double VALIDATION_SPLIT = 0.2;
  static final long SPLIT_SEED = 123;
  static final int IMAGE_SIZE = 180;
  /** The smallest image the three 2×2 max-pools can take (8 → 4 → 2 → 1). */
  static final int MIN_IMAGE_SIZE = 8;

  /** Options that only training takes: rejected with --predict and --evaluate, which would ignore them. */
  private static final Set<String> TRAINING_OPTIONS = Set.of("--model", "--epochs", "--lr", "--seed", "--data", "--limit",
      "--image-size", "--resume");

  /** Parsed command line. */
  static final class Options {
    String model = "augmented";
    Integer epochs;
    int batchSize = 32;
    double lr = 1e-3;
    long seed = Sequential.DEFAULT_SEED;
    Integer threads;
    Path data;
    Path out = Path.of("out", "flowers");
    Integer limit;
    int imageSize = IMAGE_SIZE;
    List<Path> predict = new ArrayList<>();
    Path evaluate;
    Path modelFile;
    List<String> classNames;
    boolean resume;
    final Set<String> given = new LinkedHashSet<>();

    /** The saved model that --predict and --evaluate use: --model-file, else model.zip in --out. */
    Path modelFile() {
      return modelFile != null ? modelFile : out.resolve("model.zip");
    }
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("flowers: " + e.getMessage());
      code = 2;
    } catch (IOException e) {
      System.err.println("flowers: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static String usage() {
    return String.join("\n",
        "Usage: ./neurona flowers [options]                      train, then write the model and pictures into --out",
        "       ./neurona flowers --predict PHOTO... [--model-file FILE]   classify photos with a saved model",
        "       ./neurona flowers --evaluate DIR [--model-file FILE]       score a saved model on a class-per-folder tree",
        "",
        "  --model plain|augmented   augmented (default): RandomFlip, RandomRotation(0.1), RandomZoom(0.1) in front",
        "                       and Dropout(0.2) before the dense layers; plain: the tutorial's first CNN",
        "  --epochs N           epochs (default: plain 10, augmented 15)",
        "  --batch-size B       mini-batch size (default 32)",
        "  --lr X               Adam learning rate (default 0.001)",
        "  --seed S             seed for initialisation, shuffling, dropout and augmentation (default 42);",
        "                       the training/validation split always uses the tutorial's seed 123",
        "  --threads T          library threads (default: all cores)",
        "  --data DIR           the photos, one sub-folder per class (default: " + DEFAULT_DATA + " from the",
        "                       project root)",
        "  --out DIR            where to write the model, history and pictures (default out/flowers)",
        "  --limit N            use only N of the photos (80% training, 20% validation; quick tries)",
        "  --resume             back up after every epoch to <out>/backup and, run again after a crash or kill,",
        "                       go on from the last backup (the same result, bit for bit)",
        "  --predict PHOTO...   print each photo's most likely class, its confidence and the top 3",
        "  --evaluate DIR       print the accuracy and a per-class report on a class-per-folder tree",
        "  --model-file FILE    the model for --predict and --evaluate (default: model.zip in --out): a Neurona",
        "                       zip, which carries its class names, or a Keras .keras or .h5 file",
        "  --class-names A,B,.. the class names of the model's outputs, for a model file without them (Keras);",
        "                       --evaluate takes them from the folder names otherwise",
        "  --help               this text",
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
      if (a.equals("--resume")) {
        if (!o.given.add(a)) {
          throw new IllegalArgumentException(a + " is given twice");
        }
        o.resume = true;
        continue;
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        throw new IllegalArgumentException(a + " needs a value\n" + usage());
      }
      if (!o.given.add(a)) {
        throw new IllegalArgumentException(a + " is given twice");
      }
      String v = args[++i];
      switch (a) {
        case "--model": o.model = oneOf(a, v, "plain", "augmented"); break;
        case "--epochs": o.epochs = positiveInt(a, v); break;
        case "--batch-size": o.batchSize = positiveInt(a, v); break;
        case "--lr": o.lr = positiveDouble(a, v); break;
        case "--seed": o.seed = parseLong(a, v); break;
        case "--threads": o.threads = positiveInt(a, v); break;
        case "--data": o.data = Path.of(v); break;
        case "--out": o.out = Path.of(v); break;
        case "--limit":
          o.limit = positiveInt(a, v);
          if (o.limit < 5) {
            throw new IllegalArgumentException("--limit must be at least 5 (20% of it are validation photos); got '" + v + "'");
          }
          break;
        case "--image-size": // hidden: small images for tests
          o.imageSize = positiveInt(a, v);
          if (o.imageSize < MIN_IMAGE_SIZE) {
            throw new IllegalArgumentException("--image-size must be at least " + MIN_IMAGE_SIZE + " (three 2x2 max-pools); got '" + v + "'");
          }
          break;
        case "--predict":
          o.predict.add(Path.of(v));
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            o.predict.add(Path.of(args[++i]));
          }
          break;
        case "--evaluate": o.evaluate = Path.of(v); break;
        case "--model-file": o.modelFile = Path.of(v); break;
        case "--class-names": o.classNames = classNames(a, v); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    boolean predicting = !o.predict.isEmpty();
    if (predicting && o.evaluate != null) {
      throw new IllegalArgumentException("--predict and --evaluate cannot be combined; run them one at a time");
    }
    if (predicting || o.evaluate != null) {
      for (String g : o.given) {
        if (TRAINING_OPTIONS.contains(g)) {
          throw new IllegalArgumentException(g + " only applies to training, not to " + (predicting ? "--predict" : "--evaluate")
              + " (use --model-file to choose the saved model)");
        }
      }
    } else if (o.modelFile != null || o.classNames != null) {
      throw new IllegalArgumentException((o.modelFile != null ? "--model-file" : "--class-names") + " goes with --predict or"
          + " --evaluate; training writes model.zip into --out, with the class names of the --data folders");
    }
    return o;
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    return run(args, out, err, new Callback[0]);
  }

  /** Runs the example; {@code extra} callbacks join the training's own (tests use them to interrupt a run). */
  static int run(String[] args, PrintStream out, PrintStream err, Callback... extra) throws IOException {
    Options o = parse(args);
    if (o == null) {
      out.print(usage());
      return 0;
    }
    if (o.threads != null) {
      Parallel.setThreads(o.threads);
    }
    if (!o.predict.isEmpty()) {
      return predict(o, out);
    }
    if (o.evaluate != null) {
      return evaluate(o, out);
    }
    return train(o, out, extra);
  }

  /** The photo folder: --data, else {@value #DEFAULT_DATA} from the project root (the working directory when not launched by ./neurona). */
  static Path dataDir(Options o, String projectRoot) {
    if (o.data != null) {
      return o.data;
    }
    Path root = projectRoot != null ? Path.of(projectRoot) : Path.of("");
    return root.toAbsolutePath().resolve(DEFAULT_DATA).normalize();
  }

  private static int train(Options o, PrintStream out, Callback... extra) throws IOException {
    out.printf(Locale.ROOT, "Neurona flowers, %s model | %s | %d threads | Java %s%n", o.model, Simd.describe(),
        Parallel.threads(), Runtime.version());
    Path dataDir = dataDir(o, System.getProperty("neurona.root"));
    requireFolder(dataDir, o.data == null ? " (the default; pass --data DIR to use another folder)" : " (--data)");
    LaunchChecks.outputDirectory("--out", o.out); // fail now, not after the training

    ImageFolder.Options loadOptions = ImageFolder.Options.defaults().imageSize(o.imageSize, o.imageSize)
        .validationSplit(VALIDATION_SPLIT).seed(SPLIT_SEED);
    long t0 = System.nanoTime();
    ImageFolder folder = load(dataDir, loadOptions, out);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    ImageDataset train = folder.train();
    ImageDataset val = folder.validation();
    out.printf(Locale.ROOT, "found %d files belonging to %d classes: %d for training, %d for validation (loaded in %.1f s)%n",
        folder.fileCount(), folder.classNames().size(), train.size(), val.size(), loadSeconds);
    if (o.limit != null && o.limit < folder.fileCount()) {
      int nVal = (int) (VALIDATION_SPLIT * o.limit);
      train = train.subset(Math.min(train.size(), o.limit - nVal));
      val = val.subset(Math.min(val.size(), nVal));
      out.printf(Locale.ROOT, "--limit %d: using the first %d training and %d validation photos%n", o.limit, train.size(), val.size());
    }
    List<String> classNames = folder.classNames();
    out.println("class names: " + classNames);

    Files.createDirectories(o.out);
    FlowersPlots.photos(train, o.out.resolve("photos.png"));
    FlowersPlots.augmented(train, 0, o.seed, o.out.resolve("augmented.png"));

    boolean augmented = o.model.equals("augmented");
    int epochs = o.epochs != null ? o.epochs : augmented ? 15 : 10;
    Sequential model = FlowersModels.compile(
        FlowersModels.byName(o.model, o.seed, o.imageSize, o.imageSize, classNames.size()), o.lr);
    out.println();
    out.println(model.summary());

    Fit fit = Fit.defaults().epochs(epochs).batchSize(o.batchSize).validationData(new Pixels255(val))
        .callbacks(new ProgressBar(out));
    ResumableFit resume = ResumableFit.in(o.out, o.resume);
    String backupStatus = resume.status();
    if (backupStatus != null) {
      out.println(backupStatus);
    }
    fit = resume.apply(fit).callbacks(extra);
    long t1 = System.nanoTime();
    History history = model.fit(new Pixels255(train), fit);
    double trainSeconds = (System.nanoTime() - t1) / 1e9;

    int[] predicted = predictClasses(model, new Pixels255(val), o.batchSize);
    ClassificationReport report = new ClassificationReport(classNames, labels(val), predicted);
    out.println();
    out.println(report.report());
    out.println(report.confusionText());
    out.printf(Locale.ROOT, "training time: %.1f s for %d epochs (%.1f images/s)%n", trainSeconds, history.epochs(),
        (double) history.epochs() * train.size() / trainSeconds);

    Path modelFile = o.out.resolve("model.zip");
    model.classNames(classNames); // inside the model file: --predict needs nothing else
    model.save(modelFile);
    if (!resume.enabled()) { // with --resume, CSVLogger wrote it epoch by epoch, the epochs before a resume included
      Files.writeString(o.out.resolve(ResumableFit.HISTORY), history.toCsv(), StandardCharsets.UTF_8);
    }
    Map<String, List<Double>> series = resume.history(history);
    Files.writeString(o.out.resolve("classification_report.txt"), report.report() + "\n" + report.confusionText(),
        StandardCharsets.UTF_8);
    FlowersPlots.training(series, o.out.resolve("training.png"));
    Plots.confusionMatrix(report.confusion(), classNames, "Confusion matrix (validation photos)",
        o.out.resolve("confusion_matrix.png"));
    out.println("wrote " + o.out.toAbsolutePath() + ": model.zip (with the class names), history.csv, "
        + "classification_report.txt, training.png, photos.png, augmented.png, confusion_matrix.png");
    out.printf(Locale.ROOT, "validation accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.total());
    return 0;
  }

  private static int predict(Options o, PrintStream out) throws IOException {
    Saved saved = Saved.load(o.modelFile(), o.classNames);
    if (saved.classNames == null) {
      throw new IOException("the model " + o.modelFile() + " carries no class names (a Keras file, or a Neurona model saved"
          + " before they were kept inside): pass them in output order with --class-names A,B,...");
    }
    for (Path photo : o.predict) {
      if (!Files.isRegularFile(photo)) {
        throw new IOException("no photo at " + photo.toAbsolutePath() + " (--predict takes image files: JPEG, PNG, GIF or BMP)");
      }
      Tensor x = Pixels255.toRaw(Images.load(photo, saved.imageOptions()));
      float[] y = saved.model.predict(x).data();
      double[] p = saved.probabilities ? toDouble(y) : softmax(y);
      Integer[] order = new Integer[p.length];
      for (int k = 0; k < order.length; k++) {
        order[k] = k;
      }
      Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
      out.println(photo + ":");
      out.printf(Locale.ROOT, "This image most likely belongs to %s with a %.2f percent confidence.%n",
          saved.classNames.get(order[0]), 100 * p[order[0]]);
      int w = saved.classNames.stream().mapToInt(String::length).max().orElse(0);
      for (int r = 0; r < Math.min(3, order.length); r++) {
        out.printf(Locale.ROOT, "  %d. %-" + w + "s %6.2f%%%n", r + 1, saved.classNames.get(order[r]), 100 * p[order[r]]);
      }
    }
    return 0;
  }

  private static int evaluate(Options o, PrintStream out) throws IOException {
    Saved saved = Saved.load(o.modelFile(), o.classNames);
    requireFolder(o.evaluate, " (--evaluate)");
    ImageFolder folder = load(o.evaluate, saved.imageOptions().shuffle(false), out);
    List<String> names = saved.classNames;
    if (names == null) {
      names = folder.classNames();
      if (names.size() != saved.classes()) {
        throw new IllegalArgumentException("the model " + o.modelFile() + " has " + saved.classes() + " outputs and no class"
            + " names, but " + o.evaluate + " has " + names.size() + " class folders " + names);
      }
      out.println("class names: " + names + " (the folders of " + o.evaluate + "; the model file has none)");
    } else if (!folder.classNames().equals(names)) {
      throw new IllegalArgumentException("the class folders of " + o.evaluate + " " + folder.classNames()
          + " do not match the classes of the model " + o.modelFile() + " " + names + " (" + saved.namesFrom + ")");
    }
    ImageDataset data = folder.train();
    int[] predicted = predictClasses(saved.model, new Pixels255(data), o.batchSize);
    ClassificationReport report = new ClassificationReport(names, labels(data), predicted);
    out.println();
    out.println(report.report());
    out.println(report.confusionText());
    out.printf(Locale.ROOT, "accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.total());
    return 0;
  }

  /** A saved model with its class names, when known. */
  static final class Saved {
    final Sequential model;
    /** The class names, or null when neither the file nor the command line gives them. */
    final List<String> classNames;
    /** Where the names came from, for messages. */
    final String namesFrom;
    /** Whether the model's outputs are probabilities already (its last layer is a softmax), not logits. */
    final boolean probabilities;

    private Saved(Sequential model, List<String> classNames, String namesFrom) {
      this.model = model;
      this.classNames = classNames;
      this.namesFrom = namesFrom;
      Layer last = model.layers().get(model.layers().size() - 1);
      this.probabilities = last instanceof HasActivation && ((HasActivation) last).activation() == Activation.SOFTMAX;
    }

    /**
     * Loads {@code file}, a Neurona zip or a Keras {@code .keras} / {@code .h5} file; the class names are
     * {@code given} (--class-names) if not null, else the model's own, else those of a {@code class_names.txt}
     * beside it (written by earlier versions of this example), else unknown (null).
     */
    static Saved load(Path file, List<String> given) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new IOException("no saved model at " + file.toAbsolutePath() + ": train one with ./neurona flowers "
            + "(it writes model.zip into --out), or pass --model-file FILE");
      }
      Sequential model = KerasModels.load(file);
      if (model.inputShape() == null || model.inputShape().rank() != 3 || model.inputShape().dim(2) != 3
          || model.outputShape().rank() != 1) {
        throw new IOException(file + " is not an image classifier: input " + model.inputShape() + ", output "
            + model.outputShape() + " (expected (height, width, 3) and (classes))");
      }
      int classes = model.outputShape().dim(0);
      if (given != null) {
        if (given.size() != classes) {
          throw new IllegalArgumentException("--class-names gives " + given.size() + " names " + given + " but the model "
              + file + " has " + classes + " outputs");
        }
        return new Saved(model, given, "from --class-names");
      }
      if (!model.classNames().isEmpty()) {
        return new Saved(model, model.classNames(), "saved in the model file");
      }
      if (Files.isRegularFile(ClassNames.fileFor(file))) {
        return new Saved(model, ClassNames.load(file, classes), "from " + ClassNames.fileFor(file));
      }
      return new Saved(model, null, "none");
    }

    /** The number of classes: the model's output width. */
    int classes() {
      return model.outputShape().dim(0);
    }

    /** How photos are prepared for this model: resized to its input size, RGB. */
    ImageFolder.Options imageOptions() {
      return ImageFolder.Options.defaults().imageSize(model.inputShape().dim(0), model.inputShape().dim(1));
    }
  }

  /** Loads a folder, rewriting one progress line as photos are decoded. */
  private static ImageFolder load(Path dir, ImageFolder.Options options, PrintStream out) throws IOException {
    ImageFolder folder = ImageFolder.load(dir, options, (done, total) -> {
      out.printf(Locale.ROOT, "\rloading %s: %d/%d photos", dir.getFileName(), done, total);
      out.flush();
    });
    out.println();
    return folder;
  }

  private static void requireFolder(Path dir, String which) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no photo folder at " + dir.toAbsolutePath() + which + ": expected a folder with one sub-folder "
          + "of photos per class, as TensorFlow's flower_photos (daisy/, dandelion/, roses/, sunflowers/, tulips/)");
    }
  }

  /** The arg-max of the model's outputs for every sample of {@code data}, a batch at a time. */
  static int[] predictClasses(Sequential model, DataSource data, int batchSize) {
    int n = data.size();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int[] predicted = new int[n];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      Tensor x = Tensor.zeros(data.sampleShape().prepend(to - from));
      Tensor y = Tensor.zeros(data.targetShape().prepend(to - from));
      data.fill(all, from, to, x, y);
      float[] out = model.predict(x).data();
      int classes = out.length / (to - from);
      for (int b = 0; b < to - from; b++) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
          if (out[b * classes + k] > out[b * classes + best]) {
            best = k;
          }
        }
        predicted[from + b] = best;
      }
    }
    return predicted;
  }

  private static double[] toDouble(float[] p) {
    double[] d = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      d[k] = p[k];
    }
    return d;
  }

  /** The comma-separated, non-empty, distinct names of {@code --class-names}. */
  private static List<String> classNames(String opt, String v) {
    List<String> names = new ArrayList<>();
    for (String n : v.split(",", -1)) {
      String t = n.strip();
      if (t.isEmpty() || names.contains(t)) {
        throw new IllegalArgumentException(opt + " must list distinct, non-empty names separated by commas; got '" + v + "'");
      }
      names.add(t);
    }
    return List.copyOf(names);
  }

  /** {@code softmax(logits)}, in double, shifted by the maximum. */
  static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int k = 0; k < p.length; k++) {
      p[k] = Math.exp(logits[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < p.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  private static int[] labels(ImageDataset data) {
    int[] l = new int[data.size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = data.label(i);
    }
    return l;
  }

}
