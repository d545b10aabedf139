package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One row of an edge battery table: a raw HTTP/1.1 request, the loopback address it is sent from,
 * and what may come of it. The request is a template whose placeholders ({@code {jwt}},
 * {@code {api-key}}, ...) {@link EdgeBattery#resolve} fills when the case runs, so the docs show the
 * template. Most cases allow one {@link Outcome}; where the spec leaves a choice between safe
 * outcomes (refuse a duplicated credential or serve it stripped) each one is listed, told apart by
 * the status and {@code error} of the first answer.
 */
public record EdgeCase(String name, String from, String request, List<Outcome> outcomes) {

  /** A case sent from the untrusted client address {@link EdgeBattery#CLIENT}. */
  static EdgeCase row(String name, String request, Outcome... outcomes) {
    return new EdgeCase(name, EdgeBattery.CLIENT, request, List.of(outcomes));
  }

  /** This case sent from {@code address} instead (e.g. {@link EdgeBattery#TRUSTED_PROXY}). */
  EdgeCase from(String address) {
    return new EdgeCase(name, address, request, outcomes);
  }

  /** The outcome whose first answer {@code response} is (by status and error); fails, naming the allowed ones, when none is. */
  Outcome outcomeFor(RawHttp.Response response) {
    return outcomes.stream().filter(o -> o.answers().get(0).accepts(response)).findFirst()
        .orElseThrow(() -> new AssertionError(name + ": answered " + response.status() + " " + response.body()
            + ", expected " + describeAnswers()));
  }

  @Override
  public String toString() {
    return name;
  }

  /** This case as a row of the docs table: case, what is sent, answer, what reaches the upstream. */
  String docRow() {
    String sent = (from.equals(EdgeBattery.CLIENT) ? "" : "from " + from + ": ") + "`" + escape(request) + "`";
    return "| " + name + " | " + sent + " | " + describeAnswers() + " | " + describeUpstream() + " |";
  }

  /** One outcome's upstream; for several, each forwarding one's by its status, then "else nothing" if some refuse. */
  private String describeUpstream() {
    if (outcomes.size() == 1) {
      return outcomes.get(0).describeUpstream();
    }
    List<String> forwarding = outcomes.stream().filter(o -> !o.upstream().isEmpty())
        .map(o -> "on " + o.answers().get(0).status() + ": " + o.describeUpstream()).toList();
    boolean someRefuse = outcomes.stream().anyMatch(o -> o.upstream().isEmpty());
    if (forwarding.isEmpty()) {
      return "nothing";
    }
    return String.join("; ", forwarding) + (someRefuse ? "; else nothing" : "");
  }

  private String describeAnswers() {
    return outcomes.stream().map(Outcome::describeAnswers).collect(Collectors.joining(" or "));
  }

  /** {@code text} with CR, LF, HTAB, backslash and bytes outside printable ASCII written as Java escapes, {@code |} escaped for a table. */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '|' -> out.append("\\|");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * What the client reads on its connection, in order, and the requests the upstream receives,
   * exactly and in order (none at all for a refusal).
   */
  record Outcome(List<Answer> answers, List<Seen> upstream) {
    /** The upstream's {@code 200 ok}, after it received {@code seen}. */
    static Outcome served(Seen seen) {
      return new Outcome(List.of(Answer.SERVED), List.of(seen));
    }

    /** A gateway refusal with {@code status} and one of {@code errors} as its JSON {@code error}; nothing reaches the upstream. */
    static Outcome refused(int status, String... errors) {
      return new Outcome(List.of(new Answer(status, Set.of(errors), false, false, List.of())), List.of());
    }

    /** A decoder-level malformation (spec): 400 {@code bad_request}, and the connection closes. */
    static Outcome malformed() {
      return refused(400, "bad_request").closing();
    }

    /**
     * Input the HTTP decoder may refuse ({@link #malformed}) or let through to the gateway's own
     * checks, which answer 400 {@code error} (the connection may stay open: the request had no body).
     */
    static Outcome[] malformedOr(String error) {
      return new Outcome[] {malformed(), refused(400, error)};
    }

    /** The gateway closes the connection after the last answer. */
    Outcome closing() {
      return withLast(last().closing());
    }

    /** No {@code 100 Continue} comes before the first answer. */
    Outcome withoutContinue() {
      Answer first = answers.get(0);
      List<Answer> all = new ArrayList<>(answers);
      all.set(0, new Answer(first.status(), first.errors(), first.closes(), true, first.bodyExcludes()));
      return new Outcome(List.copyOf(all), upstream);
    }

    /** The last answer's body contains none of {@code texts} (placeholders allowed). */
    Outcome bodyWithout(String... texts) {
      Answer a = last();
      return withLast(new Answer(a.status(), a.errors(), a.closes(), a.noContinue(), List.of(texts)));
    }

    /** The upstream receives {@code seen} although the client gets this refusal (e.g. a 504 after the request went out). */
    Outcome reaching(Seen seen) {
      List<Seen> all = new ArrayList<>(upstream);
      all.add(seen);
      return new Outcome(answers, List.copyOf(all));
    }

    /** This outcome followed by {@code next} on the same connection (pipelined requests). */
    Outcome then(Outcome next) {
      List<Answer> allAnswers = new ArrayList<>(answers);
      allAnswers.addAll(next.answers);
      List<Seen> allSeen = new ArrayList<>(upstream);
      allSeen.addAll(next.upstream);
      return new Outcome(List.copyOf(allAnswers), List.copyOf(allSeen));
    }

    Answer last() {
      return answers.get(answers.size() - 1);
    }

    private Outcome withLast(Answer answer) {
      List<Answer> all = new ArrayList<>(answers);
      all.set(all.size() - 1, answer);
      return new Outcome(List.copyOf(all), upstream);
    }

    String describeAnswers() {
      return answers.stream().map(Answer::describe).collect(Collectors.joining(" then "));
    }

    String describeUpstream() {
      return upstream.isEmpty() ? "nothing" : upstream.stream().map(Seen::describe).collect(Collectors.joining(" then "));
    }
  }

  /**
   * One answer: its status; for a gateway answer the allowed JSON {@code error} values (an upstream
   * answer is the recording upstream's {@code ok}); whether the connection closes after it; whether
   * a {@code 100 Continue} before it is forbidden; texts its body must not contain.
   */
  record Answer(int status, Set<String> errors, boolean closes, boolean noContinue, List<String> bodyExcludes) {
    static final Answer SERVED = new Answer(200, Set.of(), false, false, List.of());

    Answer closing() {
      return new Answer(status, errors, true, noContinue, bodyExcludes);
    }

    /** True when {@code response} has this status and, for a gateway answer, one of these errors. */
    boolean accepts(RawHttp.Response response) {
      if (response.status() != status) {
        return false;
      }
      String error = errorOrNull(response.body());
      return errors.isEmpty() || (error != null && errors.contains(error));
    }

    /** Asserts that {@code response} (after {@code interim} 1xx answers) is this answer. */
    void assertMatches(String caseName, RawHttp.Response response, int interim, UnaryOperator<String> resolve) {
      String what = caseName + ": " + response.status() + " " + response.body();
      assertTrue(accepts(response), what + ", expected " + describe());
      if (errors.isEmpty()) {
        assertEquals("ok", response.body(), caseName + ": the answer is the upstream's");
      }
      if (noContinue) {
        assertEquals(0, interim, caseName + ": 100 Continue was sent before the " + status);
      }
      for (String text : bodyExcludes) {
        assertFalse(response.body().contains(resolve.apply(text)), what + " must not contain '" + text + "'");
      }
    }

    private static String errorOrNull(String body) {
      try {
        return new JsonObject(body).getString("error");
      } catch (DecodeException | ClassCastException e) {
        return null;
      }
    }

    String describe() {
      StringBuilder out = new StringBuilder().append(status);
      if (!errors.isEmpty()) {
        out.append(' ').append(errors.stream().sorted().map(e -> "`" + e + "`").collect(Collectors.joining("/")));
      }
      if (noContinue) {
        out.append(" without 100");
      }
      if (!bodyExcludes.isEmpty()) {
        out.append(", body without ").append(bodyExcludes.stream().map(t -> "`" + t + "`").collect(Collectors.joining(", ")));
      }
      return closes ? out.append(", close").toString() : out.toString();
    }
  }

  /**
   * One request as the upstream must receive it: the exact request line and body, and for the
   * headers named, exactly these values (one entry per header line) or none at all.
   */
  record Seen(String requestLine, Map<String, List<String>> headers, List<String> absent, String body) {
    /** {@code requestLine} with an empty body, headers unchecked beyond the framing rules. */
    static Seen request(String requestLine) {
      return new Seen(requestLine, Map.of(), List.of(), "");
    }

    /** Header {@code name} arrives with exactly {@code values}, one per line. */
    Seen with(String name, String... values) {
      Map<String, List<String>> all = new LinkedHashMap<>(headers);
      all.put(name, List.of(values));
      return new Seen(requestLine, Collections.unmodifiableMap(all), absent, body);
    }

    /** None of {@code names} arrives. */
    Seen without(String... names) {
      List<String> all = new ArrayList<>(absent);
      all.addAll(Arrays.asList(names));
      return new Seen(requestLine, headers, List.copyOf(all), body);
    }

    Seen body(String content) {
      return new Seen(requestLine, headers, absent, content);
    }

    /**
     * Asserts that {@code recorded} is this request, and that its framing is unambiguous: one Host
     * line, at most one Content-Length, never Content-Length and Transfer-Encoding together.
     */
    void assertMatches(String caseName, RecordingUpstream.Recorded recorded) {
      String what = caseName + ": upstream received " + EdgeCase.escape(recorded.rawString());
      assertEquals(requestLine, recorded.requestLine(), what);
      assertEquals(body, recorded.bodyString(), what);
      headers.forEach((name, values) -> assertEquals(values, recorded.headers(name), what + " (" + name + ")"));
      for (String name : absent) {
        assertEquals(List.of(), recorded.headers(name), what + " (" + name + ")");
      }
      assertEquals(1, recorded.headers("Host").size(), what + " (one Host)");
      assertTrue(recorded.headers("Content-Length").size() <= 1, what + " (one Content-Length)");
      assertFalse(recorded.header("Content-Length") != null && recorded.header("Transfer-Encoding") != null,
          what + " (Content-Length with Transfer-Encoding)");
    }

    String describe() {
      StringBuilder out = new StringBuilder("`").append(EdgeCase.escape(requestLine)).append('`');
      headers.forEach((name, values) -> out.append(", ").append(name).append(": ")
          .append(values.stream().map(v -> "`" + EdgeCase.escape(v) + "`").collect(Collectors.joining(" + "))));
      if (!absent.isEmpty()) {
        out.append(", no ").append(String.join("/", absent));
      }
      if (!body.isEmpty()) {
        out.append(", body `").append(EdgeCase.escape(body)).append('`');
      }
      return out.toString();
    }
  }
}
