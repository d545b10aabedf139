package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request path normalisation before route matching: dot segments, encoded separators, slashes,
 * unreserved escapes, {@code ;} parameters, rejects.
 */
class PathNormalizerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /a/./b                | /a/b
      /a/b/../c             | /a/c
      /public/../admin      | /admin
      /public/./../admin    | /admin
      /a/b/c/../../d        | /a/d
      /a/b/..               | /a/
      /a/b/.                | /a/b/
      /a/.                  | /a/
      /.                    | /
      """)
  void removesDotSegments(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /public/%2e%2e/admin         | /admin
      /public/%2E%2E/admin         | /admin
      /public/.%2e/admin           | /admin
      /a/%2e/b                     | /a/b
      /public%2f..%2fadmin         | /admin
      /public%2F..%2Fadmin         | /admin
      /public%5c..%5cadmin         | /admin
      /public%5C..%5Cadmin         | /admin
      /a%2fb                       | /a/b
      /file%2ejson                 | /file.json
      """)
  void decodesPercentEncodedDotsAndSlashes(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /app/%61dmin          | /app/admin
      /app/adm%69n          | /app/admin
      /app/%41DMIN          | /app/ADMIN
      /%7euser/%2D_%5F%7E   | /~user/-__~
      /v%31/items%30        | /v1/items0
      /app/%61dmin/../x     | /app/x
      """)
  void decodesPercentEncodedUnreservedCharacters(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /a%20b/%3Fq     | /a%20b/%3Fq
      /a%20b/%3fq     | /a%20b/%3Fq
      /x/%252e%252e/y | /x/%252e%252e/y
      /caf%c3%a9      | /caf%C3%A9
      /a%2B%26        | /a%2B%26
      """)
  void keepsOtherEscapesEncodedWithUpperCaseHex(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%2", "/a%", "/a%zz/./b", "/a%4", "/a%g1", "/a%1g", "/%%41", "/a%00b", "/a%2%30"})
  void rejectsMalformedEscapesAndEncodedNul(String raw) {
    assertNull(PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /public\\..\\admin | /admin
      /a\\b              | /a/b
      /a\\\\b            | /a/b
      """)
  void treatsBackslashAsSlash(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      //a//b        | /a/b
      ///           | /
      //            | /
      /a//b//       | /a/b/
      /a/%2f%2f/b   | /a/b
      """)
  void mergesRepeatedSlashes(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /..                            | /
      /../a                          | /a
      /../../../etc/passwd           | /etc/passwd
      /a/../../b                     | /b
      /%2e%2e/%2e%2e/admin           | /admin
      """)
  void goingAboveTheRootStaysAtTheRoot(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /a/b/           | /a/b/
      /a/./b/         | /a/b/
      /a/c/../b/      | /a/b/
      /a/b//          | /a/b/
      """)
  void keepsATrailingSlash(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /app/admin;jsessionid=x       | /app/admin;jsessionid=x
      /app;v=1/admin;x              | /app;v=1/admin;x
      /public/..;/admin             | /admin
      /public/..;x=1/admin          | /admin
      /app/.;x/admin                | /app/admin
      /app/;x/admin                 | /app/admin
      /app/adm%69n;a=%62            | /app/admin;a=b
      """)
  void keepsPathParametersOnTheirSegmentsAndTreatsDotSegmentsWithParametersAsDotSegments(String raw, String expected) {
    assertEquals(expected, PathNormalizer.normalize(raw));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /app/admin;jsessionid=x       | /app/admin
      /app;v=1/admin;x              | /app/admin
      /a;x/                         | /a/
      /a;x=1;y=2/b                  | /a/b
      /app/admin%3bjsessionid=x     | /app/admin
      /app/admin%3B                 | /app/admin
      """)
  void dropsPathParametersForMatching(String raw, String expected) {
    assertEquals(expected, PathNormalizer.withoutParameters(PathNormalizer.normalize(raw)));
  }

  @Test
  void aPathWithoutParametersIsItsOwnMatchingPath() {
    String path = new String("/app/admin");
    assertSame(path, PathNormalizer.withoutParameters(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a\u0000b", "/a%00b", "/a/./%00", "/\u0000"})
  void rejectsNul(String raw) {
    assertNull(PathNormalizer.normalize(raw));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"a/b", "../admin", "*", "%2fadmin", "\\admin", "http://host/a"})
  void rejectsPathsThatAreNotAbsolute(String raw) {
    assertNull(PathNormalizer.normalize(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/a", "/a/b/", "/api/users/42", "/a.b/c..d/e.", "/a-b_c~d/e:f@g"})
  void returnsAnAlreadyNormalPathAsTheSameInstance(String raw) {
    String copy = new String(raw); // a distinct instance, so assertSame proves no copy was made
    assertSame(copy, PathNormalizer.normalize(copy));
  }

  @Test
  void normalisingIsIdempotent() {
    String once = PathNormalizer.normalize("/a/%2e%2e/b//c/./d/");
    assertEquals("/b/c/d/", once);
    assertSame(once, PathNormalizer.normalize(once));
  }
}
