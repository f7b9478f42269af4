package dev.neurona.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InliningReportTest {
  @TempDir Path dir;

  /** A C2 task of a Neurona method, in -XX:+LogCompilation's element order, with one failed call. */
  private static String task(String method, String level, String calleeArgs, String reason) {
    return String.join("\n",
        "<task compile_id='12' method='" + method + " ([FI)V' bytes='300' count='5000'" + level + " stamp='1.2'>",
        "<phase name='parse' nodes='3' live='3' stamp='1.2'>",
        "<type id='1001' name='void'/>",
        "<type id='1002' name='int'/>",
        "<klass id='1003' name='jdk.incubator.vector.FloatVector' flags='1025'/>",
        "<klass id='1004' name='dev.neurona.core.kernels.simd.VectorKernels' flags='17'/>",
        "<klass id='1005' name='[F' flags='1041'/>",
        "<method id='1006' holder='1004' name='gradStoreWide' return='1001' arguments='" + calleeArgs + "' flags='10' bytes='60'/>",
        "<call method='1006' count='4000' prof_factor='1' inline='1'/>",
        "<inline_fail reason='" + reason + "'/>",
        "</phase>",
        "</task>",
        "");
  }

  private Map<String, Integer> report(String log) throws IOException {
    Path file = dir.resolve("c2.log");
    Files.writeString(file, log);
    Map<String, Integer> found = new TreeMap<>();
    InliningReport.scan(file, found);
    return found;
  }

  @Test
  void reportsAVectorCallLeftOutOfLineInACompilationOfANeuronaMethod() throws IOException {
    String kernel = "dev.neurona.core.kernels.simd.VectorKernels gradTileRun9";
    Map<String, Integer> found = report(task(kernel, "", "1003 1002 1005", "NodeCountInliningCutoff")
        + task(kernel, " level='4'", "1003 1002 1005", "NodeCountInliningCutoff"));
    assertThat(found).containsExactly(
        Map.entry("VectorKernels.gradTileRun9 -> VectorKernels.gradStoreWide: NodeCountInliningCutoff", 2));
  }

  @Test
  void ignoresCallsWithoutVectorsC1CompilationsAndOtherCode() throws IOException {
    String kernel = "dev.neurona.core.kernels.simd.VectorKernels gradTileRun9";
    Map<String, Integer> found = report(task(kernel, "", "1005 1002", "too big") // arrays only: nothing boxed
        + task(kernel, " level='3'", "1003 1002", "callee is too large") // C1 compiles no intrinsics anyway
        + task("java.util.ArrayList add", "", "1003", "too big")); // not Neurona's
    assertThat(found).isEmpty();
  }

  @Test
  void namesTheMissingLog() {
    Path missing = dir.resolve("none.log");
    assertThatThrownBy(() -> InliningReport.scan(missing, new TreeMap<>()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none.log");
  }
}
