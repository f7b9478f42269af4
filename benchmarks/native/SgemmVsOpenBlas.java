import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.neurona.core.Parallel;
import dev.neurona.core.gemm.Gemm;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Neurona's SGEMM against OpenBLAS in one process, alternately: ~0.4 s of {@code Gemm.sgemm}, then
 * ~0.4 s of {@code cblas_sgemm} on the same operands (row-major, NN, alpha 1, beta 0), the order
 * swapped every round, and the median of the per-round ratios. On a shared VM whose speed drifts from
 * minute to minute this is the closest two libraries get to "the same run". A benchmark tool, not part
 * of the library: it needs JDK 22+ (the foreign function API) and the system's OpenBLAS
 * ({@code libopenblas.so.0}, Debian {@code libopenblas0}); run it as a single-file program:
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp core/target/classes \
 *   benchmarks/native/SgemmVsOpenBlas.java [M[,N,K]] [threads] [rounds]     (defaults: 1024 1 24)</pre>
 *
 * {@code OPENBLAS_CORETYPE=SkylakeX} in the environment forces OpenBLAS' AVX-512 kernel where Debian's
 * build mis-detects the CPU.
 */
public final class SgemmVsOpenBlas {
  private static final int ROW_MAJOR = 101, NO_TRANS = 111;
  private static final long ROUND_NANOS = 400_000_000L;

  public static void main(String[] args) throws Throwable {
    int[] mnk = shape(args.length > 0 ? args[0] : "1024");
    int threads = positive(args.length > 1 ? args[1] : "1", "threads");
    int rounds = positive(args.length > 2 ? args[2] : "24", "rounds");
    int m = mnk[0], n = mnk[1], k = mnk[2];

    Linker linker = Linker.nativeLinker();
    SymbolLookup blas;
    try {
      blas = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("SgemmVsOpenBlas: cannot load libopenblas.so.0 (install libopenblas0, e.g."
          + " apt-get install libopenblas-dev): " + e.getMessage(), e);
    }
    MethodHandle sgemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
        JAVA_FLOAT, ADDRESS, JAVA_INT));
    MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
        FunctionDescriptor.ofVoid(JAVA_INT));
    setThreads.invokeExact(threads);
    Parallel.setThreads(threads);

    float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
    Random random = new Random(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextFloat() - 0.5f;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = random.nextFloat() - 0.5f;
    }
    Arena arena = Arena.ofConfined();
    MemorySegment na = arena.allocate(4L * a.length, 64);
    MemorySegment nb = arena.allocate(4L * b.length, 64);
    MemorySegment nc = arena.allocate(4L * c.length, 64);
    MemorySegment.copy(a, 0, na, JAVA_FLOAT, 0, a.length);
    MemorySegment.copy(b, 0, nb, JAVA_FLOAT, 0, b.length);

    double flops = 2.0 * m * n * k;
    double[] openblas = new double[rounds], neurona = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      for (int side = 0; side < 2; side++) {
        boolean blasTurn = (side == 0) == (round % 2 == 0);
        Thread.sleep(150); // OpenBLAS' threads spin for a while after a call: let them go idle first
        long t0 = System.nanoTime();
        int calls = 0;
        do {
          if (blasTurn) {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1f, na, k, nb, n, 0f, nc, n);
          } else {
            Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
          }
          calls++;
        } while (System.nanoTime() - t0 < ROUND_NANOS);
        double gflops = flops * calls / (System.nanoTime() - t0);
        (blasTurn ? openblas : neurona)[round] = gflops;
      }
    }
    checkClose(c, nc, k);

    int warm = Math.min(4, rounds / 3);
    double[] ob = Arrays.copyOfRange(openblas, warm, rounds), nu = Arrays.copyOfRange(neurona, warm, rounds);
    double[] ratio = new double[ob.length];
    for (int i = 0; i < ratio.length; i++) {
      ratio[i] = nu[i] / ob[i];
    }
    System.out.printf(Locale.ROOT, "SGEMM %dx%dx%d, %d thread(s), %d rounds alternated (first %d dropped), GFLOP/s%n",
        m, n, k, threads, rounds, warm);
    System.out.println("  OpenBLAS " + list(ob));
    System.out.println("  Neurona  " + list(nu));
    System.out.printf(Locale.ROOT, "  medians: OpenBLAS %.1f, Neurona %.1f; median of the per-round ratios %.3f%n",
        median(ob), median(nu), median(ratio));
  }

  /** Both results agree to float rounding (sums of k products of values in [-0.5, 0.5)). */
  private static void checkClose(float[] c, MemorySegment nc, int k) {
    double tol = 1e-5 * k;
    for (int i = 0; i < c.length; i++) {
      float other = nc.getAtIndex(JAVA_FLOAT, i);
      if (!(Math.abs(c[i] - other) <= tol)) {
        throw new IllegalStateException("SgemmVsOpenBlas: results differ at element " + i + ": Neurona " + c[i]
            + ", OpenBLAS " + other);
      }
    }
  }

  private static int[] shape(String s) {
    String[] parts = s.split(",");
    if (parts.length != 1 && parts.length != 3) {
      throw new IllegalArgumentException("SgemmVsOpenBlas: shape must be N or M,N,K, got '" + s + "'");
    }
    int[] mnk = new int[3];
    for (int i = 0; i < 3; i++) {
      mnk[i] = positive(parts[parts.length == 1 ? 0 : i], "shape");
    }
    if ((long) mnk[0] * mnk[2] > Integer.MAX_VALUE || (long) mnk[2] * mnk[1] > Integer.MAX_VALUE
        || (long) mnk[0] * mnk[1] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("SgemmVsOpenBlas: shape " + s + " needs arrays beyond 2^31 floats");
    }
    return mnk;
  }

  private static int positive(String s, String what) {
    int v;
    try {
      v = Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SgemmVsOpenBlas: " + what + " must be a positive integer, got '" + s + "'");
    }
    if (v <= 0) {
      throw new IllegalArgumentException("SgemmVsOpenBlas: " + what + " must be a positive integer, got " + v);
    }
    return v;
  }

  private static String list(double[] v) {
    StringBuilder s = new StringBuilder();
    for (double x : v) {
      s.append(String.format(Locale.ROOT, " %.1f", x));
    }
    return s.toString();
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
