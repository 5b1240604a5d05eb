package xcm.coordinator.enrol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.StandbyException;
import xcm.trust.CertificateRequest;
import xcm.trust.Keys;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.enrol.EnrolmentTokens;
import xcm.trust.enrol.InMemoryTokenStore;

class EnrolmentDoorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path state;
  private EnrolmentDesk desk;
  private EnrolmentDoor door;

  @BeforeEach
  void open() throws Exception {
    desk = desk(() -> 1);
    door = new EnrolmentDoor(desk);
  }

  private EnrolmentDesk desk(LongSupplier mandate) throws Exception {
    Clock clock = Clock.systemUTC();
    ClusterAuthority authority =
        ClusterAuthority.builder().directory(state.resolve("ca")).clock(clock).open();
    return new EnrolmentDesk(
        authority,
        new EnrolmentTokens(new InMemoryTokenStore(), clock, RANDOM),
        new EnrolledHosts(state).store(authority),
        mandate,
        clock);
  }

  private EnrolmentDoor.Answer post(String body) {
    return door.answer(body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", Optional.empty());
  }

  private static String ask(String host, String token) throws Exception {
    var body =
        JSON.createObjectNode()
            .put("host", host)
            .put("url", "https://127.0.0.1:8778/jolokia/")
            .put("libvirtUuid", "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60")
            .put(
                "certificateRequest",
                CertificateRequest.create(Keys.generate(RANDOM), host, Optional.empty()).pem());
    if (token != null) {
      body.put("token", token);
    }
    return JSON.writeValueAsString(body);
  }

  @Test
  void aRequestWaitsWith202AndATokenEnrolsWith200AndTheCertificates() throws Exception {
    EnrolmentDoor.Answer waiting = post(ask("hv01", null));
    assertThat(waiting.status()).isEqualTo(202);
    assertThat(JSON.readTree(waiting.body()).path("state").asText()).isEqualTo("WAITING");
    assertThat(JSON.readTree(waiting.body()).path("fingerprint").asText()).startsWith("SHA256:");

    String token = desk.issueToken("hv02", java.time.Duration.ofMinutes(5));
    EnrolmentDoor.Answer enrolled = post(ask("hv02", token));
    JsonNode body = JSON.readTree(enrolled.body());
    assertThat(enrolled.status()).isEqualTo(200);
    assertThat(body.path("state").asText()).isEqualTo("ENROLLED");
    assertThat(body.path("certificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(body.path("authority").asText()).isEqualTo(desk.authorityPem());
  }

  @Test
  void aStandbyAnswers503NamingTheActiveCoordinatorAndEnrolsNobody() throws Exception {
    EnrolmentDesk standby =
        desk(
            () -> {
              throw new StandbyException(
                  "coordinator c2 is a standby: the active coordinator is c1 at https://c1/");
            });
    String token = desk.issueToken("hv02", java.time.Duration.ofMinutes(5));

    EnrolmentDoor.Answer answer =
        new EnrolmentDoor(standby)
            .answer(
                ask("hv02", token).getBytes(StandardCharsets.UTF_8), "127.0.0.1", Optional.empty());

    JsonNode body = JSON.readTree(answer.body());
    assertThat(answer.status()).isEqualTo(503);
    assertThat(body.path("state").asText()).isEqualTo("STANDBY");
    assertThat(body.path("message").asText()).contains("the active coordinator is c1");
    assertThat(standby.enrolled()).isEmpty();
    assertThat(post(ask("hv02", token)).status()).as("the token is still good").isEqualTo(200);
  }

  @Test
  void whatIsNotAnEnrolmentRequestGets400AndChangesNothing() throws Exception {
    assertThat(post("[[[[").status()).isEqualTo(400);
    assertThat(post("[]").status()).isEqualTo(400);
    assertThat(post("{\"host\":\"hv01\"}").status()).isEqualTo(400);
    EnrolmentDoor.Answer large =
        door.answer(new byte[EnrolmentDoor.MAX_BODY + 1], "127.0.0.1", Optional.empty());
    assertThat(large.status()).isEqualTo(400);
    assertThat(JSON.readTree(large.body()).path("reason").asText()).isEqualTo("invalid");
    assertThat(post(ask("hv01", "xcm-enrol-forged")).status()).isEqualTo(403);
    assertThat(desk.waiting()).isEmpty();
    assertThat(desk.enrolled()).isEmpty();
  }

  @Test
  void aTokenThatIsNotAStringIsRefusedRatherThanTakenAsNone() throws Exception {
    for (String token : new String[] {"7", "null", "[\"xcm-enrol-x\"]", "{}", "true"}) {
      String body = ask("hv01", null).replaceFirst("}$", ",\"token\":" + token + "}");

      EnrolmentDoor.Answer refused = post(body);

      assertThat(refused.status()).as(token).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).path("message").asText())
          .isEqualTo(
              "token must be a string when given, found " + JSON.readTree(token).getNodeType());
    }
    assertThat(desk.waiting()).isEmpty();
    assertThat(desk.enrolled()).isEmpty();
  }
}
