package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's Jolokia: its access policy and its roles. */
class CoordinatorJolokiaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private MBeanServer server;
  private Coordinator coordinator;
  @TempDir Path state;

  @BeforeEach
  void start() throws Exception {
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(
            CoordinatorConfig.load(values()), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  private Map<String, String> values() {
    Map<String, String> values = TestSettings.of(state);
    values.put("xcm.coordinator.jolokia.monitor.user", "grafana");
    values.put("xcm.coordinator.jolokia.monitor.password", "monitor-secret");
    return values;
  }

  @AfterEach
  void stop() {
    coordinator.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private JsonNode post(String credentials, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(coordinator.endpoints().jolokiaUrl()))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void theWellKnownJolokiaCodeExecutionPathsAreRefused() throws Exception {
    JsonNode replies =
        post(
            "xcm:operator-secret",
            "[{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties\"},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"jvmtiAgentLoad\",\"arguments\":[\"/tmp/x.so\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"compilerDirectivesAdd\",\"arguments\":[\"/etc/passwd\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/xcm-coordinator.hprof\",true]},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"setVMOption\",\"arguments\":[\"HeapDumpPath\",\"/tmp/x\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"java.util.logging:type=Logging\","
                + "\"operation\":\"setLoggerLevel\",\"arguments\":[\"\",\"ALL\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"JMImplementation:type=MBeanServerDelegate\","
                + "\"operation\":\"toString\"},"
                + "{\"type\":\"write\",\"mbean\":\"java.lang:type=ClassLoading\","
                + "\"attribute\":\"Verbose\",\"value\":true},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":\"SystemProperties\"},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":\"InputArguments\"}]");

    for (JsonNode reply : replies) {
      assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(403);
    }
    assertThat(Path.of("/tmp/xcm-coordinator.hprof")).doesNotExist();
  }

  @Test
  void aMonitorReadsTheClusterButCannotActOnIt() throws Exception {
    JsonNode replies =
        post(
            "grafana:monitor-secret",
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Cluster\",\"attribute\":\"HostCount\"},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\","
                + "\"attribute\":\"Uptime\"},"
                + "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\"addHost\","
                + "\"arguments\":[\"http://127.0.0.1:1/jolokia/\"]}]");

    assertThat(replies.get(0).path("status").asInt()).isEqualTo(200);
    assertThat(replies.get(1).path("status").asInt()).isEqualTo(200);
    assertThat(replies.get(2).path("status").asInt()).isEqualTo(403);
    assertThat(replies.get(2).path("error").asText())
        .isEqualTo(
            "user grafana has the read-only monitor role (read, list, search, version): exec of"
                + " xcm:type=Operations addHost refused");
    assertThat(coordinator.operations().audit().entries())
        .as("a refused exec never reaches the operation")
        .noneMatch(e -> e.action().startsWith("addHost"));
  }

  @Test
  void theOperatorIsRecordedAsItself() throws Exception {
    post("xcm:operator-secret", exec("removeHost", "\"dmz09\""));

    assertThat(coordinator.operations().audit().entries())
        .singleElement()
        .satisfies(e -> assertThat(e.requester().toString()).isEqualTo("jolokia:xcm"));
  }

  private static String exec(String operation, String arguments) {
    return "{\"type\":\"exec\",\"mbean\":\"xcm:type=Operations\",\"operation\":\""
        + operation
        + "\",\"arguments\":["
        + arguments
        + "]}";
  }
}
