package dev.neurona.examples.mnist;

import static dev.neurona.examples.launch.OptionValues.oneOf;
import static dev.neurona.examples.launch.OptionValues.parseLong;
import static dev.neurona.examples.launch.OptionValues.positiveDouble;
import static dev.neurona.examples.launch.OptionValues.positiveInt;

import dev.neurona.core.Parallel;
import dev.neurona.core.Simd;
import dev.neurona.core.Tensor;
import dev.neurona.data.DatasetLoader;
import dev.neurona.data.FashionMnist;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.Mnist;
import dev.neurona.data.TrainTest;
import dev.neurona.examples.launch.LaunchChecks;
import dev.neurona.examples.launch.ResumableFit;
import dev.neurona.examples.launch.SavedModel;
import dev.neurona.examples.plot.Plots;
import dev.neurona.keras.KerasModels;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.EarlyStopping;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ProgressBar;
import dev.neurona.optim.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * MNIST end to end: loads (fetching on first use) the data, trains one of the two tutorial
 * networks, prints the summary, per-epoch progress and the test accuracy, and writes the model,
 * its history and the usual plots into {@code --out}.
 *
 * <p>Run it with {@code ./neurona mnist --help}.
 */
public final class MnistExample {
  /** Images held out from the 60,000 training images for validation (TensorFlow's tutorial keeps 5,000). */
  static final int VALIDATION_IMAGES = 5_000;

  /** Parsed command line. */
  static final class Options {
    String model = "cnn";
    String dataset = "mnist";
    Integer epochs;
    int batchSize = 128;
    Double lr;
    long seed = 42;
    Integer threads;
    Path data;
    Path out;
    Integer limit;
    Path evaluateModel;
    boolean resume;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("mnist: " + e.getMessage());
      code = 2;
    } catch (IOException e) {
      System.err.println("mnist: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static String usage() {
    return String.join("\n",
        "Usage: ./neurona mnist [options]",
        "",
        "  --model cnn|keras    cnn (default): TensorFlow's Deep MNIST CNN, 2 conv blocks + dense 1024 + dropout",
        "                       keras: one 4x4 conv, max-pool, dense 128 (early stopping on val_loss, patience 2)",
        "  --dataset mnist|fashion   MNIST (default) or Fashion-MNIST",
        "  --epochs N           epochs (default: cnn 8, keras 20 with early stopping)",
        "  --batch-size B       mini-batch size (default 128)",
        "  --lr X               initial Adam learning rate (default 0.001, decayed by 0.75 per epoch)",
        "  --seed S             seed for initialisation, shuffling and dropout (default 42)",
        "  --threads T          library threads (default: all cores)",
        "  --data DIR           directory holding the IDX files, in DIR/mnist (DIR/fashion-mnist) or DIR itself",
        "                       (else $NEURONA_DATA, the same way; else ~/.cache/neurona, fetched on first use)",
        "  --out DIR            where to write the model, history and plots (default out/<dataset>)",
        "  --limit N            train on the first N training images only (quick runs)",
        "  --evaluate-model F   no training: the test accuracy of the model in file F (Keras .keras or .h5, Neurona zip)",
        "  --resume             back up after every epoch to <out>/backup and, run again after a crash or kill,",
        "                       go on from there (bit for bit the same result); history.csv is written as it goes",
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
        o.resume = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value\n" + usage());
      }
      String v = args[++i];
      switch (a) {
        case "--model": o.model = oneOf(a, v, "cnn", "keras"); break;
        case "--dataset": o.dataset = oneOf(a, v, "mnist", "fashion"); break;
        case "--epochs": o.epochs = positiveInt(a, v); break;
        case "--batch-size": o.batchSize = positiveInt(a, v); break;
        case "--lr": o.lr = positiveDouble(a, v); break;
        case "--seed": o.seed = parseLong(a, v); break;
        case "--threads": o.threads = positiveInt(a, v); break;
        case "--data": o.data = Path.of(v); break;
        case "--out": o.out = Path.of(v); break;
        case "--limit": o.limit = positiveInt(a, v); break;
        case "--evaluate-model": o.evaluateModel = Path.of(v); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    return o;
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    return run(args, out, err, System::getenv);
  }

  /**
   * Runs the example reading environment variables from {@code env}; {@code extra} callbacks are
   * added after the example's own (tests use them to interrupt a run).
   */
  static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env, Callback... extra)
      throws IOException {
    Options o = parse(args);
    if (o == null) {
      out.print(usage());
      return 0;
    }
    boolean fashion = o.dataset.equals("fashion");
    String name = fashion ? "fashion-mnist" : "mnist";
    // Fail in a second, not after the training: the output directory must be writable, --data must exist.
    Path outDir = LaunchChecks.outputDirectory("--out", o.out != null ? o.out : Path.of("out", name));
    LaunchChecks.dataDirectory("--data", o.data, "the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,"
        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz), in DIR/" + name + " or DIR itself");
    if (o.threads != null) {
      Parallel.setThreads(o.threads);
    }
    List<String> classNames = fashion ? FashionMnist.CLASS_NAMES : digits();

    out.printf(Locale.ROOT, "Neurona %s on %s | %s | %d threads | Java %s%n", o.model, fashion ? "Fashion-MNIST" : "MNIST",
        Simd.describe(), Parallel.threads(), Runtime.version());

    // fallback(false): a --data or NEURONA_DATA without the files is an error, not a reason to use the cache.
    DatasetLoader loader = (fashion ? FashionMnist.loader() : Mnist.loader()).environment(env).fallback(false)
        .progress(msg -> out.println("data: " + msg));
    if (o.data != null) {
      loader.dataDir(o.data);
    }
    TrainTest data = loader.load();
    ImageDataset all = data.train();
    ImageDataset train = all.select(all.name() + "-train", range(0, all.size() - VALIDATION_IMAGES));
    ImageDataset val = all.select(all.name() + "-validation", range(all.size() - VALIDATION_IMAGES, all.size()));
    if (o.limit != null && o.limit < train.size()) {
      train = train.subset(o.limit);
    }
    ImageDataset test = data.test();
    out.printf(Locale.ROOT, "data: %d training, %d validation, %d test images%n%n", train.size(), val.size(), test.size());
    if (o.evaluateModel != null) { // a model trained elsewhere, e.g. in Keras: its test accuracy, nothing else
      Sequential trained = KerasModels.load(o.evaluateModel);
      out.println(trained.summary());
      ImageDataset.Tensors t = test.toTensors();
      int[] predicted = trained.predictClasses(t.x());
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        correct += predicted[i] == test.label(i) ? 1 : 0;
      }
      if (trained.loss() != null) {
        out.printf(Locale.ROOT, "test loss: %.4f%n", trained.evaluate(t.x(), t.y(), 128).get("loss"));
      }
      out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", correct / (double) predicted.length, correct, predicted.length);
      return 0;
    }

    boolean cnn = o.model.equals("cnn");
    int epochs = o.epochs != null ? o.epochs : cnn ? 8 : 20;
    double lr = o.lr != null ? o.lr : 1e-3;
    int stepsPerEpoch = (train.size() + o.batchSize - 1) / o.batchSize;
    // Adam, with the rate decayed by 0.75 after every epoch (both networks generalise better with it).
    LearningRateSchedule schedule = LearningRateSchedule.exponential(lr, stepsPerEpoch, 0.75, true);
    Sequential model = MnistModels.compile(MnistModels.byName(o.model, o.seed), schedule);
    out.println(model.summary());

    Fit fit = Fit.defaults().epochs(epochs).batchSize(o.batchSize).validationData(val).seed(o.seed);
    fit = cnn ? fit.callbacks(new ProgressBar(out))
        : fit.callbacks(new ProgressBar(out), new EarlyStopping("val_loss", 2, false));
    ResumableFit resume = ResumableFit.in(outDir, o.resume);
    String backupStatus = resume.status();
    if (backupStatus != null) {
      out.println(backupStatus);
    }
    fit = resume.apply(fit).callbacks(extra);
    long t0 = System.nanoTime();
    History history = model.fit(train, fit);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;

    Tensor testX = test.toTensors().x();
    int[] predicted = model.predictClasses(testX);
    int[] truth = new int[test.size()];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = test.label(i);
    }
    ClassificationReport report = new ClassificationReport(classNames, truth, predicted);
    if (!cnn) {
      out.println();
      out.println(report.report());
      out.println(report.confusionText());
    }
    long images = (long) history.epochs() * train.size();
    out.printf(Locale.ROOT, "training time: %.1f s for %d epochs (%.0f images/s)%n", trainSeconds, history.epochs(),
        images / trainSeconds);

