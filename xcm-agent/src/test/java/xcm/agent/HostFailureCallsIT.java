package xcm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.ObjectNames;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.key.HostKey;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * What the coordinator asks an enrolled agent when a host fails — a domain's definition, whether
 * this agent reaches another — over Jolokia and the cluster's TLS; refused to the monitor and to
 * other agents.
 */
class HostFailureCallsIT {
  @TempDir Path dir;
  private ClusterAuthority authority;
  private MBeanServer server;
  private Agent agent;
  private HttpProbe coordinator;
  private HttpProbe peer;

  @BeforeEach
  void startEnrolledAgent() throws Exception {
    authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    server = MBeanServerFactory.createMBeanServer();
    agent = enrolled("lab01-tls", Fixtures.LAB01, server);
    peer = new HttpProbe(tls(authority, Subject.agent("lab02", UUID.randomUUID())));
    coordinator = new HttpProbe(tls(authority, Subject.coordinator("c1")));
    awaitServing(agent);
  }

  /** An agent whose certificate is there already: the enrolment door is never asked. */
  private Agent enrolled(String name, String libvirtUri, MBeanServer mbeans) throws Exception {
    UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    Path keys = dir.resolve(name);
    HostKey.store(keys, authority.issueWithKey(Subject.agent(name, uuid)));
    Map<String, String> config = AgentIT.config(libvirtUri);
    config.put("xcm.agent.name", name);
    config.put("xcm.agent.enrol.url", "https://127.0.0.1:1/enrol");
    config.put("xcm.agent.enrol.ca-file", dir.resolve("ca/ca.crt").toString());
    config.put("xcm.agent.enrol.key-dir", keys.toString());
    config.put("xcm.agent.host-uuid", uuid.toString());
    return Agent.start(
        AgentConfig.load(config), mbeans, new PrometheusRegistry(), Clock.systemUTC());
  }

