package dev.neurona.layers.saving;

import dev.neurona.core.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The safetensors layout, written and read: an 8-byte little-endian header length {@code N},
 * {@code N} bytes of JSON {@code {"__metadata__": {...}, "dense.kernel": {"dtype": "F32",
 * "shape": [2, 8], "data_offsets": [0, 64]}, ...}} (padded with spaces to a multiple of 8), then
 * the little-endian float32 data, offsets relative to its start. {@code safetensors.numpy.load_file}
 * and {@code safetensors.torch.load_file} read it.
 *
 * <p>Reading is in two steps, so that nothing is allocated on a file's word:
 * {@link #readHeader} reads at most {@link #MAX_HEADER_BYTES} of header and checks it against the
 * entry's size alone (dtype {@code F32}, every shape's element count, every byte range, the tensors
 * tiling the data exactly); {@link #readData} then checks names and shapes against the tensors
 * expected and copies straight into their arrays, rejecting NaN and infinities.
 */
final class Safetensors {
  /**
   * Largest header read into memory. Neurona writes about 100 bytes per tensor; the cap keeps a
   * hostile header from costing more than a few hundred MB of parsed JSON.
   */
  static final long MAX_HEADER_BYTES = 8L << 20;

  private Safetensors() {}

  /** A tensor to write from or to read into: its name, shape and float data. */
  record Named(String name, Shape shape, float[] data) {}

  /** One F32 tensor as a header describes it: bytes {@code [begin, end)} of the data section. */
  record TensorInfo(String name, Shape shape, long begin, long end) {}

  /**
   * A checked header: the tensors in data order, tiling {@code dataLength} bytes exactly, and the
   * {@code __metadata__} object (empty when absent).
   */
  record Header(long length, long dataLength, Map<String, TensorInfo> tensors, Map<String, Object> metadata) {}

  /** The padded JSON header for {@code tensors}, laid out in order, with {@code metadata} first. */
  static byte[] header(Map<String, Object> metadata, List<Named> tensors) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("__metadata__", metadata);
    long offset = 0;
    for (Named p : tensors) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", "F32");
      t.put("shape", p.shape().toArray());
      long end = offset + 4L * p.data().length;
      t.put("data_offsets", new long[] {offset, end});
      h.put(p.name(), t);
      offset = end;
    }
    byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // keeps the float data 8-byte aligned, as safetensors does
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  /** Writes the length, {@code header} and the tensors' data; returns the number of bytes. */
  static long write(OutputStream out, byte[] header, List<Named> tensors) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length);
    out.write(buf.array(), 0, 8);
    out.write(header);
    long n = 8L + header.length;
    for (Named p : tensors) {
      float[] d = p.data();
      for (int i = 0; i < d.length; ) {
        buf.clear();
        int k = Math.min(d.length - i, buf.capacity() / 4);
        buf.asFloatBuffer().put(d, i, k);
        out.write(buf.array(), 0, 4 * k);
        i += k;
      }
      n += 4L * d.length;
    }
    return n;
  }

  /**
   * Reads a whole stand-alone safetensors stream of {@code size} bytes (a weights-only file, a
   * backup's tensors) into {@code expected}: {@link #readHeader}, then {@link #readData}, then checks
   * that nothing follows the data.
   *
   * @throws ModelFormatException naming {@code where} and what does not fit
   */
  static void read(InputStream in, long size, String where, List<Named> expected, String expectedWhat)
      throws IOException {
    try {
      Header header = readHeader(in, size, where);
      readData(in, header, expected, where, expectedWhat);
      if (in.read() != -1) {
        throw new ModelFormatException(where + " is corrupt: it holds more than the " + size + " bytes it should");
      }
    } catch (ModelFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException(where + " is truncated or corrupt (" + e + ")", e);
    }
  }

  /**
   * Reads and checks the header of {@code size} bytes of safetensors at the start of {@code in},
   * which is left at the first data byte. Allocates at most {@link #MAX_HEADER_BYTES}, whatever the
   * header says.
   *
   * @param where how errors name the source, e.g. {@code "m.zip: model.safetensors"}
   * @throws ModelFormatException naming {@code where} and what does not fit
   */
  static Header readHeader(InputStream in, long size, String where) throws IOException {
    byte[] lenBytes = in.readNBytes(8);
    if (lenBytes.length < 8) {
      throw new ModelFormatException(where + " is truncated: " + lenBytes.length + " bytes, not even the 8-byte header length");
    }
    long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen < 2 || headerLen > size - 8) {
      throw new ModelFormatException(where + ": header length " + headerLen + " runs past the end of the "
          + size + "-byte entry (or is not a valid length); the file is truncated or corrupt");
    }
    if (headerLen > MAX_HEADER_BYTES) {
      throw new ModelFormatException(where + ": header length " + headerLen + " is more than the "
          + MAX_HEADER_BYTES + " bytes a model file's header may have");
    }
    byte[] headerBytes = in.readNBytes((int) headerLen);
    if (headerBytes.length != headerLen) {
      throw new ModelFormatException(where + " is truncated inside its " + headerLen + "-byte header");
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(new String(headerBytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(where + ": the header is not valid JSON: " + ex.getMessage(), ex);
    }
    return checkHeader(where, json, headerLen, size - 8 - headerLen);
  }

  /** Checks every tensor entry against the data section alone: dtype, shape, byte range, tiling. */
  private static Header checkHeader(String where, Map<String, Object> json, long headerLen, long dataLen)
      throws ModelFormatException {
    Object meta = json.get("__metadata__");
    if (meta != null && !(meta instanceof Map)) {
      throw new ModelFormatException(where + ": __metadata__ must be an object, got " + Json.describe(meta));
    }
    List<TensorInfo> infos = new ArrayList<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      String t = where + ": tensor '" + Json.shorten(e.getKey()) + "'";
      if (!(e.getValue() instanceof Map)) {
        throw new ModelFormatException(t + " must be an object, got " + Json.describe(e.getValue()));
      }
      Map<?, ?> info = (Map<?, ?>) e.getValue();
      Object dtype = info.get("dtype");
      if (!"F32".equals(dtype)) {
        throw new ModelFormatException(t + " has dtype " + Json.describe(dtype) + "; only \"F32\" is supported");
      }
      int[] dims = ModelFile.intList(t, info, "shape");
      Shape shape;
      try {
        shape = Shape.of(dims);
      } catch (IllegalArgumentException ex) {
        throw new ModelFormatException(t + ": " + ex.getMessage(), ex);
      }
      Object offs = info.get("data_offsets");
      if (!(offs instanceof List) || ((List<?>) offs).size() != 2 || !(((List<?>) offs).get(0) instanceof Long)
          || !(((List<?>) offs).get(1) instanceof Long)) {
        throw new ModelFormatException(t + ": data_offsets must be [begin, end], got " + Json.describe(offs));
      }
      long begin = (Long) ((List<?>) offs).get(0);
      long end = (Long) ((List<?>) offs).get(1);
      long bytes = 4L * shape.size(); // < 2^33: no overflow
      if (begin < 0 || end < begin || end - begin != bytes) {
        throw new ModelFormatException(t + ": data_offsets [" + begin + ", " + end + "] do not hold the "
            + bytes + " bytes of a " + dtype + " " + shape);
      }
      if (end > dataLen) {
        throw new ModelFormatException(t + ": bytes [" + begin + ", " + end + ") lie past the end of the "
            + dataLen + " data bytes; the file is truncated or corrupt");
      }
      infos.add(new TensorInfo(e.getKey(), shape, begin, end));
    }
    infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long at = 0;
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (TensorInfo s : infos) {
      if (s.begin() != at) {
        throw new ModelFormatException(where + ": tensor '" + Json.shorten(s.name()) + "' starts at byte " + s.begin()
            + " but the previous tensor ends at " + at + " (tensors must tile the data without gaps or overlaps)");
      }
      at = s.end();
      tensors.put(s.name(), s);
    }
    if (at != dataLen) {
      throw new ModelFormatException(where + ": the tensors cover " + at + " bytes but the data section has "
          + dataLen + " (trailing or missing bytes)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = meta == null ? Map.of() : (Map<String, Object>) meta;
    return new Header(headerLen, dataLen, Collections.unmodifiableMap(tensors), metadata);
  }

  /**
   * Checks {@code header} (of a tensor file whose data {@code in} is now at) against {@code expected}:
   * the same names, each with the expected shape; then copies the data straight into the
   * expected arrays, in data order, and checks that every value is finite.
   *
   * @param expectedWhat how errors name the expected tensors, e.g. {@code "the model's parameters"}
   * @throws ModelFormatException naming {@code where} and the tensor that does not fit
   */
  static void readData(InputStream in, Header header, List<Named> expected, String where, String expectedWhat)
      throws IOException {
    Map<String, Named> byName = new LinkedHashMap<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Named p : expected) {
      byName.put(p.name(), p);
      shapes.put(p.name(), p.shape());
    }
    checkExpected(header, shapes, where, expectedWhat);
    List<Named> ordered = new ArrayList<>();
    for (String name : header.tensors().keySet()) {
      ordered.add(byName.get(name));
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Named s : ordered) {
      float[] d = s.data();
      for (int i = 0; i < d.length; ) {
        int k = Math.min(d.length - i, buf.capacity() / 4);
        int got = in.readNBytes(buf.array(), 0, 4 * k);
        if (got != 4 * k) {
          throw new ModelFormatException(where + " is truncated inside tensor '" + s.name() + "'");
        }
        buf.clear();
        buf.asFloatBuffer().get(d, i, k);
        i += k;
      }
      for (int i = 0; i < d.length; i++) {
        if (!Float.isFinite(d[i])) {
          throw new ModelFormatException(where + ": tensor '" + s.name() + "' holds " + d[i] + " at index " + i
              + " of " + d.length + "; weights and optimizer state must be finite (was the model saved after"
              + " training diverged?)");
        }
      }
    }
  }

  /**
   * Checks that {@code header} holds exactly the tensors of {@code expected} (name to shape). Call
   * it before allocating anything sized by the file.
   */
  static void checkExpected(Header header, Map<String, Shape> expected, String where, String expectedWhat)
      throws ModelFormatException {
    Set<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(header.tensors().keySet());
    Set<String> extra = new TreeSet<>(header.tensors().keySet());
    extra.removeAll(expected.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new ModelFormatException(where + ": tensors do not match " + expectedWhat
          + (missing.isEmpty() ? "" : "; missing " + Json.shorten(missing.toString()))
          + (extra.isEmpty() ? "" : "; unexpected " + Json.shorten(extra.toString())));
    }
    for (TensorInfo info : header.tensors().values()) {
      Shape shape = expected.get(info.name());
      if (!info.shape().equals(shape)) {
        throw new ModelFormatException(where + ": tensor '" + info.name() + "' has shape " + info.shape()
            + " but the model's parameter has shape " + shape);
      }
    }
  }
}
