package dev.neurona.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60 000 training and 10 000 test images of clothing, 28×28×1 uint8,
 * labels 0–9 (see {@link #CLASS_NAMES}); a drop-in, harder replacement for MNIST.
 *
 * <p>{@code FashionMnist.load(dir)} looks in {@code dir} (or {@code dir/fashion-mnist}), then in
 * {@code $NEURONA_DATA}, then in the cache {@code ~/.cache/neurona/fashion-mnist}, then in
 * {@code /usr/share/datasets/fashion-mnist} (Debian's {@code dataset-fashion-mnist} package). When
 * the files are nowhere it downloads the four {@code .gz} files (30.9 MB) from TensorFlow's mirror
 * ({@code storage.googleapis.com/tensorflow/tf-keras-datasets}, HTTPS) or else Zalando's
 * ({@code fashion-mnist.s3-website.eu-central-1.amazonaws.com}, plain HTTP: the pinned SHA-256 is
 * what makes it safe), and when neither works runs {@code apt-get download dataset-fashion-mnist}
 * (a 31 MB download, no root needed) and unpacks it with {@code dpkg-deb -x}. Each file's size and
 * SHA-256 is checked before the four {@code .gz} files are cached. See {@link DatasetLoader} for the
 * details and options.
 */
public final class FashionMnist {
  /** The class names, indexed by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /**
   * Sizes and SHA-256 of the uncompressed files (the Debian package ships them gzip-compressed), and
   * of the {@code .gz} downloads as Zalando publishes them (TensorFlow Datasets'
   * {@code url_checksums/fashion_mnist.txt}).
   */
  static final IdxDatasetSpec SPEC = new IdxDatasetSpec("fashion-mnist", "Fashion-MNIST", 28, 28, 10, List.of(
      new IdxDatasetSpec.FileSpec("train-images-idx3-ubyte", 47_040_016L,
          "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
      new IdxDatasetSpec.FileSpec("train-labels-idx1-ubyte", 60_008L,
          "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
      new IdxDatasetSpec.FileSpec("t10k-images-idx3-ubyte", 7_840_016L,
          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
      new IdxDatasetSpec.FileSpec("t10k-labels-idx1-ubyte", 10_008L,
          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")),
      List.of(Path.of("/usr/share/datasets/fashion-mnist")),
      List.of(URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
          URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
      List.of(
          new HttpDownloader.RemoteFile("train-images-idx3-ubyte.gz", 26_421_880L,
              "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
          new HttpDownloader.RemoteFile("train-labels-idx1-ubyte.gz", 29_515L,
              "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
          new HttpDownloader.RemoteFile("t10k-images-idx3-ubyte.gz", 4_422_102L,
              "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
          new HttpDownloader.RemoteFile("t10k-labels-idx1-ubyte.gz", 5_148L,
              "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")),
      new DebFetcher("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"));

  private FashionMnist() {}

  /** A loader with the default search path, cache and fetching; configure it, then call {@code load()}. */
  public static DatasetLoader loader() {
    return new DatasetLoader(SPEC);
  }

  /** Loads Fashion-MNIST from the default places (fetching it if needed). */
  public static TrainTest load() throws IOException {
    return loader().load();
  }

  /** Loads Fashion-MNIST, looking in {@code dataDir} first ({@code null}: not given). */
  public static TrainTest load(Path dataDir) throws IOException {
    return loader().dataDir(dataDir).load();
  }
}
