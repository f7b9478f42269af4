package dev.neurona.layers.saving;

import dev.neurona.core.Tensor;
import dev.neurona.layers.saving.Safetensors.Header;
import dev.neurona.layers.saving.Safetensors.Named;
import dev.neurona.layers.saving.Safetensors.TensorInfo;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * A model file opened for reading, entry by entry. Every read is bounded before anything is
 * allocated — a JSON entry by {@link #MAX_JSON_BYTES} however large it inflates, a tensor entry by
 * its safetensors header checked against the bytes the zip really holds — and every failure,
 * whatever the zip library or the stream throws, is a {@link ModelFormatException} naming the file
 * and the entry.
 *
 * <p>New entries (a training state, say) read through the same two calls: {@link #json} for any
 * JSON object, {@link #tensors} / {@link #readTensors} for any safetensors entry.
 */
final class ModelZip implements Closeable {
  /**
   * Largest JSON entry read ({@code config.json}, {@code metadata.json}, {@code optimizer.json}):
   * thousands of layers fit; inflating stops one byte past it.
   */
  static final int MAX_JSON_BYTES = 4 << 20;
  /** Deflate cannot expand data more than about 1032 times: an entry claiming more lies about its size. */
  private static final long MAX_DEFLATE_RATIO = 1032;

  private final Path file;
  private final ZipFile zip;
  private final long fileSize;

  private ModelZip(Path file, ZipFile zip, long fileSize) {
    this.file = file;
    this.zip = zip;
    this.fileSize = fileSize;
  }

  /**
   * Opens {@code file}; a file that is not a readable zip is a {@link ModelFormatException} that
   * says, for a truncated one, in which entry its bytes stop.
   */
  static ModelZip open(Path file) throws IOException {
    long size = Files.size(file);
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (FileNotFoundException e) {
      throw e; // cannot be opened at all (permissions): not a fault of the file's contents
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException(file + ": not a Neurona model file: not a readable zip (" + e.getMessage()
          + ")" + diagnoseUnreadable(file, size), e);
    }
    return new ModelZip(file, zip, size);
  }

  /**
   * Why a zip without a readable central directory cannot be read: usually a file cut short (a
   * copy or download that stopped), whose entries can still be walked from the front.
   */
  private static String diagnoseUnreadable(Path file, long size) {
    if (size == 0) {
      return "; the file is empty";
    }
    String current = null;
    String complete = null;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        ZipInputStream z = new ZipInputStream(in)) {
      byte[] skip = new byte[1 << 16];
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        current = e.getName();
        while (z.read(skip) >= 0) {
          // walk to the entry's end
        }
        complete = current;
        current = null;
      }
    } catch (IOException | RuntimeException e) {
      if (current != null) {
        return "; the file (" + size + " bytes) is truncated or corrupt inside entry " + Json.shorten(current);
      }
    }
    return complete != null
        ? "; the file (" + size + " bytes) ends after entry " + Json.shorten(complete) + " without the zip's directory:"
            + " it is truncated or corrupt"
        : "; the file (" + size + " bytes) may be truncated or corrupt";
  }

  /** The file, as the caller named it. */
  Path file() {
    return file;
  }

  /** {@code "<file>: <entry>"}: how messages name an entry. */
  String where(String entry) {
    return file + ": " + entry;
  }

  /** Whether the zip has an entry called {@code name}. */
  boolean has(String name) throws ModelFormatException {
    return find(name) != null;
  }

  private ZipEntry find(String name) throws ModelFormatException {
    try {
      return zip.getEntry(name);
    } catch (RuntimeException e) {
      throw new ModelFormatException(where(name) + ": the zip's directory is corrupt (" + e + ")", e);
    }
  }

  private ZipEntry entry(String name) throws ModelFormatException {
    ZipEntry e = find(name);
    if (e == null) {
      throw new ModelFormatException(file + ": missing entry " + name + " (not a Neurona model file?)");
    }
    return e;
  }

  /**
   * The uncompressed size the zip records for {@code e}, checked against what the file can hold:
   * its compressed bytes must fit in the file, and inflate to no more than deflate can produce.
   */
  private long size(ZipEntry e) throws ModelFormatException {
    String where = where(e.getName());
    long size = e.getSize();
    long compressed = e.getCompressedSize();
    if (size < 0 || compressed < 0) {
      throw new ModelFormatException(where + ": the zip does not record the entry's size");
    }
    if (compressed > fileSize) {
      throw new ModelFormatException(where + ": the zip says the entry has " + compressed + " compressed bytes but"
          + " the whole file has " + fileSize + "; the file is truncated or corrupt");
    }
    long most = e.getMethod() == ZipEntry.STORED ? compressed : compressed * MAX_DEFLATE_RATIO + 1024;
    if (size > most) {
      throw new ModelFormatException(where + ": the zip says the entry inflates to " + size + " bytes, more than its "
          + compressed + " compressed bytes can hold; the file is corrupt");
    }
    return size;
  }

  private InputStream stream(ZipEntry e) throws ModelFormatException {
    try {
      return zip.getInputStream(e);
    } catch (IOException | RuntimeException ex) {
      throw new ModelFormatException(where(e.getName()) + " cannot be read: " + ex.getMessage(), ex);
    }
  }

  /**
   * The JSON object in entry {@code name}: at most {@link #MAX_JSON_BYTES} are inflated, and the
   * bytes read must be the size and have the CRC-32 the zip records.
   */
  Map<String, Object> json(String name) throws IOException {
    ZipEntry e = entry(name);
    String where = where(name);
    long size = size(e);
    if (size > MAX_JSON_BYTES) {
      throw new ModelFormatException(where + " is " + size + " bytes, more than the " + MAX_JSON_BYTES
          + " a model file's JSON entry may have");
    }
    byte[] bytes;
    try (InputStream in = stream(e)) {
      bytes = in.readNBytes(MAX_JSON_BYTES + 1);
    } catch (ModelFormatException ex) {
      throw ex;
    } catch (IOException | RuntimeException ex) {
      throw new ModelFormatException(where + " is truncated or corrupt (" + ex + ")", ex);
    }
    if (bytes.length > MAX_JSON_BYTES) {
      throw new ModelFormatException(where + " inflates to more than the " + MAX_JSON_BYTES + " bytes a model file's"
          + " JSON entry may have (the zip says " + size + "); the file is corrupt");
    }
    if (bytes.length != size) {
      throw new ModelFormatException(where + " is truncated or corrupt: read " + bytes.length + " bytes, the zip says "
          + size);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
      throw new ModelFormatException(where + " is corrupt: its CRC-32 is " + Long.toHexString(crc.getValue())
          + " but the zip recorded " + Long.toHexString(e.getCrc()));
    }
    try {
      return Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException ex) {
      throw new ModelFormatException(where + " is not valid: " + ex.getMessage(), ex);
    }
  }

  /**
   * The checked safetensors header of entry {@code name}: every tensor fits in the entry's bytes.
   * A compressed entry is inflated to its end (into nothing) to see that those bytes are really
   * there, with the CRC-32 the zip records, before anything is allocated on the header's word.
   */
  Header header(String name) throws IOException {
    ZipEntry e = entry(name);
    String where = where(name);
    long size = size(e);
    CRC32 crc = new CRC32();
    try (InputStream in = new CheckedInputStream(stream(e), crc)) {
      Header h = Safetensors.readHeader(in, size, where);
      if (e.getMethod() != ZipEntry.STORED) {
        long rest = in.transferTo(OutputStream.nullOutputStream());
        if (8 + h.length() + rest != size || e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
          throw new ModelFormatException(where + " is truncated or corrupt: it inflates to " + (8 + h.length() + rest)
              + " bytes with CRC-32 " + Long.toHexString(crc.getValue()) + ", the zip says " + size + " bytes with "
              + Long.toHexString(e.getCrc()));
        }
      }
      return h;
    } catch (ModelFormatException ex) {
      throw ex;
    } catch (IOException | RuntimeException ex) {
      throw new ModelFormatException(where + " is truncated or corrupt (" + ex + ")", ex);
    }
  }

  /**
   * Reads safetensors entry {@code name} into {@code expected} (the same names and shapes, see
   * {@link Safetensors#readData}), then checks that the entry ends there and its CRC-32.
   */
  void readTensors(String name, List<Named> expected, String expectedWhat) throws IOException {
    ZipEntry e = entry(name);
    String where = where(name);
    long size = size(e);
    CRC32 crc = new CRC32();
    try (InputStream in = new CheckedInputStream(stream(e), crc)) {
      Header header = Safetensors.readHeader(in, size, where);
      Safetensors.readData(in, header, expected, where, expectedWhat);
      if (in.read() != -1) {
        throw new ModelFormatException(where + " is corrupt: it holds more than the " + size + " bytes the zip says");
      }
      if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
        throw new ModelFormatException(where + " is corrupt: its CRC-32 is " + Long.toHexString(crc.getValue())
            + " but the zip recorded " + Long.toHexString(e.getCrc()));
      }
    } catch (ModelFormatException ex) {
      throw ex;
    } catch (IOException | RuntimeException ex) {
      throw new ModelFormatException(where + " is truncated or corrupt (" + ex + ")", ex);
    }
  }

  /**
   * Every tensor of safetensors entry {@code name}, by name in data order. Memory is allocated only
   * once the header is known to fit in the bytes the entry really holds.
   */
  Map<String, Tensor> tensors(String name) throws IOException {
    Header header = header(name);
    Map<String, Tensor> out = new LinkedHashMap<>();
    List<Named> into = new ArrayList<>();
    for (TensorInfo t : header.tensors().values()) {
      Tensor x = Tensor.zeros(t.shape());
      out.put(t.name(), x);
      into.add(new Named(t.name(), t.shape(), x.data()));
    }
    readTensors(name, into, "its header");
    return out;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }
}
