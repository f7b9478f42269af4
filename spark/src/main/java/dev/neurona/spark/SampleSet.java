package dev.neurona.spark;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import dev.neurona.data.ImageFolder;
import dev.neurona.data.ImageFolderException;
import dev.neurona.data.ImageFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Training data spread over a Spark cluster: the samples of each partition gathered into one
 * block of flat float arrays and cached in its executor's memory, with the per-sample input and
 * target shapes. {@link SparkTrainer#fit} trains on it; each partition is one worker's share, so
 * the partitioning (and a seed) fixes the result.
 *
 * <pre>{@code
 * SampleSet train = SampleSet.parallelize(sc, mnist.train(), 4);           // from any DataSource
 * SampleSet rows = SampleSet.of(rdd, Shape.of(4), Shape.of());             // from a JavaRDD<Sample>
 * SampleSet df = SampleSet.fromDataFrame(frame, "features", "label", Shape.of(4));
 * SampleSet photos = SampleSet.fromImageDirectory(sc, "hdfs://nn/flower_photos",   // read on the executors
 *     ImageFolder.Options.defaults().imageSize(180, 180).seed(123), 8);
 * }</pre>
 *
 * <p>The blocks are persisted ({@link StorageLevel#MEMORY_AND_DISK()}) when the set is created and
 * computed by the first job that needs them ({@link #fromImageDirectory} computes them at once);
 * {@link #unpersist()} frees them.
 */
public final class SampleSet {
  private static final System.Logger LOG = System.getLogger(SampleSet.class.getName());

  private final JavaRDD<Block> blocks;
  private final Shape sampleShape;
  private final Shape targetShape;
  /** The slices {@link #parallelize} and {@link #fromImageDirectory} broadcast (destroyed by {@link #unpersist()}); empty otherwise. */
  private final List<Broadcast<?>> slices;
  /** The class names of an image directory; empty otherwise. */
  private final List<String> classNames;

  private SampleSet(JavaRDD<Block> blocks, Shape sampleShape, Shape targetShape, List<Broadcast<?>> slices,
      List<String> classNames) {
    this.blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
    this.sampleShape = sampleShape;
    this.targetShape = targetShape;
    this.slices = slices;
    this.classNames = classNames;
  }

  /**
   * The samples of {@code rdd}, partitioned as it is, with these per-sample shapes; every sample
   * is checked against them when its partition is first computed (an error names the partition,
   * the sample's position in it and the sizes).
   *
   * @param rdd the samples
   * @param sampleShape the per-sample input shape, e.g. {@code (28, 28, 1)}; the model's input shape
   * @param targetShape the per-sample target shape: {@code ()} for a sparse class label
   * @return the set, persisted
   */
  public static SampleSet of(JavaRDD<Sample> rdd, Shape sampleShape, Shape targetShape) {
    if (rdd == null || sampleShape == null || targetShape == null) {
      throw new IllegalArgumentException("SampleSet.of: rdd, sampleShape and targetShape must not be null (rdd=" + rdd
          + ", sampleShape=" + sampleShape + ", targetShape=" + targetShape + ")");
    }
    int fs = sampleShape.size();
    int ts = targetShape.size();
    String shapes = sampleShape + " and " + targetShape;
    JavaRDD<Block> blocks = rdd.mapPartitionsWithIndex((p, it) -> List.of(gather(p, it, fs, ts, shapes)).iterator(), true);
    return new SampleSet(blocks, sampleShape, targetShape, List.of(), List.of());
  }

  private static Block gather(int partition, Iterator<Sample> it, int fs, int ts, String shapes) {
    List<Sample> all = new ArrayList<>();
    while (it.hasNext()) {
      Sample s = it.next();
      if (s == null || s.features().length != fs || s.target().length != ts) {
        throw new IllegalArgumentException("SampleSet: sample " + all.size() + " of partition " + partition + " has "
            + (s == null ? "null" : s.features().length + " feature and " + s.target().length + " target values")
            + "; the shapes " + shapes + " need " + fs + " and " + ts);
      }
      all.add(s);
    }
    int n = all.size();
    float[] x = new float[Math.multiplyExact(n, fs)];
    float[] y = new float[Math.multiplyExact(n, ts)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all.get(i).features(), 0, x, i * fs, fs);
      System.arraycopy(all.get(i).target(), 0, y, i * ts, ts);
    }
    return new Block(n, fs, ts, x, y);
  }

  /**
   * The samples of {@code data} (an {@code ImageDataset}, {@code Mnist.load().train()}, tensors...)
   * in {@code partitions} contiguous slices of nearly equal size, as Spark's {@code parallelize}
   * cuts a list: partition {@code p} holds samples {@code [p·n/P, (p+1)·n/P)}. The driver converts
   * the samples to floats and broadcasts each slice; the executor of partition {@code p} fetches
   * slice {@code p} once and caches it. (Slices carried in the tasks, as {@code sc.parallelize}
   * would, travel again with every round's task.)
   *
   * @param sc the Spark context
   * @param data the samples, read on the driver
   * @param partitions the number of partitions (workers), {@code 1..data.size()}
   * @return the set, persisted
   */
  public static SampleSet parallelize(JavaSparkContext sc, DataSource data, int partitions) {
    if (sc == null || data == null) {
      throw new IllegalArgumentException("SampleSet.parallelize: sc and data must not be null (sc=" + sc + ", data="
          + data + ")");
    }
    int n = data.size();
    if (partitions < 1 || partitions > n) {
      throw new IllegalArgumentException("SampleSet.parallelize: partitions must be in 1.." + n + " (the number of"
          + " samples), got " + partitions);
    }
    Shape in = data.sampleShape();
    Shape target = data.targetShape();
    List<Broadcast<Block>> slices = new ArrayList<>(partitions);
    List<Integer> indexes = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) p * n / partitions);
      int to = (int) ((long) (p + 1) * n / partitions);
      int[] idx = new int[to - from];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = from + i;
      }
      Tensor x = Tensor.zeros(in.prepend(idx.length));
      Tensor y = Tensor.zeros(target.prepend(idx.length));
      data.fill(idx, 0, idx.length, x, y);
      slices.add(sc.broadcast(new Block(idx.length, in.size(), target.size(), x.data(), y.data())));
      indexes.add(p);
    }
    List<Broadcast<Block>> refs = List.copyOf(slices);
    JavaRDD<Block> blocks = sc.parallelize(indexes, partitions).map(p -> refs.get(p).value());
    return new SampleSet(blocks, in, target, List.copyOf(refs), List.of());
  }

  /**
   * The rows of a DataFrame: {@code featuresColumn} an array of floats or doubles (flat, row-major),
   * {@code labelColumn} a number, the sparse class label (target shape {@code ()}); partitioned as
   * the DataFrame is. A null or wrongly sized row is an error naming the partition and the row.
   *
   * @param frame the rows
   * @param featuresColumn the name of the array column of input values
   * @param labelColumn the name of the numeric label column
   * @param sampleShape the per-sample input shape
   * @return the set, persisted
   */
  public static SampleSet fromDataFrame(Dataset<Row> frame, String featuresColumn, String labelColumn,
      Shape sampleShape) {
    if (frame == null || featuresColumn == null || labelColumn == null || sampleShape == null) {
      throw new IllegalArgumentException("SampleSet.fromDataFrame: no argument may be null (frame=" + frame
          + ", featuresColumn=" + featuresColumn + ", labelColumn=" + labelColumn + ", sampleShape=" + sampleShape + ")");
    }
    List<String> columns = List.of(frame.columns());
    for (String c : List.of(featuresColumn, labelColumn)) {
      if (!columns.contains(c)) {
        throw new IllegalArgumentException("SampleSet.fromDataFrame: no column '" + c + "'; the DataFrame has " + columns);
      }
    }
    String f = featuresColumn;
    String l = labelColumn;
    JavaRDD<Sample> rdd = frame.select(f, l).javaRDD().map(row -> toSample(row, f, l));
    return of(rdd, sampleShape, Shape.of());
  }

  private static Sample toSample(Row row, String featuresColumn, String labelColumn) {
    if (row.isNullAt(0) || row.isNullAt(1)) {
      throw new IllegalArgumentException("SampleSet.fromDataFrame: row " + row + " has a null " + featuresColumn
          + " or " + labelColumn);
    }
    List<Object> values = row.getList(0);
    float[] x = new float[values.size()];
    for (int i = 0; i < x.length; i++) {
      Object v = values.get(i);
      if (!(v instanceof Number)) {
        throw new IllegalArgumentException("SampleSet.fromDataFrame: column '" + featuresColumn + "' holds " + v
            + " at index " + i + "; it must be an array of numbers");
      }
      x[i] = ((Number) v).floatValue();
    }
    Object label = row.get(1);
    if (!(label instanceof Number)) {
      throw new IllegalArgumentException("SampleSet.fromDataFrame: column '" + labelColumn + "' holds " + label
          + "; it must be a number (the class index)");
    }
    return new Sample(x, new float[] {((Number) label).floatValue()});
  }

  /**
   * The photos of an image directory, {@code root/<class>/<file>}, read and decoded on the executors
   * into exactly the samples {@link ImageFolder#load(java.nio.file.Path, ImageFolder.Options)
   * ImageFolder.load(root, options)} gives on one machine: the same class names and labels (sparse,
   * target shape {@code ()}), the same files in the same (seeded) order, the same floats in [0, 1],
   * bit for bit. {@code rootUri} is any Hadoop file system URI ({@code hdfs://…}, {@code s3a://…},
   * {@code file:/…}, or a path on the default file system).
   *
   * <p>The driver lists the folder through Hadoop's {@code FileSystem} with ImageFolder's rules
   * (class folders sorted by name; every file under a class folder, sub-folders included, ending in
   * one of {@link ImageFolder#IMAGE_EXTENSIONS}; names starting with a dot ignored), orders the files
   * as ImageFolder does ({@link ImageFolder#subsetOrder}) and cuts that list into {@code partitions}
   * contiguous slices as {@link #parallelize} cuts samples; each slice's file names are broadcast.
   * The executor of partition {@code p} then reads its files through the same file system and
   * decodes them with the data module's decoder ({@code Images.decode}: CMYK and YCCK JPEGs and
   * the other files ImageIO cannot read included), so a run is deterministic whatever order Spark
   * lists in or its tasks finish in. The blocks are computed by a job run here, so that a bad file
   * is reported now.
   *
   * <p>Options: {@code imageSize}, {@code colorMode} and {@code cropToAspectRatio} as in
   * ImageFolder. The file order needs a {@code seed} (else {@code shuffle(false)}: the partitions
   * then hold runs of whole classes, which data-parallel training does not like). With a
   * {@code validationSplit}, a set is one subset: set {@code subset(TRAINING)} or
   * {@code subset(VALIDATION)} (same seed: disjoint, and the files Keras would put there).
   * {@code skipBadFiles(true)} leaves out files that cannot be decoded and class folders without
   * images (the class keeps its label), and logs one WARNING naming them ({@code System.Logger}
   * {@code dev.neurona.spark.SampleSet}). A symbolic link inside a class folder is followed or not as
   * the file system reports it (ImageFolder does not follow links to folders).
   *
   * @param sc the Spark context
   * @param rootUri the image folder, one sub-folder per class
   * @param options the image size, colour mode, crop, seed, split and bad-file handling
   * @param partitions the number of partitions (workers), {@code 1..}the number of files
   * @return the set, persisted and computed; {@link #classNames()} names its labels
   * @throws ImageFolderException if the root is missing, is not a directory, has no class folders or
   *     no images, or a class folder has no images (unless {@code skipBadFiles})
   * @throws ImageFormatException naming a file that cannot be read or decoded (unless {@code skipBadFiles})
   * @throws IllegalArgumentException on a missing seed, a split without a subset, or partitions out of range
   */
  public static SampleSet fromImageDirectory(JavaSparkContext sc, String rootUri, ImageFolder.Options options,
      int partitions) throws IOException {
    String who = "SampleSet.fromImageDirectory";
    if (sc == null || rootUri == null || options == null) {
      throw new IllegalArgumentException(who + ": sc, rootUri and options must not be null (sc=" + sc + ", rootUri="
          + rootUri + ", options=" + options + ")");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(who + ": partitions must be >= 1, got " + partitions);
    }
    double split = options.validationSplit();
    if (split > 0 && options.subset() == ImageFolder.Subset.BOTH) {
      throw new IllegalArgumentException(who + " " + rootUri + ": with validationSplit " + split + " a SampleSet is one "
          + "subset: set Options.subset(TRAINING) for the training set (and subset(VALIDATION), same seed, for the "
          + "other); subset BOTH gives two");
    }
    if (options.shuffle() && options.seed().isEmpty()) {
      throw new IllegalArgumentException(who + " " + rootUri + ": shuffling needs a seed (Options.seed(…)) so that every "
          + "run puts the same images in the same partitions; or Options.shuffle(false) for the files in class and name "
          + "order");
    }
    ImageDirectory.Listing listing = ImageDirectory.list(rootUri, sc.hadoopConfiguration(), options.skipBadFiles());
    int[] order;
    try {
      order = ImageFolder.subsetOrder(listing.files().size(), options,
          split == 0 ? ImageFolder.Subset.TRAINING : options.subset());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(who + " " + rootUri + ": " + e.getMessage(), e);
    }
    int n = order.length;
    if (partitions > n) {
      throw new IllegalArgumentException(who + " " + rootUri + ": partitions must be in 1.." + n + " (the number of "
          + "image files" + (split > 0 ? " in subset " + options.subset() : "") + "), got " + partitions);
    }
    // Samples (h, w, c) in [0, 1]; targets () sparse class indices.
    Shape in = Shape.of(options.imageHeight(), options.imageWidth(), options.colorMode().channels());
    List<Broadcast<?>> broadcasts = new ArrayList<>(partitions + 1);
    List<Broadcast<ImageDirectory.Slice>> slices = new ArrayList<>(partitions);
    List<Integer> indexes = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      int from = (int) ((long) p * n / partitions);
      int to = (int) ((long) (p + 1) * n / partitions);
      String[] files = new String[to - from];
      int[] labels = new int[to - from];
      for (int i = from; i < to; i++) {
        files[i - from] = listing.files().get(order[i]);
        labels[i - from] = listing.labels()[order[i]];
      }
      slices.add(sc.broadcast(new ImageDirectory.Slice(files, labels, options.imageHeight(), options.imageWidth(),
          options.colorMode(), options.cropToAspectRatio(), options.skipBadFiles())));
      indexes.add(p);
    }
    Broadcast<SerializableConfiguration> conf = SerializableConfiguration.broadcast(sc.sc(), sc.hadoopConfiguration());
    broadcasts.addAll(slices);
    broadcasts.add(conf);
    CollectionAccumulator<String> skipped = sc.sc().collectionAccumulator(who + " skipped files");
    List<Broadcast<ImageDirectory.Slice>> refs = List.copyOf(slices);
    JavaRDD<Block> blocks = sc.parallelize(indexes, partitions)
        .map(p -> ImageDirectory.decode(refs.get(p).value(), conf.value().value(), skipped));
    SampleSet set = new SampleSet(blocks, in, Shape.of(), List.copyOf(broadcasts), listing.classNames());
    long decoded;
    try {
      decoded = blocks.map(b -> (long) b.size).reduce(Long::sum);
    } catch (Exception e) { // Spark's SparkException is checked in Java terms, thrown undeclared
      set.unpersist();
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ImageFormatException bad) { // as the executor threw it: its message names the file
          throw bad;
        }
      }
      throw e; // the job's own failure, whose message names the file
    }
    List<String> left = new ArrayList<>();
    for (String c : listing.emptyClasses()) {
      left.add(rootUri + "/" + c + ": class folder has no images; class '" + c + "' is kept with no samples");
    }
    left.addAll(new TreeSet<>(skipped.value())); // a retried task may report a file twice
    if (decoded == 0) {
      set.unpersist();
      throw new ImageFolderException(who + " " + rootUri + ": none of the " + n + " image files could be decoded: "
          + ImageDirectory.first5(left));
    }
    if (!left.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, who + " " + rootUri + ": skipped " + left.size() + " image files/folders "
          + "that could not be used: " + String.join("; ", left.subList(0, Math.min(5, left.size())))
          + (left.size() > 5 ? "; …" : ""));
    }
    return set;
  }

  /**
   * The class names of a set made by {@link #fromImageDirectory} (label {@code k} is
   * {@code classNames().get(k)}); empty for the other factories.
   */
  public List<String> classNames() {
    return classNames;
  }

  /** The per-sample input shape. */
  public Shape sampleShape() {
    return sampleShape;
  }

  /** The per-sample target shape ({@code ()} for sparse labels). */
  public Shape targetShape() {
    return targetShape;
  }

  /** The number of partitions, i.e. of workers that train on their share. */
  public int partitions() {
    return blocks.getNumPartitions();
  }

  /** The samples in each partition, in partition order (runs a small job the first time the blocks are needed). */
  public long[] partitionSizes() {
    List<long[]> sizes = blocks.mapPartitionsWithIndex((p, it) -> {
      long n = 0;
      while (it.hasNext()) {
        n += it.next().size;
      }
      return List.of(new long[] {p, n}).iterator();
    }, true).collect();
    long[] out = new long[blocks.getNumPartitions()];
    for (long[] s : sizes) {
      out[(int) s[0]] = s[1];
    }
    return out;
  }

  /** Frees the cached blocks (and the broadcast slices of {@link #parallelize} and {@link #fromImageDirectory}); the set cannot be used after. */
  public void unpersist() {
    blocks.unpersist(false);
    for (Broadcast<?> b : slices) {
      b.destroy();
    }
  }

  /** The cached blocks, one per partition. */
  JavaRDD<Block> blocks() {
    return blocks;
  }

  @Override
  public String toString() {
    return "SampleSet(" + partitions() + " partitions, samples " + sampleShape + ", targets " + targetShape + ")";
  }
}
