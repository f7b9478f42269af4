package dev.neurona.core.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses between the scalar and the Vector API implementations, once, at class initialisation
 * (Lucene's {@code VectorizationProvider} pattern).
 *
 * <p>The vector classes are loaded <em>by name</em>, and only when {@code jdk.incubator.vector} is in
 * the boot module layer (the JVM was started with {@code --add-modules jdk.incubator.vector}), so
 * nothing links against the incubator module otherwise. {@code -Dneurona.simd=false} forces the
 * scalar path. The result sits in {@code static final} fields, so every call site stays monomorphic.
 *
 * <p>Without the module it logs one WARNING through {@link System.Logger} (logger
 * {@code dev.neurona.core.kernels.KernelProvider}), once per JVM, saying that the scalar kernels run
 * and how to enable SIMD: forgetting the flag costs about 5× in speed and should not go unnoticed.
 * With {@code -Dneurona.simd=false} the choice is the user's and the notice is DEBUG.
 * {@link #describe()} (public as {@link dev.neurona.core.Simd#describe()}) tells which path is active.
 *
 * <p>Internal: this package is exported only to Neurona's own modules.
 */
public final class KernelProvider {
  private static final System.Logger LOG = System.getLogger(KernelProvider.class.getName());
  static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String SIMD_PROPERTY = "neurona.simd";
  /** Whether the missing-module warning was logged (kernels and GEMM both ask; the user hears once). */
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private KernelProvider() {}

  /** Lazily initialised holder: the active kernels, chosen once. */
  private static final class Holder {
    static final Kernels KERNELS = choose(Kernels.class, "dev.neurona.core.kernels.simd.VectorKernels", ScalarKernels.INSTANCE);
  }

  /** The active kernels (vector when available and enabled, else scalar). */
  public static Kernels kernels() {
    return Holder.KERNELS;
  }

  /** The scalar reference kernels, whatever path is active. */
  public static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /**
   * The Vector API kernels, when the module is present — regardless of {@code -Dneurona.simd}.
   * Tests use this to compare both paths.
   */
  public static Optional<Kernels> vector() {
    return loadVector(Kernels.class, "dev.neurona.core.kernels.simd.VectorKernels");
  }

  /** True when {@code jdk.incubator.vector} is in the boot layer. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** True unless {@code -Dneurona.simd=false}. */
  public static boolean simdEnabled() {
    return !"false".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, "true").trim());
  }

  /** One line saying which kernels run and why, e.g. for an example's banner. */
  public static String describe() {
    Kernels k = kernels();
    if (k != ScalarKernels.INSTANCE) {
      return "kernels: " + k.name();
    }
    if (!simdEnabled()) {
      return "kernels: scalar (-Dneurona.simd=false)";
    }
    if (!vectorModulePresent()) {
      return "kernels: scalar (start the JVM with --add-modules " + VECTOR_MODULE + " for SIMD)";
    }
    return "kernels: scalar (the Vector API implementation could not be loaded)";
  }

  /**
   * Picks the vector implementation {@code className} of {@code type} when the module is present and
   * SIMD is enabled, else {@code fallback}. Used for every kernel family (element-wise, GEMM).
   * Call it from a {@code static final} initialiser.
   */
  public static <T> T choose(Class<T> type, String className, T fallback) {
    if (!simdEnabled()) {
      LOG.log(System.Logger.Level.DEBUG, "Neurona: -Dneurona.simd=false; using scalar " + type.getSimpleName());
      return fallback;
    }
    if (!vectorModulePresent()) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, missingModuleWarning());
      }
      return fallback;
    }
    return loadVector(type, className).orElse(fallback);
  }

  /** Whether the missing-module warning has been logged in this JVM. */
  static boolean warnedAboutMissingModule() {
    return WARNED.get();
  }

  /** The one warning logged when the Vector API module is absent. */
  static String missingModuleWarning() {
    return "Neurona: " + VECTOR_MODULE + " is not in the boot layer, so the scalar kernels run (several times"
        + " slower). Start the JVM with --add-modules " + VECTOR_MODULE + " to use the SIMD kernels.";
  }

  /** Loads {@code className} by name, when the vector module is present; empty otherwise. */
  public static <T> Optional<T> loadVector(Class<T> type, String className) {
    if (!vectorModulePresent()) {
      return Optional.empty();
    }
    try {
      Class<?> c = Class.forName(className, true, KernelProvider.class.getClassLoader());
      Object instance = c.getDeclaredConstructor().newInstance();
      return Optional.of(type.cast(instance));
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
        | ClassCastException
        | InvocationTargetException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "Neurona: could not load " + className + "; using the scalar path", e);
      return Optional.empty();
    }
  }
}
