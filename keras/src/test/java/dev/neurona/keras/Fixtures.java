package dev.neurona.keras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files {@code src/test/python/keras_fixtures.py} made with Keras 3.15 (committed under
 * {@code src/test/resources/dev/neurona/keras/fixtures}), and a reader for their {@code .npy} arrays.
 */
final class Fixtures {
  private static final Pattern SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

  private Fixtures() {}

  static Path file(String name) {
    try {
      return Path.of(Fixtures.class.getResource("fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no fixture " + name, e);
    }
  }

  /** Fixture {@code name}'s four input images. */
  static Tensor inputs(String name) {
    return npy(file(name + ".inputs.npy"));
  }

  /** Keras' inference outputs on {@link #inputs}. */
  static Tensor outputs(String name) {
    return npy(file(name + ".outputs.npy"));
  }

  /** A little-endian float32, C-order {@code .npy} file (format 1.0), as numpy writes it. */
  static Tensor npy(Path file) {
    try {
      byte[] b = Files.readAllBytes(file);
      int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
      String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
      assertThat(header).contains("'descr': '<f4'").contains("'fortran_order': False");
      Matcher m = SHAPE.matcher(header);
      assertThat(m.find()).isTrue();
      String[] parts = m.group(1).split(",");
      int n = 0;
      int[] dims = new int[parts.length];
      for (String p : parts) {
        if (!p.isBlank()) {
          dims[n++] = Integer.parseInt(p.trim());
        }
      }
      Tensor t = Tensor.zeros(Shape.of(java.util.Arrays.copyOf(dims, n)));
      ByteBuffer.wrap(b, 10 + headerLen, b.length - 10 - headerLen).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(t.data());
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The largest {@code |a - b| / |b|} over elements where {@code |b| >= floor}, and {@code |a - b| / floor} elsewhere. */
  static double maxRelativeDifference(Tensor a, Tensor b, double floor) {
    assertThat(a.shape()).isEqualTo(b.shape());
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = Math.abs((double) a.data()[i] - b.data()[i]) / Math.max(Math.abs(b.data()[i]), floor);
      worst = Math.max(worst, d);
    }
    return worst;
  }
}
