package io.gridgate.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's memory for request bodies held before an upstream call ({@code node.limits.request_buffer_memory}),
 * shared by all event loops: a body that cannot reserve its next bytes streams instead.
 */
public final class RequestBufferBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();

  public RequestBufferBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reserves {@code bytes} when they fit in the budget; false (and nothing reserved) when they do not. */
  boolean tryReserve(long bytes) {
    while (true) {
      long current = held.get();
      if (current + bytes > maxBytes) {
        return false;
      }
      if (held.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} reserved earlier. */
  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** The bytes reserved right now. */
  long held() {
    return held.get();
  }
}
