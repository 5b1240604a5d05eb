package xcm.agent.enrol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import xcm.serve.http.HttpDoor;
import xcm.trust.CertificateRequest;
import xcm.trust.HostCredentials;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.tls.ClientAuth;
import xcm.trust.tls.ServerTls;

/**
 * Plays the coordinator's {@code POST /enrol} over real HTTPS on a loopback port: a cluster
 * authority of its own issues what the test's {@link Desk} decides, and every request is kept.
 */
final class TestCoordinator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP answer. */
  record Answer(int status, String body) {}

  /** What the desk answers to a request. */
  @FunctionalInterface
  interface Desk {
    Answer answer(JsonNode request) throws Exception;
  }

  final ClusterAuthority authority;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private final HttpDoor door;
  private volatile Desk desk;

  /**
   * @param serverCredentials what the door presents; null for a coordinator's certificate from
   *     {@code authority}
   */
  TestCoordinator(ClusterAuthority authority, HostCredentials serverCredentials)
      throws IOException {
    this.authority = authority;
    this.desk = request -> refused(500, "unset", "no desk");
    HostCredentials own =
        serverCredentials != null
            ? serverCredentials
            : authority.issueWithKey(Subject.coordinator("coord1"));
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            Answer answer;
            try {
              JsonNode json = JSON.readTree(Request.asInputStream(request).readAllBytes());
              requests.add(json);
              answer = desk.answer(json);
            } catch (Exception e) {
              answer = new Answer(500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(
                true,
                BufferUtil.toBuffer(answer.body().getBytes(StandardCharsets.UTF_8)),
                callback);
            return true;
          }
        };
    this.door =
        HttpDoor.builder("enrol", handler)
            .tls(
                Optional.of(
                    new xcm.serve.http.ServerTls(
                        ServerTls.builder()
                            .credentials(own)
                            .authority(own.authority())
                            .revocations(Revocations::none)
                            .clientAuth(ClientAuth.WANT)
                            .build(),
                        xcm.serve.http.ServerTls.ClientAuth.WANT)))
            .start();
  }

  static ClusterAuthority authority(Path directory) throws IOException {
    return ClusterAuthority.builder().directory(directory).open();
  }

  void desk(Desk desk) {
    this.desk = desk;
  }

  String url() {
    return door.url("/enrol");
  }

  /** 200 ENROLLED with a certificate the authority issues for the request as it asks. */
  Answer enrol(JsonNode request) throws Exception {
    CertificateRequest csr = CertificateRequest.parse(request.get("certificateRequest").asText());
    String pem =
        authority
            .issue(
                csr,
                Subject.agent(csr.name(), UUID.fromString(request.get("libvirtUuid").asText())))
            .pem();
    return enrolled(pem);
  }

  /** 200 ENROLLED with this certificate PEM and the authority's. */
  Answer enrolled(String certificatePem) {
    return new Answer(
        200,
        JSON.createObjectNode()
            .put("state", "ENROLLED")
            .put("certificate", certificatePem)
            .put("authority", Pem.certificates(List.of(authority.certificate())))
            .toString());
  }

  /** 202 WAITING with the fingerprint of the request's key. */
  Answer waiting(JsonNode request) throws Exception {
    CertificateRequest csr = CertificateRequest.parse(request.get("certificateRequest").asText());
    return new Answer(
        202,
        JSON.createObjectNode()
            .put("state", "WAITING")
            .put("fingerprint", csr.keyFingerprint().toString())
            .toString());
  }

  static Answer refused(int status, String reason, String message) {
    return new Answer(
        status,
        JSON.createObjectNode()
            .put("state", "REFUSED")
            .put("reason", reason)
            .put("message", message)
            .toString());
  }

  /** 503 STANDBY with the coordinator's message, as a standby's door answers every request. */
  static Answer standby(String message) {
    return new Answer(
        503, JSON.createObjectNode().put("state", "STANDBY").put("message", message).toString());
  }

  @Override
  public void close() {
    door.close();
  }
}
