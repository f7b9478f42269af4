/**
 * Neurona data: file formats (IDX), in-memory image data sets, image folders (Keras'
 * {@code image_dataset_from_directory}), the MNIST, Fashion-MNIST, CIFAR-10 and Iris loaders and the
 * fetchers that bring their files into a local cache.
 */
@SuppressWarnings("requires-automatic") // TwelveMonkeys' jars name their modules in the manifest only
module dev.neurona.data {
  requires transitive dev.neurona.core;
  // BufferedImage appears in the public API (Images); ImageIO decodes the image files.
  requires transitive java.desktop;
  // The fallback JPEG reader (an automatic module).
  requires com.twelvemonkeys.imageio.jpeg;
  // HTTPS downloads of the data sets (HttpClient).
  requires java.net.http;

  exports dev.neurona.data;
}
