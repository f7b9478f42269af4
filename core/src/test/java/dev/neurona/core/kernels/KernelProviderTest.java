package dev.neurona.core.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.neurona.core.testing.SimdRuns;
import org.junit.jupiter.api.Test;

/**
 * Which kernels the provider picks in each of core's surefire executions (see {@link SimdRuns}):
 * vector by default, scalar with a how-to-enable hint without the module, scalar with the property
 * named under {@code -Dneurona.simd=false}. Each execution asserts its own expectations strictly.
 */
class KernelProviderTest {
  private static final String VECTOR_CLASS = "dev.neurona.core.kernels.simd.VectorKernels";

  @Test
  void defaultRunUsesTheVectorKernels() {
    assumeTrue(SimdRuns.DEFAULT.equals(SimdRuns.path()), "checked in the default run");
    assertThat(KernelProvider.vectorModulePresent()).as("surefire must add jdk.incubator.vector").isTrue();
    assertThat(KernelProvider.simdEnabled()).isTrue();
    Kernels k = KernelProvider.kernels();
    assertThat(k).isNotSameAs(ScalarKernels.INSTANCE);
    assertThat(k.getClass().getName()).isEqualTo(VECTOR_CLASS);
    assertThat(k.name()).startsWith("vector (").contains("-bit, ").contains(" floats");
    assertThat(KernelProvider.describe()).isEqualTo("kernels: " + k.name());
    assertThat(KernelProvider.vector()).isPresent();
    assertThat(KernelProvider.choose(Kernels.class, VECTOR_CLASS, ScalarKernels.INSTANCE).getClass().getName())
        .isEqualTo(VECTOR_CLASS);
    assertThat(KernelProvider.warnedAboutMissingModule()).isFalse();
    assertThat(dev.neurona.core.Simd.enabled()).isTrue();
    assertThat(dev.neurona.core.Simd.describe()).isEqualTo(KernelProvider.describe());
  }

  @Test
  void scalarPathRunFallsBackAndSaysHowToEnableSimd() {
    assumeTrue(SimdRuns.SCALAR_PATH.equals(SimdRuns.path()), "checked in the scalar-path run");
    assertThat(KernelProvider.vectorModulePresent()).as("this run must not add jdk.incubator.vector").isFalse();
    assertThat(KernelProvider.simdEnabled()).isTrue();
    assertThat(KernelProvider.kernels()).isSameAs(ScalarKernels.INSTANCE);
    assertThat(KernelProvider.vector()).isEmpty();
    assertThat(KernelProvider.loadVector(Kernels.class, VECTOR_CLASS)).isEmpty();
    assertThat(KernelProvider.choose(Kernels.class, VECTOR_CLASS, ScalarKernels.INSTANCE)).isSameAs(ScalarKernels.INSTANCE);
    assertThat(KernelProvider.describe())
        .isEqualTo("kernels: scalar (start the JVM with --add-modules jdk.incubator.vector for SIMD)");
    assertThat(KernelProvider.warnedAboutMissingModule()).as("one WARNING says the scalar kernels run").isTrue();
    assertThat(KernelProvider.missingModuleWarning())
        .contains("scalar kernels run").contains("--add-modules jdk.incubator.vector");
    assertThat(dev.neurona.core.Simd.enabled()).isFalse();
    assertThat(dev.neurona.core.Simd.describe()).isEqualTo(KernelProvider.describe());
  }

  @Test
  void simdOffRunUsesScalarAndNamesTheProperty() {
    assumeTrue(SimdRuns.SIMD_OFF.equals(SimdRuns.path()), "checked in the simd-off run");
    assertThat(KernelProvider.vectorModulePresent()).isTrue();
    assertThat(KernelProvider.simdEnabled()).isFalse();
    assertThat(KernelProvider.kernels()).isSameAs(ScalarKernels.INSTANCE);
    assertThat(KernelProvider.describe()).isEqualTo("kernels: scalar (-Dneurona.simd=false)");
    assertThat(KernelProvider.choose(Kernels.class, VECTOR_CLASS, ScalarKernels.INSTANCE)).isSameAs(ScalarKernels.INSTANCE);
    assertThat(KernelProvider.warnedAboutMissingModule()).as("the user chose scalar: no warning").isFalse();
    // vector() ignores the switch, so tests can still compare both paths.
    assertThat(KernelProvider.vector()).isPresent();
  }

  @Test
  void runIsOneOfTheKnownOnes() {
    assertThat(SimdRuns.path()).isIn(SimdRuns.DEFAULT, SimdRuns.SCALAR_PATH, SimdRuns.SIMD_OFF);
  }

  @Test
  void scalarIsTheReferenceInstance() {
    assertThat(KernelProvider.scalar()).isSameAs(ScalarKernels.INSTANCE);
    assertThat(KernelProvider.scalar().name()).isEqualTo("scalar");
  }

  @Test
  void simdPropertyIsReadCaseInsensitively() {
    String saved = System.getProperty("neurona.simd");
    try {
      System.setProperty("neurona.simd", " FALSE ");
      assertThat(KernelProvider.simdEnabled()).isFalse();
      System.setProperty("neurona.simd", "true");
      assertThat(KernelProvider.simdEnabled()).isTrue();
      System.clearProperty("neurona.simd");
      assertThat(KernelProvider.simdEnabled()).isTrue();
    } finally {
      if (saved == null) {
        System.clearProperty("neurona.simd");
      } else {
        System.setProperty("neurona.simd", saved);
      }
    }
  }
}
