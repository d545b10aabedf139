package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.security.Cors;
import io.gridgate.security.Refusal;

/**
 * The route's CORS rules (security/Cors) as one step, after the IP filter and before the other
 * policies: a preflight is answered here (204, or 403 {@code cors_denied}), never authenticated;
 * an allowed origin's CORS headers go on every answer of the route, the gateway's errors and
 * refusals included.
 */
final class CorsStep implements Step {
  /** The Origin of an actual request from an allowed origin. */
  private static final StepState<String> ALLOWED_ORIGIN = StepState.create();
  /** Routes with a {@code cors} section. */
  static final StepFactory FACTORY = route -> route.spec().cors() == null ? null : new CorsStep(new Cors(route.spec().cors()));

  private final Cors cors;

  private CorsStep(Cors cors) {
    this.cors = cors;
  }

  @Override
  public Next onRequest(Exchange ex) {
    String origin = ex.request.getHeader("Origin");
    if (origin == null) {
      return Next.CONTINUE;
    }
    Refusal preflight = cors.preflight(ex.request, origin);
    if (preflight != null) {
      ex.answer(preflight);
      return Next.ANSWERED;
    }
    if (cors.allowsOrigin(origin)) {
      ex.put(ALLOWED_ORIGIN, origin);
    }
    return Next.CONTINUE;
  }

  @Override
  public void onResponseHead(Exchange ex, int status, ClientResponse response) {
    String origin = ex.get(ALLOWED_ORIGIN);
    if (origin != null) {
      cors.writeHeaders(origin, response.headers());
    }
  }
}
