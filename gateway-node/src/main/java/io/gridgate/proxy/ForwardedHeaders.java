package io.gridgate.proxy;

import io.gridgate.config.NodeSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * Works out who the client is and writes {@code X-Forwarded-For/-Proto/-Host}: values a client
 * sent are kept only when the connection comes from a configured trusted proxy.
 */
final class ForwardedHeaders {
  static final String FOR = "X-Forwarded-For";
  static final String PROTO = "X-Forwarded-Proto";
  static final String HOST = "X-Forwarded-Host";
  /** Client-address headers a client could forge; dropped unless the peer is a trusted proxy. */
  private static final java.util.List<String> UNTRUSTED = java.util.List.of(
      "Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Server", "X-Client-IP");

  private ForwardedHeaders() {}

  /** Behind a trusted proxy {@code peer}: the right-most untrusted X-Forwarded-For entry, else the peer. */
  static String clientAddress(HttpServerRequest request, NodeSettings node, String peer) {
    String chain = request.getHeader(FOR);
    if (chain == null) {
      return peer;
    }
    String[] hops = chain.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !node.isTrustedProxy(hop)) {
        return hop;
      }
    }
    return hops[0].trim();
  }

  /** Writes the forwarded headers into {@code upstream}, the headers being sent upstream. */
  static void write(HttpServerRequest request, String peer, boolean trustedPeer, MultiMap upstream) {
    if (!trustedPeer) {
      UNTRUSTED.forEach(upstream::remove);
    }
    String priorFor = trustedPeer && request.headers().contains(FOR) ? String.join(", ", request.headers().getAll(FOR)) : null;
    upstream.set(FOR, priorFor == null ? peer : priorFor + ", " + peer);
    String proto = trustedPeer ? request.getHeader(PROTO) : null;
    upstream.set(PROTO, proto != null ? proto : request.isSSL() ? "https" : "http");
    String host = trustedPeer ? request.getHeader(HOST) : null;
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    if (host != null) {
      upstream.set(HOST, host);
    } else {
      upstream.remove(HOST);
    }
  }
}
