package io.gridgate.config;

/**
 * How the path is changed before forwarding: strip the matched prefix and/or replace by regex
 * ({@code $1} refers to groups; {@code {name}} to template parameters).
 */
public record RewriteSpec(boolean stripPrefix, String regex, String replacement) {
  public static final RewriteSpec NONE = new RewriteSpec(false, null, null);
}
