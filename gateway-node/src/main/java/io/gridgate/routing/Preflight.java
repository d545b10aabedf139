package io.gridgate.routing;

import io.vertx.core.MultiMap;

/** Recognises a CORS preflight: an OPTIONS request with Origin and Access-Control-Request-Method. */
public final class Preflight {
  public static final String REQUEST_METHOD = "Access-Control-Request-Method";

  private Preflight() {}

  public static boolean is(String method, MultiMap headers) {
    return "OPTIONS".equals(method) && headers.contains("Origin") && headers.contains(REQUEST_METHOD);
  }
}
