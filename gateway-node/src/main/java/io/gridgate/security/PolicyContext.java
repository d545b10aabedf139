package io.gridgate.security;

import io.gridgate.http.ClientRequest;
import io.gridgate.transform.QueryParameters;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the policies of a route know and decide about one request: the request, the client's
 * address, the identity once proven, and headers and query parameters to remove from (and headers
 * to set on) the upstream request.
 */
public final class PolicyContext {
  private final ClientRequest request;
  private final String clientAddress;
  private final String routeId;
  private Identity identity;
  private List<String> removeUpstream; // a list: a few names, removing one twice is harmless
  /** Name, value, name, value...: a few headers, a name set again replacing its earlier value. */
  private List<String> setUpstream;
  private Set<String> removeQuery;

  public PolicyContext(ClientRequest request, String clientAddress, String routeId) {
    this.request = request;
    this.clientAddress = clientAddress;
    this.routeId = routeId;
  }

  public ClientRequest request() {
    return request;
  }

  public String clientAddress() {
    return clientAddress;
  }

  public String routeId() {
    return routeId;
  }

  /** The proven identity, or null while none is. */
  public Identity identity() {
    return identity;
  }

  public void identity(Identity proven) {
    this.identity = proven;
  }

  /** Removes a client header (lower-case name) from the upstream request: a credential, a spoofable identity header. */
  public void removeUpstream(String lowerCaseName) {
    if (removeUpstream == null) {
      removeUpstream = new ArrayList<>(4);
    }
    removeUpstream.add(lowerCaseName);
  }

  /** Whether the policies remove {@code name} (any case) from the upstream request: a client's copy need not be copied there. */
  public boolean removesUpstream(CharSequence name) {
    if (removeUpstream != null) {
      for (int i = 0; i < removeUpstream.size(); i++) {
        String removed = removeUpstream.get(i);
        if (removed.length() == name.length() && AsciiString.contentEqualsIgnoreCase(removed, name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the policies remove any header from the upstream request. */
  public boolean removesUpstreamHeaders() {
    return removeUpstream != null;
  }

  /** Sets a header on the upstream request, after the client's headers were copied and the removals applied. */
  public void setUpstream(String name, String value) {
    if (setUpstream == null) {
      setUpstream = new ArrayList<>(4);
    }
    for (int i = 0; i < setUpstream.size(); i += 2) {
      if (setUpstream.get(i).equalsIgnoreCase(name)) {
        setUpstream.subList(i, i + 2).clear(); // set again: the later value, in the later place
        break;
      }
    }
    setUpstream.add(name);
    setUpstream.add(value);
  }

  /** Removes a query parameter (a credential) from the upstream request's URI. */
  public void removeQueryParameter(String name) {
    if (removeQuery == null) {
      removeQuery = new HashSet<>();
    }
    removeQuery.add(name);
  }

  /** {@code uri} without the query parameters the policies removed (read as {@link QueryParameters} reads them). */
  public String upstreamUri(String uri) {
    int q = uri.indexOf('?');
    if (removeQuery == null || q < 0) {
      return uri;
    }
    String kept = QueryParameters.without(uri.substring(q + 1), removeQuery);
    return kept == null ? uri.substring(0, q) : uri.substring(0, q + 1) + kept;
  }

  /**
   * Applies the removals, then sets each header one by one: the client's other headers stay
   * ({@code MultiMap.setAll} would replace the whole map).
   */
  public void writeUpstream(MultiMap upstream) {
    if (removeUpstream != null) {
      for (int i = 0; i < removeUpstream.size(); i++) {
        upstream.remove(removeUpstream.get(i));
      }
    }
    if (setUpstream != null) {
      for (int i = 0; i < setUpstream.size(); i += 2) {
        upstream.set(setUpstream.get(i), setUpstream.get(i + 1));
      }
    }
  }
}
