package io.gridgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a YAML (or JSON) configuration document into {@link GatewayConfig}, validating it as a
 * whole: every error is collected with its YAML path and reported together. Secret references
 * are resolved with the parser's {@link SecretResolver}.
 */
public final class ConfigParser {
  /** What names of upstreams, routes and clusters must match. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final RateLimitParser rateLimits = new RateLimitParser();
  private final EdgeParser edge = new EdgeParser();
  private final AuthParser auth;
  private final ConsumerParser consumers;
  private final NodeParser nodes;
  private final UpstreamParser upstreams;
  private final RouteParser routes;

  /** A parser resolving secret references from this process's environment and this machine's files. */
  public ConfigParser() {
    this(SecretResolver.system());
  }

  public ConfigParser(SecretResolver resolver) {
    this(new Secrets(resolver));
  }

  private ConfigParser(Secrets secrets) {
    this.auth = new AuthParser(secrets);
    this.consumers = new ConsumerParser(secrets);
    this.nodes = new NodeParser(secrets, edge);
    this.upstreams = new UpstreamParser(edge);
    this.routes = new RouteParser(secrets, edge, auth);
  }

  /**
   * A parser for tools that check or compare documents away from the nodes: secret fields keep their
   * references and {@value SecretFields#REDACTED} as written, and their values are not checked.
   */
  public static ConfigParser secretsAsWritten() {
    return new ConfigParser(Secrets.AS_WRITTEN);
  }

  /** Parses and validates a file. */
  public GatewayConfig parseFile(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidConfigException(List.of(new ConfigError(file.toString(), "cannot read: " + e.getMessage())));
    }
  }

  /** Parses and validates a whole node file; throws {@link InvalidConfigException} listing all errors. */
  public GatewayConfig parse(String document) {
    return parse(document, null);
  }

  /**
   * Parses the cluster's shared document (upstreams and routes, as pushed through the admin API)
   * and combines it with this node's own settings; a {@code node} section is an error there.
   */
  public GatewayConfig parseShared(String document, NodeSettings localNode) {
    return parse(document, localNode);
  }

  private GatewayConfig parse(String document, NodeSettings localNode) {
    Object tree = load(document);
    List<ConfigError> errors = new ArrayList<>();
    ConfigNode root = new ConfigNode("", tree, errors);
    if (tree == null) {
      errors.add(new ConfigError("(document)", "document is empty"));
      throw new InvalidConfigException(errors);
    }
    root.allowOnly(Set.of("node", "upstreams", "routes", "rate_limits", "ip_rules", "jwt_issuers", "oauth2_servers",
        "consumers"));
    if (localNode != null && !root.get("node").isMissing()) {
      root.get("node").error("node settings are per node and cannot be pushed; set them in each node's file");
    }
    NodeSettings node = localNode != null ? localNode : nodes.parse(root.get("node"));
    Map<String, UpstreamSpec> upstreams = this.upstreams.parse(root.get("upstreams"));
    List<RateLimitSpec> globalLimits = rateLimits.parse(root.get("rate_limits"), RateLimitParser.GLOBAL);
    Map<String, JwtIssuerSpec> issuers = auth.issuers(root.get("jwt_issuers"));
    Map<String, OAuth2ServerSpec> servers = auth.servers(root.get("oauth2_servers"));
    List<RouteSpec> routes = this.routes.parse(root.get("routes"), upstreams.keySet(), globalLimits,
        new AuthParser.Known(issuers.keySet(), servers.keySet()));
    IpRules ipRules = edge.ipRules(root.get("ip_rules"));
    Map<String, ConsumerSpec> declared = consumers.parse(root.get("consumers"));
    if (!errors.isEmpty()) {
      throw new InvalidConfigException(errors);
    }
    return new GatewayConfig(node, upstreams, routes, localNode != null ? document : sharedPart(tree), ipRules,
        issuers, servers, declared);
  }

  /** The document without its {@code node} section: what a node contributes to the cluster. */
  private static String sharedPart(Object tree) {
    Map<Object, Object> shared = new LinkedHashMap<>((Map<?, ?>) tree);
    shared.remove("node");
    return dump(shared);
  }

  /** A loaded document tree as block-style YAML. */
  static String dump(Object tree) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(tree);
  }

  /**
   * The document's YAML tree (maps, lists, scalars); a syntax error names the problem and where it
   * is, never the offending line, which may hold a secret.
   */
  static Object load(String document) {
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return new Yaml(new SafeConstructor(options)).load(document);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String where = mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
      throw notYaml((e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem() + where);
    } catch (YAMLException e) {
      throw notYaml("the document cannot be read");
    }
  }

  private static InvalidConfigException notYaml(String reason) {
    return new InvalidConfigException(List.of(new ConfigError("(document)", "not valid YAML: " + reason)));
  }

  /** A duration between {@code min} and {@code max}; out of range is an error and gives {@code fallback}. */
  static Duration boundedDuration(ConfigNode n, Duration fallback, Duration min, Duration max) {
    Duration d = n.duration(fallback);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      n.error("must be between " + min.toMillis() + "ms and " + max.toMinutes() + "m (was '" + n.string("") + "')");
      return fallback;
    }
    return d;
  }

  /** A required, valid header name. */
  static String headerName(ConfigNode n) {
    String name = n.requiredString();
    if (name != null) {
      checkHeaderName(n, name);
    }
    return name;
  }

  static void checkHeaderName(ConfigNode n, String name) {
    if (!TOKEN.matcher(name).matches()) {
      n.error("not a valid header name: '" + name + "'");
    }
  }
}
