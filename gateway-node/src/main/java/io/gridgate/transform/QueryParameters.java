package io.gridgate.transform;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one reading of a raw query string that credentials, query operations and the access log
 * share: {@code &} separates parameters and {@code ;} is an ordinary character (so
 * {@code a=1;key=x} is one parameter {@code a} whose value is {@code 1;key=x}); empty segments are
 * skipped; names and values are form-decoded ({@code +} is a space, {@code %XX} UTF-8), and text
 * whose escapes are malformed is read as it is.
 */
public final class QueryParameters {
  private QueryParameters() {}

  /** One parameter: its decoded name and its text exactly as sent. */
  public record Param(String name, String raw) {
    /** The decoded value: empty for a parameter without {@code =}. */
    public String value() {
      int eq = raw.indexOf('=');
      return eq < 0 ? "" : decode(raw.substring(eq + 1));
    }
  }

  /** The parameters of {@code query} (null or empty: none), in order. */
  public static List<Param> parse(String query) {
    List<Param> params = new ArrayList<>();
    if (query == null) {
      return params;
    }
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        String raw = query.substring(start, end);
        int eq = raw.indexOf('=');
        params.add(new Param(decode(eq < 0 ? raw : raw.substring(0, eq)), raw));
      }
      start = end + 1;
    }
    return params;
  }

  /** The decoded value of the first parameter named {@code name}, or null when there is none. */
  public static String value(String query, String name) {
    for (Param param : parse(query)) {
      if (param.name().equals(name)) {
        return param.value();
      }
    }
    return null;
  }

  /** {@code query} without the parameters named in {@code names}, the others as sent and in order; null when none is left. */
  public static String without(String query, Set<String> names) {
    StringBuilder kept = new StringBuilder();
    for (Param param : parse(query)) {
      if (!names.contains(param.name())) {
        kept.append(kept.length() == 0 ? "" : "&").append(param.raw());
      }
    }
    return kept.length() == 0 ? null : kept.toString();
  }

  /** Form-decodes {@code text}; text with malformed escapes is returned as it is. */
  public static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }
}
