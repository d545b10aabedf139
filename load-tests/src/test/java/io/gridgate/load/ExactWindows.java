package io.gridgate.load;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The acceptance of a {@code fixed_window} limit under load: in every window the run covered from
 * start to end, every bucket admitted its limit (within {@code tolerance}; 0 means exactly) and
 * answered every other request 429. The first and last windows of a run are partial and not judged.
 * Nor is a bucket's window that holds a late response (one received after the window ended: the
 * gateway may have decided it in the next window) or follows one; at least one must be judged.
 */
final class ExactWindows {

  private static final int OK = 200;
  private static final int TOO_MANY = 429;

  private final OutcomeCounts counts;
  private final long limit;
  private final long tolerance;

  ExactWindows(OutcomeCounts counts, long limit, long tolerance) {
    this.counts = counts;
    this.limit = limit;
    this.tolerance = tolerance;
  }

  /** Prints the judged windows and returns what is wrong with them, or null when all hold. */
  String failure(String what) {
    TreeSet<Long> seen = counts.windows();
    if (seen.size() < 3) {
      return what + ": the run covered " + seen.size() + " window(s); at least 3 are needed to judge one";
    }
    List<Long> judged = new ArrayList<>(seen.subSet(seen.first(), false, seen.last(), false));
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    int skipped = 0;
    System.out.printf("%s: limit %d per window, %d complete window(s)%n", what, limit, judged.size());
    for (long window : judged) {
      for (String key : counts.keys()) {
        long late = counts.late(key, window) + counts.late(key, window - 1);
        if (late > 0) {
          skipped++;
          System.out.printf("  window %d %s: not judged, %d late response(s) in it or the one before%n", window, key, late);
          continue;
        }
        cells++;
        long sent = counts.total(key, window);
        long ok = counts.count(key, window, OK);
        long refused = counts.count(key, window, TOO_MANY);
        long other = sent - ok - refused;
        String line =
            String.format(
                "window %d %s: %d sent, %d x 200, %d x 429, %d other", window, key, sent, ok, refused, other);
        System.out.println("  " + line);
        if (Math.abs(ok - limit) > tolerance || other > 0) {
          wrong.add(line);
        }
      }
    }
    if (cells == 0) {
      return what + ": no window could be judged (" + skipped + " had late responses): latency above the guard band";
    }
    if (wrong.isEmpty()) {
      return null;
    }
    return String.format(
        "%s: %d of %d bucket-windows off (want %d x 200%s, the rest 429): %s",
        what, wrong.size(), cells, limit, tolerance == 0 ? "" : " +-" + tolerance,
        String.join("; ", wrong.subList(0, Math.min(5, wrong.size()))));
  }
}
