package io.gridgate.proxy;

import io.gridgate.config.NodeSettings;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.UpstreamRequest;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * Works out who the client is and writes {@code X-Forwarded-For/-Proto/-Host}: values a client
 * sent are kept only when the connection comes from a configured trusted proxy.
 */
final class ForwardedHeaders {
  // names as AsciiStrings: their hashes are computed once, not on every request
  static final AsciiString FOR = AsciiString.cached("X-Forwarded-For");
  static final AsciiString PROTO = AsciiString.cached("X-Forwarded-Proto");
  static final AsciiString HOST = AsciiString.cached("X-Forwarded-Host");
  private static final AsciiString HTTP = AsciiString.cached("http");
  private static final AsciiString HTTPS = AsciiString.cached("https");
  /** Client-address headers a client could forge; dropped unless the peer is a trusted proxy. */
  private static final List<AsciiString> UNTRUSTED = Stream.of(
      "Forwarded", "X-Real-IP", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Server", "X-Client-IP")
      .map(AsciiString::cached).toList();

  private ForwardedHeaders() {}

  /**
   * Behind a trusted proxy {@code peer}: the right-most X-Forwarded-For entry that is not a trusted
   * proxy, every line of the header read as one list in order (RFC 9110 5.3), so a proxy that
   * appends a line of its own (HAProxy {@code option forwardfor}) is read right. Empty entries are
   * skipped; any other entry that is not a trusted proxy's address (garbage included) is the
   * client, whom IP rules then refuse. When every entry is trusted, the left-most; with none, the peer.
   */
  static String clientAddress(ClientRequest request, NodeSettings node, String peer) {
    List<String> lines = request.headers().getAll(FOR);
    String leftMost = peer;
    for (int line = lines.size() - 1; line >= 0; line--) {
      String chain = lines.get(line);
      for (int end = chain.length(); end >= 0; ) {
        int comma = chain.lastIndexOf(',', end - 1);
        String hop = chain.substring(comma + 1, end).trim();
        if (!hop.isEmpty()) {
          if (!node.isTrustedProxy(hop)) {
            return hop;
          }
          leftMost = hop;
        }
        end = comma;
      }
    }
    return leftMost;
  }

  /**
   * Writes the forwarded headers into {@code upstreamRequest}. Their values are the peer's address,
   * the authority Vert.x parsed, constants, or (behind a trusted proxy) the client's own headers: set
   * without a second header check unless those headers were not checked on the way in.
   */
  static void write(ClientRequest request, String peer, boolean trustedPeer, UpstreamRequest upstreamRequest) {
    MultiMap upstream = upstreamRequest.headers();
    if (!trustedPeer) {
      for (AsciiString name : UNTRUSTED) {
        upstream.remove(name);
      }
    }
    boolean checked = !trustedPeer || request.headersChecked();
    String priorFor = trustedPeer && request.headers().contains(FOR) ? String.join(", ", request.headers().getAll(FOR)) : null;
    set(upstreamRequest, checked, FOR, priorFor == null ? peer : priorFor + ", " + peer);
    String proto = trustedPeer ? request.headers().get(PROTO) : null;
    set(upstreamRequest, checked, PROTO, proto != null ? proto : request.isSSL() ? HTTPS : HTTP);
    String host = trustedPeer ? request.headers().get(HOST) : null;
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    if (host != null) {
      set(upstreamRequest, checked, HOST, host);
    } else {
      upstream.remove(HOST);
    }
  }

  /** Sets a forwarded header, without a second check when its value is {@code checked} already. */
  private static void set(UpstreamRequest upstreamRequest, boolean checked, CharSequence name, CharSequence value) {
    if (checked) {
      upstreamRequest.setChecked(name, value);
    } else {
      upstreamRequest.headers().set(name, value);
    }
  }
}
