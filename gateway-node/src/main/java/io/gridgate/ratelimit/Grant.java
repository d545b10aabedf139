package io.gridgate.ratelimit;

/**
 * What a bucket's owner answered to a request for permits. Times are relative to the moment the
 * owner computed them (its own clock), so a node's clock skew never matters.
 *
 * @param granted permits handed out (0 when the bucket is empty)
 * @param remaining permits left in the bucket after this grant
 * @param epoch the window the permits belong to (0 when the algorithm has no windows)
 * @param resetMillis until the bucket is full again (the window's end for windowed algorithms)
 * @param retryAfterMillis until the next permit can be granted (0 when one is left)
 * @param validMillis how long the granted permits may be spent
 * @param delayMillis how long the admitted request must wait first (leaky bucket)
 */
public record Grant(long granted, long remaining, long epoch, long resetMillis, long retryAfterMillis,
                    long validMillis, long delayMillis) {

  /** The grant as a plain array (what entry processors send back over the wire). */
  public long[] toArray() {
    return new long[] {granted, remaining, epoch, resetMillis, retryAfterMillis, validMillis, delayMillis};
  }

  public static Grant of(long[] a) {
    return new Grant(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  }
}
