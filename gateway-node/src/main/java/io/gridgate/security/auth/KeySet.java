package io.gridgate.security.auth;

import io.gridgate.config.JwtIssuerSpec;
import io.gridgate.config.JwtKeySpec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable generation of an issuer's verification keys (configured ones plus the last JWKS),
 * as a {@link JWTAuth} that also checks iss and aud (exp, nbf and iat are left to {@link TimeClaims}:
 * vertx-auth-jwt would read the system's clock, not the node's). Only keys of the issuer's algorithms are admitted, each under its own algorithm, and a JWKS
 * never provides HMAC secrets: a public key can never serve as an HMAC secret.
 */
record KeySet(JWTAuth auth, Set<String> kids, int size) {
  private static final Map<String, String> EC_ALGORITHMS = Map.of("P-256", "ES256", "P-384", "ES384", "P-521", "ES512");

  static KeySet of(Vertx vertx, JwtIssuerSpec issuer, List<JsonObject> jwks) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIgnoreExpiration(true) // exp, nbf and iat: TimeClaims, with the issuer's clock skew
        .setIssuer(issuer.issuer())
        .setAudience(issuer.audiences().isEmpty() ? null : issuer.audiences()));
    Set<String> kids = new HashSet<>();
    int size = 0;
    for (JwtKeySpec key : issuer.keys()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(key.algorithm()).setId(key.kid())
          .setBuffer(key.secret() != null ? key.secret() : key.pem()));
      kids.add(key.kid());
      size++;
    }
    for (JsonObject jwk : jwks) {
      for (String algorithm : algorithms(jwk, issuer.algorithms())) {
        options.addJwk(jwk.copy().put("alg", algorithm));
        kids.add(jwk.getString("kid"));
        size++;
      }
    }
    kids.remove(null);
    return new KeySet(JWTAuth.create(vertx, options), Set.copyOf(kids), size);
  }

  /** The issuer's algorithms this public JWK may verify: its own {@code alg}, or those its key type fits. */
  private static List<String> algorithms(JsonObject jwk, List<String> allowed) {
    List<String> out = new ArrayList<>();
    String declared = jwk.getValue("alg") instanceof String s ? s : null;
    String kty = jwk.getValue("kty") instanceof String s ? s : "";
    for (String algorithm : allowed) {
      boolean fits = switch (kty) {
        case "RSA" -> algorithm.startsWith("RS") || algorithm.startsWith("PS");
        case "EC" -> algorithm.equals(EC_ALGORITHMS.get(String.valueOf(jwk.getValue("crv"))));
        case "OKP" -> algorithm.equals("EdDSA");
        default -> false;
      };
      if (fits && (declared == null || declared.equals(algorithm))) {
        out.add(algorithm);
      }
    }
    return out;
  }
}
