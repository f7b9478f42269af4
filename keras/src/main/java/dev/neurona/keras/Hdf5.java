package dev.neurona.keras;

import dev.neurona.core.Shape;
import dev.neurona.core.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few HDF5 operations the Keras files need, on jHDF: open (from a path or from bytes), find
 * groups and datasets, read a float tensor or a scalar, read string attributes, and write.
 *
 * <p>jHDF throws unchecked exceptions on damaged files; every read here turns them into a
 * {@link KerasFormatException} naming the file and the object.
 */
final class Hdf5 {
  /** The HDF5 signature: {@code \211HDF\r\n\032\n}. */
  static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private Hdf5() {}

  /** Opens an HDF5 file; a file that is not one, or is damaged, gives a KerasFormatException. */
  static HdfFile open(Path file) throws KerasFormatException {
    try {
      return new HdfFile(file);
    } catch (RuntimeException e) {
      throw new KerasFormatException(file + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
  }

  /** Opens HDF5 bytes (a {@code .keras} archive's {@code model.weights.h5}); {@code where} names them in errors. */
  static HdfFile open(byte[] bytes, String where) throws KerasFormatException {
    try {
      return HdfFile.fromBytes(bytes);
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
    }
  }

  /** The child group {@code name} of {@code g}, or null when there is none (or it is a dataset). */
  static Group group(Group g, String name, String where) throws KerasFormatException {
    Node n = child(g, name, where);
    return n instanceof Group ? (Group) n : null;
  }

  /** The child {@code name} of {@code g}, or null. */
  static Node child(Group g, String name, String where) throws KerasFormatException {
    try {
      return g.getChildren().get(name);
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read HDF5 group " + g.getPath() + " (" + e.getMessage() + ")", e);
    }
  }

  /** The node at the slash-separated {@code path} below {@code g}, or null. */
  static Node at(Group g, String path, String where) throws KerasFormatException {
    Node n = g;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!(n instanceof Group)) {
        return null;
      }
      n = child((Group) n, part, where);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  /** The names of {@code g}'s children. */
  static List<String> children(Group g, String where) throws KerasFormatException {
    try {
      return new ArrayList<>(g.getChildren().keySet());
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read HDF5 group " + g.getPath() + " (" + e.getMessage() + ")", e);
    }
  }

  /** A string attribute (a scalar, or the first element of an array), or null when absent. */
  static String stringAttribute(Node n, String name, String where) throws KerasFormatException {
    Object v = attribute(n, name, where);
    if (v == null) {
      return null;
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v.getClass().isArray() && Array.getLength(v) == 1 && Array.get(v, 0) instanceof String) {
      return (String) Array.get(v, 0);
    }
    throw new KerasFormatException(where + ": HDF5 attribute '" + name + "' of " + n.getPath() + " is not a string");
  }

  /** A string-array attribute such as {@code weight_names}; empty when absent or empty, null entries refused. */
  static List<String> stringsAttribute(Node n, String name, String where) throws KerasFormatException {
    Object v = attribute(n, name, where);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof String) {
      out.add((String) v);
      return out;
    }
    if (!v.getClass().isArray()) {
      throw new KerasFormatException(where + ": HDF5 attribute '" + name + "' of " + n.getPath() + " is not a list of strings");
    }
    for (int i = 0; i < Array.getLength(v); i++) {
      Object e = Array.get(v, i);
      if (e instanceof String) {
        out.add((String) e);
      } else if (e != null && !(e instanceof Number)) {
        throw new KerasFormatException(where + ": HDF5 attribute '" + name + "' of " + n.getPath()
            + " is not a list of strings (element " + i + " is " + e + ")");
      }
    }
    return out;
  }

  private static Object attribute(Node n, String name, String where) throws KerasFormatException {
    try {
      Attribute a = n.getAttributes().get(name);
      return a == null || a.isEmpty() ? null : a.getData();
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read HDF5 attribute '" + name + "' of " + n.getPath()
          + " (" + e.getMessage() + ")", e);
    }
  }

  /** Whether {@code n} has attribute {@code name}. */
  static boolean hasAttribute(Node n, String name, String where) throws KerasFormatException {
    try {
      return n.getAttributes().containsKey(name);
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read the HDF5 attributes of " + n.getPath() + " (" + e.getMessage() + ")", e);
    }
  }

