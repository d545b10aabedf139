package io.gridgate.security.auth;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Fetches the keys of a JWKS document (RFC 7517) over HTTP, without blocking. */
final class JwksClient {
  private static final long TIMEOUT_MILLIS = 5_000;
  private final HttpClient client;

  JwksClient(HttpClient client) {
    this.client = client;
  }

  Future<List<JsonObject>> fetch(String url) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
            .setTimeout(TIMEOUT_MILLIS).putHeader("Accept", "application/json"))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200
            ? response.body()
            : Future.failedFuture("JWKS " + url + " answered " + response.statusCode()))
        .map(body -> {
          JsonArray keys = new JsonObject(body).getJsonArray("keys", new JsonArray());
          List<JsonObject> out = new ArrayList<>();
          keys.forEach(key -> {
            if (key instanceof JsonObject jwk) {
              out.add(jwk);
            }
          });
          return out;
        });
  }
}
