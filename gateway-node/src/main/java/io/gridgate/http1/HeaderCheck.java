package io.gridgate.http1;

import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.HttpUtils;
import java.util.function.BiConsumer;

/**
 * Vert.x's header check for a header map of the core's, skipped while the map takes fields that
 * were checked already: an answer head's fields parsed strictly from its bytes, a client's headers
 * Vert.x's decoder checked with this same check, or the gateway's own names with values it made.
 * Everything else set on the map is checked.
 */
final class HeaderCheck implements BiConsumer<CharSequence, CharSequence> {
  private boolean skipping;

  /** {@code skipping}: whether the map starts out taking checked fields. */
  HeaderCheck(boolean skipping) {
    this.skipping = skipping;
  }

  /** From now on, every field set is checked. */
  void checkFromNow() {
    skipping = false;
  }

  /**
   * Adds (or, {@code replacing}, sets) a field known to pass the check in {@code headers}, the map
   * this check guards, without checking it; what is set afterwards is checked as before.
   */
  void putChecked(MultiMap headers, CharSequence name, CharSequence value, boolean replacing) {
    boolean was = skipping;
    skipping = true;
    try {
      if (replacing) {
        headers.set(name, value);
      } else {
        headers.add(name, value);
      }
    } finally {
      skipping = was;
    }
  }

  @Override
  public void accept(CharSequence name, CharSequence value) {
    if (!skipping) {
      HttpUtils.validateHeader(name, value);
    }
  }
}
