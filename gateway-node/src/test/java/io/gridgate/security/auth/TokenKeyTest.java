package io.gridgate.security.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Tokens are cached under keys hashed over their tail only: tokens that differ before it share a
 * hash, yet each finds only its own answer, and the cache's bound and expiry work as before.
 */
class TokenKeyTest {
  private static final String TAIL = "s".repeat(TokenKey.HASHED_TAIL);

  /** Tokens of one length and one tail (so one hash) that differ in their head. */
  private static String colliding(int i) {
    return String.format("%08d", i) + ".payload." + TAIL;
  }

  @Test
  void keysEqualOnlyForTheWholeToken() {
    TokenKey a = new TokenKey(colliding(1));
    TokenKey b = new TokenKey(colliding(2));
    assertEquals(a.hashCode(), b.hashCode(), "the head is not hashed");
    assertNotEquals(a, b);
    assertEquals(a, new TokenKey(colliding(1)));
    assertEquals(0, a.compareTo(new TokenKey(colliding(1))));
    assertNotEquals(0, a.compareTo(b));
    assertNotEquals(new TokenKey("ab"), new TokenKey("b"), "a short token is hashed whole, length included");
  }

  @Test
  void collidingTokensEachFindTheirOwnAnswer() {
    TokenCache<Integer> cache = new TokenCache<>(10_000, new AtomicLong()::get);
    for (int i = 0; i < 2_000; i++) {
      cache.put(new TokenKey(colliding(i)), i, 1_000);
    }
    for (int i = 0; i < 2_000; i++) {
      assertEquals(i, cache.get(new TokenKey(colliding(i))).value());
    }
    assertNull(cache.get(new TokenKey(colliding(2_000))));
  }

  @Test
  void entriesExpireAndTheLeastRecentlyUsedGoesFirst() {
    AtomicLong nanos = new AtomicLong();
    TokenCache<String> cache = new TokenCache<>(2, nanos::get);
    cache.put(new TokenKey(colliding(1)), "one", 100);
    cache.put(new TokenKey(colliding(2)), "two", 200);
    cache.get(new TokenKey(colliding(1)));
    cache.put(new TokenKey(colliding(3)), "three", 200);
    assertNull(cache.get(new TokenKey(colliding(2))), "the least recently used went");
    assertEquals("one", cache.get(new TokenKey(colliding(1))).value());
    nanos.set(100);
    assertNull(cache.get(new TokenKey(colliding(1))), "expired at its time to live");
    assertEquals("three", cache.get(new TokenKey(colliding(3))).value());
  }
}
