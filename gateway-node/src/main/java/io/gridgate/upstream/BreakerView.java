package io.gridgate.upstream;

import java.io.Serializable;

/**
 * An upstream's circuit-breaker state as a node learns it: times are left-over durations measured
 * on the clock of the key's owner, so the nodes' own clocks never need to agree.
 */
public record BreakerView(Phase phase, long version, long openMillisLeft, String prober, long claimMillisLeft)
    implements Serializable {
  /** Closed, open (answering 503) or half-open (one node probes). */
  public enum Phase { CLOSED, OPEN, HALF_OPEN }
}
