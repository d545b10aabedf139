package io.gridgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.RateLimitSpec.Algorithm;
import org.junit.jupiter.api.Test;

/** The bucket arithmetic every node and every grid owner shares, on a clock the test controls. */
class BucketRuleTest {
  private static final long T0 = 1_700_000_000_000L; // a window boundary for windows of 1 s and 10 s

  @Test
  void fixedWindowGrantsExactlyTheLimitThenResetsAtTheWindowEnd() {
    BucketRule rule = new BucketRule(Algorithm.FIXED_WINDOW, 10, 1000, 0);
    long[] state = rule.newState(T0);
    assertEquals(4, rule.take(state, T0, 4, 1).granted());
    Grant rest = rule.take(state, T0 + 100, 100, 1);
    assertEquals(6, rest.granted(), "never more than what is left");
    assertEquals(0, rest.remaining());
    assertEquals(900, rest.resetMillis());
    assertEquals(900, rest.retryAfterMillis(), "an empty window refills at its end");
    Grant refused = rule.take(state, T0 + 999, 1, 1);
    assertEquals(0, refused.granted());
    assertEquals(1, refused.retryAfterMillis());
    assertEquals(1, rule.take(state, T0 + 1000, 1, 1).granted(), "a new window starts full");
  }

  @Test
  void leasesShrinkAsTheBucketEmptiesWhenNodesShareIt() {
    BucketRule rule = new BucketRule(Algorithm.FIXED_WINDOW, 120, 10_000, 0);
    long[] state = rule.newState(T0);
    assertEquals(20, rule.take(state, T0, 1000, 3).granted(), "half of an even share of 120 among 3");
    assertEquals(16, rule.take(state, T0, 1000, 3).granted(), "half of an even share of 100");
    long total = 36;
    long last = Long.MAX_VALUE;
    while (true) {
      long granted = rule.take(state, T0, 1000, 3).granted();
      if (granted == 0) {
        break;
      }
      assertTrue(granted <= last, "grants never grow while the bucket empties");
      last = granted;
      total += granted;
    }
    assertEquals(1, last, "the last permits go one at a time");
    assertEquals(120, total, "every permit is granted exactly once");
  }

  @Test
  void givenBackPermitsReturnOnlyToTheirOwnWindow() {
    BucketRule rule = new BucketRule(Algorithm.FIXED_WINDOW, 10, 1000, 0);
    long[] state = rule.newState(T0);
    Grant grant = rule.take(state, T0, 10, 1);
    rule.giveBack(state, T0 + 10, grant.epoch(), 3);
    assertEquals(3, rule.take(state, T0 + 20, 10, 1).granted());
    Grant next = rule.take(state, T0 + 1500, 10, 1);
    rule.giveBack(state, T0 + 1600, grant.epoch(), 5);
    assertEquals(0, rule.take(state, T0 + 1700, 10, 1).granted(), "permits of a past window are dropped");
    assertEquals(10, next.granted());
  }

  @Test
  void slidingWindowWeighsThePreviousWindow() {
    BucketRule rule = new BucketRule(Algorithm.SLIDING_WINDOW, 10, 1000, 0);
    long[] state = rule.newState(T0);
    assertEquals(10, rule.take(state, T0 + 500, 10, 1).granted());
    // a quarter into the next window, 3/4 of the previous 10 still count: ceil(7.5) = 8
    Grant quarter = rule.take(state, T0 + 1250, 10, 1);
    assertEquals(2, quarter.granted());
    Grant refused = rule.take(state, T0 + 1250, 1, 1);
    assertEquals(0, refused.granted());
    assertTrue(refused.retryAfterMillis() > 0 && refused.retryAfterMillis() <= 750, "" + refused.retryAfterMillis());
    long retryAt = T0 + 1250 + refused.retryAfterMillis();
    assertEquals(1, rule.take(state, retryAt, 1, 1).granted(), "a permit is free when Retry-After says");
    assertEquals(10, rule.take(state, T0 + 3000, 10, 1).granted(), "two windows later nothing counts");
  }

  @Test
  void tokenBucketRefillsAtTheRateUpToTheBurst() {
    BucketRule rule = new BucketRule(Algorithm.TOKEN_BUCKET, 10, 1000, 20);
    long[] state = rule.newState(T0);
    assertEquals(20, rule.take(state, T0, 100, 1).granted(), "starts full at the burst size");
    Grant empty = rule.take(state, T0, 1, 1);
    assertEquals(0, empty.granted());
    assertEquals(100, empty.retryAfterMillis(), "one token per 100 ms");
    assertEquals(5, rule.take(state, T0 + 500, 100, 1).granted());
    assertEquals(20, rule.take(state, T0 + 60_000, 100, 1).granted(), "never more than the burst");
    rule.giveBack(state, T0 + 60_000, 0, 50);
    assertEquals(20, rule.take(state, T0 + 60_000, 100, 1).granted(), "given back tokens are capped too");
  }

  @Test
  void leakyBucketSpacesRequestsAndQueuesAtMostTheBurst() {
    BucketRule rule = new BucketRule(Algorithm.LEAKY_BUCKET, 10, 1000, 2);
    long[] state = rule.newState(T0);
    assertEquals(0, rule.take(state, T0, 1, 1).delayMillis());
    assertEquals(100, rule.take(state, T0, 1, 1).delayMillis());
    Grant third = rule.take(state, T0, 1, 1);
    assertEquals(200, third.delayMillis());
    assertEquals(0, third.remaining());
    Grant refused = rule.take(state, T0, 1, 1);
    assertEquals(0, refused.granted());
    assertEquals(100, refused.retryAfterMillis());
    assertEquals(1, rule.take(state, T0 + 100, 1, 1).granted());
  }

  @Test
  void aShareOfTheLimitScalesTheBurst() {
    BucketRule rule = new BucketRule(Algorithm.TOKEN_BUCKET, 90, 1000, 300);
    BucketRule third = rule.withLimit(30);
    assertEquals(30, third.limit());
    assertEquals(100, third.burst());
  }
}
