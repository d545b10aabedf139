package io.gridgate.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code match.path}: one of {@code exact}, {@code prefix}, {@code template} or {@code regex}. */
final class PathPatternValidator {
  static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  PathPattern parse(ConfigNode n) {
    if (n.isMissing()) {
      n.error("is required: {exact|prefix|template|regex: ...}");
      return null;
    }
    if (n.isScalar()) {
      n.error("must be a mapping such as {prefix: /api}");
      return null;
    }
    n.allowOnly(Set.of("exact", "prefix", "template", "regex"));
    var entries = n.entries();
    if (entries.size() != 1) {
      n.error("needs exactly one of exact, prefix, template or regex");
      return null;
    }
    var entry = entries.entrySet().iterator().next();
    PathPattern.Kind kind;
    try {
      kind = PathPattern.Kind.valueOf(entry.getKey().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null; // already reported as an unknown field
    }
    ConfigNode valueNode = entry.getValue();
    String value = kind == PathPattern.Kind.REGEX ? RouteParser.regex(valueNode) : valueNode.requiredString();
    if (value == null) {
      return null;
    }
    if (kind != PathPattern.Kind.REGEX && !value.startsWith("/")) {
      valueNode.error("must start with '/'");
    }
    if (kind == PathPattern.Kind.TEMPLATE) {
      checkTemplate(valueNode, value);
    }
    return new PathPattern(kind, value);
  }

  private static void checkTemplate(ConfigNode n, String template) {
    Set<String> names = new HashSet<>();
    for (String segment : template.split("/", -1)) {
      if (segment.indexOf('{') < 0 && segment.indexOf('}') < 0) {
        continue;
      }
      Matcher m = TEMPLATE_PARAM.matcher(segment);
      if (!m.matches()) {
        n.error("a template parameter must be a whole segment such as /{id} (bad segment '" + segment + "')");
      } else if (!names.add(m.group(1))) {
        n.error("parameter {" + m.group(1) + "} appears twice");
      }
    }
  }
}