  /** The dimensions of a dataset ({@code []} for a scalar). */
  static int[] dims(Dataset d, String where) throws KerasFormatException {
    try {
      return d.isScalar() ? new int[0] : d.getDimensions();
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read HDF5 dataset " + d.getPath() + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads a float32 (or float16/float64, converted) dataset of exactly {@code shape}; any other
   * shape or type is an error naming {@code what} and both shapes.
   */
  static Tensor readTensor(Dataset d, Shape shape, String where, String what) throws KerasFormatException {
    int[] dims = dims(d, where);
    if (!Arrays.equals(dims, shape.toArray())) {
      throw new KerasFormatException(where + ": " + what + " has shape " + Shape.of(dims) + " in the file ("
          + d.getPath() + ") but the model expects " + shape);
    }
    Object flat;
    try {
      flat = d.getDataFlat();
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read " + what + " (" + d.getPath() + "): the file is truncated"
          + " or damaged (" + e.getMessage() + ")", e);
    }
    Tensor t = Tensor.zeros(shape);
    float[] out = t.data();
    if (flat instanceof float[] && ((float[]) flat).length == out.length) {
      System.arraycopy(flat, 0, out, 0, out.length);
    } else if (flat instanceof double[] && ((double[]) flat).length == out.length) {
      double[] in = (double[]) flat;
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) in[i];
      }
    } else {
      throw new KerasFormatException(where + ": " + what + " (" + d.getPath() + ") holds "
          + (flat == null ? "nothing" : flat.getClass().getSimpleName()) + ", not float32 numbers");
    }
    return t;
  }

  /** Reads a float dataset of whatever shape it has; null for a scalar. */
  static Tensor readAny(Dataset d, String where, String what) throws KerasFormatException {
    int[] dims = dims(d, where);
    return dims.length == 0 ? null : readTensor(d, Shape.of(dims), where, what);
  }

  /** Reads a scalar integer dataset (Keras' {@code iterations}). */
  static long readLong(Dataset d, String where, String what) throws KerasFormatException {
    Object v;
    try {
      v = d.getData();
    } catch (RuntimeException e) {
      throw new KerasFormatException(where + ": cannot read " + what + " (" + d.getPath() + "): " + e.getMessage(), e);
    }
    if (v != null && v.getClass().isArray() && Array.getLength(v) == 1) {
      v = Array.get(v, 0);
    }
    if (!(v instanceof Number)) {
      throw new KerasFormatException(where + ": " + what + " (" + d.getPath() + ") is not a number: " + v);
    }
    return ((Number) v).longValue();
  }

  // ---------------------------------------------------------------- writing

  /**
   * A nested Java array of {@code t}'s shape ({@code float[][][][]} for a convolution kernel), as
   * jHDF's writer takes it.
   */
  static Object nested(Tensor t) {
    int[] dims = t.shape().toArray();
    float[] data = t.data();
    if (dims.length == 0) {
      return new float[] {data[0]};
    }
    int[] offset = {0};
    return nested(data, dims, 0, offset);
  }

  private static Object nested(float[] data, int[] dims, int axis, int[] offset) {
    if (axis == dims.length - 1) {
      float[] row = Arrays.copyOfRange(data, offset[0], offset[0] + dims[axis]);
      offset[0] += dims[axis];
      return row;
    }
    Object[] rows = null;
    for (int i = 0; i < dims[axis]; i++) {
      Object r = nested(data, dims, axis + 1, offset);
      if (rows == null) {
        rows = (Object[]) Array.newInstance(r.getClass(), dims[axis]);
      }
      rows[i] = r;
    }
    return rows;
  }

  /**
   * Writes groups and datasets with jHDF. jHDF 0.9.2 writes its signature string after the last
   * dataset it wrote, over any group header that follows it in the file; so the caller must never
   * create an empty group: every group here ends in a dataset ({@code KerasModels} reads each file back to check).
   */
  static final class Writer {
    private final WritableHdfFile file;
    private final Path path;

    Writer(Path path) {
      this.path = path;
      this.file = HdfFile.write(path);
    }

    /** The group at {@code path} (slash-separated), created with its parents as needed. */
    WritableGroup group(String groupPath) {
      WritableGroup g = file;
      for (String part : groupPath.split("/")) {
        Node n = g.getChild(part);
        g = n instanceof WritableGroup ? (WritableGroup) n : g.putGroup(part);
      }
      return g;
    }

    void close() throws IOException {
      try {
        file.close();
      } catch (RuntimeException e) {
        throw new IOException(path + ": writing HDF5 failed: " + e.getMessage(), e);
      }
    }
  }
}
