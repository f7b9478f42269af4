package dev.neurona.core.kernels.simd;

import dev.neurona.core.kernels.ScalarKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded by name by {@code KernelProvider} only when {@code jdk.incubator.vector}
 * is present; never referenced directly. Each method overrides its {@link ScalarKernels} twin for the
 * hot path and falls back to it for short arrays. Loop shape: main loop to {@code loopBound} with
 * independent accumulators, then a scalar tail — no masked operations (slow on JDK 17).
 */
public final class VectorKernels extends ScalarKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  public VectorKernels() {}

  @Override
  public String name() {
    return "vector (" + S.vectorBitSize() + "-bit, " + L + " floats)";
  }

  @Override
  public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    if (n < 2 * L) {
      return super.dot(a, aOff, b, bOff, n);
    }
    FloatVector acc0 = FloatVector.zero(S);
    FloatVector acc1 = FloatVector.zero(S);
    int i = 0;
    int bound2 = n - (n % (2 * L));
    for (; i < bound2; i += 2 * L) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }
}
