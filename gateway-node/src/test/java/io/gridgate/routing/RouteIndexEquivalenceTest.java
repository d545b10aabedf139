package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed lookup answers every request exactly as a scan of all routes in match order does, on
 * random tables and requests made from a seed ({@code -Dgridgate.routing.seed=N} replays a run; a
 * failure names the seed of its table).
 */
class RouteIndexEquivalenceTest {
  private static final long SEED = Long.getLong("gridgate.routing.seed", 20261205L);

  @Test
  void randomTablesOfOverlappingRoutesAnswerAsTheScanDoes() {
    Random seeds = new Random(SEED);
    Outcomes outcomes = new Outcomes();
    for (int t = 0; t < 300; t++) {
      long seed = seeds.nextLong();
      Random random = new Random(seed);
      List<String> routes = RouteMixes.randomRoutes(random, 1 + random.nextInt(40));
      RouteTable table = RouteMixes.table(routes);
      for (int r = 0; r < 400; r++) {
        outcomes.compare(table, RouteMixes.randomRequest(random), seed, routes);
      }
    }
    outcomes.assertEveryKindSeen(120_000);
  }

  @Test
  void aLargeTableOfRandomAndRealisticRoutesAnswersAsTheScanDoes() {
    Random random = new Random(SEED);
    List<String> routes = new java.util.ArrayList<>(RouteMixes.realisticRoutes(random, 4_000));
    // without the catch-all prefix "/", which would leave no request unrouted
    routes.addAll(RouteMixes.randomRoutes(random, 300).stream()
        .filter(r -> !r.contains("prefix: \"/\"}"))
        .map(r -> r.replaceFirst("\\{id: r", "{id: random-"))
        .toList());
    RouteTable table = RouteMixes.table(routes);
    Outcomes outcomes = new Outcomes();
    for (RouteRequest request : RouteMixes.realisticRequests(random, 4_000, 5_000)) {
      outcomes.compare(table, request, SEED, List.of("(the realistic and random mix of seed " + SEED + ")"));
    }
    for (int r = 0; r < 5_000; r++) {
      outcomes.compare(table, RouteMixes.randomRequest(random), SEED, List.of("(the realistic and random mix of seed " + SEED + ")"));
    }
    outcomes.assertEveryKindSeen(10_000);
  }

  /** Compares answers and counts their kinds, so a generator that stopped producing some kind is noticed. */
  private static final class Outcomes {
    private int found;
    private int methodNotAllowed;
    private int notFound;

    void compare(RouteTable table, RouteRequest request, long seed, List<String> routes) {
      RouteLookup expected = request.scan(table);
      RouteLookup actual = request.lookUpIn(table);
      assertEquals(describe(expected), describe(actual), () -> "table seed " + seed + ", " + request + ", routes:\n"
          + String.join("\n", routes));
      assertEquals(expected, actual);
      if (actual.found()) {
        found++;
      } else if (actual.methodNotAllowed()) {
        methodNotAllowed++;
      } else {
        notFound++;
      }
    }

    void assertEveryKindSeen(int lookups) {
      assertEquals(lookups, found + methodNotAllowed + notFound);
      String counts = found + " found, " + methodNotAllowed + " 405, " + notFound + " 404";
      assertTrue(found > lookups / 10 && methodNotAllowed > lookups / 200 && notFound > lookups / 100, counts);
    }

    private static String describe(RouteLookup lookup) {
      if (lookup.found()) {
        return lookup.route().id();
      }
      return lookup.methodNotAllowed() ? "405 " + lookup.allowedMethods() : "404";
    }
  }
}
