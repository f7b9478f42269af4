package dev.neurona.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed.
 *
 * <p>An IDX file is a 4-byte magic number {@code 0x00 0x00 type rank}, then {@code rank} big-endian
 * int32 dimensions, then the data in row-major order. Neurona reads only unsigned bytes (type
 * {@code 0x08}): images are {@code 0x00000803} (count, rows, cols), labels {@code 0x00000801}
 * (count). A gzip file is recognised by its magic bytes ({@code 1f 8b}), whatever its name.
 *
 * <p>Every error is an {@link IOException} naming the file: a directory where a file is expected, a
 * wrong magic number or type code, a header that does not fit, a file shorter than its header says
 * (truncated) or longer (trailing bytes), a gzip stream that is corrupt or cut short.
 */
public final class Idx {
  /** Magic number of a 1-D unsigned-byte IDX file (labels). */
  public static final int MAGIC_UBYTE_1D = 0x00000801;
  /** Magic number of a 3-D unsigned-byte IDX file (images). */
  public static final int MAGIC_UBYTE_3D = 0x00000803;

  private static final int TYPE_UBYTE = 0x08;
  private static final int MAX_RANK = 16;
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private Idx() {}

  /** The dimensions and unsigned-byte data of an IDX file (data is row-major, not copied). */
  public record Contents(int[] dims, byte[] data) {
    /** Checks that {@code data} holds exactly the product of {@code dims} bytes. */
    public Contents {
      long n = elementCount("Idx.Contents", dims);
      if (data == null || data.length != n) {
        throw new IllegalArgumentException(
            "Idx.Contents: dims " + Arrays.toString(dims) + " need " + n + " bytes, data has "
                + (data == null ? "null" : data.length + " bytes"));
      }
    }
  }

  /** A stack of uint8 grayscale images: {@code pixels} is (count, rows, cols), row-major. */
  public record Images(int count, int rows, int cols, byte[] pixels) {
    /** Checks the dimensions and that {@code pixels} has {@code count·rows·cols} bytes. */
    public Images {
      long n = elementCount("Idx.Images", new int[] {count, rows, cols});
      if (pixels == null || pixels.length != n) {
        throw new IllegalArgumentException(
            "Idx.Images: " + count + " images of " + rows + "x" + cols + " need " + n + " bytes, pixels has "
                + (pixels == null ? "null" : pixels.length + " bytes"));
      }
    }
  }

  /**
   * Reads an unsigned-byte IDX file of any rank, raw or gzip.
   *
   * @throws IOException naming the file, for a file that is missing, a directory, or not a valid
   *     (gzipped) IDX file
   */
  public static Contents read(Path file) throws IOException {
    requireFile(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      boolean gzip = isGzip(raw);
      try {
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        return readFrom(file, in, gzip ? -1 : Files.size(file));
      } catch (IOException e) {
        throw gzip ? gzipError(file, e) : e;
      }
    }
  }

