package io.gridgate.http1;

import io.vertx.core.http.impl.HttpUtils;
import java.util.function.BiConsumer;

/**
 * Vert.x's header check for a header map of the core's, skipped while the map takes fields that
 * were checked already: an answer head's fields parsed strictly from its bytes, or a client's
 * headers Vert.x's decoder checked with this same check. Everything else set on the map is checked.
 */
final class HeaderCheck implements BiConsumer<CharSequence, CharSequence> {
  private boolean skipping;

  /** {@code skipping}: whether the map starts out taking checked fields. */
  HeaderCheck(boolean skipping) {
    this.skipping = skipping;
  }

  /** The fields set from now on were checked already. */
  void skip() {
    skipping = true;
  }

  /** From now on, every field set is checked. */
  void checkFromNow() {
    skipping = false;
  }

  @Override
  public void accept(CharSequence name, CharSequence value) {
    if (!skipping) {
      HttpUtils.validateHeader(name, value);
    }
  }
}
