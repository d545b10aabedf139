package io.gridgate.node;

import io.gridgate.config.GatewayConfig;
import io.vertx.core.Future;

/**
 * The document a push sent ahead of its grid commit and its compilation (under way on a worker):
 * a member's apply of the committed version takes it when the document is the very same, instead
 * of compiling again. One slot; a newer document replaces it.
 */
final class PreparedConfig {
  private String document;
  private Future<GatewayConfig> compiled;

  synchronized void offer(String document, Future<GatewayConfig> compiled) {
    this.document = document;
    this.compiled = compiled;
  }

  /** The compilation of {@code document} if it was prepared (the slot is emptied), else null. */
  synchronized Future<GatewayConfig> take(String document) {
    if (!document.equals(this.document)) {
      return null;
    }
    Future<GatewayConfig> taken = compiled;
    this.document = null;
    this.compiled = null;
    return taken;
  }
}