  private void awaitServing(Agent serving) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                coordinator.post(serving.jolokiaUrl(), null, "{\"type\":\"version\"}").statusCode()
                    == 200);
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private static String exec(String operation, String argument) throws IOException {
    return "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\""
        + operation
        + "\",\"arguments\":["
        + HttpProbe.quote(argument)
        + "]}";
  }

  private JsonNode asCoordinator(String json) throws Exception {
    return HttpProbe.json(coordinator.post(agent.jolokiaUrl(), null, json));
  }

  @Test
  void theCoordinatorReadsADefinitionWhoseDigestTheDomainShows() throws Exception {
    JsonNode definition = asCoordinator(exec("domainDefinition", "web,01=\"x\":y"));
    JsonNode shown =
        asCoordinator(
            "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\","
                + "\"attribute\":[\"Name\",\"DefinitionDigest\",\"Autostart\"]}");

    assertThat(definition.path("status").asInt()).as(definition.toString()).isEqualTo(200);
    String xml = definition.path("value").asText();
    assertThat(xml).contains("<name>web,01=&quot;x&quot;:y</name>").doesNotContain("id='");
    JsonNode domain =
        shown.path("value").path(ObjectNames.domain("web,01=\"x\":y").getCanonicalName());
    assertThat(domain.path("DefinitionDigest").asText()).isEqualTo(DefinitionDigest.of(xml));
    assertThat(domain.path("Autostart").asBoolean(true)).isFalse();

    JsonNode unknown = asCoordinator(exec("domainDefinition", "nope"));
    assertThat(unknown.path("error_type").asText()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(unknown.path("error").asText())
        .startsWith("lab01-tls: ")
        .contains("cannot read the definition of domain 'nope'");
  }

  @Test
  void theAgentReachesAnotherOverItsOwnCertificateAndSaysWhyNotWhenItCannot() throws Exception {
    // Not through the factory: this agent's Jolokia serves its own MBeans only.
    MBeanServer other = MBeanServerFactory.newMBeanServer();
    try (Agent lab02 = enrolled("lab02-tls", Fixtures.testUri("lab02.xml"), other)) {
      awaitServing(lab02);

      JsonNode reached = asCoordinator(exec("reachesAgent", lab02.jolokiaUrl()));

      assertThat(reached.path("status").asInt()).as(reached.toString()).isEqualTo(200);
      assertThat(reached.path("value").path("reached").asBoolean()).as(reached.toString()).isTrue();
      assertThat(reached.path("value").path("reason").asText()).isEmpty();
    }

    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String url = "https://127.0.0.1:" + closed + "/jolokia/";
    JsonNode gone = asCoordinator(exec("reachesAgent", url));
    assertThat(gone.path("value").path("reached").asBoolean(true)).isFalse();
    assertThat(gone.path("value").path("reason").asText())
        .isEqualTo("agent at " + url + " does not answer: connection refused");

    JsonNode malformed = asCoordinator(exec("reachesAgent", "gopher://127.0.0.1/"));
    assertThat(malformed.path("error_type").asText())
        .isEqualTo("java.lang.IllegalArgumentException");
  }

  @Test
  void anAgentAskedToReachItselfIsNotReachedWhileItsOneJolokiaThreadWaits() throws Exception {
    // xcm.agent.jolokia.threads is 1: the thread that runs this probe is the one that would answer
    // it. The same holds for two agents asked to reach each other at once.
    JsonNode itself = asCoordinator(exec("reachesAgent", agent.jolokiaUrl()));

    assertThat(itself.path("value").path("reached").asBoolean(true)).isFalse();
    assertThat(itself.path("value").path("reason").asText())
        .isEqualTo(
            "agent at " + agent.jolokiaUrl() + " does not accept connections within 2000 ms");
  }

  @Test
  void anotherAgentMayNeitherReadADefinitionNorMakeThisOneProbe() throws Exception {
    for (String call :
        new String[] {exec("domainDefinition", "web01"), exec("reachesAgent", "https://x:1/")}) {
      JsonNode refused = HttpProbe.json(peer.post(agent.jolokiaUrl(), null, call));

      assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
      assertThat(refused.path("error").asText())
          .startsWith("user agent:lab02 has the peer role (")
          .endsWith(
              "exec of xcm:type=HostOperations "
                  + (call.contains("domainDefinition") ? "domainDefinition" : "reachesAgent")
                  + " refused");
    }
  }

  @Test
  void theMonitorMayNeitherReadADefinitionNorMakeTheAgentProbe() throws Exception {
    Map<String, String> config = AgentIT.config(Fixtures.LAB01);
    config.put("xcm.agent.name", "lab01-monitored");
    config.put("xcm.agent.jolokia.monitor.user", "grafana");
    config.put("xcm.agent.jolokia.monitor.password", "read-only-secret");
    MBeanServer other = MBeanServerFactory.newMBeanServer();
    try (Agent monitored =
        Agent.start(AgentConfig.load(config), other, new PrometheusRegistry(), Clock.systemUTC())) {
      HttpProbe http = new HttpProbe();
      for (String operation : new String[] {"domainDefinition", "reachesAgent"}) {
        JsonNode refused =
            HttpProbe.json(
                http.post(
                    monitored.jolokiaUrl(),
                    "grafana:read-only-secret",
                    exec(
                        operation,
                        operation.equals("reachesAgent") ? agent.jolokiaUrl() : "web01")));

        assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.path("error").asText())
            .isEqualTo(
                "user grafana has the read-only monitor role (read, list, search, version): exec"
                    + " of xcm:type=HostOperations "
                    + operation
                    + " refused");
      }
    }
  }

  /** TLS trusting {@code authority}'s agents, presenting a certificate it issues {@code who}. */
  private static SSLContext tls(ClusterAuthority authority, Subject who) {
    return ClientTls.builder()
        .credentials(authority.issueWithKey(who))
        .authority(authority.certificate())
        .revocations(Revocations::none)
        .expectServer(ExpectedPeer.role(Role.AGENT))
        .build();
  }
}
