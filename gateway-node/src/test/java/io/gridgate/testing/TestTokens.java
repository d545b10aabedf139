package io.gridgate.testing;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys and compact JWS tokens for authentication tests, made with java.security alone (so the
 * gateway's verifier is checked against an independent signer): RSA, EC P-256, Ed25519 and HMAC.
 */
public final class TestTokens {
  private TestTokens() {}

  public static KeyPair rsa() {
    return generate("RSA", null);
  }

  public static KeyPair ec() {
    return generate("EC", new ECGenParameterSpec("secp256r1"));
  }

  public static KeyPair ed25519() {
    return generate("Ed25519", null);
  }

  private static KeyPair generate(String type, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (spec != null) {
        generator.initialize(spec);
      } else if (type.equals("RSA")) {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as PEM, with {@code \n} escaped for a double-quoted YAML string. */
  public static String pemForYaml(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(key.getEncoded())
        + "\\n-----END PUBLIC KEY-----";
  }

  /** The PEM text exactly as a client could copy it (used as an HMAC secret in the confusion attack). */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----";
  }

  /** An RSA public key as a JWK with {@code kid}. */
  public static JsonObject rsaJwk(PublicKey key, String kid) {
    RSAPublicKey rsa = (RSAPublicKey) key;
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig")
        .put("n", unsigned(rsa.getModulus())).put("e", unsigned(rsa.getPublicExponent()));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes[0] == 0 ? 1 : 0;
    byte[] out = new byte[bytes.length - skip];
    System.arraycopy(bytes, skip, out, 0, out.length);
    return b64(out);
  }

  /** Claims {@code iss}, {@code sub}, {@code aud} with iat now and exp in an hour. */
  public static JsonObject claims(String iss, String sub, String aud) {
    return claims(iss, sub, aud, System.currentTimeMillis() / 1000);
  }

  /** {@link #claims(String, String, String)} issued at {@code now} (epoch seconds, such as a {@link ManualClock}'s). */
  public static JsonObject claims(String iss, String sub, String aud, long now) {
    JsonObject claims = new JsonObject().put("iss", iss).put("sub", sub).put("iat", now).put("exp", now + 3600);
    return aud == null ? claims : claims.put("aud", aud);
  }

  /** A token signed with {@code alg} (RS256, PS256, ES256, EdDSA) by {@code key}. */
  public static String sign(String alg, PrivateKey key, String kid, JsonObject claims) {
    String input = input(alg, kid, claims);
    try {
      Signature signature = switch (alg) {
        case "RS256" -> Signature.getInstance("SHA256withRSA");
        case "PS256" -> {
          Signature pss = Signature.getInstance("RSASSA-PSS");
          pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
          yield pss;
        }
        case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
        case "EdDSA" -> Signature.getInstance("Ed25519");
        default -> throw new IllegalArgumentException(alg);
      };
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token signed HS256 with {@code secret}'s bytes. */
  public static String hs256(String secret, String kid, JsonObject claims) {
    return hs256WithHeader(secret, header("HS256", kid), claims);
  }

  /** A token with this JOSE {@code header} (which should say {@code alg: HS256}), signed HS256 with {@code secret}'s bytes. */
  public static String hs256WithHeader(String secret, JsonObject header, JsonObject claims) {
    String input = input(header, claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token: {@code alg: none} and an empty signature. */
  public static String unsignedToken(JsonObject claims) {
    return input("none", null, claims) + ".";
  }

  /** The JOSE header {@code {alg, typ: JWT[, kid]}}. */
  public static JsonObject header(String alg, String kid) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    return kid == null ? header : header.put("kid", kid);
  }

  private static String input(String alg, String kid, JsonObject claims) {
    return input(header(alg, kid), claims);
  }

  private static String input(JsonObject header, JsonObject claims) {
    return b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
