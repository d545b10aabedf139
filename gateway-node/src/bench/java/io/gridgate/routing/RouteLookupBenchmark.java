package io.gridgate.routing;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One route lookup on a realistic table (services with a prefix, templates and an exact path, a
 * third of them on their own exact or wildcard host), by the index and by the scan of every route it
 * replaced, cycling through 1,024 requests (mostly hits, some 404s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteLookupBenchmark {
  private static final int REQUESTS = 1024;

  @Param({"10", "1000", "10000"})
  public int routes;

  private RouteTable table;
  private Ranks everyRoute;
  private RouteRequest[] requests;
  private int next;

  @Setup
  public void build() {
    Random random = new Random(42);
    table = RouteMixes.table(RouteMixes.realisticRoutes(random, routes));
    everyRoute = Ranks.all(routes);
    requests = RouteMixes.realisticRequests(random, routes, REQUESTS).toArray(RouteRequest[]::new);
  }

  @Benchmark
  public RouteLookup indexed() {
    return request().lookUpIn(table);
  }

  @Benchmark
  public RouteLookup linearScan() {
    RouteRequest request = request();
    return table.firstMatch(everyRoute, request.method(), request.host(), request.path(), request.headers());
  }

  private RouteRequest request() {
    return requests[next++ & (REQUESTS - 1)];
  }
}
