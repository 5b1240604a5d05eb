package xcm.coordinator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerPayloadTest {

  @Test
  void readsReceiverAndEveryAlertsStatusLabelsStartAndFingerprint() throws Exception {
    AlertmanagerPayload payload =
        parse(
            "{\"version\":\"4\",\"receiver\":\"xcm\",\"status\":\"firing\",\"alerts\":["
                + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"XcmHostTooHot\","
                + "\"host\":\"dmz01\",\"xcm_action\":\"drain\"},\"annotations\":{},"
                + "\"startsAt\":\"2025-01-01T10:00:00.123Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://p/graph\",\"fingerprint\":\"0f2b1e3a9c4d5e6f\"},"
                + "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"X\"}}],"
                + "\"futureField\":{\"anything\":[1,2]}}");

    assertThat(payload.receiver()).isEqualTo("xcm");
    assertThat(payload.alerts()).hasSize(2);
    AlertmanagerPayload.Alert hot = payload.alerts().get(0);
    assertThat(hot.firing()).isTrue();
    assertThat(hot.labels())
        .isEqualTo(Map.of("alertname", "XcmHostTooHot", "host", "dmz01", "xcm_action", "drain"));
    assertThat(hot.startsAt()).isEqualTo("2025-01-01T10:00:00.123Z");
    assertThat(hot.fingerprint()).isEqualTo("0f2b1e3a9c4d5e6f");
    assertThat(payload.alerts().get(1).firing()).isFalse();
  }

  @Test
  void alertWithoutAFingerprintGetsOneFromItsLabelsIndependentOfTheirOrder() throws Exception {
    String a = "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}]}";
    String b = "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"b\":\"2\",\"a\":\"1\"}}]}";
    String c = "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"1\",\"b\":\"3\"}}]}";

    String fingerprint = parse(a).alerts().get(0).fingerprint();

    assertThat(fingerprint).hasSize(16).isEqualTo(parse(b).alerts().get(0).fingerprint());
    assertThat(parse(c).alerts().get(0).fingerprint()).isNotEqualTo(fingerprint);
  }

  private static AlertmanagerPayload parse(String json) throws RejectedRequestException {
    return AlertmanagerPayload.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
