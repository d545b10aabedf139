package io.gridgate.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Resources a test opened (sockets, servers, raw upstreams), closed after each test, the last opened
 * first; register it as a field with {@code @RegisterExtension}.
 */
public final class Closer implements AfterEachCallback {
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  /** Registers {@code resource} for closing and returns it. */
  public <T extends AutoCloseable> T add(T resource) {
    open.push(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }
}
