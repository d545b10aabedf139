package io.gridgate.config;

/** One configured verification key of an issuer: a public key (PEM) or, for HS algorithms only, a shared secret. */
public record JwtKeySpec(String kid, String algorithm, String pem, String secret) {
  @Override
  public String toString() {
    return "JwtKeySpec[kid=" + kid + ", algorithm=" + algorithm + (secret != null ? ", secret=***" : ", pem") + "]";
  }
}
