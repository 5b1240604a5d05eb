package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.MBeanAttributeInfo;
import javax.management.StandardMBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.PlacementRules;

/**
 * How the coordinator reads what an agent's Jolokia answers, and every way it can answer wrong,
 * over real HTTP on loopback. The real agent answers in the cross-process integration tests.
 */
class AgentsTest {
  private HttpServer server;
  private ExecutorService executor;
  private JolokiaClient client;
  private volatile int status;
  private volatile String body;
  private volatile String seenAuthorization;
  private volatile String seenRequest;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jolokia/",
        exchange -> {
          seenAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
          seenRequest =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    executor = Executors.newSingleThreadExecutor();
    client =
        Agents.client(
            Credentials.basic("xcm", "pw", "the coordinator's credentials"),
            Duration.ofSeconds(2),
            executor);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jolokia/";
  }

  private HostData read() throws Exception {
    return JolokiaClient.await(Agents.host(client, url()));
  }

  @Test
  void readsHostAndDomainsFromOneBulkRequestWithCredentials() throws Exception {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz01\",\"Cpus\":16,\"MemoryBytes\":100,"
            + "\"MemoryFreeBytes\":40,\"CpuUtilisation\":0.5,\"Stale\":false,"
            + "\"LastSampleEpochMillis\":7,\"HostUuid\":\"0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60\","
            + "\"Labels\":{\"ssd\":\"true\",\"rack\":\"r1\"}}},"
            + "{\"status\":200,\"value\":{"
            + "\"xcm:name=\\\"b\\\",type=Domain\":{\"Name\":\"b\",\"Uuid\":\"u2\",\"State\":\"SHUTOFF\","
            + "\"MemoryBytes\":10,\"Vcpus\":1},"
            + "\"xcm:name=\\\"a\\\",type=Domain\":{\"Name\":\"a\",\"Uuid\":\"u1\",\"State\":\"RUNNING\","
            + "\"MemoryBytes\":20,\"MaxMemoryBytes\":30,\"Vcpus\":2,\"CpuUtilisation\":0.25}}}]";

    HostData host = read();

    assertThat(seenAuthorization).isEqualTo("Basic eGNtOnB3");
    assertThat(seenRequest)
        .isEqualTo(
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":[\"Name\",\"Cpus\","
                + "\"MemoryBytes\",\"MemoryFreeBytes\",\"CpuUtilisation\",\"Stale\","
                + "\"LastSampleEpochMillis\",\"HostUuid\",\"Labels\"]},"
                + "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\",\"attribute\":[\"Name\","
                + "\"Uuid\",\"State\",\"MemoryBytes\",\"MaxMemoryBytes\",\"Vcpus\","
                + "\"CpuUtilisation\",\"CpuTimeSeconds\",\"BlockReadBytes\",\"BlockWriteBytes\","
                + "\"NetworkReceiveBytes\",\"NetworkTransmitBytes\",\"Placement\","
                + "\"PlacementError\",\"DefinitionDigest\"]}]");
    assertThat(host.name()).isEqualTo("dmz01");
    assertThat(host.cpus()).isEqualTo(16);
    assertThat(host.sampleEpochMillis()).isEqualTo(7);
    assertThat(host.hostUuid()).isEqualTo("0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60");
    assertThat(host.labels()).containsExactly(Map.entry("rack", "r1"), Map.entry("ssd", "true"));
    assertThat(host.domains()).extracting(d -> d.name()).containsExactly("a", "b");
    assertThat(host.domains().get(0).state()).isEqualTo(DomainState.RUNNING);
    assertThat(host.domains().get(0).maxMemoryBytes()).isEqualTo(30);
    assertThat(host.memoryUsedBytes()).as("only active domains hold memory").isEqualTo(20);
  }

