package io.gridgate.security.auth;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.OAuth2ServerSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Asks an RFC 7662 introspection endpoint whether a token is active (form POST, HTTP Basic client
 * authentication) and caches the answer: active claims for min(cache_ttl, exp - now), inactive
 * tokens for negative_cache_ttl, timed by the node's clock. Tokens are cached by their SHA-256
 * digest, never in clear.
 */
final class Introspector {
  private static final long TIMEOUT_MILLIS = 5_000;
  private final HttpClient client;
  private final OAuth2ServerSpec spec;
  private final String authorization;
  private final TokenCache<JsonObject> cache;
  private final NodeClock clock;

  Introspector(HttpClient client, OAuth2ServerSpec spec, NodeClock clock) {
    this.client = client;
    this.spec = spec;
    String credentials = form(spec.clientId()) + ":" + form(spec.clientSecret());
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    this.cache = new TokenCache<>(spec.cacheSize(), clock.nanos());
    this.clock = clock;
  }

  OAuth2ServerSpec spec() {
    return spec;
  }

  /**
   * The claims of an active token; fails with {@link InvalidToken} for an inactive one, with
   * another exception when the endpoint cannot answer. Completes on the caller's context.
   */
  Future<JsonObject> introspect(String token) {
    TokenKey digest = new TokenKey(digest(token));
    TokenCache.Entry<JsonObject> cached = cache.get(digest);
    if (cached != null) {
      return cached.value() != null ? Future.succeededFuture(cached.value()) : inactive();
    }
    Buffer body = Buffer.buffer("token=" + form(token) + "&token_type_hint=access_token");
    return CallerContext.of(client.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(spec.introspectionUrl()).setTimeout(TIMEOUT_MILLIS)
            .putHeader("Content-Type", "application/x-www-form-urlencoded")
            .putHeader("Accept", "application/json")
            .putHeader("Authorization", authorization))
        .compose(request -> request.send(body))
        .compose(response -> response.statusCode() == 200
            ? response.body()
            : Future.failedFuture("introspection endpoint answered " + response.statusCode()))
        .compose(answer -> remember(digest, new JsonObject(answer))));
  }

  private Future<JsonObject> remember(TokenKey digest, JsonObject answer) {
    long ttl = spec.cacheTtl().toNanos();
    if (answer.getValue("exp") instanceof Number exp) {
      ttl = Math.min(ttl, (exp.longValue() * 1000 - clock.millis().getAsLong()) * 1_000_000);
    }
    if (!Boolean.TRUE.equals(answer.getValue("active")) || ttl <= 0) {
      cache.put(digest, null, spec.negativeCacheTtl().toNanos());
      return inactive();
    }
    cache.put(digest, answer, ttl);
    return Future.succeededFuture(answer);
  }

  private static Future<JsonObject> inactive() {
    return Future.failedFuture(new InvalidToken("token is not active"));
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
