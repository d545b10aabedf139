package io.gridgate.config;

import java.util.List;
import java.util.Set;

/** The request predicates of a route; empty hosts, methods or headers match anything. */
public record MatchSpec(PathPattern path, List<String> hosts, Set<String> methods, List<HeaderPredicate> headers) {
  public MatchSpec {
    hosts = List.copyOf(hosts);
    methods = Set.copyOf(methods);
    headers = List.copyOf(headers);
  }
}
