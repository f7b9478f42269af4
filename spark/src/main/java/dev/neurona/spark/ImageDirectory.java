package dev.neurona.spark;

import dev.neurona.core.Tensor;
import dev.neurona.data.ImageFolder;
import dev.neurona.data.ImageFolderException;
import dev.neurona.data.ImageFormatException;
import dev.neurona.data.Images;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The image folder of {@link SampleSet#fromImageDirectory}: listed on the driver through Hadoop's
 * {@link FileSystem} with {@link ImageFolder}'s rules, and each partition's files read and decoded
 * on its executor with the data module's decoder.
 */
final class ImageDirectory {
  private ImageDirectory() {}

  /** The class names (sorted folder names) and every image file's URI and label, in ImageFolder's listing order. */
  record Listing(List<String> classNames, List<String> files, int[] labels, List<String> emptyClasses) {}

  /**
   * Lists {@code root} as {@link ImageFolder} lists a local folder: class folders are the root's
   * sub-folders not starting with a dot, sorted by name; in each, the folders (sub-folders
   * included, hidden ones not) in path order, each one's files sorted by name, a file being an
   * image if its name does not start with a dot and ends in one of
   * {@link ImageFolder#IMAGE_EXTENSIONS} (any case).
   */
  static Listing list(String rootUri, Configuration conf, boolean skipBadFiles) throws IOException {
    Path root = new Path(rootUri);
    FileSystem fs = root.getFileSystem(conf);
    FileStatus status;
    try {
      status = fs.getFileStatus(root);
    } catch (FileNotFoundException e) {
      throw new ImageFolderException("image folder " + rootUri + " does not exist");
    }
    if (!status.isDirectory()) {
      throw new ImageFolderException("image folder " + rootUri + " is not a directory (expected a directory with one "
          + "sub-folder per class)");
    }
    List<String> classNames = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (FileStatus s : sortedEntries(fs, root)) {
      if (s.isDirectory() && !isHidden(s.getPath())) {
        classNames.add(s.getPath().getName());
      } else {
        others.add(s.getPath().getName());
      }
    }
    if (classNames.isEmpty()) {
      throw new ImageFolderException("image folder " + rootUri + " has no class folders: expected one sub-folder per "
          + "class holding its images, found " + (others.isEmpty() ? "nothing" : others.size() + " other entries: "
          + first5(others)));
    }
    List<String> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> emptyClasses = new ArrayList<>();
    for (int k = 0; k < classNames.size(); k++) {
      Path dir = new Path(root, classNames.get(k));
      List<String> images = new ArrayList<>();
      walk(fs, dir, images);
      if (images.isEmpty()) {
        if (!skipBadFiles) {
          throw new ImageFolderException(dir + ": class folder has no images (" + String.join(", ",
              ImageFolder.IMAGE_EXTENSIONS) + ")");
        }
        emptyClasses.add(classNames.get(k));
      }
      for (String f : images) {
        files.add(f);
        labels.add(k);
      }
    }
    if (files.isEmpty()) {
      throw new ImageFolderException("image folder " + rootUri + " has no images in any of its " + classNames.size()
          + " class folders " + classNames);
    }
    return new Listing(List.copyOf(classNames), List.copyOf(files),
        labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(emptyClasses));
  }

  /** ImageFolder's walk: the class folder and its sub-folders (hidden ones not) sorted by path, each one's image files by name. */
  private static void walk(FileSystem fs, Path classDir, List<String> images) throws IOException {
    List<String[]> dirs = new ArrayList<>(); // {path relative to the class folder, URI}
    collectDirs(fs, classDir, "", dirs);
    dirs.sort((a, b) -> a[0].compareTo(b[0]));
    for (String[] dir : dirs) {
      for (FileStatus s : sortedEntries(fs, new Path(dir[1]))) {
        if (!s.isDirectory() && !isHidden(s.getPath()) && ImageFolder.isImageName(s.getPath().getName())) {
          images.add(s.getPath().toString());
        }
      }
    }
  }

  private static void collectDirs(FileSystem fs, Path dir, String relative, List<String[]> out) throws IOException {
    out.add(new String[] {relative, dir.toString()});
    for (FileStatus s : sortedEntries(fs, dir)) {
      if (s.isDirectory() && !s.isSymlink() && !isHidden(s.getPath())) {
        collectDirs(fs, s.getPath(), relative + "/" + s.getPath().getName(), out);
      }
    }
  }

  /** The entries of {@code dir} sorted by name (UTF-16 code units, as ImageFolder sorts). */
  private static List<FileStatus> sortedEntries(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> entries = new ArrayList<>(Arrays.asList(fs.listStatus(dir)));
    entries.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    return entries;
  }

  private static boolean isHidden(Path p) {
    return p.getName().startsWith(".");
  }

  static String first5(List<String> names) {
    return String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", …" : "");
  }

  /** The files of one partition, with their labels and the preprocessing to apply. */
  record Slice(String[] files, int[] labels, int height, int width, ImageFolder.ColorMode colorMode,
      boolean cropToAspectRatio, boolean skipBadFiles) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Reads and decodes the files of {@code slice} in order into one block (samples (h, w, c) in
   * [0, 1] as {@code ImageDataset.fill} gives them, sparse labels); with {@code skipBadFiles} an
   * undecodable file is left out and reported to {@code skipped}, otherwise it fails the task with
   * an {@link ImageFormatException} naming it.
   */
  static Block decode(Slice slice, Configuration conf, CollectionAccumulator<String> skipped) throws IOException {
    ImageFolder.Options options = ImageFolder.Options.defaults().imageSize(slice.height(), slice.width())
        .colorMode(slice.colorMode()).cropToAspectRatio(slice.cropToAspectRatio());
    int fs = slice.height() * slice.width() * slice.colorMode().channels();
    int n = slice.files().length;
    float[] x = new float[Math.multiplyExact(n, fs)];
    float[] y = new float[n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      String file = slice.files()[i];
      Tensor sample;
      try {
        sample = Images.decode(read(file, conf), file, options);
      } catch (ImageFormatException e) {
        if (!slice.skipBadFiles()) {
          throw e;
        }
        skipped.add(e.getMessage());
        continue;
      }
      System.arraycopy(sample.data(), 0, x, kept * fs, fs);
      y[kept] = slice.labels()[i];
      kept++;
    }
    if (kept < n) {
      x = Arrays.copyOf(x, kept * fs);
      y = Arrays.copyOf(y, kept);
    }
    return new Block(kept, fs, 1, x, y);
  }

  /** The whole file, through the Hadoop file system its URI names. */
  private static byte[] read(String file, Configuration conf) throws ImageFormatException {
    Path path = new Path(file);
    try (FSDataInputStream in = path.getFileSystem(conf).open(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ImageFormatException(file, "could not be read: " + e, e);
    }
  }
}
