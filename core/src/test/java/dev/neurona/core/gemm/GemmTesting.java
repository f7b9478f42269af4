package dev.neurona.core.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** What the GEMM tests share: the kernels to run and seeded random operands. */
final class GemmTesting {
  private GemmTesting() {}

  /**
   * The scalar kernel, and the vector one when {@code jdk.incubator.vector} is present, with its
   * {@link MicroKernel#narrowTiles narrow tiles} on 512-bit vectors.
   */
  static List<MicroKernel> kernels() {
    List<MicroKernel> list = new ArrayList<>();
    list.add(Gemm.scalarKernel());
    Gemm.vectorKernel().ifPresent(list::add);
    Gemm.vectorKernel().map(MicroKernel::narrowTiles).filter(k -> !list.contains(k)).ifPresent(list::add); // 512-bit: 8×16
    return list;
  }

  /** {@code size} values uniform in [-1, 1). */
  static float[] randomArray(Random random, int size) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    return x;
  }
}
