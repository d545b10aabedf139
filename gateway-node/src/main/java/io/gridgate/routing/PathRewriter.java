package io.gridgate.routing;

import io.gridgate.config.PathPattern;
import io.gridgate.config.RewriteSpec;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the matched client path into the upstream path: strip prefix, then regex or template rewrite. */
final class PathRewriter {
  private final int stripLength;
  private final Pattern regex;
  private final String replacement;
  private final TemplatePathMatcher template;

  PathRewriter(RewriteSpec spec, PathPattern path, PathMatcher matcher) {
    this.stripLength = spec.stripPrefix() ? stripLength(path.value()) : 0;
    this.regex = spec.regex() == null ? null : Pattern.compile(spec.regex());
    this.replacement = spec.regex() == null ? spec.replacement() : literalDollarsQuoted(spec.replacement());
    this.template = matcher instanceof TemplatePathMatcher t && replacement != null && replacement.contains("{")
        ? t : null;
  }

  /** In a regex replacement only {@code $<digit>} refers to a group; any other {@code $} or {@code \\} is literal. */
  private static String literalDollarsQuoted(String replacement) {
    return replacement == null ? null
        : replacement.replace("\\", "\\\\").replaceAll("\\$(?!\\d)", "\\\\\\$");
  }

  private static int stripLength(String prefix) {
    return prefix.endsWith("/") ? prefix.length() - 1 : prefix.length();
  }

  boolean isIdentity() {
    return stripLength == 0 && replacement == null;
  }

  String rewrite(String path) {
    String out = path;
    if (stripLength > 0) {
      out = out.substring(stripLength);
      if (out.isEmpty()) {
        out = "/";
      }
    }
    if (replacement == null) {
      return out;
    }
    String target = replacement;
    if (template != null) {
      // With a regex the result is a replaceFirst replacement, so '$' and '\' in values must be quoted.
      target = substitute(target, template.params(path), regex != null);
    }
    if (regex == null) {
      return target;
    }
    Matcher m = regex.matcher(out);
    return m.find() ? m.replaceFirst(target) : out;
  }

  /** {@code text} with each {@code {name}} replaced by its value ({@code quote}d for a regex replacement). */
  static String substitute(String text, Map<String, String> params, boolean quote) {
    String out = text;
    for (Map.Entry<String, String> e : params.entrySet()) {
      out = out.replace("{" + e.getKey() + "}", quote ? Matcher.quoteReplacement(e.getValue()) : e.getValue());
    }
    return out;
  }
}
