package dev.neurona.spark;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import dev.neurona.core.data.DataSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

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
 * }</pre>
 *
 * <p>The blocks are persisted ({@link StorageLevel#MEMORY_AND_DISK()}) when the set is created and
 * computed by the first job that needs them; {@link #unpersist()} frees them.
 */
public final class SampleSet {
  private final JavaRDD<Block> blocks;
  private final Shape sampleShape;
  private final Shape targetShape;
  /** The slices {@link #parallelize} broadcast (destroyed by {@link #unpersist()}); empty otherwise. */
  private final List<Broadcast<Block>> slices;

  private SampleSet(JavaRDD<Block> blocks, Shape sampleShape, Shape targetShape, List<Broadcast<Block>> slices) {
    this.blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
    this.sampleShape = sampleShape;
    this.targetShape = targetShape;
    this.slices = slices;
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
    return new SampleSet(blocks, sampleShape, targetShape, List.of());
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
    return new SampleSet(blocks, in, target, refs);
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

  /** Frees the cached blocks (and the broadcast slices of {@link #parallelize}); the set cannot be used after. */
  public void unpersist() {
    blocks.unpersist(false);
    for (Broadcast<Block> b : slices) {
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
