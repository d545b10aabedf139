package io.gridgate.transform;

import java.util.Locale;

/** Whether a Content-Type is JSON: {@code application/json} or any {@code type/subtype+json}, parameters ignored. */
public final class JsonMediaType {
  private JsonMediaType() {}

  public static boolean is(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.endsWith("+json") && type.indexOf('/') > 0);
  }
}
