package io.gridgate.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 JSON Web Tokens for simulated users, signed with the secret the cluster's issuer declares. */
final class Jwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  /** A token of {@code subject} from {@code issuer} for {@code audience}, valid for {@code ttl}. */
  static String hs256(String secret, String kid, String issuer, String audience, String subject, Duration ttl) {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    String claims =
        String.format(
            "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"iat\":%d,\"exp\":%d}",
            issuer, audience, subject, now, now + ttl.toSeconds());
    String signingInput = encode(header) + "." + encode(claims);
    return signingInput + "." + B64.encodeToString(hmac(secret, signingInput));
  }

  private static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(String secret, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
