package io.gridgate.config;

/**
 * A route's changes to the request before it goes upstream: its query parameters (the same
 * operations as on headers, on decoded parameter names) and the fields of a JSON body, which is
 * read whole up to {@code maxBodySize} bytes to be changed.
 */
public record RequestTransform(HeaderOps query, JsonFieldOps body, long maxBodySize) {
  public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
  public static final RequestTransform NONE = new RequestTransform(HeaderOps.NONE, JsonFieldOps.NONE, DEFAULT_MAX_BODY_SIZE);
}
