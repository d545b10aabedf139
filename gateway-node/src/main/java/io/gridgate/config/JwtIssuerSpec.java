package io.gridgate.config;

import java.time.Duration;
import java.util.List;

/** A trusted JWT issuer: its {@code iss}, accepted audiences and algorithms, keys (inline and/or a JWKS URL) and checks. */
public record JwtIssuerSpec(String name, String issuer, List<String> audiences, List<String> algorithms,
                            List<JwtKeySpec> keys, String jwksUrl, Duration jwksMinRefresh, Duration clockSkew,
                            String rolesClaim, TokenLocation token) {
  public JwtIssuerSpec {
    audiences = List.copyOf(audiences);
    algorithms = List.copyOf(algorithms);
    keys = List.copyOf(keys);
  }
}
