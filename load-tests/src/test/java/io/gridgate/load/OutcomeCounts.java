package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Response statuses counted per key (a bucket: the route, a user) and window, by the virtual users
 * themselves: Gatling's assertions count requests per name only, so counts per window live here and
 * {@link Verdicts} judge them. Thread-safe.
 */
final class OutcomeCounts {

  /** The status recorded for a request that got no response (connection refused, reset, timeout). */
  static final int NO_RESPONSE = 0;

  private static final String STATUS_KEY = "status";

  /** {@code late}: the response came after the request's window had ended. */
  private record Cell(String key, long window, int status, boolean late) {}

  private final Map<Cell, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * Sends {@code request} (one window for the whole run) and records its status under the
   * session's key. The request keeps its own checks (they decide OK/KO in the report); the status
   * is saved separately so a failing check is still counted under its real status.
   */
  ChainBuilder send(HttpRequestActionBuilder request, Function<Session, String> key) {
    return send(request, key, session -> 0, (window, now) -> false);
  }

  /**
   * Like {@link #send(HttpRequestActionBuilder, Function)}, in the window {@link Windows#gated}
   * assigns, and only outside its guard bands; a response received after the window ended is
   * recorded as late.
   */
  ChainBuilder sendInWindow(HttpRequestActionBuilder request, Function<Session, String> key, Windows windows) {
    return windows.gated(send(request, key, Windows::of, windows::endedBy));
  }

  private ChainBuilder send(
      HttpRequestActionBuilder request,
      Function<Session, String> key,
      ToLongFunction<Session> window,
      BiPredicate<Long, Long> late) {
    return exec(session -> session.remove(STATUS_KEY))
        .exec(request.check(status().saveAs(STATUS_KEY)))
        .exec(
            session -> {
              int status = session.contains(STATUS_KEY) ? session.getInt(STATUS_KEY) : NO_RESPONSE;
              long w = window.applyAsLong(session);
              boolean isLate = late.test(w, System.currentTimeMillis());
              counts.computeIfAbsent(new Cell(key.apply(session), w, status, isLate), c -> new LongAdder()).increment();
              return session;
            });
  }

  /** How many requests of {@code key} in {@code window} got {@code status}. */
  long count(String key, long window, int status) {
    return sum(cell -> cell.key().equals(key) && cell.window() == window && cell.status() == status);
  }

  /** How many responses to requests of {@code key} in {@code window} came after the window ended. */
  long late(String key, long window) {
    return sum(cell -> cell.key().equals(key) && cell.window() == window && cell.late());
  }

  private long sum(Predicate<Cell> cells) {
    return counts.entrySet().stream()
        .filter(e -> cells.test(e.getKey()))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /** Statuses and their counts for {@code key} over all windows. */
  Map<Integer, Long> statuses(String key) {
    Map<Integer, Long> byStatus = new TreeMap<>();
    counts.forEach(
        (cell, n) -> {
          if (cell.key().equals(key)) {
            byStatus.merge(cell.status(), n.sum(), Long::sum);
          }
        });
    return byStatus;
  }

  /** Every request of {@code key} in {@code window}, whatever its outcome. */
  long total(String key, long window) {
    return sum(cell -> cell.key().equals(key) && cell.window() == window);
  }

  /** The keys seen, sorted. */
  TreeSet<String> keys() {
    TreeSet<String> keys = new TreeSet<>();
    counts.keySet().forEach(cell -> keys.add(cell.key()));
    return keys;
  }

  /** The windows seen, sorted. */
  TreeSet<Long> windows() {
    TreeSet<Long> windows = new TreeSet<>();
    counts.keySet().forEach(cell -> windows.add(cell.window()));
    return windows;
  }
}