    Files.createDirectories(outDir);
    model.save(outDir.resolve("model.zip"));
    if (!resume.enabled()) { // with --resume, CSVLogger wrote it epoch by epoch, the epochs before a resume included
      Files.writeString(outDir.resolve(ResumableFit.HISTORY), history.toCsv(), StandardCharsets.UTF_8);
    }
    Map<String, List<Double>> series = resume.history(history);
    Files.writeString(outDir.resolve("classification_report.txt"), report.report() + "\n" + report.confusionText(),
        StandardCharsets.UTF_8);
    Plots.savePng(Plots.lineChart("Loss", "Epoch", "loss", false, List.of(
        Plots.Series.overEpochs("training", series.get("loss")),
        Plots.Series.overEpochs("validation", series.get("val_loss")))), outDir.resolve("loss.png"));
    Plots.savePng(Plots.lineChart("Accuracy", "Epoch", "accuracy", false, List.of(
        Plots.Series.overEpochs("training", series.get("accuracy")),
        Plots.Series.overEpochs("validation", series.get("val_accuracy")))), outDir.resolve("accuracy.png"));
    MnistPlots.confusionMatrix(report.confusion(), classNames, "Confusion matrix (test set)", outDir.resolve("confusion_matrix.png"));
    MnistPlots.misclassified(test, predicted, 60, classNames, outDir.resolve("misclassified.png"));
    out.println(SavedModel.describe(outDir.resolve("model.zip"), model));
    out.println("wrote " + outDir.toAbsolutePath() + ": model.zip, history.csv, classification_report.txt, loss.png, "
        + "accuracy.png, confusion_matrix.png, misclassified.png");
    out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.total());
    return 0;
  }

  private static List<String> digits() {
    List<String> d = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      d.add(Integer.toString(i));
    }
    return d;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

}
