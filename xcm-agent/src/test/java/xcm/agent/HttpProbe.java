package xcm.agent;

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

/** Plain HTTP calls the way curl would make them, for integration tests. */
public final class HttpProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;

  public HttpProbe() {
    this(null);
  }

  /** Over TLS with {@code tls} (trusting an agent's cluster; presenting a member's certificate). */
  public HttpProbe(javax.net.ssl.SSLContext tls) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.client = builder.build();
  }

  /** A GET; {@code credentials} is "user:password" or null. */
  public HttpResponse<String> get(String url, String credentials)
      throws IOException, InterruptedException {
    return client.send(
        request(url, credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST of a JSON body; {@code credentials} is "user:password" or null. */
  public HttpResponse<String> post(String url, String credentials, String json)
      throws IOException, InterruptedException {
    return client.send(
        request(url, credentials)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code text} as a JSON string literal. */
  public static String quote(String text) throws IOException {
    return JSON.writeValueAsString(text);
  }

  public static JsonNode json(HttpResponse<String> response) throws IOException {
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
