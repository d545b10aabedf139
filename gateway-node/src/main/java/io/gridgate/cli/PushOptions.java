package io.gridgate.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command-line options of {@code push}. */
public record PushOptions(Path file, String admin, Path tokenFile, Long baseVersion, boolean dryRun, boolean diff) {
  /** Parses the arguments after {@code push}; throws IllegalArgumentException naming every problem. */
  public static PushOptions parse(List<String> args) {
    Path file = null;
    String admin = null;
    Path tokenFile = null;
    Long baseVersion = null;
    boolean dryRun = false;
    boolean diff = false;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--dry-run" -> dryRun = true;
        case "--diff" -> diff = true;
        case "--admin", "--token-file", "--base-version" -> {
          if (i + 1 >= args.size()) {
            problems.add(arg + " needs a value");
            continue;
          }
          String value = args.get(++i);
          switch (arg) {
            case "--admin" -> {
              admin = adminUrl(value);
              if (admin == null) {
                problems.add("--admin must be an http(s) URL such as http://127.0.0.1:9901 (was '" + value + "')");
              }
            }
            case "--token-file" -> tokenFile = Path.of(value);
            default -> {
              baseVersion = version(value);
              if (baseVersion == null) {
                problems.add("--base-version must be a version number >= 0 (was '" + value + "')");
              }
            }
          }
        }
        default -> {
          if (arg.startsWith("--")) {
            problems.add("unknown argument '" + arg + "'");
          } else if (file != null) {
            problems.add("only one configuration file can be pushed (got '" + file + "' and '" + arg + "')");
          } else {
            file = Path.of(arg);
          }
        }
      }
    }
    if (file == null) {
      problems.add("the configuration FILE to push is required");
    }
    if (admin == null && problems.stream().noneMatch(p -> p.startsWith("--admin"))) {
      problems.add("--admin URL is required (the admin API of any cluster member, e.g. http://127.0.0.1:9901)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new PushOptions(file, admin, tokenFile, baseVersion, dryRun, diff);
  }

  private static String adminUrl(String value) {
    try {
      URI uri = new URI(value);
      if (uri.getHost() == null || uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
          || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
        return null;
      }
      return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static Long version(String value) {
    try {
      long version = Long.parseLong(value);
      return version >= 0 ? version : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
