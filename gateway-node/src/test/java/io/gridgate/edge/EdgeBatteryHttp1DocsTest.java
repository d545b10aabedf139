package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md's "Edge battery: HTTP/1.1" section and the battery's tables cannot drift: the
 * section holds each case's row exactly as {@link EdgeCase#docRow} renders it, and no other case
 * rows. On a failure, the message lists the rows to paste.
 */
class EdgeBatteryHttp1DocsTest {
  private static final Path DOC = Path.of("../docs/security.md");
  private static final String HEADING = "## Edge battery: HTTP/1.1";
  private static final String TABLE_HEAD = "| case | sent | answer | upstream receives |";
  static final List<List<EdgeCase>> TABLES = List.of(
      EdgeBatteryHttp1FramingTest.CASES,
      EdgeBatteryHttp1PipeliningTest.CASES,
      EdgeBatteryHttp1RequestLineTest.CASES,
      EdgeBatteryHttp1HeaderSyntaxTest.CASES,
      EdgeBatteryHttp1HostTest.CASES,
      EdgeBatteryHttp1PathConfusionTest.CASES,
      EdgeBatteryHttp1AuthTest.CASES,
      EdgeBatteryHttp1ForwardedTest.CASES,
      EdgeBatteryHttp1LeaksTest.CASES);

  private static List<EdgeCase> allCases() {
    return TABLES.stream().flatMap(List::stream).toList();
  }

  private static String table(List<EdgeCase> cases) {
    return String.join("\n", Stream.concat(Stream.of(TABLE_HEAD, "| --- | --- | --- | --- |"),
        cases.stream().map(EdgeCase::docRow)).toList());
  }

  @Test
  void caseNamesAreUnique() {
    Set<String> seen = new HashSet<>();
    for (EdgeCase c : allCases()) {
      assertTrue(seen.add(c.name()), "two cases are named " + c.name());
    }
  }

  @Test
  void theSectionHasEveryCaseAsRenderedAndNoOtherRows() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("\n" + HEADING + "\n");
    assertTrue(start >= 0, DOC + " has no '" + HEADING + "' section");
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    Set<String> rows = new LinkedHashSet<>(section.lines().filter(line -> line.startsWith("| ")
        && !line.equals(TABLE_HEAD) && !line.startsWith("| ---")).toList());
    List<String> expected = allCases().stream().map(EdgeCase::docRow).toList();
    List<String> missing = new ArrayList<>(expected.stream().filter(row -> !rows.contains(row)).toList());
    List<String> extra = rows.stream().filter(row -> !expected.contains(row)).toList();
    assertEquals(List.of(), missing, "rows missing or out of date in " + HEADING + "; its tables, one per battery class:\n"
        + String.join("\n\n", TABLES.stream().map(EdgeBatteryHttp1DocsTest::table).toList()) + "\n");
    assertEquals(List.of(), extra, "rows in " + HEADING + " that are no case of the battery");
  }
}
