package dev.neurona.examples.cifar10;

import static dev.neurona.examples.launch.OptionValues.parseLong;
import static dev.neurona.examples.launch.OptionValues.positiveDouble;
import static dev.neurona.examples.launch.OptionValues.positiveInt;

import dev.neurona.core.Parallel;
import dev.neurona.core.Simd;
import dev.neurona.core.Tensor;
import dev.neurona.data.Cifar10;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.TrainTest;
import dev.neurona.examples.launch.LaunchChecks;
import dev.neurona.examples.launch.SavedModel;
import dev.neurona.examples.mnist.ClassificationReport;
import dev.neurona.examples.plot.Plots;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.layers.training.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * TensorFlow's CNN tutorial on CIFAR-10, end to end: loads the data (the binary batches from
 * {@code --data}, {@code $NEURONA_DATA} or the cache, downloaded on first use), trains the
 * tutorial's network for 10 epochs with the test set as validation data, prints the summary,
 * per-epoch progress, a per-class report and the test accuracy, and writes the model, its history
 * and the tutorial's accuracy plot into {@code --out}. When the data cannot be had it says how to
 * get it.
 *
 * <p>Run it with {@code ./neurona cifar10 --help}.
 */
public final class Cifar10Example {
  /** Parsed command line. */
  static final class Options {
    int epochs = 10;
    int batchSize = 32;
    double lr = 1e-3;
    long seed = Sequential.DEFAULT_SEED;
    Integer threads;
    Path data;
    Path out = Path.of("out", "cifar10");
    Integer limit;
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out, System.err, System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("cifar10: " + e.getMessage());
      code = 2;
    } catch (IOException e) {
      System.err.println("cifar10: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static String usage() {
    return String.join("\n",
        "Usage: ./neurona cifar10 [options]",
        "",
        "TensorFlow's CNN tutorial: conv 3x3x32 -> max-pool -> conv 3x3x64 -> max-pool -> conv 3x3x64 -> dense 64",
        "-> dense 10 (logits); Adam, sparse categorical cross-entropy, the test set as validation data.",
        "",
        "  --epochs N           epochs (default 10)",
        "  --batch-size B       mini-batch size (default 32, Keras' default)",
        "  --lr X               Adam learning rate (default 0.001)",
        "  --seed S             seed for initialisation and shuffling (default " + Sequential.DEFAULT_SEED + ")",
        "  --threads T          library threads (default: all cores)",
        "  --data DIR           the binary version: cifar-10-batches-bin/, its six .bin files or cifar-10-binary.tar.gz,",
        "                       in DIR/cifar10 or DIR itself (else $NEURONA_DATA the same way; else ~/.cache/neurona/cifar10,",
        "                       downloaded on first use: 170 MB from https://www.cs.toronto.edu/~kriz/)",
        "  --out DIR            where to write the model, history and plot (default out/cifar10)",
        "  --limit N            train on the first N training images only (quick runs)",
        "  --help               this text",
        "",
        "NEURONA_OFFLINE=1 never downloads.",
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
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value\n" + usage());
      }
      String v = args[++i];
      switch (a) {
        case "--epochs": o.epochs = positiveInt(a, v); break;
        case "--batch-size": o.batchSize = positiveInt(a, v); break;
        case "--lr": o.lr = positiveDouble(a, v); break;
        case "--seed": o.seed = parseLong(a, v); break;
        case "--threads": o.threads = positiveInt(a, v); break;
        case "--data": o.data = Path.of(v); break;
        case "--out": o.out = Path.of(v); break;
        case "--limit": o.limit = positiveInt(a, v); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    return o;
  }

  /** Runs the example reading environment variables from {@code env}; returns the process exit code. */
  static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) throws IOException {
    Options o = parse(args);
    if (o == null) {
      out.print(usage());
      return 0;
    }
    // Fail in a second, not after the training: the output directory must be writable, --data must exist.
    Path outDir = LaunchChecks.outputDirectory("--out", o.out);
    LaunchChecks.dataDirectory("--data", o.data, "CIFAR-10's binary version (cifar-10-batches-bin/, its six .bin files"
        + " or cifar-10-binary.tar.gz), in DIR/cifar10 or DIR itself");
    if (o.threads != null) {
      Parallel.setThreads(o.threads);
    }
    out.printf(Locale.ROOT, "Neurona CIFAR-10 CNN | %s | %d threads | Java %s%n", Simd.describe(), Parallel.threads(),
        Runtime.version());

    // fallback(false): a --data or NEURONA_DATA without the data is an error, not a reason to use the cache.
    long t0 = System.nanoTime();
    TrainTest data = Cifar10.loader().environment(env).fallback(false).dataDir(o.data)
        .progress(msg -> out.println("data: " + msg)).load();
    ImageDataset train = data.train();
    if (o.limit != null && o.limit < train.size()) {
      train = train.subset(o.limit);
    }
    ImageDataset test = data.test();
    out.printf(Locale.ROOT, "data: %d training, %d test images of %s, loaded in %.1f s%n", train.size(), test.size(),
        train.sampleShape(), (System.nanoTime() - t0) / 1e9);
    out.println("class names: " + train.classNames());
    out.println();

    Sequential model = Cifar10Models.compile(Cifar10Models.tutorial(o.seed), o.lr);
    out.println(model.summary());
    Fit fit = Fit.defaults().epochs(o.epochs).batchSize(o.batchSize).validationData(test).seed(o.seed)
        .callbacks(new ProgressBar(out));
    long t1 = System.nanoTime();
    History history = model.fit(train, fit);
    double trainSeconds = (System.nanoTime() - t1) / 1e9;

    int[] predicted = predictClasses(model, test, 500);
    int[] truth = new int[test.size()];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = test.label(i);
    }
    List<String> classNames = test.classNames();
    ClassificationReport report = new ClassificationReport(classNames, truth, predicted);
    out.println();
    out.println(report.report());
    out.printf(Locale.ROOT, "training time: %.1f s for %d epochs (%.0f images/s)%n", trainSeconds, history.epochs(),
        (double) history.epochs() * train.size() / trainSeconds);

    Path modelFile = outDir.resolve("model.zip");
    model.save(modelFile);
    Files.writeString(outDir.resolve("history.csv"), history.toCsv(), StandardCharsets.UTF_8);
    Files.writeString(outDir.resolve("classification_report.txt"), report.report() + "\n" + report.confusionText(),
        StandardCharsets.UTF_8);
    Plots.savePng(Plots.lineChart("Accuracy", "Epoch", "accuracy", false, List.of(
        Plots.Series.overEpochs("accuracy", history.get("accuracy")),
        Plots.Series.overEpochs("val_accuracy", history.get("val_accuracy")))), outDir.resolve("accuracy.png"));
    out.println(SavedModel.describe(modelFile, model));
    out.println("wrote " + outDir.toAbsolutePath() + ": model.zip, history.csv, classification_report.txt, accuracy.png");
    out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", report.accuracy(), report.correct(), report.total());
    return 0;
  }

  /** Predicted classes for the whole set, {@code batch} images at a time (never the whole set as one tensor). */
  static int[] predictClasses(Sequential model, ImageDataset data, int batch) {
    int[] out = new int[data.size()];
    for (int from = 0; from < data.size(); from += batch) {
      int to = Math.min(data.size(), from + batch);
      Tensor x = data.newBatchX(to - from);
      data.fillBatch(from, to, x, data.newBatchY(to - from));
      int[] p = model.predictClasses(x);
      System.arraycopy(p, 0, out, from, p.length);
    }
    return out;
  }

}
