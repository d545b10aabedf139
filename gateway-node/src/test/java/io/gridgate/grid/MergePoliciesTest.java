package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gridgate.upstream.BreakerView.Phase;
import org.junit.jupiter.api.Test;

/**
 * The rules of the split-brain merge policies, on the values the two sides hold; each must give
 * the same answer whichever side merges into the other (SplitBrainProcessTest runs a real merge).
 */
class MergePoliciesTest {

  @Test
  void revocationsMergeIntoTheirUnion() {
    RevocationMerge merge = new RevocationMerge();
    long[] a = {100, 5_000};
    long[] b = {200, 4_000};
    assertArrayEquals(new long[] {200, 5_000}, merge.choose("sub:alice", a, b));
    assertArrayEquals(new long[] {200, 5_000}, merge.choose("sub:alice", b, a));
    long[] wider = {300, 6_000};
    assertSame(wider, merge.choose("jti:1", a, wider), "a value covering the other is kept as it is");
  }

  @Test
  void bucketsKeepTheStateWithFewerPermitsLeft() {
    BucketMerge merge = new BucketMerge();
    String fixed = "orders.per-client/fixed_window/60000|client-1";
    assertArrayEquals(new long[] {60_000, 7}, merge.choose(fixed, new long[] {60_000, 7}, new long[] {60_000, 3}));
    assertArrayEquals(new long[] {120_000, 1}, merge.choose(fixed, new long[] {60_000, 9}, new long[] {120_000, 1}),
        "a later window wins over an earlier one");
    String sliding = "global.all/sliding_window/1000|k";
    assertArrayEquals(new long[] {0, 5, 4}, merge.choose(sliding, new long[] {0, 5, 2}, new long[] {0, 1, 4}));
    String tokens = "r.t/token_bucket/1000|k";
    assertArrayEquals(new long[] {2_000, 900}, merge.choose(tokens, new long[] {2_000, 500}, new long[] {7_000, 900}));
    String leaky = "r.l/leaky_bucket/1000|k/fixed_window/1|";
    assertArrayEquals(new long[] {9_000}, merge.choose(leaky, new long[] {9_000}, new long[] {3_000}),
        "the prefix's algorithm counts, not one named in the request key");
  }

  @Test
  void anOpenBreakerWinsAndMovesAboveBothVersions() {
    BreakerMerge merge = new BreakerMerge();
    BreakerRecord open = BreakerRecord.INITIAL.opened(1_000, 30_000);
    BreakerRecord closed = new BreakerRecord(Phase.CLOSED, 9, 2_000, 0, null, 0);
    BreakerRecord merged = merge.choose("payments", open, closed);
    assertEquals(Phase.OPEN, merged.phase());
    assertEquals(10, merged.version(), "above the closed side's version 9");
    BreakerRecord reclosed = closed.closed(3_000);
    BreakerRecord later = merge.choose("payments", reclosed, closed);
    assertEquals(3_000, later.changedAt(), "in the same phase the later change wins");
    assertEquals(11, later.version());
    assertSame(reclosed, merge.choose("payments", closed, reclosed), "an existing record that wins is kept as it is");
    BreakerRecord laterOpen = closed.opened(5_000, 30_000);
    assertSame(laterOpen, merge.choose("payments", open, laterOpen), "the later opening of two");
  }

  @Test
  void theConsumerWithTheHigherRevisionWinsTombstonesIncluded() {
    ConsumerMerge merge = new ConsumerMerge();
    String old = "{\"id\":\"c1\",\"groups\":[\"gold\"]}";
    String edited = "{\"id\":\"c1\",\"groups\":[\"silver\"],\"revision\":5}";
    String deleted = "{\"id\":\"c1\",\"revision\":7,\"deleted\":true}";
    assertEquals(edited, merge.choose("c1", old, edited), "a missing revision counts as 0");
    assertEquals(deleted, merge.choose("c1", deleted, edited));
    assertEquals(deleted, merge.choose("c1", edited, deleted));
  }

  @Test
  void theConfigurationHistoryOfTheLargerSideStaysAsItIs() {
    ConfigHistoryMerge merge = new ConfigHistoryMerge();
    assertEquals("larger", merge.choose("2", "smaller", "larger"));
    assertFalse(merge.keepsUnmatched(), "a version only the smaller side has is dropped");
  }
}
