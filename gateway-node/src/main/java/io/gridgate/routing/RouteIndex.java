package io.gridgate.routing;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The routes of a table by host (exact hosts and wildcard suffixes by hash, host-less routes apart)
 * and, for each, by path in a {@link PathTrie}: what a request's host and path can match, without a scan.
 */
final class RouteIndex {
  private final PathTrie anyHost = new PathTrie();
  private final Map<String, PathTrie> exactHosts = new HashMap<>();
  /** Keyed by the suffix a wildcard matches: {@code *.example.com} under {@code .example.com}. */
  private final Map<String, PathTrie> wildcardSuffixes = new HashMap<>();
  /** The lengths of those suffixes: a host's suffix of another length is not looked up. */
  private final BitSet wildcardLengths = new BitSet();

  /** Indexes {@code routes}, which are in match order (a route's rank is its position). */
  RouteIndex(CompiledRoute[] routes) {
    for (int rank = 0; rank < routes.length; rank++) {
      CompiledRoute route = routes[rank];
      if (route.hosts().isEmpty()) {
        route.path().addTo(anyHost, rank);
      }
      for (HostMatcher host : route.hosts()) {
        Map<String, PathTrie> byHost = host.wildcard() ? wildcardSuffixes : exactHosts;
        if (host.wildcard()) {
          wildcardLengths.set(host.host().length());
        }
        route.path().addTo(byHost.computeIfAbsent(host.host(), h -> new PathTrie()), rank);
      }
    }
  }

  /**
   * The ranks, in match order and without repeats, of every route whose host and path may match:
   * a superset of those that do ({@code host} lower case without port, or null; {@code path} normalised).
   */
  Ranks candidates(String host, String path) {
    Ranks out = new Ranks();
    anyHost.collect(path, out);
    if (host != null) {
      collect(exactHosts.get(host), path, out);
      // a wildcard's suffix starts with '.' and must leave at least one character of the host before it
      for (int dot = host.indexOf('.', 1); dot > 0; dot = host.indexOf('.', dot + 1)) {
        if (wildcardLengths.get(host.length() - dot)) {
          collect(wildcardSuffixes.get(host.substring(dot)), path, out);
        }
      }
    }
    out.sortDistinct();
    return out;
  }

  private static void collect(PathTrie trie, String path, Ranks out) {
    if (trie != null) {
      trie.collect(path, out);
    }
  }
}
