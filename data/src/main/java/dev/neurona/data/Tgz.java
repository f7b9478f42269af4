package dev.neurona.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A minimal reader for gzip-compressed tar files ({@code .tgz}, as {@code npm pack} writes them):
 * 512-byte headers with their checksum, ustar name + prefix, octal (or base-256) sizes, pax
 * {@code path}/{@code size} records and GNU long names. Only the entries asked for are written out.
 */
final class Tgz {
  private static final int BLOCK = 512;

  private Tgz() {}

  /** Receives the regular files of a tarball, one at a time. */
  interface EntryVisitor {
    /**
     * Whether the entry {@code name} of {@code size} bytes is wanted; if so {@link #read} follows.
     *
     * @throws IOException to stop reading the tarball, e.g. when the size is wrong
     */
    boolean wants(String name, long size) throws IOException;

    /**
     * Reads a wanted entry from {@code in}, which ends after its {@code size} bytes (a tarball cut
     * short inside the entry makes it throw an {@link EOFException}); bytes left unread are skipped.
     */
    void read(String name, long size, InputStream in) throws IOException;
  }

  /**
   * Extracts the entries named in {@code wanted} (entry name → destination file). An entry whose
   * size differs from {@code expectedSizes.get(name)} (when present) is rejected before anything
   * is written. Returns the entries found with their sizes; the caller checks that none is missing.
   */
  static Map<String, Long> extract(Path tgz, Map<String, Path> wanted, Map<String, Long> expectedSizes) throws IOException {
    Map<String, Long> found = new HashMap<>();
    forEachFile(tgz, new EntryVisitor() {
      @Override
      public boolean wants(String name, long size) throws IOException {
        if (!wanted.containsKey(name)) {
          return false;
        }
        Long expected = expectedSizes.get(name);
        if (expected != null && expected != size) {
          throw new IOException("tarball " + tgz + ": " + name + " is " + size + " bytes, expected " + expected);
        }
        return true;
      }

      @Override
      public void read(String name, long size, InputStream in) throws IOException {
        copy(tgz, in, size, name, wanted.get(name));
        found.put(name, size);
      }
    });
    return found;
  }

  /**
   * Walks the tarball's regular files in order, handing those the visitor wants to it (see
   * {@link EntryVisitor}); headers are checked as in {@link #extract}.
   */
  static void forEachFile(Path tgz, EntryVisitor visitor) throws IOException {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16), 1 << 16)) {
      String longName = null;
      long paxSize = -1;
      long offset = 0;
      while (true) {
        byte[] h = in.readNBytes(BLOCK);
        if (h.length == 0) {
          break; // some writers omit the two zero blocks at the end
        }
        if (h.length < BLOCK) {
          throw new IOException("tarball " + tgz + " is truncated: a header at offset " + offset + " has only " + h.length + " bytes");
        }
        if (isZero(h)) {
          break;
        }
        checkChecksum(tgz, h, offset);
        String name = longName != null ? longName : headerName(h);
        long size = paxSize >= 0 ? paxSize : parseSize(tgz, h, offset);
        longName = null;
        paxSize = -1;
        char type = (char) h[156];
        offset += BLOCK;
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if (type == 'x' || type == 'L') {
          byte[] meta = readFully(tgz, in, size, name);
          in.skipNBytes(padded - size);
          if (type == 'L') {
            longName = cString(meta, 0, meta.length);
          } else {
            Map<String, String> pax = parsePax(meta);
            longName = pax.get("path");
            if (pax.containsKey("size")) {
              paxSize = Long.parseLong(pax.get("size").trim());
            }
          }
        } else if ((type == '0' || type == 0) && visitor.wants(name, size)) {
          Bounded entry = new Bounded(in, size);
          visitor.read(name, size, entry);
          in.skipNBytes(entry.left + padded - size);
        } else {
          in.skipNBytes(padded);
        }
        offset += padded;
      }
    } catch (EOFException e) {
      throw new IOException("tarball " + tgz + " is truncated (" + e.getMessage() + ")", e);
    } catch (ZipException e) {
      throw new IOException("tarball " + tgz + " is not valid gzip data (" + e.getMessage() + ")", e);
    }
  }

  /** The bytes of one entry: at most {@code left}, and an early end of the tarball is an {@link EOFException}. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the tarball ends inside an entry, " + left + " bytes short");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {
      // the tarball stream stays open for the next entry
    }
  }

  private static void copy(Path tgz, InputStream in, long size, String name, Path dest) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    try (OutputStream out = Files.newOutputStream(dest)) {
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("tarball " + tgz + " is truncated inside " + name + ": " + (size - left) + " of " + size + " bytes");
        }
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }

  private static byte[] readFully(Path tgz, InputStream in, long size, String name) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tarball " + tgz + ": metadata entry " + name + " claims " + size + " bytes");
    }
    byte[] b = in.readNBytes((int) size);
    if (b.length < size) {
      throw new IOException("tarball " + tgz + " is truncated inside metadata entry " + name);
    }
    return b;
  }

  /** ustar: {@code prefix/name} when the magic says ustar and the prefix is non-empty. */
  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    if (ustar) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  /** Octal, NUL/space-terminated; or base-256 when the high bit of the first byte is set. */
  private static long parseSize(Path tgz, byte[] h, long offset) throws IOException {
    if ((h[124] & 0x80) != 0) {
      long v = 0;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (h[i] & 0xFF);
      }
      return v;
    }
    String s = cString(h, 124, 12).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("tarball " + tgz + ": corrupt size field '" + s + "' in the header at offset " + offset, e);
    }
  }

  /** The header checksum: the byte sum with the 8-byte checksum field counted as spaces. */
  private static void checkChecksum(Path tgz, byte[] h, long offset) throws IOException {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
    }
    String field = cString(h, 148, 8).trim();
    long stored;
    try {
      stored = Long.parseLong(field, 8);
    } catch (NumberFormatException e) {
      throw new IOException("tarball " + tgz + ": corrupt header at offset " + offset + " (checksum field '" + field + "')", e);
    }
    if (stored != sum) {
      throw new IOException("tarball " + tgz + ": corrupt header at offset " + offset + " (checksum " + stored + ", computed " + sum + ")");
    }
  }

  /** pax records: {@code "<len> <key>=<value>\n"}. */
  private static Map<String, String> parsePax(byte[] meta) {
    Map<String, String> m = new HashMap<>();
    String s = new String(meta, StandardCharsets.UTF_8);
    for (String line : s.split("\n")) {
      int sp = line.indexOf(' ');
      int eq = line.indexOf('=', sp + 1);
      if (sp > 0 && eq > sp) {
        m.put(line.substring(sp + 1, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
