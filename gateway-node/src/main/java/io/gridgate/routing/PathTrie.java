package io.gridgate.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * Route paths by segment, for one host key: exact paths and templates end at the node of their
 * last segment (a template's parameter is an edge that takes any non-empty segment), prefixes hold
 * at their node and below it (a regex under the literal directory it starts with, as a prefix ending in
 * {@code /}); the other regexes cannot be indexed and are candidates for every path.
 */
final class PathTrie {
  private final Node root = new Node();
  private final Ranks unindexed = new Ranks();

  /** The path equals {@code path}. */
  void addExact(String path, int rank) {
    nodeFor(path.split("/", -1)).whole().add(rank);
  }

  /** The path has these segments; a null segment is a template parameter. */
  void addTemplate(String[] segments, int rank) {
    nodeFor(segments).whole().add(rank);
  }

  /**
   * The path starts with {@code prefix} at a segment boundary: its segments lead the path's, and a
   * prefix ending in {@code /} needs a further segment (possibly empty) after them.
   */
  void addPrefix(String prefix, int rank) {
    if (prefix.endsWith("/")) {
      nodeFor(prefix.substring(0, prefix.length() - 1).split("/", -1)).below().add(rank);
    } else {
      nodeFor(prefix.split("/", -1)).atOrBelow().add(rank);
    }
  }

  /** A path the trie cannot index (a regex without a literal start): a candidate for every path. */
  void addUnindexed(int rank) {
    unindexed.add(rank);
  }

  /** Adds the ranks of every route whose path may match {@code path} (a superset of those that do). */
  void collect(String path, Ranks out) {
    out.addAll(unindexed);
    collect(root, path, 0, out);
  }

  /** {@code start} is where the next segment of {@code path} begins, or -1 once all are consumed. */
  private static void collect(Node node, String path, int start, Ranks out) {
    out.addAll(node.atOrBelow);
    if (start < 0) {
      out.addAll(node.whole);
      return;
    }
    out.addAll(node.below);
    int end = path.indexOf('/', start);
    if (end < 0) {
      end = path.length();
    }
    int next = end == path.length() ? -1 : end + 1;
    Node literal = node.literal(path, start, end);
    if (literal != null) {
      collect(literal, path, next, out);
    }
    if (node.parameter != null && end > start) {
      collect(node.parameter, path, next, out);
    }
  }

  private Node nodeFor(String[] segments) {
    Node node = root;
    for (String segment : segments) {
      node = node.child(segment);
    }
    return node;
  }

  /** One segment position: the literal segments and the parameter that lead on, and the routes held here. */
  private static final class Node {
    /** The only literal segment leading on (compared in place, without a substring), while there is one. */
    private String soleSegment;
    private Node soleChild;
    private Map<String, Node> literals;
    private Node parameter;
    private Ranks whole;
    private Ranks atOrBelow;
    private Ranks below;

    Node child(String segment) {
      if (segment == null) {
        if (parameter == null) {
          parameter = new Node();
        }
        return parameter;
      }
      if (literals == null) {
        literals = new HashMap<>();
      }
      Node child = literals.computeIfAbsent(segment, s -> new Node());
      boolean sole = literals.size() == 1;
      soleSegment = sole ? segment : null;
      soleChild = sole ? child : null;
      return child;
    }

    /** The child for the literal segment {@code path[start, end)}, or null. */
    Node literal(String path, int start, int end) {
      if (soleSegment != null) {
        boolean same = soleSegment.length() == end - start && path.startsWith(soleSegment, start);
        return same ? soleChild : null;
      }
      return literals == null ? null : literals.get(path.substring(start, end));
    }

    Ranks whole() {
      if (whole == null) {
        whole = new Ranks();
      }
      return whole;
    }

    Ranks atOrBelow() {
      if (atOrBelow == null) {
        atOrBelow = new Ranks();
      }
      return atOrBelow;
    }

    Ranks below() {
      if (below == null) {
        below = new Ranks();
      }
      return below;
    }
  }
}
