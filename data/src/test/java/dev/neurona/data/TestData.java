package dev.neurona.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small synthetic fixtures: IDX bytes built by hand, tiny data sets and their specs, tarballs. */
final class TestData {
  static final int ROWS = 4;
  static final int COLS = 3;
  static final int CLASSES = 3;
  static final String[] NAMES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

  private TestData() {}

  /** An IDX file's bytes: magic 0x0000 08 rank, big-endian dims, data. */
  static byte[] idx(int typeCode, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) typeCode).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** The four IDX files of a tiny data set (ROWS×COLS images, labels in [0, CLASSES)), raw bytes by name. */
  static Map<String, byte[]> tinyFiles(int trainN, int testN, long seed) {
    Random rng = new Random(seed);
    Map<String, byte[]> files = new LinkedHashMap<>();
    int[] counts = {trainN, testN};
    for (int part = 0; part < 2; part++) {
      int n = counts[part];
      byte[] px = new byte[n * ROWS * COLS];
      rng.nextBytes(px);
      byte[] lb = new byte[n];
      for (int i = 0; i < n; i++) {
        lb[i] = (byte) rng.nextInt(CLASSES);
      }
      files.put(NAMES[2 * part], idx(8, new int[] {n, ROWS, COLS}, px));
      files.put(NAMES[2 * part + 1], idx(8, new int[] {n}, lb));
    }
    return files;
  }

  /** Writes {@code files} into {@code dir} (created), gzip-compressed with a {@code .gz} suffix when asked. */
  static Path writeFiles(Path dir, Map<String, byte[]> files, boolean gz) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Files.write(dir.resolve(e.getKey() + (gz ? ".gz" : "")), gz ? gzip(e.getValue()) : e.getValue());
    }
    return dir;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  static byte[] gunzipForTest(byte[] gz) throws IOException {
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** A spec whose sizes and checksums are those of {@code files}. */
  static IdxDatasetSpec spec(String name, Map<String, byte[]> files, List<Path> systemDirs, Fetcher fetcher) throws Exception {
    List<IdxDatasetSpec.FileSpec> specs = new ArrayList<>();
    for (String n : NAMES) {
      specs.add(new IdxDatasetSpec.FileSpec(n, files.get(n).length, sha256(files.get(n))));
    }
    return new IdxDatasetSpec(name, "Tiny-" + name, ROWS, COLS, CLASSES, specs, systemDirs, List.of(), List.of(), fetcher);
  }

  /** A tar entry: regular file ('0'), or a pax header ('x') or GNU long name ('L') for the next one. */
  record TarEntry(String name, byte[] data, char type) {
    static TarEntry file(String name, byte[] data) {
      return new TarEntry(name, data, '0');
    }
  }

  /** A gzip'ed ustar archive; names longer than 100 bytes are split into ustar prefix and name. */
  static byte[] tgz(List<TarEntry> entries, boolean endBlocks) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (TarEntry e : entries) {
      tar.write(tarHeader(e.name(), e.data().length, e.type()));
      tar.write(e.data());
      int pad = (512 - e.data().length % 512) % 512;
      tar.write(new byte[pad]);
    }
    if (endBlocks) {
      tar.write(new byte[1024]);
    }
    return gzip(tar.toByteArray());
  }

  static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.length() + 1;
    while (Integer.toString(len).length() + body.length() != len) {
      len++;
    }
    return (len + body).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tarHeader(String name, long size, char type) {
    byte[] h = new byte[512];
    String prefix = "";
    if (name.length() > 100) {
      int slash = name.lastIndexOf('/', name.length() - 2);
      prefix = name.substring(0, slash);
      name = name.substring(slash + 1);
    }
    put(h, 0, name);
    put(h, 100, "0000644\0");
    put(h, 108, "0001750\0");
    put(h, 116, "0001750\0");
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, String.format("%011o\0", 1_400_000_000L));
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    put(h, 345, prefix);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
