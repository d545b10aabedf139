package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.listFeeder;

import io.gatling.javaapi.core.FeederBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway nodes a simulation talks to, read from the {@code gridgate.urls} system property
 * (comma-separated base URLs, default {@value #DEFAULT_URLS}).
 *
 * <p>In production an L4 load balancer spreads TCP connections over the nodes. Gatling virtual
 * users each own their connections, so assigning every new user to the next node in turn
 * (round-robin) emulates that balancer: use {@link #feeder()} once at the start of a scenario and
 * build request URLs with {@link #url(String)}, which are absolute and therefore bypass the
 * protocol's {@code baseUrl}.
 */
public final class GatewayTarget {

  public static final String URLS_PROPERTY = "gridgate.urls";
  public static final String DEFAULT_URLS = "http://127.0.0.1:8080";
  /** Session attribute holding the base URL of the node assigned to the virtual user. */
  public static final String BASE_URL_KEY = "baseUrl";

  private GatewayTarget() {}

  /** The configured node base URLs, trimmed, without trailing slash, in declaration order. */
  public static List<String> baseUrls() {
    String raw = System.getProperty(URLS_PROPERTY, DEFAULT_URLS);
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
            URLS_PROPERTY + " entry is not an absolute http(s) URL: '" + part + "'");
      }
      urls.add(url);
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(URLS_PROPERTY + " is empty");
    }
    return List.copyOf(urls);
  }

  /**
   * A feeder yielding {@code baseUrl} (see {@link #BASE_URL_KEY}) round-robin over
   * {@link #baseUrls()}; it never runs dry. Feed it once per virtual user, before the first request.
   */
  public static FeederBuilder<Object> feeder() {
    List<Map<String, Object>> records = new ArrayList<>();
    for (String url : baseUrls()) {
      records.add(Map.of(BASE_URL_KEY, url));
    }
    return listFeeder(records).circular();
  }

  /**
   * An absolute URL expression (Gatling EL) for {@code path} on the user's assigned node, e.g.
   * {@code url("/api/hello")} gives {@code "#{baseUrl}/api/hello"}.
   */
  public static String url(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    return "#{" + BASE_URL_KEY + "}" + p;
  }

  /** Human-readable summary for logs. */
  public static String describe() {
    return String.join(", ", baseUrls());
  }

  /** Reads a positive int system property. */
  static int intProp(String name, int defaultValue) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    int value = Integer.parseInt(raw.trim());
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }

  /** Reads a double system property. */
  static double doubleProp(String name, double defaultValue) {
    String raw = System.getProperty(name);
    return raw == null || raw.isBlank() ? defaultValue : Double.parseDouble(raw.trim());
  }
}
