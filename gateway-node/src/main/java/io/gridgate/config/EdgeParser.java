package io.gridgate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the edge settings of a document: IP rules, CORS, TLS on the listener and TLS to upstreams. */
final class EdgeParser {
  private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://([A-Za-z0-9.-]+|\\[[0-9a-fA-F:.]+])(:\\d{1,5})?");
  private static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final List<String> DEFAULT_CORS_METHODS = List.of("GET", "HEAD", "POST");

  /** A list of CIDR blocks (or single addresses). */
  List<Cidr> cidrs(ConfigNode n) {
    List<Cidr> out = new ArrayList<>();
    for (ConfigNode item : n.items()) {
      Cidr cidr = item.parsed(Cidr::parse, null);
      if (cidr != null) {
        out.add(cidr);
      }
    }
    return out;
  }

  /** {@code ip_rules: {allow: [...], deny: [...]}}, global or per route. */
  IpRules ipRules(ConfigNode n) {
    if (n.isMissing()) {
      return IpRules.NONE;
    }
    n.allowOnly(Set.of("allow", "deny"));
    return new IpRules(cidrs(n.get("allow")), cidrs(n.get("deny")));
  }

  /** A route's {@code cors} section, or null; allowed methods default to the route's methods (else GET, HEAD, POST). */
  CorsSpec cors(ConfigNode n, Set<String> routeMethods) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age"));
    List<String> origins = n.get("allow_origins").strings();
    if (origins.isEmpty()) {
      n.get("allow_origins").error("is required: at least one origin, or '*'");
    }
    for (String origin : origins) {
      if (!"*".equals(origin) && !ORIGIN.matcher(origin).matches()) {
        n.get("allow_origins").error("not an origin (scheme://host[:port], no path): '" + origin + "'");
      }
    }
    boolean credentials = n.get("allow_credentials").bool(false);
    if (credentials && origins.contains("*")) {
      n.get("allow_origins").error("'*' cannot be combined with allow_credentials: true; list the origins");
    }
    List<String> methods = tokens(n.get("allow_methods"), true);
    if (n.get("allow_methods").isMissing()) {
      methods = routeMethods.isEmpty() ? DEFAULT_CORS_METHODS : List.copyOf(routeMethods);
    }
    Duration maxAge = n.get("max_age").duration(Duration.ofMinutes(10));
    return new CorsSpec(origins, methods, tokens(n.get("allow_headers"), false), tokens(n.get("expose_headers"), false),
        credentials, maxAge);
  }

  /** {@code node.http.tls}, or null when the listener is plain HTTP; its {@code password} is a secret field. */
  ServerTls serverTls(ConfigNode n, Secrets secrets) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("cert", "key", "pkcs12", "password", "protocols", "client_auth", "ca"));
    boolean pem = !n.get("cert").isMissing() || !n.get("key").isMissing();
    boolean pkcs12 = !n.get("pkcs12").isMissing();
    if (pem == pkcs12) {
      n.error("needs either cert and key (PEM) or pkcs12 (with password)");
    }
    Path cert = pem ? existingFile(n.get("cert")) : null;
    Path key = pem ? existingFile(n.get("key")) : null;
    Path store = pkcs12 ? existingFile(n.get("pkcs12")) : null;
    Secrets.Secret secret = secrets.read(n.get("password"));
    String password = secret == null ? null : secret.value();
    if (pem && !n.get("password").isMissing()) {
      n.get("password").error("is only used with pkcs12 (PEM keys must not be encrypted)");
    }
    Set<String> protocols = new LinkedHashSet<>(n.get("protocols").strings());
    if (n.get("protocols").isMissing()) {
      protocols = TLS_PROTOCOLS;
    } else if (protocols.isEmpty() || !TLS_PROTOCOLS.containsAll(protocols)) {
      n.get("protocols").error("must list TLSv1.2, TLSv1.3 or both (was " + protocols + ")");
    }
    ServerTls.ClientAuth clientAuth = n.get("client_auth").enumValue(ServerTls.ClientAuth.class, ServerTls.ClientAuth.NONE);
    Path ca = n.get("ca").isMissing() ? null : existingFile(n.get("ca"));
    if (clientAuth != ServerTls.ClientAuth.NONE && n.get("ca").isMissing()) {
      n.get("ca").error("is required with client_auth " + clientAuth.name().toLowerCase(Locale.ROOT));
    } else if (clientAuth == ServerTls.ClientAuth.NONE && ca != null) {
      n.get("ca").error("is only used with client_auth request or require");
    }
    return new ServerTls(cert, key, store, password, protocols, clientAuth, ca);
  }

  /** An upstream's {@code tls} section, or null when its targets speak plain HTTP. */
  UpstreamTls upstreamTls(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("ca", "server_name", "verify_host"));
    String serverName = n.get("server_name").string(null);
    if (serverName != null && !serverName.matches("[A-Za-z0-9.-]+")) {
      n.get("server_name").error("must be a host name (was '" + serverName + "')");
    }
    return new UpstreamTls(existingFile(n.get("ca")), serverName, n.get("verify_host").bool(true));
  }

  private static List<String> tokens(ConfigNode n, boolean upperCase) {
    List<String> out = new ArrayList<>();
    for (String s : n.strings()) {
      if (!ConfigParser.TOKEN.matcher(s).matches()) {
        n.error("not a valid " + (upperCase ? "method" : "header name") + ": '" + s + "'");
      } else {
        out.add(upperCase ? s.toUpperCase(Locale.ROOT) : s);
      }
    }
    return out;
  }

  private static Path existingFile(ConfigNode n) {
    String file = n.requiredString();
    if (file == null) {
      return null;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      n.error("no readable file at '" + file + "'");
    }
    return path;
  }
}
