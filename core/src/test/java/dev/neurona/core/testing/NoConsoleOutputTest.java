package dev.neurona.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * Drives a second instance of the extension by hand (the global one wraps this test and must see
 * nothing, since the inner one captures and swallows the output).
 */
class NoConsoleOutputTest {
  @Test
  void silentTestPassesAndStreamsAreRestored() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    NoConsoleOutput ext = new NoConsoleOutput();
    ext.beforeEach(null);
    assertThat(System.out).isNotSameAs(out);
    ext.afterEach(null);
    assertThat(System.out).isSameAs(out);
    assertThat(System.err).isSameAs(err);
  }

  @Test
  void writingToSystemOutFails() {
    NoConsoleOutput ext = new NoConsoleOutput();
    ext.beforeEach(null);
    System.out.print("hello");
    assertThatThrownBy(() -> ext.afterEach(null))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("wrote to the console")
        .hasMessageContaining("System.out: hello");
  }

  @Test
  void writingToSystemErrFromAnotherThreadFails() throws InterruptedException {
    NoConsoleOutput ext = new NoConsoleOutput();
    ext.beforeEach(null);
    Thread t = new Thread(() -> System.err.println("oops"));
    t.start();
    t.join();
    assertThatThrownBy(() -> ext.afterEach(null))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("System.err: oops");
  }

  @Test
  void onlyJazzersOwnLogLinesAreSetAside() {
    assertThat(NoConsoleOutput.withoutJazzerLog("INFO: Instrumented dev.neurona.data.Idx (took 42 ms)\n"
        + "WARN: something of Jazzer's\n")).isEmpty();
    assertThat(NoConsoleOutput.withoutJazzerLog("INFO: Loaded 5 hooks\nloss: 0.3\n")).isEqualTo("loss: 0.3\n");
  }
}
