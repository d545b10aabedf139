package io.gridgate.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a configuration document that hold secrets, and the document as the admin API
 * shows it: references as written, literal secrets replaced by {@value #REDACTED}.
 */
public final class SecretFields {
  /** What a literal secret reads as outside the node; a document still holding it cannot be pushed. */
  public static final String REDACTED = "<redacted>";
  /** Request headers (lower case) whose configured values are credentials, in {@code request_headers.set/add}. */
  public static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
      "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token");

  private static final String ANY_KEY = "*";
  private static final String ANY_ITEM = "[]";
  private static final String CREDENTIAL_HEADER = "<credential header>";
  /** Each secret field's YAML path. */
  private static final List<List<String>> PATHS = List.of(
      List.of("jwt_issuers", ANY_KEY, "keys", ANY_ITEM, "secret"),
      List.of("oauth2_servers", ANY_KEY, "client_secret"),
      List.of("node", "http", "tls", "password"),
      List.of("consumers", ANY_KEY, "api_keys", ANY_ITEM, "key"),
      List.of("routes", ANY_ITEM, "request_headers", "set", CREDENTIAL_HEADER),
      List.of("routes", ANY_ITEM, "request_headers", "add", CREDENTIAL_HEADER));

  private SecretFields() {}

  static boolean isCredentialHeader(String name) {
    return CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * {@code document} with every literal secret replaced by {@value #REDACTED}: unchanged when it
   * holds none (references only), else re-written from its YAML tree (comments are not kept).
   * Throws InvalidConfigException when it is not YAML.
   */
  public static String redact(String document) {
    Object tree = ConfigParser.load(document);
    boolean redacted = false;
    for (List<String> path : PATHS) {
      redacted |= redact(tree, path, 0);
    }
    return redacted ? ConfigParser.dump(tree) : document;
  }

  /** Replaces the literal secrets under {@code node} at {@code path} from segment {@code i}; true when it replaced one. */
  @SuppressWarnings("unchecked")
  private static boolean redact(Object node, List<String> path, int i) {
    boolean redacted = false;
    String segment = path.get(i);
    if (segment.equals(ANY_ITEM)) {
      if (node instanceof List<?> items) {
        for (Object item : items) {
          redacted |= redact(item, path, i + 1);
        }
      }
      return redacted;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return false;
    }
    for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) map).entrySet()) {
      if (!matches(segment, String.valueOf(entry.getKey()))) {
        continue;
      }
      if (i < path.size() - 1) {
        redacted |= redact(entry.getValue(), path, i + 1);
      } else if (isLiteral(entry.getValue())) {
        entry.setValue(REDACTED);
        redacted = true;
      }
    }
    return redacted;
  }

  private static boolean matches(String segment, String key) {
    return switch (segment) {
      case ANY_KEY -> true;
      case CREDENTIAL_HEADER -> isCredentialHeader(key);
      default -> segment.equals(key);
    };
  }

  private static boolean isLiteral(Object value) {
    return value != null && !(value instanceof String s && (SecretReference.isReference(s) || REDACTED.equals(s)));
  }
}
