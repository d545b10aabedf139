package io.gridgate.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Matches a path template such as {@code /users/{id}/orders}; each parameter is one segment. */
final class TemplatePathMatcher implements PathMatcher {
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final String template;
  private final Pattern pattern;
  private final List<String> names = new ArrayList<>();
  private final int literalLength;

  TemplatePathMatcher(String template) {
    this.template = template;
    StringBuilder regex = new StringBuilder();
    Matcher m = PARAM.matcher(template);
    int last = 0;
    int literals = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
      literals += m.start() - last;
      names.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    literals += template.length() - last;
    this.pattern = Pattern.compile(regex.toString());
    this.literalLength = literals;
  }

  @Override
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  /** The parameter values of a path this template matches. */
  Map<String, String> params(String path) {
    Matcher m = pattern.matcher(path);
    Map<String, String> params = new LinkedHashMap<>();
    if (m.matches()) {
      for (int i = 0; i < names.size(); i++) {
        params.put(names.get(i), m.group(i + 1));
      }
    }
    return params;
  }

  /** A parameter never holds '/', so the path has the template's segments, each parameter segment non-empty. */
  @Override
  public void addTo(PathTrie trie, int rank) {
    String[] segments = template.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (PARAM.matcher(segments[i]).find()) {
        segments[i] = null;
      }
    }
    trie.addTemplate(segments, rank);
  }

  @Override
  public int kindRank() {
    return 3;
  }

  @Override
  public int literalLength() {
    return literalLength;
  }
}
