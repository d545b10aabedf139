package io.gridgate.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * At node start, rate limits what every root handler without a filter of its own writes
 * ({@link RateLimitedLog}: a flood of client-triggered warnings is a risk whoever configured logging)
 * and gives the root logger's console handlers the {@link LogLineFormatter}, unless the operator
 * configured logging with {@code -Djava.util.logging.config.file} (or {@code .config.class}).
 */
public final class LogSetup {
  private LogSetup() {}

  public static void install() {
    boolean operatorConfigured = System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null;
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler.getFilter() == null) {
        RateLimitedLog.install(handler, RateLimitedLog.BURST, RateLimitedLog.WINDOW);
      }
      if (!operatorConfigured && handler instanceof ConsoleHandler) {
        handler.setFormatter(new LogLineFormatter());
      }
    }
  }
}
