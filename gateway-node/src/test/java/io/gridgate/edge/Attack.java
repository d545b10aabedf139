package io.gridgate.edge;

import io.gridgate.testing.GatewayFixture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * One attack of the flood and slow-client batteries, started against a node's port from
 * {@link #SOURCE}, so that the probe client on {@code 127.0.0.1} is another client to the node.
 * Closing it stops it and closes its sockets.
 */
interface Attack extends AutoCloseable {
  /** Attackers bind here: a loopback address of their own. */
  InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.2", 0);

  /** Waits (bounded) until every connection of the attack is open and has sent its first bytes. */
  void awaitUnderWay();

  /** What the attack did and saw so far, for the battery's report line. */
  String summary();

  @Override
  void close();

  /** Polls {@code condition} every 20 ms for at most {@code within}; whether it came to hold. */
  static boolean waitUntil(BooleanSupplier condition, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      GatewayFixture.sleep(20);
    }
    return true;
  }
}
