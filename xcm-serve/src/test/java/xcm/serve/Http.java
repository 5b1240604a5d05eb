package xcm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/** HTTP calls as curl makes them; {@code credentials} is "user:password" or null. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;

  Http() {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  Http(SSLContext ssl) {
    this.client =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  HttpResponse<String> get(String url, String credentials)
      throws IOException, InterruptedException {
    return client.send(
        request(url, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String url, String credentials, String body)
      throws IOException, InterruptedException {
    return send(request(url, credentials), body);
  }

  /** As {@link #post(String, String, String)}, the client naming itself in {@code User-Agent}. */
  HttpResponse<String> post(String url, String credentials, String body, String userAgent)
      throws IOException, InterruptedException {
    return send(request(url, credentials).header("User-Agent", userAgent), body);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String body)
      throws IOException, InterruptedException {
    return client.send(
        request
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static HttpRequest.Builder request(String url, String credentials) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (credentials != null) {
      builder.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }
}
