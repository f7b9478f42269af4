package dev.neurona.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CIFAR-10's binary version: batch files of 3,073-byte records, each one label byte (0–9)
 * and a 32×32 colour image stored channel-planar — the 1,024 red values row by row, then the green,
 * then the blue — turned here into NHWC (interleaved RGB), as {@link ImageDataset} keeps pixels.
 * From the extracted {@code cifar-10-batches-bin/} folder or straight from
 * {@code cifar-10-binary.tar.gz}.
 */
final class Cifar10Batches {
  static final int SIDE = 32;
  static final int PLANE = SIDE * SIDE;
  static final int IMAGE = 3 * PLANE;
  static final int RECORD = 1 + IMAGE;
  static final String FOLDER = "cifar-10-batches-bin";
  static final String TARBALL = "cifar-10-binary.tar.gz";
  static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
      "data_batch_4.bin", "data_batch_5.bin");
  static final String TEST_FILE = "test_batch.bin";

  private Cifar10Batches() {}

  /** All six batch file names: the five training batches, then the test batch. */
  static List<String> allFiles() {
    List<String> all = new ArrayList<>(TRAIN_FILES);
    all.add(TEST_FILE);
    return all;
  }

  /** One batch file, decoded: {@code count} NHWC images and their labels. */
  record Batch(byte[] pixels, int[] labels) {}

  /** Reads the six batch files from a folder. */
  static TrainTest readFolder(Path dir, List<String> classNames) throws IOException {
    Map<String, Batch> batches = new LinkedHashMap<>();
    for (String name : allFiles()) {
      Path file = dir.resolve(name);
      long size = Files.size(file);
      try (InputStream in = Files.newInputStream(file)) {
        batches.put(name, read(in, size, file.toString()));
      } catch (EOFException e) {
        throw new IOException(file + " is truncated: " + e.getMessage(), e);
      }
    }
    return assemble(batches, classNames);
  }

  /** Reads the six batch files ({@code cifar-10-batches-bin/<name>}) from the tarball, without extracting it. */
  static TrainTest readTarball(Path tgz, List<String> classNames) throws IOException {
    Map<String, Batch> batches = new LinkedHashMap<>();
    List<String> wanted = new ArrayList<>();
    for (String name : allFiles()) {
      wanted.add(FOLDER + "/" + name);
    }
    Tgz.forEachFile(tgz, new Tgz.EntryVisitor() {
      @Override
      public boolean wants(String name, long size) {
        return wanted.contains(name);
      }

      @Override
      public void read(String name, long size, InputStream in) throws IOException {
        batches.put(name.substring(FOLDER.length() + 1), Cifar10Batches.read(in, size, tgz + ": " + name));
      }
    });
    List<String> missing = new ArrayList<>();
    for (String w : wanted) {
      if (!batches.containsKey(w.substring(FOLDER.length() + 1))) {
        missing.add(w);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(tgz + " is not CIFAR-10's binary tarball: it has no " + String.join(", ", missing));
    }
    return assemble(batches, classNames);
  }

  /**
   * Decodes {@code size} bytes of records from {@code in}; {@code where} names the file in errors,
   * which give the byte offset of what is wrong.
   */
  static Batch read(InputStream in, long size, String where) throws IOException {
    if (size == 0 || size % RECORD != 0) {
      long whole = size / RECORD;
      throw new IOException(where + " is " + size + " bytes: not a whole number of " + RECORD + "-byte records (1 label byte"
          + " + 32x32x3 pixels)" + (size == 0 ? "" : "; the record at byte offset " + whole * RECORD + " has only "
          + (size - whole * RECORD) + " bytes"));
    }
    if (size / RECORD > Integer.MAX_VALUE / IMAGE) {
      throw new IOException(where + " is " + size + " bytes: more images than one array can hold");
    }
    int count = (int) (size / RECORD);
    byte[] pixels = new byte[count * IMAGE];
    int[] labels = new int[count];
    byte[] rec = new byte[RECORD];
    for (int i = 0; i < count; i++) {
      int n = in.readNBytes(rec, 0, RECORD);
      long offset = (long) i * RECORD;
      if (n < RECORD) {
        throw new IOException(where + " ends at byte offset " + (offset + n) + ", inside record " + i + " (of " + count
            + " expected from its size of " + size + " bytes)");
      }
      int label = rec[0] & 0xFF;
      if (label > 9) {
        throw new IOException(where + ": the label at byte offset " + offset + " (record " + i + ") is " + label
            + ", not in [0, 10): this is not a CIFAR-10 batch file, or it is damaged");
      }
      labels[i] = label;
      // Planar R, G, B (each 32 rows of 32) → interleaved (y, x, channel).
      int base = i * IMAGE;
      for (int p = 0; p < PLANE; p++) {
        pixels[base + 3 * p] = rec[1 + p];
        pixels[base + 3 * p + 1] = rec[1 + PLANE + p];
        pixels[base + 3 * p + 2] = rec[1 + 2 * PLANE + p];
      }
    }
    return new Batch(pixels, labels);
  }

  /** The five training batches in order, one after another, and the test batch. */
  private static TrainTest assemble(Map<String, Batch> batches, List<String> classNames) {
    long total = 0;
    for (String name : TRAIN_FILES) {
      total += batches.get(name).labels().length;
    }
    byte[] pixels = new byte[Math.toIntExact(total * IMAGE)];
    int[] labels = new int[(int) total];
    int at = 0;
    for (String name : TRAIN_FILES) {
      Batch b = batches.remove(name); // let each batch go as soon as it is copied
      System.arraycopy(b.pixels(), 0, pixels, at * IMAGE, b.pixels().length);
      System.arraycopy(b.labels(), 0, labels, at, b.labels().length);
      at += b.labels().length;
    }
    Batch test = batches.get(TEST_FILE);
    return new TrainTest(
        ImageDataset.ofOwned("cifar10/train", pixels, labels, SIDE, SIDE, 3, classNames),
        ImageDataset.ofOwned("cifar10/test", test.pixels(), test.labels(), SIDE, SIDE, 3, classNames));
  }
}
