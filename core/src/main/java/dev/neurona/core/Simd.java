package dev.neurona.core;

import dev.neurona.core.kernels.KernelProvider;

/**
 * Which kernels run: the Vector API (SIMD) ones or the scalar reference. The choice is made once per
 * JVM: SIMD when the JVM was started with {@code --add-modules jdk.incubator.vector} and
 * {@code -Dneurona.simd} is not {@code false}. Without the module everything works, several times
 * slower, and one WARNING is logged through {@link System.Logger}.
 */
public final class Simd {
  private Simd() {}

  /** True when the Vector API kernels are in use. */
  public static boolean enabled() {
    return KernelProvider.kernels() != KernelProvider.scalar();
  }

  /**
   * One line saying which kernels run and why, for a program's banner, e.g.
   * {@code kernels: vector (512-bit, 16 floats)} or
   * {@code kernels: scalar (start the JVM with --add-modules jdk.incubator.vector for SIMD)}.
   */
  public static String describe() {
    return KernelProvider.describe();
  }
}
