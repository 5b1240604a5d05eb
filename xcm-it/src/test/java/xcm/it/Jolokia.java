package xcm.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import xcm.trust.HostCredentials;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/** A Jolokia client as any HTTP tool would use it: JSON over POST with basic authentication. */
final class Jolokia {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST_OPERATIONS = "xcm:type=HostOperations";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final String url;
  private final String authorization;
  private final HttpClient http;

  Jolokia(String url, String user, String password) {
    this(url, user, password, HTTP);
  }

  /**
   * An enrolled agent's Jolokia over TLS, trusting the cluster's {@code authority} (the
   * coordinator's {@code ca/ca.crt}); no certificate of its own, so the password logs it in.
   */
  Jolokia(String url, String user, String password, Path authority) {
    this(url, user, password, trusting(authority));
  }

  /**
   * A member of the cluster, {@code member}'s certificate its login (no password): as another
   * agent, or the coordinator, would call.
   */
  Jolokia(String url, Path authority, HostCredentials member) {
    this.http = trusting(authority, member);
    this.url = url;
    this.authorization = null;
  }

  private Jolokia(String url, String user, String password, HttpClient http) {
    this.http = http;
    this.url = url;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A client that trusts the members of the cluster whose authority is in {@code authority}. */
  static HttpClient trusting(Path authority) {
    return trusting(authority, null);
  }

  private static HttpClient trusting(Path authority, HostCredentials member) {
    try {
      ClientTls tls =
          ClientTls.builder()
              .authority(Pem.readCertificates(Files.readString(authority)).get(0))
              .revocations(Revocations::none)
              .expectServer(ExpectedPeer.anyMember());
      if (member != null) {
        tls.credentials(member);
      }
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(tls.build())
          .build();
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot read the authority " + authority, e);
    }
  }

  /** The whole reply to a read of {@code mbean}. */
  JsonNode read(String mbean) throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode().put("type", "read").put("mbean", mbean);
    return post(request);
  }

  /** Waits until XCM's operation {@code id} no longer runs; returns its MBean's attributes. */
  JsonNode awaitOperationEnd(String id, Duration atMost) throws IOException, InterruptedException {
    String mbean = "xcm:type=Operation,id=\"" + id + "\"";
    Awaitility.await()
        .atMost(atMost)
        .until(() -> !read(mbean).path("value").path("State").asText().equals("RUNNING"));
    return read(mbean).path("value");
  }

  /** The whole reply to an exec of {@code operation} on {@code mbean}. */
  JsonNode exec(String mbean, String operation, String... arguments)
      throws IOException, InterruptedException {
    return post(execRequest(mbean, operation, arguments));
  }

  /**
   * The whole reply to an operation that changes an agent's host, sent as an operator acting
   * directly sends it: with the agent's Epoch attribute (1 while it is 0) last, so that the fence
   * that keeps out superseded coordinators lets it through.
   */
  JsonNode change(String operation, String... arguments) throws IOException, InterruptedException {
    JsonNode seen =
        post(
            JSON.createObjectNode()
                .put("type", "read")
                .put("mbean", HOST_OPERATIONS)
                .put("attribute", "Epoch"));
    ObjectNode request = execRequest(HOST_OPERATIONS, operation, arguments);
    request.withArray("arguments").add(Math.max(1, seen.path("value").asLong()));
    return post(request);
  }

  private static ObjectNode execRequest(String mbean, String operation, String... arguments) {
    ObjectNode request =
        JSON.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
    var args = request.putArray("arguments");
    for (String argument : arguments) {
      args.add(argument);
    }
    return request;
  }

  /** The HTTP status of a read, for requests refused before Jolokia answers. */
  int status(String mbean) throws IOException, InterruptedException {
    return send(JSON.createObjectNode().put("type", "read").put("mbean", mbean)).statusCode();
  }

  private JsonNode post(JsonNode request) throws IOException, InterruptedException {
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(JsonNode request) throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String get(String url) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
