package io.gridgate.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API calls a simulation makes before its load (in {@code before()}, off Gatling's
 * engine): registering consumers and issuing their API keys (docs/security.md).
 */
final class AdminClient {

  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  AdminClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Creates (or updates) consumer {@code id} in {@code group} and returns a new API key of it. */
  String consumerWithKey(String id, String group) {
    send("PUT", "/admin/consumers/" + id, "{\"groups\":[\"" + group + "\"]}");
    String body = send("POST", "/admin/consumers/" + id + "/keys", "");
    Matcher key = KEY.matcher(body);
    if (!key.find()) {
      throw new IllegalStateException("no key in the answer to POST /admin/consumers/" + id + "/keys: " + body);
    }
    return key.group(1);
  }

  private String send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + baseUrl + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + path, e);
    }
  }
}
