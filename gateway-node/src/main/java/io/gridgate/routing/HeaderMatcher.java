package io.gridgate.routing;

import io.gridgate.config.HeaderPredicate;
import io.vertx.core.MultiMap;
import java.util.regex.Pattern;

/** One compiled header predicate of a route. */
record HeaderMatcher(String name, HeaderPredicate.Kind kind, String value, Pattern regex) {

  static HeaderMatcher of(HeaderPredicate p) {
    return new HeaderMatcher(p.name(), p.kind(), p.value(),
        p.kind() == HeaderPredicate.Kind.REGEX ? Pattern.compile(p.value()) : null);
  }

  boolean matches(MultiMap headers) {
    String actual = headers.get(name);
    return switch (kind) {
      case PRESENT -> actual != null;
      case ABSENT -> actual == null;
      case EQUALS -> value.equals(actual);
      case REGEX -> actual != null && regex.matcher(actual).find();
    };
  }
}
