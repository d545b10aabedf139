package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's store: eviction of the least recently used by bytes, expiry, purges and the epoch guarding copies begun before one. */
class ResponseStoreTest {
  private static final long NOW = 1_000_000_000_000L;
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private final ResponseStore store = new ResponseStore(1 << 20);

  private static CachedResponse entry(String route, int bodyBytes, long lifetimeNanos) {
    return new CachedResponse(route, 200, List.of(Map.entry("Content-Type", "text/plain")), new byte[bodyBytes],
        NOW, lifetimeNanos);
  }

  /** Stores a fresh entry of {@code bodyBytes} for {@code route} under {@code key}, as a copy begun now would. */
  private static boolean put(ResponseStore store, String key, String route, int bodyBytes) {
    return store.put(key, entry(route, bodyBytes, MINUTE), store.epoch());
  }

  @Test
  void theLeastRecentlyUsedEntriesAreEvictedUntilTheNewOneFits() {
    long one = entry("r", 3000, MINUTE).size("k1");
    ResponseStore small = new ResponseStore(2 * one + one / 2);
    assertTrue(put(small, "k1", "r", 3000));
    assertTrue(put(small, "k2", "r", 3000));
    assertEquals(2 * one, small.bytes());
    assertNotNull(small.get("k1", NOW), "k1 is now the most recently used");

    assertTrue(put(small, "k3", "r", 3000));
    assertNull(small.get("k2", NOW), "k2 was the least recently used");
    assertNotNull(small.get("k1", NOW));
    assertNotNull(small.get("k3", NOW));
    assertEquals(2, small.size());
    assertEquals(2 * one, small.bytes());

    assertFalse(small.put("huge", entry("r", 10_000, MINUTE), small.epoch()), "larger than the whole budget");
    assertEquals(2, small.size(), "nothing was evicted for it");
  }

  @Test
  void anExpiredEntryIsNeverReturnedAndFreesItsBytes() {
    put(store, "k", "r", 100);
    assertNotNull(store.get("k", NOW + MINUTE - 1));
    assertNull(store.get("k", NOW + MINUTE));
    assertEmpty();
  }

  @Test
  void purgesDropEntriesAndRefuseCopiesBegunBeforeThem() {
    put(store, "a1", "a", 10);
    put(store, "a2", "a", 10);
    put(store, "b1", "b", 10);
    long begun = store.epoch();

    assertEquals(2, store.purgeRoute("a"));
    assertNull(store.get("a1", NOW));
    assertNotNull(store.get("b1", NOW), "another route's entries stay");
    assertFalse(store.put("a1", entry("a", 10, MINUTE), begun), "copied from an answer begun before the purge");
    assertTrue(put(store, "a1", "a", 10));

    assertEquals(2, store.purgeAll());
    assertEmpty();
  }

  private void assertEmpty() {
    assertEquals(0, store.size());
    assertEquals(0, store.bytes(), "no bytes are left counted");
  }

  @Test
  void storingUnderAnExistingKeyReplacesTheEntryAndItsBytes() {
    put(store, "k", "r", 100);
    put(store, "k", "r", 300);
    assertEquals(1, store.size());
    assertEquals(entry("r", 300, MINUTE).size("k"), store.bytes());
    assertEquals(300, store.get("k", NOW).body().length);
  }
}
