package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway nodes a simulation talks to, read from the {@code gridgate.urls} system property
 * (comma-separated base URLs, default {@value #DEFAULT_URLS}), and the admin API base URLs from
 * {@code gridgate.adminUrls}.
 *
 * <p>In production an L4 load balancer spreads TCP connections over the nodes. Gatling virtual
 * users each own their connections, so assigning every new user to the next node in turn
 * (round-robin) emulates that balancer: start a scenario with {@link #pickNode()} and build
 * request URLs with {@link #url(String)}, which are absolute and therefore bypass the protocol's
 * {@code baseUrl}.
 */
public final class GatewayTarget {

  public static final String URLS_PROPERTY = "gridgate.urls";
  public static final String ADMIN_URLS_PROPERTY = "gridgate.adminUrls";
  public static final String DEFAULT_URLS = "http://127.0.0.1:8080";
  /** Session attribute holding the base URL of the node assigned to the virtual user. */
  public static final String BASE_URL_KEY = "baseUrl";

  private static final Duration REQUEST_TIMEOUT =
      Duration.ofMillis(Props.positiveInt("gridgate.requestTimeoutMs", 10_000));

  private GatewayTarget() {}

  /** The configured node base URLs, trimmed, without trailing slash, in declaration order. */
  public static List<String> baseUrls() {
    return parseUrls(URLS_PROPERTY, System.getProperty(URLS_PROPERTY, DEFAULT_URLS));
  }

  /** The nodes' admin API base URLs ({@code gridgate.adminUrls}, required). */
  public static List<String> adminUrls() {
    return parseUrls(ADMIN_URLS_PROPERTY, Props.required(ADMIN_URLS_PROPERTY));
  }

  private static List<String> parseUrls(String property, String raw) {
    List<String> urls = new ArrayList<>();
    for (String part : raw.split(",")) {
      String url = part.trim();
      if (url.isEmpty()) {
        continue;
      }
      while (url.endsWith("/")) {
        url = url.substring(0, url.length() - 1);
      }
      URI uri = URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(
            property + " entry is not an absolute http(s) URL: '" + part + "'");
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(property + " is empty");
    }
    return List.copyOf(urls);
  }

  /**
   * A feeder yielding {@code baseUrl} (see {@link #BASE_URL_KEY}) round-robin over
   * {@link #baseUrls()}; it never runs dry.
   */
  public static FeederBuilder<Object> feeder() {
    List<Map<String, Object>> records = new ArrayList<>();
    for (String url : baseUrls()) {
      records.add(Map.of(BASE_URL_KEY, url));
    }
    return listFeeder(records).circular();
  }

  /** Assigns the virtual user the next node, round-robin: the emulated L4 balancer. */
  public static ChainBuilder pickNode() {
    return exec(session -> session).feed(feeder());
  }

  /**
   * An absolute URL expression (Gatling EL) for {@code path} on the user's assigned node, e.g.
   * {@code url("/api/hello")} gives {@code "#{baseUrl}/api/hello"}.
   */
  public static String url(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return "#{" + BASE_URL_KEY + "}" + p;
  }

  /** A GET of {@code path} on the user's node, named {@code name}, with the run's request timeout. */
  public static HttpRequestActionBuilder get(String name, String path) {
    return http(name).get(url(path)).requestTimeout(REQUEST_TIMEOUT);
  }

  /** The HTTP protocol every simulation uses: no warm-up call to an outside site, no caching. */
  public static HttpProtocolBuilder protocol() {
    return http
        // no warm-up request to gatling.io: the test machine only reaches the gateway
        .disableWarmUp()
        .disableCaching()
        .acceptHeader("*/*")
        .userAgentHeader("gridgate-load-tests/gatling");
  }

  /** Human-readable summary for logs. */
  public static String describe() {
    return String.join(", ", baseUrls());
  }
}
