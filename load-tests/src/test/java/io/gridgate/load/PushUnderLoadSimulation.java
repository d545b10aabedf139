package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e) Route pushes under load: {@code gridgate.rps} (100) new users per second for
 * {@code gridgate.duration} (60 s) on {@code /open/}, while one admin user pushes
 * {@code gridgate.pushes} (20) new configuration versions, evenly spread from 2 s to 8 s before the end, through the admin API of
 * each node in turn ({@code GET /admin/config}, then {@code PUT /admin/config?base_version=N} with
 * the route's {@code X-Generation} response header set to the push's number). Assertions: no load
 * request fails, p99 under {@code gridgate.p99Ms} (1000 ms), every push answers 200 with no lagging
 * member; verdict: the load saw every pushed generation.
 */
public class PushUnderLoadSimulation extends LoadSimulation {

  public PushUnderLoadSimulation() {
    super(new PushUnderLoad());
  }

  /** The traffic and pushes of (e). */
  static final class PushUnderLoad implements LoadPart {
    private static final String LOAD = "GET /open/ (under pushes)";
    private static final String READ = "GET /admin/config";
    private static final String PUSH = "PUT /admin/config";
    private static final Pattern GENERATION = Pattern.compile("X-Generation: '?\"?\\d+'?\"?");

    private final int rps = Props.positiveInt("gridgate.rps", 100);
    private final Duration duration = Props.seconds("gridgate.duration", 60);
    private final int pushes = Props.positiveInt("gridgate.pushes", 20);
    private final int p99Ms = Props.positiveInt("gridgate.p99Ms", 1000);
    private final List<String> adminUrls = GatewayTarget.adminUrls();
    private final String auth = "Bearer " + Props.required("gridgate.adminToken");
    private final AtomicLong pusherStart = new AtomicLong();
    private final Set<Integer> generationsSeen = new ConcurrentSkipListSet<>();
    private final Verdicts verdicts =
        new Verdicts("push").add("the load saw every pushed generation", this::missingGenerations);

    @Override
    public List<PopulationBuilder> populations() {
      // push i is due at 2 s + i × interval after the pusher starts; the last one 8 s before the
      // load ends, so the load sees it; a push that runs late is followed by the next at once
      Duration interval = duration.minusSeconds(10).dividedBy(pushes);
      PopulationBuilder load =
          scenario("load under pushes")
              .exec(GatewayTarget.pickNode())
              .exec(
                  GatewayTarget.get(LOAD, "/open/")
                      .check(status().is(200), header("X-Generation").saveAs("generation")))
              .exec(session -> {
                generationsSeen.add(Integer.parseInt(session.getString("generation")));
                return session;
              })
              .injectOpen(constantUsersPerSec(rps).during(duration));
      PopulationBuilder pusher =
          scenario("pusher")
              .exec(session -> {
                pusherStart.set(System.currentTimeMillis());
                return session;
              })
              .repeat(pushes, "i")
              .on(
                  pause(session -> untilDue(pusherStart.get(), session.getInt("i"), interval))
                      .exec(session -> session
                          .set("adminUrl", adminUrls.get(session.getInt("i") % adminUrls.size()))
                          .set("next", session.getInt("i") + 1))
                      .exec(
                          http(READ)
                              .get("#{adminUrl}/admin/config")
                              .header("Authorization", auth)
                              .check(
                                  status().is(200),
                                  jsonPath("$.version").saveAs("version"),
                                  jsonPath("$.document").saveAs("document")))
                      .exec(
                          http(PUSH)
                              .put("#{adminUrl}/admin/config?base_version=#{version}")
                              .header("Authorization", auth)
                              .header("Content-Type", "application/yaml")
                              .body(StringBody(session -> withGeneration(session.getString("document"), session.getInt("next"))))
                              .check(status().is(200), jsonPath("$.lagging[*]").count().is(0))))
              .injectOpen(atOnceUsers(1));
      return List.of(load.andThen(verdicts.population(GatewayTarget.pickNode())), pusher);
    }

    private static Duration untilDue(long start, int push, Duration interval) {
      long due = start + 2_000 + push * interval.toMillis();
      return Duration.ofMillis(Math.max(0, due - System.currentTimeMillis()));
    }

    private static String withGeneration(String document, int generation) {
      Matcher matcher = GENERATION.matcher(document);
      if (!matcher.find()) {
        throw new IllegalStateException("the cluster's document has no X-Generation header to change");
      }
      return matcher.replaceFirst("X-Generation: '" + generation + "'");
    }

    private String missingGenerations() {
      List<Integer> missing = new ArrayList<>();
      for (int g = 0; g <= pushes; g++) {
        if (!generationsSeen.contains(g)) {
          missing.add(g);
        }
      }
      System.out.println("generations the load saw: " + generationsSeen);
      return missing.isEmpty() ? null : "generations never served: " + missing;
    }

    @Override
    public List<Assertion> assertions() {
      List<Assertion> assertions = new ArrayList<>();
      assertions.add(details(LOAD).failedRequests().count().is(0L));
      assertions.add(details(LOAD).responseTime().percentile(99.0).lt(p99Ms));
      assertions.add(details(PUSH).successfulRequests().count().is((long) pushes));
      assertions.add(details(PUSH).failedRequests().count().is(0L));
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
          "push: %d rps on /open/ for %d s while %d versions are pushed; assert 0 failed, p99 < %d ms,"
              + " every push applied by every member, every generation served",
          rps, duration.toSeconds(), pushes, p99Ms);
    }
  }
}
