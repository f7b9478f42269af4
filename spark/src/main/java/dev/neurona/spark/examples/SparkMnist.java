package dev.neurona.spark.examples;

import dev.neurona.core.Parallel;
import dev.neurona.data.ImageDataset;
import dev.neurona.data.Mnist;
import dev.neurona.data.TrainTest;
import dev.neurona.layers.Conv2D;
import dev.neurona.layers.Dense;
import dev.neurona.layers.Dropout;
import dev.neurona.layers.Flatten;
import dev.neurona.layers.MaxPool2D;
import dev.neurona.layers.model.Sequential;
import dev.neurona.layers.training.Callback;
import dev.neurona.layers.training.Fit;
import dev.neurona.layers.training.History;
import dev.neurona.optim.Adam;
import dev.neurona.optim.LearningRateSchedule;
import dev.neurona.spark.RoundInfo;
import dev.neurona.spark.SampleSet;
import dev.neurona.spark.SparkTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./neurona spark-mnist}: TensorFlow's "Deep MNIST" CNN (the {@code ./neurona mnist} network,
 * 3,274,634 parameters) trained data-parallel on Spark, in local mode by default or on a cluster
 * with {@code --master URL}. Prints per epoch the losses, accuracies, rounds and time, the
 * communication of one round, and the test accuracy.
 */
public final class SparkMnist {
  private SparkMnist() {}

  /** The options, parsed from the command line. */
  private static final class Options {
    String master;
    int partitions = 2;
    int epochs = 3;
    int batchSize = 64;
    String mode = "params";
    int every = 8;
    double lr = 1e-3;
    long seed = 42;
    int threads;
    int limit;
    String model = "cnn";
    Path data;
  }

  private static final String HELP = String.join("\n",
      "Usage: ./neurona spark-mnist [options]",
      "",
      "Trains the MNIST CNN (conv 5x5x32 same, pool, conv 5x5x64 same, pool, dense 1024, dropout 0.5,",
      "dense 10) data-parallel on Spark: the training images in --partitions slices, one per worker.",
      "",
      "  --master URL      Spark master (default local[P] for P partitions; e.g. spark://host:7077)",
      "  --partitions P    workers / partitions (default 2)",
      "  --mode M          params: parameter averaging every --every steps (default);",
      "                    grads: gradient averaging every step",
      "  --every N         local steps per round for --mode params (default 8)",
      "  --epochs E        epochs (default 3)",
      "  --batch-size B    images per worker and step (default 64)",
      "  --lr X            Adam's initial learning rate, x0.75 per epoch (default 0.001)",
      "  --seed S          seed of the weights, shuffles and dropout (default 42)",
      "  --threads T       library threads per worker task (default: the executor's setting)",
      "  --model M         cnn (default) or keras (conv 4x4x32 valid, pool, dense 128, dense 10)",
      "  --limit N         train on the first N training images only (a quick try)",
      "  --data DIR        directory with the four MNIST IDX files (else $NEURONA_DATA, else the cache)");

