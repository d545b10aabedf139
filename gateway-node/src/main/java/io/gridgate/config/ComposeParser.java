package io.gridgate.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses a route's {@code compose}: the parts, their upstreams and paths, and the answer size limit. */
final class ComposeParser {
  private static final Pattern PART_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
  private static final int MAX_PARTS = 16;

  /** The route's composition, or null when it has none; {@code path} is the route's match path. */
  ComposeSpec parse(ConfigNode n, Set<String> upstreamNames, PathPattern path, Set<String> methods) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("parts", "max_body_size"));
    ConfigNode partsNode = n.get("parts");
    List<ComposePart> parts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode p : partsNode.items()) {
      ComposePart part = part(p, upstreamNames, path);
      if (part.name() != null && !names.add(part.name())) {
        p.get("name").error("duplicate part name '" + part.name() + "'");
      }
      parts.add(part);
    }
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      partsNode.error("must list 1 to " + MAX_PARTS + " parts");
    }
    if (!Set.of("GET", "HEAD").containsAll(methods) || methods.isEmpty()) {
      n.error("a composed route answers GET and HEAD only: give it match.methods [GET] or [GET, HEAD]");
    }
    return new ComposeSpec(parts, TransformParser.maxBodySize(n));
  }

  private static ComposePart part(ConfigNode p, Set<String> upstreamNames, PathPattern path) {
    p.allowOnly(Set.of("name", "upstream", "path", "optional"));
    String name = p.get("name").requiredString();
    if (name != null && !PART_NAME.matcher(name).matches()) {
      p.get("name").error("must match " + PART_NAME.pattern());
    }
    String upstream = p.get("upstream").requiredString();
    if (upstream != null && !upstreamNames.contains(upstream)) {
      p.get("upstream").error("unknown upstream '" + upstream + "'");
    }
    String partPath = p.get("path").requiredString();
    if (partPath != null) {
      if (!partPath.startsWith("/")) {
        p.get("path").error("must start with '/'");
      }
      RouteParser.checkTemplateParams(p.get("path"), partPath, path);
    }
    return new ComposePart(name, upstream, partPath, p.get("optional").bool(false));
  }
}
