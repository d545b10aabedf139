package io.gridgate.edge;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Closes the guarded connections of one event loop that are past their deadline, from one periodic
 * task instead of a timer per connection or request; connections therefore close up to one tick
 * ({@value #TICK_MILLIS} ms) late. An HTTP/2 connection closes with a GOAWAY (Netty's handler sends it on
 * close). Used on its event loop only.
 */
final class ClockSweep {
  static final long TICK_MILLIS = 500;

  private final Set<ConnectionClock> clocks = new HashSet<>();
  private final List<ConnectionClock> overdue = new ArrayList<>();

  private ClockSweep() {}

  static ClockSweep start(EventLoop loop) {
    ClockSweep sweep = new ClockSweep();
    loop.scheduleAtFixedRate(sweep::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return sweep;
  }

  /** Watches {@code clock} until its connection closes. */
  void add(ConnectionClock clock) {
    clocks.add(clock);
    clock.channel().closeFuture().addListener(closed -> clocks.remove(clock));
  }

  private void sweep() {
    long now = System.nanoTime();
    for (ConnectionClock clock : clocks) {
      if (clock.isPastDeadline(now)) {
        overdue.add(clock);
      }
    }
    for (ConnectionClock clock : overdue) {
      clock.channel().close();
    }
    overdue.clear();
  }
}
