package io.gridgate.security;

import io.gridgate.config.AuthSpec;
import io.gridgate.config.AuthSpec.ApiKeySpec;
import io.gridgate.transform.QueryParameters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authenticates a request by a consumer's API key, from a header or a query parameter (read by
 * {@link QueryParameters}: a key after {@code ;} is part of another parameter's value): the key's
 * SHA-256 is looked up in this node's consumer directory. Unless the route passes credentials on,
 * the key never reaches the upstream.
 */
final class ApiKeyPolicy implements RequestPolicy {
  private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "ApiKey realm=\"gridgate\"");
  private final ApiKeySpec spec;
  private final boolean tokensToo;
  private final boolean passCredential;
  private final ConsumerDirectory consumers;

  /** The API key of {@code auth}; when the route also takes bearer tokens, a request without a key is theirs to judge. */
  ApiKeyPolicy(AuthSpec auth, ConsumerDirectory consumers) {
    this.spec = auth.apiKey();
    this.tokensToo = auth.hasTokens();
    this.passCredential = auth.passCredential();
    this.consumers = consumers;
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    if (!passCredential) {
      strip(context);
    }
    if (context.identity() != null) {
      return Future.succeededFuture(); // another credential of the route already proved who this is
    }
    String key = spec.header() == null ? null : context.request().getHeader(spec.header());
    if (key == null && spec.query() != null) {
      key = QueryParameters.value(context.request().query(), spec.query());
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

  private void strip(PolicyContext context) {
    if (spec.header() != null) {
      context.removeUpstream(spec.header().toLowerCase(Locale.ROOT));
    }
    if (spec.query() != null) {
      context.removeQueryParameter(spec.query());
    }
  }
}
