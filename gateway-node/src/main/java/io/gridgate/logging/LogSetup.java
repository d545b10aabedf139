package io.gridgate.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Gives the root logger's console handlers the {@link LogLineFormatter} at node start, unless the
 * operator configured logging with {@code -Djava.util.logging.config.file} (or {@code .config.class}).
 */
public final class LogSetup {
  private LogSetup() {}

  public static void install() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof ConsoleHandler) {
        handler.setFormatter(new LogLineFormatter());
      }
    }
  }
}