  /**
   * Runs the example.
   *
   * @param args the command line, see {@code --help}
   * @throws IOException when MNIST cannot be read
   */
  public static void main(String[] args) throws IOException {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("spark-mnist: " + e.getMessage());
      System.err.println(HELP);
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.println(HELP);
      return;
    }
    run(o, System.out);
  }

  private static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value (or is unknown)");
      }
      String v = args[++i];
      switch (a) {
        case "--master" -> o.master = v;
        case "--partitions" -> o.partitions = positive(a, v);
        case "--epochs" -> o.epochs = positive(a, v);
        case "--batch-size" -> o.batchSize = positive(a, v);
        case "--every" -> o.every = positive(a, v);
        case "--threads" -> o.threads = positive(a, v);
        case "--limit" -> o.limit = positive(a, v);
        case "--seed" -> o.seed = number(a, v);
        case "--lr" -> {
          try {
            o.lr = Double.parseDouble(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(a + " must be a number, got '" + v + "'");
          }
          if (!(o.lr > 0)) {
            throw new IllegalArgumentException(a + " must be > 0, got " + v);
          }
        }
        case "--mode" -> {
          if (!v.equals("params") && !v.equals("grads")) {
            throw new IllegalArgumentException(a + " must be params or grads, got '" + v + "'");
          }
          o.mode = v;
        }
        case "--model" -> {
          if (!v.equals("cnn") && !v.equals("keras")) {
            throw new IllegalArgumentException(a + " must be cnn or keras, got '" + v + "'");
          }
          o.model = v;
        }
        case "--data" -> o.data = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return o;
  }

  private static long number(String option, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, got '" + v + "'");
    }
  }

  private static int positive(String option, String v) {
    long n = number(option, v);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(option + " must be a whole number >= 1, got '" + v + "'");
    }
    return (int) n;
  }

  /** The network of {@code ./neurona mnist} (examples' {@code MnistModels}, repeated here to keep the examples module free of Spark). */
  static Sequential network(String name, long seed) {
    if (name.equals("keras")) {
      return new Sequential(seed).input(28, 28, 1)
          .add(new Conv2D(32, 4, "valid", "relu"))
          .add(new MaxPool2D(2))
          .add(new Flatten())
          .add(new Dense(128, "relu"))
          .add(new Dense(10, "softmax"));
    }
    return new Sequential(seed).input(28, 28, 1)
        .add(new Conv2D(32, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Conv2D(64, 5, "same", "relu"))
        .add(new MaxPool2D(2))
        .add(new Flatten())
        .add(new Dense(1024, "relu"))
        .add(new Dropout(0.5))
        .add(new Dense(10, "softmax"));
  }

  private static void run(Options o, PrintStream out) throws IOException {
    TrainTest mnist = o.data == null ? Mnist.load() : Mnist.load(o.data);
    ImageDataset all = o.limit > 0 ? mnist.train().subset(Math.min(o.limit, mnist.train().size())) : mnist.train();
    ImageDataset.Split split = all.split(1 / 12.0, o.seed);
    String master = o.master != null ? o.master : "local[" + o.partitions + "]";
    SparkSession.Builder builder = SparkSession.builder().master(master).appName("neurona-spark-mnist")
        .config("spark.ui.enabled", "false");
    if (master.startsWith("local")) { // everything in this JVM: listen on the loopback address only
      builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      SampleSet train = SampleSet.parallelize(sc, split.train(), o.partitions);
      Sequential model = network(o.model, o.seed);
      int stepsPerEpoch = (int) Math.ceil(Math.ceil((double) split.train().size() / o.partitions) / o.batchSize);
      boolean params = o.mode.equals("params");
      // x0.75 per epoch: an epoch is stepsPerEpoch optimizer steps in both modes (rounds, or local steps).
      model.compile(new Adam(LearningRateSchedule.exponential(o.lr, stepsPerEpoch, 0.75, true)),
          "sparse_categorical_crossentropy", "accuracy");
      SparkTrainer trainer = params ? SparkTrainer.parameterAveraging(o.every) : SparkTrainer.gradientAveraging();
      if (o.threads > 0) {
        trainer = trainer.threadsPerWorker(o.threads);
      }
      List<RoundInfo> rounds = new ArrayList<>();
      trainer = trainer.listener(rounds::add);
      out.printf(Locale.ROOT, "spark-mnist: master %s, %d partitions of ~%d images, %s, batch %d per worker,"
              + " %d library threads on the driver%n", master, o.partitions, split.train().size() / o.partitions,
          params ? "parameter averaging every " + o.every + " steps" : "gradient averaging every step", o.batchSize,
          Parallel.threads());
      out.printf(Locale.ROOT, "model: %s%n", model);
      Callback perEpoch = new Callback() {
        private int firstRound;

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
          List<RoundInfo> mine = rounds.subList(firstRound, rounds.size());
          double secs = mine.stream().mapToDouble(RoundInfo::seconds).sum();
          out.printf(Locale.ROOT, "epoch %d/%d: loss %.4f - accuracy %.4f - val_loss %.4f - val_accuracy %.4f"
                  + " - %d rounds in %.1f s (%.3f s per round)%n", epoch + 1, o.epochs, logs.get("loss"),
              logs.get("accuracy"), logs.get("val_loss"), logs.get("val_accuracy"), mine.size(), secs,
              secs / Math.max(1, mine.size()));
          firstRound = rounds.size();
        }
      };
      long t0 = System.nanoTime();
      History h = trainer.fit(model, train, Fit.defaults().epochs(o.epochs).batchSize(o.batchSize).seed(o.seed)
          .validationData(split.validation()).callbacks(perEpoch));
      double secs = (System.nanoTime() - t0) / 1e9;
      train.unpersist();
      RoundInfo r = rounds.get(rounds.size() - 1); // the first round of parameter averaging has no optimizer state yet
      out.printf(Locale.ROOT, "communication per round: %.1f MB broadcast to and %.1f MB back from each worker,"
              + " %.1f MB for %d workers (payload: floats x 4)%n", r.broadcastBytes() / 1e6, r.resultBytes() / 1e6,
          r.totalBytes() / 1e6, r.partitions());
      long images = (long) h.epochs() * split.train().size();
      out.printf(Locale.ROOT, "training time: %.1f s for %d epochs (%.0f images/s)%n", secs, h.epochs(), images / secs);
      Map<String, Double> test = model.evaluate(mnist.test(), 256);
      long correct = Math.round(test.get("accuracy") * mnist.test().size());
      out.printf(Locale.ROOT, "test accuracy: %.4f (%d/%d)%n", test.get("accuracy"), correct, mnist.test().size());
    } finally {
      spark.stop();
    }
  }
}
