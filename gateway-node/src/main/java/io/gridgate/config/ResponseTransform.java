package io.gridgate.config;

/** A route's changes to the fields of a JSON response body, which is read whole up to {@code maxBodySize} bytes. */
public record ResponseTransform(JsonFieldOps body, long maxBodySize) {
  public static final ResponseTransform NONE = new ResponseTransform(JsonFieldOps.NONE, RequestTransform.DEFAULT_MAX_BODY_SIZE);
}
