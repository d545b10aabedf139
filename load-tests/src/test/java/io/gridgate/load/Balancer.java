package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulated L4 balancer of the failover run: each new virtual user goes to the next node that
 * is still in, round-robin; a request that gets no response at all (connection refused or reset)
 * takes its node out for the rest of the run, as a balancer's passive health check would. It also
 * counts, per node, the requests in flight (and their peak) and the requests that did not get 200,
 * so the verdict can bound the failures by what the dead node had in flight.
 */
final class Balancer implements Iterator<Map<String, Object>> {

  private static final String STATUS_KEY = "balancedStatus";

  /** Per-node counters. */
  private static final class Node {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peakInFlight = new AtomicInteger();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    volatile boolean out;
  }

  private final List<String> urls = GatewayTarget.baseUrls();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final AtomicLong next = new AtomicLong();

  Balancer() {
    urls.forEach(url -> nodes.put(url, new Node()));
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Map<String, Object> next() {
    for (int i = 0; i < urls.size(); i++) {
      String url = urls.get((int) (next.getAndIncrement() % urls.size()));
      if (!nodes.get(url).out) {
        return Map.of(GatewayTarget.BASE_URL_KEY, url);
      }
    }
    return Map.of(GatewayTarget.BASE_URL_KEY, urls.get(0)); // every node is out: fail visibly
  }

  /** Assigns the user a node that is still in. */
  ChainBuilder pickNode() {
    return exec(session -> session).feed(this);
  }

  /** Sends {@code request} (expecting 200) on the user's node, keeping the node's counters. */
  ChainBuilder send(HttpRequestActionBuilder request) {
    return exec(session -> {
          Node node = nodes.get(session.getString(GatewayTarget.BASE_URL_KEY));
          node.requests.incrementAndGet();
          node.peakInFlight.accumulateAndGet(node.inFlight.incrementAndGet(), Math::max);
          return session.remove(STATUS_KEY);
        })
        .exec(request.check(status().saveAs(STATUS_KEY), status().is(200)))
        .exec(session -> {
          Node node = nodes.get(session.getString(GatewayTarget.BASE_URL_KEY));
          node.inFlight.decrementAndGet();
          boolean answered = session.contains(STATUS_KEY);
          if (!answered || session.getInt(STATUS_KEY) != 200) {
            node.failures.incrementAndGet();
          }
          if (!answered) {
            node.out = true;
          }
          return session;
        });
  }

  /**
   * Null when at most one node failed requests and no more than its peak in flight plus
   * {@code slack} (requests the balancer sent it in the instant before it saw the first failure);
   * otherwise what went wrong. Prints every node's counters.
   */
  String failure(int slack) {
    List<String> failed = new ArrayList<>();
    String worst = null;
    nodes.forEach(
        (url, node) -> {
          System.out.printf(
              "  %s: %d requests, %d failed, peak in flight %d, %s%n",
              url, node.requests.get(), node.failures.get(), node.peakInFlight.get(), node.out ? "taken out" : "in");
          if (node.failures.get() > 0) {
            failed.add(url);
          }
        });
    if (failed.size() > 1) {
      return "requests failed on " + failed.size() + " nodes " + failed + "; only the killed one may fail";
    }
    if (failed.size() == 1) {
      Node node = nodes.get(failed.get(0));
      long bound = node.peakInFlight.get() + (long) slack;
      if (node.failures.get() > bound) {
        return String.format(
            "%s: %d failed requests, above its peak in flight %d + %d", failed.get(0), node.failures.get(), node.peakInFlight.get(), slack);
      }
      worst = failed.get(0);
    }
    System.out.println("  failed node: " + (worst == null ? "none" : worst));
    return null;
  }
}
