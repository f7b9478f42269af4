package dev.neurona.layers.saving;

import dev.neurona.core.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * <p>Reading checks names, dtypes, shapes and byte ranges against the tensors expected
 * <em>before</em> copying any data, and copies straight into their arrays.
 */
final class Safetensors {
  /** Largest header read into memory (the safetensors library's own limit). */
  static final long MAX_HEADER_BYTES = 100L << 20;

  private Safetensors() {}

  /** A tensor to write from or to read into: its name, shape and float data. */
  record Named(String name, Shape shape, float[] data) {}

  /** One expected tensor found in the header, with its byte range in the data section. */
  private record Slot(Named tensor, long begin, long end) {}

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
   * Reads {@code size} bytes of safetensors from {@code in} into {@code expected} (names, shapes and
   * destination arrays), checking the header against them first.
   *
   * @param where how errors name the source, e.g. {@code "m.zip: model.safetensors"}
   * @param expectedWhat how errors name the expected tensors, e.g. {@code "the model's parameters"}
   * @throws ModelFormatException naming {@code where} and what does not fit
   */
  static void read(InputStream in, long size, String where, List<Named> expected, String expectedWhat)
      throws IOException {
    byte[] lenBytes = in.readNBytes(8);
    if (lenBytes.length < 8) {
      throw new ModelFormatException(where + " is truncated: " + lenBytes.length + " bytes, not even the 8-byte header length");
    }
    long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLen < 2 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
      throw new ModelFormatException(where + ": header length " + headerLen + " runs past the end of the "
          + size + "-byte entry (or is not a valid length); the file is truncated or corrupt");
    }
    byte[] headerBytes = in.readNBytes((int) headerLen);
    if (headerBytes.length != headerLen) {
      throw new ModelFormatException(where + " is truncated inside its " + headerLen + "-byte header");
    }
    Map<String, Object> header;
    try {
      header = Json.parseObject(new String(headerBytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(where + ": the header is not valid JSON: " + ex.getMessage(), ex);
    }
    long dataLen = size - 8 - headerLen;
    List<Slot> slots = checkHeader(where, header, expected, expectedWhat, dataLen);
    // Everything is known to fit: copy the data straight into the destinations.
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Slot s : slots) {
      float[] d = s.tensor().data();
      for (int i = 0; i < d.length; ) {
        int k = Math.min(d.length - i, buf.capacity() / 4);
        int got = in.readNBytes(buf.array(), 0, 4 * k);
        if (got != 4 * k) {
          throw new ModelFormatException(where + " is truncated inside tensor '" + s.tensor().name() + "'");
        }
        buf.clear();
        buf.asFloatBuffer().get(d, i, k);
        i += k;
      }
    }
  }

  /** Checks names, dtypes, shapes and byte ranges; returns the tensors in data order. */
  private static List<Slot> checkHeader(String where, Map<String, Object> header, List<Named> expected,
      String expectedWhat, long dataLen) throws ModelFormatException {
    Map<String, Named> params = new LinkedHashMap<>();
    for (Named p : expected) {
      params.put(p.name(), p);
    }
    Set<String> inFile = new TreeSet<>(header.keySet());
    inFile.remove("__metadata__");
    Set<String> missing = new TreeSet<>(params.keySet());
    missing.removeAll(inFile);
    Set<String> extra = new TreeSet<>(inFile);
    extra.removeAll(params.keySet());
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new ModelFormatException(where + ": tensors do not match " + expectedWhat
          + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra));
    }
    Object meta = header.get("__metadata__");
    if (meta != null && !(meta instanceof Map)) {
      throw new ModelFormatException(where + ": __metadata__ must be an object, got " + Json.describe(meta));
    }
    List<Slot> slots = new ArrayList<>();
    for (Named p : params.values()) {
      String t = where + ": tensor '" + p.name() + "'";
      Object v = header.get(p.name());
      if (!(v instanceof Map)) {
        throw new ModelFormatException(t + " must be an object, got " + Json.describe(v));
      }
      Map<?, ?> info = (Map<?, ?>) v;
      Object dtype = info.get("dtype");
      if (!"F32".equals(dtype)) {
        throw new ModelFormatException(t + " has dtype " + Json.describe(dtype) + "; only \"F32\" is supported");
      }
      Shape shape = Shape.of(ModelFile.intList(t, info, "shape"));
      if (!shape.equals(p.shape())) {
        throw new ModelFormatException(t + " has shape " + shape + " but the model's parameter has shape " + p.shape());
      }
      Object offs = info.get("data_offsets");
      if (!(offs instanceof List) || ((List<?>) offs).size() != 2 || !(((List<?>) offs).get(0) instanceof Long)
          || !(((List<?>) offs).get(1) instanceof Long)) {
        throw new ModelFormatException(t + ": data_offsets must be [begin, end], got " + Json.describe(offs));
      }
      long begin = (Long) ((List<?>) offs).get(0);
      long end = (Long) ((List<?>) offs).get(1);
      if (begin < 0 || end < begin || end - begin != 4L * p.data().length) {
        throw new ModelFormatException(t + ": data_offsets [" + begin + ", " + end + "] do not hold the "
            + 4L * p.data().length + " bytes of an F32 " + shape);
      }
      if (end > dataLen) {
        throw new ModelFormatException(t + ": bytes [" + begin + ", " + end + ") lie past the end of the "
            + dataLen + " data bytes; the file is truncated or corrupt");
      }
      slots.add(new Slot(p, begin, end));
    }
    slots.sort(Comparator.comparingLong(Slot::begin));
    long at = 0;
    for (Slot s : slots) {
      if (s.begin() != at) {
        throw new ModelFormatException(where + ": tensor '" + s.tensor().name() + "' starts at byte " + s.begin()
            + " but the previous tensor ends at " + at + " (tensors must tile the data without gaps or overlaps)");
      }
      at = s.end();
    }
    if (at != dataLen) {
      throw new ModelFormatException(where + ": the tensors cover " + at + " bytes but the data section has "
          + dataLen + " (trailing or missing bytes)");
    }
    return slots;
  }
}
