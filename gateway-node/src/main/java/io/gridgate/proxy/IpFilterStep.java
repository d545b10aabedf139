package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.security.IpFilter;

/**
 * The document's and the route's IP rules (security/IpFilter) as the first policy step, before
 * CORS: a client address they refuse is answered 403 {@code address_denied}, a preflight included.
 */
final class IpFilterStep implements Step {
  private final IpFilter filter;

  private IpFilterStep(IpFilter filter) {
    this.filter = filter;
  }

  /** Steps for the routes that have IP rules, their own or the document's. */
  static StepFactory factory(GatewayConfig config) {
    return route -> {
      IpFilter filter = IpFilter.of(config, route.spec());
      return filter == null ? null : new IpFilterStep(filter);
    };
  }

  @Override
  public Next onRequest(Exchange ex) {
    if (filter.allows(ex.client.address())) {
      return Next.CONTINUE;
    }
    ex.answer(IpFilter.DENIED);
    return Next.ANSWERED;
  }
}
