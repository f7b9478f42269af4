package dev.neurona.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the library logs to {@code dev.neurona.keras} (System.Logger goes to
 * java.util.logging by default) instead of letting it reach the console.
 */
final class LogCapture implements AutoCloseable {
  private final Logger log = Logger.getLogger("dev.neurona.keras");
  private final List<String> messages = new ArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      messages.add(r.getLevel() + " " + r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    log.addHandler(handler);
    log.setUseParentHandlers(false);
  }

  /** {@code "WARNING message"}, in order. */
  List<String> messages() {
    return messages;
  }

  @Override
  public void close() {
    log.removeHandler(handler);
    log.setUseParentHandlers(true);
  }
}
