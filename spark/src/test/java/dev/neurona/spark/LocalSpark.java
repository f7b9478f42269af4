package dev.neurona.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** A local-mode Spark session for the tests, on the loopback address, without the web UI. */
final class LocalSpark {
  private LocalSpark() {}

  /** {@code local[2,2]}: two task threads, and a failed task is tried once more. */
  static SparkSession start() {
    return SparkSession.builder()
        .master("local[2,2]")
        .appName("neurona-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  static JavaSparkContext context(SparkSession spark) {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }
}