  private String domainsWith(String... attributes) {
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < attributes.length; i++) {
      value
          .append(i == 0 ? "" : ",")
          .append("\"xcm:name=d")
          .append(i)
          .append(",type=Domain\":{\"Name\":\"d")
          .append(i)
          .append("\",\"Uuid\":\"u")
          .append(i)
          .append("\",\"State\":\"RUNNING\"")
          .append(attributes[i])
          .append("}");
    }
    return "[{\"status\":200,\"value\":{\"Name\":\"dmz01\"}},{\"status\":200,\"value\":{"
        + value
        + "}}]";
  }

  @Test
  void eachDomainsPlacementRulesAreReadOrNamedWithWhyNot() throws Exception {
    status = 200;
    body =
        domainsWith(
            ",\"Placement\":\"apart db; on rack=r1; pinned\",\"PlacementError\":\"\"",
            ",\"Placement\":\"\",\"PlacementError\":\"\"",
            ",\"Placement\":\"\",\"PlacementError\":\"<near> is not a placement rule (apart,"
                + " together, host, pinned, restart)\"",
            // An agent of a newer XCM with a rule this coordinator does not know.
            ",\"Placement\":\"apart db; near app\",\"PlacementError\":\"\"",
            // An agent older than placement rules: no such attributes.
            "");

    List<DomainRules> rules = read().domains().stream().map(d -> d.rules()).toList();

    assertThat(rules.get(0).rules())
        .isEqualTo(PlacementRules.parse("apart db; on rack=r1; pinned"));
    assertThat(rules.get(0).error()).isEmpty();
    assertThat(rules.get(1)).isEqualTo(DomainRules.NONE);
    assertThat(rules.get(2).rules()).isEqualTo(PlacementRules.NONE);
    assertThat(rules.get(2).error())
        .isEqualTo("<near> is not a placement rule (apart, together, host, pinned, restart)");
    assertThat(rules.get(3).rules()).isEqualTo(PlacementRules.NONE);
    assertThat(rules.get(3).error())
        .isEqualTo(
            "the agent reports rules this coordinator cannot read: rule 'near app' starts with"
                + " none of apart, together, on, not-on, prefer, avoid, pinned, restart");
    assertThat(rules.get(4)).isEqualTo(DomainRules.NONE);
  }

  @Test
  void placementRulesAreSentToTheAgentInTextFormAndItsRefusalIsNamed() throws Exception {
    status = 200;
    body = "{\"status\":200,\"value\":null}";

    Agents.setPlacement(
        client, url(), "web,01=\"x\":y", PlacementRules.parse("pinned; apart db; restart high"), 3);

    assertThat(seenRequest)
        .isEqualTo(
            "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                + "\"operation\":\"setPlacement\",\"arguments\":[\"web,01=\\\"x\\\":y\","
                + "\"apart db; pinned; restart high\",3]}");

    body =
        "{\"status\":400,\"error_type\":\"java.lang.IllegalArgumentException\","
            + "\"error\":\"dmz01: cannot set the placement rules of domain 'nope': no such"
            + " domain\"}";
    assertThatThrownBy(
            () -> Agents.setPlacement(client, url(), "nope", PlacementRules.parse("pinned"), 3))
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> assertThat(e.outcome()).isEqualTo(JolokiaException.Outcome.REFUSED))
        .hasMessageContaining("dmz01: cannot set the placement rules of domain 'nope'");
  }

  @Test
  void hostWithoutDomainsIsRead() throws Exception {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz02\"}},"
            + "{\"status\":404,\"error\":\"No MBean found for pattern xcm:type=Domain,*\"}]";

    assertThat(read().domains()).isEmpty();
  }

  @Test
  void countersAreReadExactlyAndValuesOfAnotherTypeAsNothing() throws Exception {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz02\",\"Cpus\":\"many\"}},"
            + "{\"status\":200,\"value\":{\"xcm:name=d,type=Domain\":{\"Name\":\"d\","
            + "\"Uuid\":\"u\",\"State\":\"RUNNING\",\"BlockReadBytes\":9007199254740993,"
            + "\"MemoryBytes\":\"lots\",\"Vcpus\":{\"n\":[4]},\"CpuUtilisation\":2.5e-1,"
            + "\"Placement\":7,\"Unasked\":[1,{\"x\":2}]}}}]";

    HostData host = read();

    assertThat(host.cpus()).isZero();
    DomainData d = host.domains().get(0);
    assertThat(d.blockReadBytes()).as("above 2^53, not rounded").isEqualTo(9007199254740993L);
    assertThat(d.memoryBytes()).isZero();
    assertThat(d.vcpus()).isZero();
    assertThat(d.cpuUtilisation()).isEqualTo(0.25);
    assertThat(d.rules()).isEqualTo(DomainRules.NONE);
  }

  @Test
  void aDomainWithoutItsUuidIsNamed() {
    status = 200;
    body =
        "[{\"status\":200,\"value\":{\"Name\":\"dmz02\"}},"
            + "{\"status\":200,\"value\":{\"xcm:name=d,type=Domain\":{\"Name\":\"d\","
            + "\"State\":\"RUNNING\"}}}]";

    assertThatThrownBy(this::read)
        .hasMessage(
            "agent at " + url() + " answers without 'Uuid': not an XCM agent of this version");
  }

  @Test
  void wrongCredentialsAreNamed() {
    status = 401;
    body = "";

    assertThatThrownBy(this::read)
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> assertThat(e.refusal()).isEqualTo(JolokiaException.Refusal.FORBIDDEN))
        .hasMessage("agent at " + url() + " refused the coordinator's credentials (HTTP 401)");
  }

  @Test
  void somethingThatIsNotJolokiaIsNamed() {
    status = 200;
    body = "<html><body>It works!</body></html>";

    assertThatThrownBy(this::read)
        .hasMessage(
            "agent at "
                + url()
                + " answers with something that is not Jolokia: \"<html><body>It works!</body></html>\"");
  }

  @Test
  void aJolokiaWithoutAnXcmAgentIsNamed() {
    status = 200;
    body = "[{\"status\":404,\"error\":\"not found\"},{\"status\":404,\"error\":\"not found\"}]";

    assertThatThrownBy(this::read)
        .isInstanceOfSatisfying(
            JolokiaException.class,
            e -> assertThat(e.refusal()).isEqualTo(JolokiaException.Refusal.NOT_FOUND))
        .hasMessage(
            "agent at " + url() + " is a Jolokia without an XCM agent (no xcm:type=Host MBean)");
  }

  @Test
  void anAgentThatDoesNotListenIsNamed() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String nobody = "http://127.0.0.1:" + closed + "/jolokia/";

    assertThatThrownBy(() -> Agents.host(client, nobody).get())
        .extracting(JolokiaException::of)
        .extracting(Throwable::getMessage)
        .isEqualTo("agent at " + nobody + " does not answer: connection refused");
  }

  @Test
  void anAgentThatAnswersTooSlowlyIsNamed() throws Exception {
    server.removeContext("/jolokia/");
    server.createContext(
        "/jolokia/",
        exchange -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });

    assertThatThrownBy(this::read)
        .hasMessage("agent at " + url() + " does not answer within 2000 ms");
  }

  @Test
  void anInvalidUrlIsNamed() {
    assertThatThrownBy(() -> Agents.host(client, "not a url").get())
        .extracting(JolokiaException::of)
        .extracting(Throwable::getMessage)
        .asString()
        .startsWith("agent URL 'not a url' is not a valid http URL");
  }

  @Test
  void everyAttributeTheBulkReadNamesExistsOnTheAgentsMXBeans() throws Exception {
    status = 200;
    body = "[{\"status\":200,\"value\":{\"Name\":\"dmz01\"}},{\"status\":404,\"error\":\"\"}]";
    read();

    JsonNode bulk = new ObjectMapper().readTree(seenRequest);
    assertThat(bulk.get(0).path("mbean").asText()).isEqualTo(ObjectNames.host().toString());
    assertThat(bulk.get(1).path("mbean").asText()).isEqualTo(ObjectNames.allDomains().toString());
    assertThat(names(bulk.get(0).path("attribute")))
        .isNotEmpty()
        .isSubsetOf(attributes(HostMXBean.class));
    assertThat(names(bulk.get(1).path("attribute")))
        .isNotEmpty()
        .isSubsetOf(attributes(DomainMXBean.class));
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(name -> names.add(name.asText()));
    return names;
  }

  /** The attributes JMX publishes for an MXBean interface. */
  private static <T> List<String> attributes(Class<T> mxbean) throws Exception {
    T nothing =
        mxbean.cast(
            Proxy.newProxyInstance(
                mxbean.getClassLoader(), new Class<?>[] {mxbean}, (proxy, method, args) -> null));
    return Arrays.stream(new StandardMBean(nothing, mxbean, true).getMBeanInfo().getAttributes())
        .map(MBeanAttributeInfo::getName)
        .toList();
  }
}
