package xcm.coordinator.enrol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.metrics.EnrolmentMetrics;
import xcm.serve.LogText;
import xcm.serve.RejectedRequests;
import xcm.serve.http.HttpDoor;
import xcm.serve.http.RequestBody;
import xcm.trust.HostCredentials;
import xcm.trust.PeerIdentity;
import xcm.trust.Role;
import xcm.trust.tls.ClientAuth;
import xcm.trust.tls.ExpectedPeer;
import xcm.trust.tls.ServerTls;

/**
 * The coordinator's enrolment door: {@code POST /enrol} over HTTPS with the coordinator's own
 * certificate, which a host checks against the cluster's authority it was given before it sends
 * anything (its token included). A host without a certificate gets in (it is asking for one); a
 * host with one presents it, which lets an enrolled agent move to a new URL. What a request may say
 * and what it gets back is {@link EnrolmentDoor}'s.
 *
 * <pre>{@code
 * try (EnrolmentServer door = EnrolmentServer.start(config, desk, own)) {
 *   System.out.println(door.url());   // https://127.0.0.1:8790/enrol
 * }
 * }</pre>
 */
public final class EnrolmentServer implements AutoCloseable {
  public static final String PATH = "/enrol";
  private static final Logger log = LoggerFactory.getLogger(EnrolmentServer.class);

  private final HttpDoor door;

  private EnrolmentServer(HttpDoor door) {
    this.door = door;
  }

  /**
   * Opens the door.
   *
   * @throws IOException when the address cannot be bound
   */
  public static EnrolmentServer start(
      EnrolConfig config,
      EnrolmentDesk desk,
      HostCredentials own,
      EnrolmentMetrics metrics,
      RejectedRequests.Door<Refusal> rejected)
      throws IOException {
    SSLContext tls =
        ServerTls.builder()
            .credentials(own)
            .authority(desk.authority().certificate())
            .revocations(desk::revocations)
            .clientAuth(ClientAuth.WANT)
            .expectClient(ExpectedPeer.role(Role.AGENT))
            .build();
    HttpDoor door =
        HttpDoor.builder("enrol", new Desk(new EnrolmentDoor(desk), metrics, rejected))
            .address(config.address())
            .port(config.port())
            .limits(config.limits())
            .tls(
                Optional.of(
                    new xcm.serve.http.ServerTls(tls, xcm.serve.http.ServerTls.ClientAuth.WANT)))
            .start();
    return new EnrolmentServer(door);
  }

  /** {@code https://address:port/enrol}. */
  public String url() {
    return door.url(PATH);
  }

  public int port() {
    return door.port();
  }

  @Override
  public void close() {
    door.close();
  }

  @Override
  public String toString() {
    return "enrolment door " + url();
  }

  /** One request: checked, handed to the desk, answered. */
  private static final class Desk extends Handler.Abstract {
    private final EnrolmentDoor desk;
    private final EnrolmentMetrics metrics;
    private final RejectedRequests.Door<Refusal> rejected;

    Desk(EnrolmentDoor desk, EnrolmentMetrics metrics, RejectedRequests.Door<Refusal> rejected) {
      this.desk = desk;
      this.metrics = metrics;
      this.rejected = rejected;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!Request.getPathInContext(request).equals(PATH)) {
        return false;
      }
      String from = remote(request);
      try {
        EnrolmentDoor.Answer answer;
        if (!request.getMethod().equals("POST")) {
          response.getHeaders().put(HttpHeader.ALLOW, "POST");
          answer = EnrolmentDoor.refusal(405, "method " + request.getMethod() + " not allowed");
        } else {
          Optional<byte[]> body = RequestBody.readAtMost(request, EnrolmentDoor.MAX_BODY);
          answer =
              body.isPresent()
                  ? desk.answer(body.get(), from, presentedBy(request))
                  : EnrolmentDoor.refusal(
                      413, "the request is larger than " + EnrolmentDoor.MAX_BODY + " bytes");
        }
        metrics.request(result(answer.decision()));
        if (answer.decision() instanceof EnrolmentAnswer.Refused refused) {
          // Anyone who reaches the door can send these: counted, and logged at a bounded rate.
          rejected.reject(refused.reason(), from, refused.message());
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(
            true, BufferUtil.toBuffer(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
      } catch (IOException e) {
        // The client stopped sending or went away: anyone can, as often as they like.
        log.debug("enrolment request from {} failed: {}", from, LogText.escape(e));
        callback.failed(e);
      } catch (RuntimeException e) {
        log.warn("enrolment request from {} failed: {}", from, LogText.escape(e));
        callback.failed(e);
      }
      return true;
    }

    /** The metric's label of {@code decision}, one of {@link EnrolmentMetrics#RESULTS}. */
    private static String result(EnrolmentAnswer decision) {
      if (decision instanceof EnrolmentAnswer.Issued) {
        return "enrolled";
      }
      if (decision instanceof EnrolmentAnswer.Waiting) {
        return "waiting";
      }
      return decision instanceof EnrolmentAnswer.Standby ? "standby" : "refused";
    }

    /** The name of the member certificate the caller presented, verified in the handshake. */
    private static Optional<String> presentedBy(Request request) {
      EndPoint.SslSessionData ssl =
          request.getConnectionMetaData().getConnection().getEndPoint().getSslSessionData();
      X509Certificate[] chain = ssl == null ? null : ssl.peerCertificates();
      if (chain == null || chain.length == 0) {
        return Optional.empty();
      }
      try {
        return Optional.of(PeerIdentity.of(chain[0]).name());
      } catch (CertificateException e) {
        return Optional.empty();
      }
    }

    private static String remote(Request request) {
      return request.getConnectionMetaData().getRemoteSocketAddress()
              instanceof InetSocketAddress from
          ? from.getAddress().getHostAddress()
          : "unknown";
    }
  }
}
