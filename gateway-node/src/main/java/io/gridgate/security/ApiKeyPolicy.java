package io.gridgate.security;

import io.gridgate.config.AuthSpec.ApiKeySpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authenticates a request by a consumer's API key, from a header or a query parameter: the key's
 * SHA-256 is looked up in this node's consumer directory. The key never reaches the upstream.
 */
final class ApiKeyPolicy implements RequestPolicy {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "ApiKey realm=\"gridgate\"");
  private final ApiKeySpec spec;
  private final boolean tokensToo;
  private final ConsumerDirectory consumers;

  /** {@code tokensToo}: the route also takes bearer tokens, so a request without a key is theirs to judge. */
  ApiKeyPolicy(ApiKeySpec spec, boolean tokensToo, ConsumerDirectory consumers) {
    this.spec = spec;
    this.tokensToo = tokensToo;
    this.consumers = consumers;
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    if (spec.header() != null) {
      context.removeUpstream(spec.header().toLowerCase(Locale.ROOT));
    }
    if (spec.query() != null) {
      context.removeQueryParameter(spec.query());
    }
    if (context.identity() != null) {
      return Future.succeededFuture(); // another credential of the route already proved who this is
    }
    String key = spec.header() == null ? null : context.request().getHeader(spec.header());
    if (key == null && spec.query() != null) {
      key = context.request().getParam(spec.query());
    }
    if (key == null || key.isEmpty()) {
      return Future.succeededFuture(tokensToo ? null : new Refusal(401, "unauthorized", "an API key is required", CHALLENGE));
    }
    Consumer consumer = consumers.byKeyHash(ApiKeys.sha256(key));
    if (consumer == null) {
      return Future.succeededFuture(new Refusal(401, "unauthorized", "the API key is not valid", CHALLENGE));
    }
    context.identity(new Identity(consumer.id(), consumer.id(), consumer.groups(), Set.of(), Set.of(),
        new JsonObject().put("sub", consumer.id()), Identity.Credential.API_KEY));
    return Future.succeededFuture();
  }
}
