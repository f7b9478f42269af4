package dev.neurona.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any test that writes to {@code System.out} or {@code System.err} (the library must stay
 * silent; tests too). Registered for every test class through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} with extension auto-detection
 * switched on in {@code junit-platform.properties}.
 *
 * <p>Before each test both streams are replaced by recorders (pool threads writing during the test
 * are caught too); after it the originals come back and, if anything was written, the test fails
 * with the captured text. Tests run one at a time, so one saved pair of streams suffices.
 *
 * <p>In fuzz tests (tagged {@code jazzer}) the lines Jazzer's agent logs about its own work
 * ({@code INFO: Instrumented ...}) are not counted: they are the fuzzer's, not the library's.
 */
public final class NoConsoleOutput implements BeforeEachCallback, AfterEachCallback {
  private PrintStream savedOut;
  private PrintStream savedErr;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  /** Used by the service loader. */
  public NoConsoleOutput() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    savedOut = System.out;
    savedErr = System.err;
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.out.flush();
    System.err.flush();
    System.setOut(savedOut);
    System.setErr(savedErr);
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    if (context != null && context.getTags().contains("jazzer")) {
      o = withoutJazzerLog(o);
      e = withoutJazzerLog(e);
    }
    if (!o.isEmpty() || !e.isEmpty()) {
      String what = context == null ? "test" : context.getDisplayName();
      throw new AssertionError(what + " wrote to the console; tests and library code must stay silent."
          + (o.isEmpty() ? "" : "\nSystem.out: " + abbreviate(o))
          + (e.isEmpty() ? "" : "\nSystem.err: " + abbreviate(e)));
    }
  }

  /** {@code s} without the lines Jazzer's logger writes ({@code INFO: }, {@code WARN: }, {@code DEBUG: }). */
  static String withoutJazzerLog(String s) {
    return s.lines().filter(l -> !l.matches("(INFO|WARN|DEBUG): .*"))
        .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
  }

  private static String abbreviate(String s) {
    return s.length() <= 2000 ? s : s.substring(0, 2000) + "… (" + (s.length() - 2000) + " more chars)";
  }
}
