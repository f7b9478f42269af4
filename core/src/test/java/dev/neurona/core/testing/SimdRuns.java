package dev.neurona.core.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.neurona.core.kernels.KernelProvider;
import dev.neurona.core.kernels.Kernels;
import java.util.Optional;

/**
 * Which surefire execution the tests run in, and access to the Vector API kernels for tests that
 * compare them with the scalar reference.
 *
 * <p>core/pom.xml runs the suite three ways, telling the tests through {@code -Dneurona.test.path}:
 * <ul>
 *   <li>{@code default} (property absent): {@code --add-modules jdk.incubator.vector}; the vector
 *       kernels must be there, and a test that needs them <em>fails</em> if they are not;
 *   <li>{@code scalar-path}: no vector module; tests that need the vector kernels are skipped;
 *   <li>{@code simd-off}: the module is present but {@code -Dneurona.simd=false}.
 * </ul>
 */
public final class SimdRuns {
  /** The value of {@code -Dneurona.test.path} for the run without the vector module. */
  public static final String SCALAR_PATH = "scalar-path";
  /** The value of {@code -Dneurona.test.path} for the run with {@code -Dneurona.simd=false}. */
  public static final String SIMD_OFF = "simd-off";
  /** The default run. */
  public static final String DEFAULT = "default";

  private SimdRuns() {}

  /** The current execution: {@link #DEFAULT}, {@link #SCALAR_PATH} or {@link #SIMD_OFF}. */
  public static String path() {
    return System.getProperty("neurona.test.path", DEFAULT);
  }

  /**
   * The Vector API kernels. Skips the calling test in the {@code scalar-path} run (where the
   * module is deliberately absent) and fails it everywhere else when they cannot be loaded.
   */
  public static Kernels vectorKernels() {
    if (SCALAR_PATH.equals(path())) {
      assumeTrue(KernelProvider.vectorModulePresent(),
          "scalar-path run without jdk.incubator.vector: vector-vs-scalar comparison skipped");
    }
    Optional<Kernels> v = KernelProvider.vector();
    if (v.isEmpty()) {
      return fail("the Vector API kernels are missing in the '" + path() + "' test run (vector module present: "
          + KernelProvider.vectorModulePresent() + "); surefire must run with --add-modules jdk.incubator.vector");
    }
    return v.get();
  }
}
