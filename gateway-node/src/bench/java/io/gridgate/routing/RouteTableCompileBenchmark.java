package io.gridgate.routing;

import io.gridgate.config.RouteSpec;
import java.util.List;
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

/** What compiling a configuration version's route table costs, and the index's share of it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RouteTableCompileBenchmark {
  @Param({"1000", "10000", "13000"})
  public int routes;

  private List<RouteSpec> specs;
  private CompiledRoute[] compiled;

  @Setup
  public void parse() {
    specs = RouteMixes.specs(RouteMixes.realisticRoutes(new Random(42), routes));
    compiled = new RouteTable(specs).routes().toArray(CompiledRoute[]::new);
  }

  /** Compiling every route, sorting them and indexing them, as GatewayState.compile does. */
  @Benchmark
  public RouteTable compileTable() {
    return new RouteTable(specs);
  }

  /** Indexing routes already compiled and sorted. */
  @Benchmark
  public Object indexOnly() {
    return new RouteIndex(compiled);
  }
}
