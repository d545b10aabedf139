package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.roundRobinSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Simulation (b)'s traffic, arrivals at {@code gridgate.mixed.rps} (45) spread round-robin over the
 * nodes and, in turn, over nine slots:
 *
 * <ul>
 *   <li>4: JWT users within their per-user limit (route {@code /jwt/}, {@code fixed_window}
 *       {@code gridgate.user.limit} (10) per {@code gridgate.user.window} (5 s), keyed by
 *       consumer), each sending at half its limit: every request must get 200;
 *   <li>2: JWT users over their limit, each at twice its limit: in every complete window exactly the
 *       limit gets 200 and the rest 429 (per user);
 *   <li>2: API-key clients ({@code /keyed/}, {@code gridgate.apiKeys} (5) consumers created through
 *       the admin API before the run): every request must get 200;
 *   <li>1: a route to an upstream that is down, behind a cluster circuit breaker
 *       ({@code gridgate.breaker.failures} (5) consecutive failures, open for
 *       {@code gridgate.breaker.openFor} (2 s)): only 502 (the upstream was tried) or 503 (the breaker
 *       answered), and at most nodes × failures + one probe per open period + nodes 502s.
 * </ul>
 *
 * Tokens are HS256 with {@code gridgate.jwtSecret}, the secret of the cluster's {@code load} issuer.
 */
final class MixedTraffic implements LoadPart {

  static final String WITHIN = "jwt user within limit";
  static final String OVER = "jwt user over limit";
  static final String KEYED = "api-key client";
  static final String BREAKER = "dead upstream behind breaker";

  private static final int SLOTS = 9;
  private static final String TOKEN = "token";
  private static final String USER = "user";
  private static final String API_KEY = "apiKey";

  private final int rps = Props.positiveInt("gridgate.mixed.rps", 45);
  private final int userLimit = Props.positiveInt("gridgate.user.limit", 10);
  private final Windows windows =
      new Windows(
          Props.seconds("gridgate.user.window", 5),
          Duration.ofMillis(Props.positiveInt("gridgate.guardMs", 1000)));
  private final int apiKeys = Props.positiveInt("gridgate.apiKeys", 5);
  private final int breakerFailures = Props.positiveInt("gridgate.breaker.failures", 5);
  private final Duration breakerOpenFor = Props.seconds("gridgate.breaker.openFor", 2);
  private final Duration duration = Props.seconds("gridgate.duration", 40);
  private final int p99Ms = Props.positiveInt("gridgate.p99Ms", 1000);
  private final String jwtSecret = Props.required("gridgate.jwtSecret");

  private final double limitRate = userLimit / (double) windows.window().toSeconds();
  private final List<Map<String, Object>> withinUsers = users("within", (int) Math.ceil(rps * 4.0 / SLOTS / (limitRate / 2)));
  private final List<Map<String, Object>> overUsers = users("over", Math.max(1, (int) (rps * 2.0 / SLOTS / (limitRate * 2))));
  private final List<Map<String, Object>> keys = new CopyOnWriteArrayList<>();

  private final OutcomeCounts overCounts = new OutcomeCounts();
  private final OutcomeCounts breakerCounts = new OutcomeCounts();
  private final Verdicts verdicts =
      new Verdicts("mixed")
          .add(
              "over-limit users get the limit per window",
              () -> new ExactWindows(overCounts, userLimit, 0).failure(OVER))
          .add("the breaker shields the dead upstream", this::breakerFailure);

  MixedTraffic() {
    double overPerWindow = rps * 2.0 / SLOTS / overUsers.size() * windows.band().toMillis() / 1000.0;
    if (overPerWindow <= userLimit) {
      throw new IllegalArgumentException(
          "gridgate.mixed.rps=" + rps + " gives over-limit users about " + (long) overPerWindow
              + " requests per window, not above their limit " + userLimit + ": raise it");
    }
  }

