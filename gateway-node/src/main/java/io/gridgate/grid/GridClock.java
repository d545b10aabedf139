package io.gridgate.grid;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import java.util.function.LongSupplier;

/**
 * The wall clock an entry processor reads on the member that runs it: the system clock, unless the
 * member was configured with another one (tests move theirs by hand).
 */
public final class GridClock {
  private static final String USER_CONTEXT_KEY = "gridgate.clock.millis";

  private GridClock() {
  }

  /** Makes the members started from {@code config} read the time (epoch millis) from {@code clockMillis}. */
  public static void install(Config config, LongSupplier clockMillis) {
    config.getUserContext().put(USER_CONTEXT_KEY, clockMillis);
  }

  /** Now, in epoch millis, on {@code member}'s clock (the system clock when {@code member} is null). */
  static long millis(HazelcastInstance member) {
    Object clock = member == null ? null : member.getUserContext().get(USER_CONTEXT_KEY);
    return clock instanceof LongSupplier installed ? installed.getAsLong() : System.currentTimeMillis();
  }
}