  /** Throws, naming {@code file}, when it is a directory: reading one fails with a message that names nothing. */
  private static void requireFile(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(where(file) + "is a directory, not a file");
    }
  }

  /**
   * {@code e}, from reading the gzip stream of {@code file}, as an error naming the file: the
   * stream's own exceptions ({@code ZipException: invalid block type}, a bare {@code EOFException})
   * say neither which file nor that it is gzip that failed.
   */
  private static IOException gzipError(Path file, IOException e) {
    if (e instanceof ZipException) {
      return new IOException(where(file) + "corrupt gzip data (" + e.getMessage() + ")", e);
    }
    if (e instanceof EOFException) {
      return new IOException(where(file) + "truncated gzip stream (" + (e.getMessage() == null ? "it ends early"
          : e.getMessage()) + ")", e);
    }
    return e;
  }

  /** Reads an images file: magic {@code 0x00000803}, dims (count, rows, cols). */
  public static Images readImages(Path file) throws IOException {
    Contents c = read(file);
    if (c.dims.length != 3) {
      throw new IOException(
          where(file) + "expected images (magic 0x00000803, rank 3: count, rows, cols) but the file has rank "
              + c.dims.length + " " + Arrays.toString(c.dims));
    }
    return new Images(c.dims[0], c.dims[1], c.dims[2], c.data);
  }

  /** Reads a labels file: magic {@code 0x00000801}, one dimension (count); one byte per label. */
  public static byte[] readLabels(Path file) throws IOException {
    Contents c = read(file);
    if (c.dims.length != 1) {
      throw new IOException(
          where(file) + "expected labels (magic 0x00000801, rank 1: count) but the file has rank "
              + c.dims.length + " " + Arrays.toString(c.dims));
    }
    return c.data;
  }

  /** Writes an unsigned-byte IDX file; gzip-compressed when the name ends in {@code .gz}. */
  public static void write(Path file, Contents contents) throws IOException {
    int[] dims = contents.dims();
    if (dims.length < 1 || dims.length > MAX_RANK) {
      throw new IllegalArgumentException("Idx.write " + file + ": rank " + dims.length + " is not in [1, " + MAX_RANK + "]");
    }
    try (OutputStream file0 = Files.newOutputStream(file);
        OutputStream os = file.getFileName().toString().endsWith(".gz")
            ? new GZIPOutputStream(file0, 1 << 16)
            : new BufferedOutputStream(file0, 1 << 16);
        DataOutputStream out = new DataOutputStream(os)) {
      out.writeInt((TYPE_UBYTE << 8) | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(contents.data());
    }
  }

  /** Writes an images file (magic {@code 0x00000803}). */
  public static void writeImages(Path file, Images images) throws IOException {
    write(file, new Contents(new int[] {images.count(), images.rows(), images.cols()}, images.pixels()));
  }

  /** Writes a labels file (magic {@code 0x00000801}); each label must be in [0, 255]. */
  public static void writeLabels(Path file, int[] labels) throws IOException {
    byte[] b = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] > 255) {
        throw new IllegalArgumentException("Idx.writeLabels " + file + ": label[" + i + "] = " + labels[i] + " is not in [0, 255]");
      }
      b[i] = (byte) labels[i];
    }
    write(file, new Contents(new int[] {labels.length}, b));
  }

  /**
   * Opens a file for reading, transparently gunzipping it when it starts with the gzip magic; a
   * corrupt or truncated gzip stream fails, when opened or read, with an error naming the file.
   */
  static InputStream openMaybeGzip(Path file) throws IOException {
    requireFile(file);
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      if (!isGzip(raw)) {
        return raw;
      }
      return new FilterInputStream(new GZIPInputStream(raw, 1 << 16)) {
        @Override
        public int read() throws IOException {
          try {
            return super.read();
          } catch (IOException e) {
            throw gzipError(file, e);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return super.read(b, off, len);
          } catch (IOException e) {
            throw gzipError(file, e);
          }
        }
      };
    } catch (IOException e) {
      raw.close();
      throw gzipError(file, e);
    }
  }

  /** Peeks at the first two bytes of a mark-supporting stream. */
  private static boolean isGzip(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  /** Parses header and data; {@code fileSize} is the raw length, or -1 when unknown (gzip). */
  private static Contents readFrom(Path file, InputStream in, long fileSize) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw new IOException(where(file) + "truncated: " + magic.length + " bytes, too short for the 4-byte IDX magic number");
    }
    int magicNumber = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
    if (magic[0] != 0 || magic[1] != 0) {
      boolean gzName = fileSize >= 0 && file.getFileName() != null && file.getFileName().toString().endsWith(".gz");
      throw new IOException(
          where(file) + String.format("not an IDX file: magic number 0x%08x does not start with two zero bytes "
              + "(expected 0x%08x for images or 0x%08x for labels)", magicNumber, MAGIC_UBYTE_3D, MAGIC_UBYTE_1D)
              + (gzName ? "; its name ends in .gz but it is not gzip either (no 1f 8b magic bytes)" : ""));
    }
    int type = magic[2] & 0xFF;
    int rank = magic[3] & 0xFF;
    if (type != TYPE_UBYTE) {
      throw new IOException(
          where(file) + String.format("magic number 0x%08x has type code 0x%02x (%s); only unsigned bytes (0x08) are supported",
              magicNumber, type, typeName(type)));
    }
    if (rank < 1 || rank > MAX_RANK) {
      throw new IOException(where(file) + String.format("magic number 0x%08x has rank %d, expected 1 to %d", magicNumber, rank, MAX_RANK));
    }
    byte[] header = in.readNBytes(4 * rank);
    if (header.length < 4 * rank) {
      throw new IOException(where(file) + "truncated: the header of a rank-" + rank + " file needs " + 4 * rank
          + " bytes of dimensions, found " + header.length);
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      int o = 4 * i;
      dims[i] = ((header[o] & 0xFF) << 24) | ((header[o + 1] & 0xFF) << 16) | ((header[o + 2] & 0xFF) << 8) | (header[o + 3] & 0xFF);
    }
    long n;
    try {
      n = elementCount("IDX header", dims);
    } catch (IllegalArgumentException e) {
      throw new IOException(where(file) + "corrupt or oversized header: " + e.getMessage(), e);
    }
    long headerBytes = 4 + 4L * rank;
    if (fileSize >= 0 && fileSize != headerBytes + n) {
      throw new IOException(where(file) + (fileSize < headerBytes + n ? "truncated" : "has trailing bytes") + ": "
          + fileSize + " bytes, but dims " + Arrays.toString(dims) + " need " + headerBytes + " + " + n + " = " + (headerBytes + n));
    }
    byte[] data;
    int got;
    if (fileSize >= 0) {
      data = new byte[(int) n]; // the length check above makes this allocation safe
      got = in.readNBytes(data, 0, data.length);
    } else {
      // readNBytes(len) grows its buffer as data arrives: a corrupt gzip header cannot force a huge allocation.
      data = in.readNBytes((int) n);
      got = data.length;
    }
    if (got < n) {
      throw new IOException(where(file) + "truncated: dims " + Arrays.toString(dims) + " need " + n
          + " data bytes, the (decompressed) file ends after " + got);
    }
    if (in.read() != -1) {
      throw new IOException(where(file) + "has trailing bytes after the " + n + " data bytes of dims " + Arrays.toString(dims));
    }
    return new Contents(dims, data);
  }

  private static long elementCount(String what, int[] dims) {
    if (dims == null) {
      throw new IllegalArgumentException(what + ": dims is null");
    }
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException(what + ": dimension " + i + " is negative (" + dims[i] + ") in " + Arrays.toString(dims));
      }
      n *= dims[i];
      if (n > MAX_ELEMENTS) {
        throw new IllegalArgumentException(what + ": dims " + Arrays.toString(dims) + " hold more than 2^31 elements");
      }
    }
    return n;
  }

  private static String typeName(int type) {
    switch (type) {
      case 0x08: return "unsigned byte";
      case 0x09: return "signed byte";
      case 0x0B: return "int16";
      case 0x0C: return "int32";
      case 0x0D: return "float32";
      case 0x0E: return "float64";
      default: return "unknown type";
    }
  }

  private static String where(Path file) {
    return "IDX file " + file + ": ";
  }
}