  private List<Map<String, Object>> users(String kind, int count) {
    List<Map<String, Object>> users = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String user = "load-" + kind + "-" + i;
      String token = Jwt.hs256(jwtSecret, "load", "gridgate-load", "gridgate-load", user, Duration.ofHours(2));
      users.add(Map.of(USER, user, TOKEN, token));
    }
    return List.copyOf(users);
  }

  @Override
  public void before() {
    AdminClient admin = new AdminClient(GatewayTarget.adminUrls().get(0), Props.required("gridgate.adminToken"));
    for (int i = 1; i <= apiKeys; i++) {
      keys.add(Map.of(API_KEY, admin.consumerWithKey("load-key-" + i, "load")));
    }
  }

  @Override
  public List<PopulationBuilder> populations() {
    ChainBuilder within =
        exec(session -> session)
            .feed(new Cycle(() -> withinUsers))
            .exec(bearer(GatewayTarget.get(WITHIN, "/jwt/")).check(status().is(200)));
    ChainBuilder over =
        exec(session -> session)
            .feed(new Cycle(() -> overUsers))
            .exec(
                overCounts.sendInWindow(
                    bearer(GatewayTarget.get(OVER, "/jwt/")).check(status().in(200, 429)),
                    session -> session.getString(USER),
                    windows));
    ChainBuilder keyed =
        exec(session -> session)
            .feed(new Cycle(() -> keys))
            .exec(GatewayTarget.get(KEYED, "/keyed/").header("X-API-Key", "#{" + API_KEY + "}").check(status().is(200)));
    ChainBuilder breaker =
        breakerCounts.send(
            GatewayTarget.get(BREAKER, "/flaky/").check(status().in(502, 503)), session -> "flaky");
    return List.of(
        scenario("mixed traffic")
        .exec(GatewayTarget.pickNode())
        .exec(roundRobinSwitch().on(within, within, over, keyed, within, over, keyed, within, breaker))
        .injectOpen(constantUsersPerSec(rps).during(duration))
        .andThen(verdicts.population(GatewayTarget.pickNode())));
  }

  private static HttpRequestActionBuilder bearer(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{" + TOKEN + "}");
  }

  private String breakerFailure() {
    Map<Integer, Long> statuses = breakerCounts.statuses("flaky");
    System.out.println(BREAKER + ": " + statuses + " (status: count; 0 = no response)");
    int nodes = GatewayTarget.baseUrls().size();
    long bound = (long) nodes * breakerFailures + duration.toMillis() / breakerOpenFor.toMillis() + 1 + nodes;
    long tried = statuses.getOrDefault(502, 0L);
    long shielded = statuses.getOrDefault(503, 0L);
    long other = statuses.values().stream().mapToLong(Long::longValue).sum() - tried - shielded;
    if (tried > bound || shielded == 0 || other > 0) {
      return String.format(
          "%s: %d x 502 (bound %d), %d x 503, %d other", BREAKER, tried, bound, shielded, other);
    }
    return null;
  }

  @Override
  public List<Assertion> assertions() {
    List<Assertion> assertions = new ArrayList<>();
    for (String request : List.of(WITHIN, OVER, KEYED, BREAKER)) {
      assertions.add(details(request).successfulRequests().percent().is(100.0));
    }
    for (String request : List.of(WITHIN, KEYED)) {
      assertions.add(details(request).responseTime().percentile(99.0).lt(p99Ms));
    }
    assertions.addAll(verdicts.assertions());
    return assertions;
  }

  @Override
  public Duration duration() {
    return duration;
  }

  @Override
  public String describe() {
    return String.format(
        "mixed: %d rps for %d s: %d JWT users within and %d over their limit of %d per %d s, %d API keys,"
            + " a dead upstream behind a breaker; assert no failure, p99 < %d ms, exact 200s per window"
            + " for the users over their limit, 502s bounded by the breaker",
        rps, duration.toSeconds(), withinUsers.size(), overUsers.size(), userLimit,
        windows.window().toSeconds(), apiKeys, p99Ms);
  }
}
