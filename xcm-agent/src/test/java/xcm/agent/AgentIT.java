package xcm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.PlacementRules;
import xcm.serve.StartException;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.key.HostKey;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/** One agent on the lab01 fixture, read over real HTTP the way curl, Jolokia and Prometheus do. */
class AgentIT {
  private static final String CREDENTIALS = "xcm:s3cret";
  private static final long MIB = 1024 * 1024;
  private static final Duration INTERVAL = Duration.ofMillis(500);

  private final HttpProbe http = new HttpProbe();
  private MBeanServer server;
  private Agent agent;

  static Map<String, String> config(String uri) {
    Map<String, String> config = new HashMap<>();
    config.put("xcm.agent.libvirt-uri", uri);
    config.put("xcm.agent.sample-interval", INTERVAL.toMillis() + "ms");
    config.put("xcm.agent.jolokia.port", "0");
    config.put("xcm.agent.jolokia.password", "s3cret");
    config.put("xcm.agent.metrics.port", "0");
    config.put("xcm.agent.labels", "rack=r1,ssd=true");
    return config;
  }

  @BeforeEach
  void startAgent() throws Exception {
    // Jolokia serves every MBeanServer made through the factory, as well as the platform one.
    server = MBeanServerFactory.createMBeanServer();
    agent =
        Agent.start(
            AgentConfig.load(config(Fixtures.LAB01)),
            server,
            new PrometheusRegistry(),
            Clock.systemUTC());
  }

  @AfterEach
  void stopAgent() {
    agent.close();
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private JsonNode jolokia(String json) throws Exception {
    HttpResponse<String> response = http.post(agent.jolokiaUrl(), CREDENTIALS, json);
    assertThat(response.statusCode()).isEqualTo(200);
    return HttpProbe.json(response);
  }

  @Test
  void hostNameComesFromTheNodeXmlFileName() {
    assertThat(agent.host()).isEqualTo("lab01");
  }

  @Test
  void jolokiaBulkReadReturnsEveryDomainInOneRequest() throws Exception {
    JsonNode replies =
        jolokia(
            "[{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\"},"
                + "{\"type\":\"read\",\"mbean\":\"xcm:type=Host\"}]");

    JsonNode domains = replies.get(0);
    assertThat(domains.get("status").asInt()).isEqualTo(200);
    Map<String, JsonNode> byName = new HashMap<>();
    domains.get("value").forEach(domain -> byName.put(domain.get("Name").asText(), domain));
    assertThat(byName).containsOnlyKeys("web01", "db01", "web,01=\"x\":y", "paused01", "off01");
    JsonNode web = byName.get("web01");
    assertThat(web.get("MemoryBytes").asLong()).isEqualTo(1536 * MIB);
    assertThat(web.get("MaxMemoryBytes").asLong()).isEqualTo(2048 * MIB);
    assertThat(web.get("Vcpus").asInt()).isEqualTo(2);
    assertThat(web.get("State").asText()).isEqualTo("RUNNING");
    assertThat(web.get("Host").asText()).isEqualTo("lab01");
    assertThat(byName.get("off01").get("State").asText()).isEqualTo("SHUTOFF");
    assertThat(byName.get("paused01").get("StateCode").asInt()).isEqualTo(3);

    JsonNode host = replies.get(1).get("value");
    assertThat(host.get("Name").asText()).isEqualTo("lab01");
    assertThat(host.get("Cpus").asInt()).isEqualTo(8);
    assertThat(host.get("DomainCount").asInt()).isEqualTo(5);
    assertThat(host.get("ActiveDomainCount").asInt()).isEqualTo(4);
    assertThat(host.get("Stale").asBoolean()).isFalse();
    assertThat(host.get("Labels").toString()).isEqualTo("{\"rack\":\"r1\",\"ssd\":\"true\"}");
  }

  @Test
  void execAllowedByThePolicyRuns() throws Exception {
    long before = agent.sampler().latest().epochMillis();

    JsonNode reply =
        jolokia(
            "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"sampleNow\"}");

    assertThat(reply.get("status").asInt()).isEqualTo(200);
    assertThat(reply.get("value").asLong()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void requestsOutsideThePolicyAreRefusedWith403() throws Exception {
    JsonNode replies =
        jolokia(
            "[{\"type\":\"read\",\"mbean\":\"java.util.logging:type=Logging\"},"
                + "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"},"
                + "{\"type\":\"exec\",\"mbean\":\"xcm:type=Host\",\"operation\":\"toString\"},"
                + "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"Verbose\",\"value\":true},"
                + "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\","
                + "\"attribute\":\"HeapMemoryUsage\"}]");

    assertThat(replies.get(0).get("status").asInt()).isEqualTo(403);
    assertThat(replies.get(1).get("status").asInt()).isEqualTo(403);
    assertThat(replies.get(2).get("status").asInt()).isEqualTo(403);
    assertThat(replies.get(3).get("status").asInt()).isEqualTo(403);
    assertThat(replies.get(4).get("status").asInt()).as("java.lang is readable").isEqualTo(200);
  }

  @Test
  void theWellKnownJolokiaCodeExecutionPathsAreRefused() throws Exception {
    JsonNode replies =
        jolokia(
            "[{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties\"},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"jvmtiAgentLoad\",\"arguments\":[\"/tmp/x.so\"]},"
                + "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\","
                + "\"operation\":\"dumpHeap\",\"arguments\":[\"/tmp/heap.hprof\",true]},"
                + "{\"type\":\"write\",\"mbean\":\"java.lang:type=ClassLoading\","
                + "\"attribute\":\"Verbose\",\"value\":true}]");

    for (JsonNode reply : replies) {
      assertThat(reply.get("status").asInt()).as(reply.toString()).isEqualTo(403);
    }
    assertThat(Path.of("/tmp/heap.hprof")).doesNotExist();
  }

  @Test
  void requestsWithoutTheRightCredentialsAreRefusedWith401() throws Exception {
    String url = agent.jolokiaUrl() + "read/xcm:type=Host";
    assertThat(http.get(url, null).statusCode()).isEqualTo(401);
    assertThat(http.get(url, "xcm:wrong").statusCode()).isEqualTo(401);
    assertThat(http.get(url, CREDENTIALS).statusCode()).isEqualTo(200);
  }

  @Test
  void aMonitorUserReadsTheAgentButCannotOperateIt() throws Exception {
    Map<String, String> config = config(Fixtures.LAB01);
    config.put("xcm.agent.name", "lab01-monitored");
    config.put("xcm.agent.jolokia.monitor.user", "grafana");
    config.put("xcm.agent.jolokia.monitor.password", "read-only-secret");
    MBeanServer other = MBeanServerFactory.newMBeanServer();
    try (Agent monitored =
        Agent.start(AgentConfig.load(config), other, new PrometheusRegistry(), Clock.systemUTC())) {
      String url = monitored.jolokiaUrl();
      JsonNode replies =
          HttpProbe.json(
              http.post(
                  url,
                  "grafana:read-only-secret",
                  "[{\"type\":\"read\",\"mbean\":\"xcm:type=Host\",\"attribute\":\"Name\"},"
                      + "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\","
                      + "\"operation\":\"destroyDomain\",\"arguments\":[\"web01\",1]}]"));

      // Jolokia serves every MBeanServer of the JVM: this test's other agent may answer.
      assertThat(replies.get(0).path("value").asText()).startsWith("lab01");
      assertThat(replies.get(1).path("status").asInt()).isEqualTo(403);
      assertThat(replies.get(1).path("error").asText())
          .isEqualTo(
              "user grafana has the read-only monitor role (read, list, search, version): exec of"
                  + " xcm:type=HostOperations destroyDomain refused");
      assertThat(monitored.sampler().sampleNow().domains())
          .anyMatch(d -> d.name().equals("web01") && d.stats().active());
      assertThat(http.post(url, CREDENTIALS, "{\"type\":\"version\"}").statusCode())
          .as("the operator (the coordinator's user) still gets in")
          .isEqualTo(200);
    }
  }

  @Test
  void domainDefinedThroughTheAgentAppearsAsAnMBeanWithinOneInterval() throws Exception {
    String xml = Fixtures.domainXml("new,01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1);
    String body =
        "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"defineDomain\","
            + "\"arguments\":["
            + HttpProbe.quote(xml)
            + ",1]}";

    JsonNode reply = jolokia(body);

    assertThat(reply.get("value").asText()).isEqualTo("new,01");
    await().atMost(INTERVAL).until(() -> server.isRegistered(ObjectNames.domain("new,01")));

    jolokia(
        "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"undefineDomain\","
            + "\"arguments\":[\"new,01\",1]}");
    await().atMost(INTERVAL).until(() -> !server.isRegistered(ObjectNames.domain("new,01")));
  }

  @Test
  void operationOnAnUnknownDomainNamesHostAndDomainAndChangesNothing() throws Exception {
    JsonNode reply =
        jolokia(
            "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"startDomain\","
                + "\"arguments\":[\"nope\",1]}");

    assertThat(reply.get("error_type").asText()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(reply.get("error").asText())
        .startsWith("lab01: ")
        .contains("cannot start domain 'nope'");
    assertThat(agent.sampler().sampleNow().domains()).hasSize(5);
  }

  private static String setPlacement(String domain, String rules) throws IOException {
    return "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"setPlacement\","
        + "\"arguments\":["
        + HttpProbe.quote(domain)
        + ","
        + HttpProbe.quote(rules)
        + ",1]}";
  }

  private static String readPlacement(String domain) throws IOException {
    return "{\"type\":\"read\",\"mbean\":"
        + HttpProbe.quote(ObjectNames.domain(domain).toString())
        + ",\"attribute\":[\"Placement\",\"PlacementError\"]}";
  }

  @Test
  void placementRulesSetThroughJolokiaAreOnTheDomainsMBeanAndInItsLibvirtDefinition()
      throws Exception {
    JsonNode set = jolokia(setPlacement("web,01=\"x\":y", "apart db; on rack=r1; restart high"));

    assertThat(set.path("status").asInt()).as(set.toString()).isEqualTo(200);
    JsonNode shown = jolokia(readPlacement("web,01=\"x\":y")).path("value");
    assertThat(shown.path("Placement").asText()).isEqualTo("apart db; on rack=r1; restart high");
    assertThat(shown.path("PlacementError").asText()).isEmpty();
    assertThat(agent.hypervisor().domainXml("web,01=\"x\":y"))
        .contains(
            "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">",
            "<xcm:apart group=\"db\" strength=\"hard\"/>",
            "<xcm:host rule=\"on\" labels=\"rack=r1\"/>",
            "<xcm:restart priority=\"high\"/>");
    // The bulk read the coordinator makes carries them too.
    JsonNode all =
        jolokia(
            "{\"type\":\"read\",\"mbean\":\"xcm:type=Domain,*\","
                + "\"attribute\":[\"Name\",\"Placement\",\"PlacementError\"]}");
    Map<String, String> placements = new HashMap<>();
    all.path("value")
        .forEach(d -> placements.put(d.get("Name").asText(), d.get("Placement").asText()));
    assertThat(placements)
        .containsEntry("web,01=\"x\":y", "apart db; on rack=r1; restart high")
        .containsEntry("web01", "")
        .containsEntry("off01", "");

    JsonNode refused = jolokia(setPlacement("web,01=\"x\":y", "apart db; on rack=r2; on rack=r3"));
    assertThat(refused.path("error_type").asText()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(refused.path("error").asText())
        .isEqualTo(
            "lab01: cannot set the placement rules of domain 'web,01=\"x\":y': rules 'on rack=r2'"
                + " and 'on rack=r3' contradict each other: a host has one value for 'rack'");
    assertThat(jolokia(readPlacement("web,01=\"x\":y")).path("value").path("Placement").asText())
        .as("nothing written")
        .isEqualTo("apart db; on rack=r1; restart high");

    assertThat(jolokia(setPlacement("web,01=\"x\":y", "")).path("status").asInt()).isEqualTo(200);
    assertThat(jolokia(readPlacement("web,01=\"x\":y")).path("value").path("Placement").asText())
        .isEmpty();
    assertThat(agent.hypervisor().domainXml("web,01=\"x\":y")).doesNotContain("urn:xcm:placement");
  }

  @Test
  void placementRulesWrittenWrongByHandAreThatDomainsErrorAndNoRules() throws Exception {
    // What an operator with virsh could write: a rule this XCM does not know.
    agent.hypervisor().setPlacement("db01", PlacementRules.parse("pinned"));
    String xml = agent.hypervisor().domainXml("db01");
    agent.hypervisor().destroyDomain("db01");
    agent.hypervisor().undefineDomain("db01");
    agent.hypervisor().defineDomain(xml.replace("<xcm:pinned/>", "<xcm:near group=\"app\"/>"));
    agent.sampler().sampleNow();

    JsonNode shown = jolokia(readPlacement("db01")).path("value");

    assertThat(shown.path("Placement").asText()).isEmpty();
    assertThat(shown.path("PlacementError").asText())
        .isEqualTo("<near> is not a placement rule (apart, together, host, pinned, restart)");
    assertThat(agent.sampler().latest().domainsByName()).hasSize(5);
  }

  @Test
  void onlyTheCoordinatorsCertificateSetsPlacementRulesAndAnotherAgentsIsRefused(@TempDir Path dir)
      throws Exception {
    ClusterAuthority authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    UUID uuid = UUID.fromString("0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60");
    Path keys = dir.resolve("lab01-tls");
    HostKey.store(keys, authority.issueWithKey(Subject.agent("lab01-tls", uuid)));
    Map<String, String> config = config(Fixtures.LAB01);
    config.put("xcm.agent.name", "lab01-tls");
    // Its certificate is there already: the enrolment door is never asked.
    config.put("xcm.agent.enrol.url", "https://127.0.0.1:1/enrol");
    config.put("xcm.agent.enrol.ca-file", dir.resolve("ca/ca.crt").toString());
    config.put("xcm.agent.enrol.key-dir", keys.toString());
    config.put("xcm.agent.host-uuid", uuid.toString());
    // Jolokia serves the MBeanServers made through the factory: this agent alone serves them here.
    agent.close();
    agent =
        Agent.start(AgentConfig.load(config), server, new PrometheusRegistry(), Clock.systemUTC());
    HttpProbe peer = new HttpProbe(tls(authority, Subject.agent("lab02", UUID.randomUUID())));
    HttpProbe coordinator = new HttpProbe(tls(authority, Subject.coordinator("c1")));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                coordinator.post(agent.jolokiaUrl(), null, "{\"type\":\"version\"}").statusCode()
                    == 200);

    JsonNode refused =
        HttpProbe.json(peer.post(agent.jolokiaUrl(), null, setPlacement("web01", "pinned")));

    assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.path("error").asText())
        .startsWith("user agent:lab02 has the peer role (")
        .endsWith("exec of xcm:type=HostOperations setPlacement refused");
    assertThat(agent.hypervisor().domainXml("web01")).doesNotContain("urn:xcm:placement");

    JsonNode set =
        HttpProbe.json(coordinator.post(agent.jolokiaUrl(), null, setPlacement("web01", "pinned")));
    assertThat(set.path("status").asInt()).as(set.toString()).isEqualTo(200);
    assertThat(agent.hypervisor().domainXml("web01")).contains("urn:xcm:placement");
    assertThat(server.getAttribute(ObjectNames.domain("web01"), "Placement")).isEqualTo("pinned");
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

  @Test
  void metricsScrapeShowsWhatLibvirtReports() throws Exception {
    HttpResponse<String> response = http.get(agent.metricsUrl(), null);

    assertThat(response.statusCode()).isEqualTo(200);
    String text = response.body();
    String web = "{domain=\"web01\",host=\"lab01\",uuid=\"aaaaaaaa-0000-4000-8000-000000000001\"}";
    assertThat(value(text, "xcm_domain_memory_bytes" + web)).isEqualTo(1536.0 * MIB);
    assertThat(value(text, "xcm_domain_max_memory_bytes" + web)).isEqualTo(2048.0 * MIB);
    assertThat(value(text, "xcm_domain_vcpus" + web)).isEqualTo(2);
    assertThat(value(text, "xcm_domain_state" + web)).isEqualTo(1);
    assertThat(
            value(
                text,
                "xcm_domain_state{domain=\"off01\",host=\"lab01\","
                    + "uuid=\"aaaaaaaa-0000-4000-8000-000000000005\"}"))
        .isEqualTo(5);
    assertThat(
            value(
                text,
                "xcm_domain_vcpus{domain=\"web,01=\\\"x\\\":y\",host=\"lab01\","
                    + "uuid=\"aaaaaaaa-0000-4000-8000-000000000003\"}"))
        .isEqualTo(1);
    assertThat(value(text, "xcm_host_cpus{host=\"lab01\"}")).isEqualTo(8);
    assertThat(value(text, "xcm_host_memory_bytes{host=\"lab01\"}")).isEqualTo(16384.0 * MIB);
    assertThat(value(text, "xcm_host_domains{host=\"lab01\"}")).isEqualTo(5);
    assertThat(value(text, "xcm_host_active_domains{host=\"lab01\"}")).isEqualTo(4);
    assertThat(value(text, "xcm_agent_up{host=\"lab01\"}")).isEqualTo(1);
    assertThat(value(text, "xcm_agent_scrape_errors_total{host=\"lab01\"}")).isZero();
    assertThat(text).contains("jvm_memory_used_bytes");
  }

  @Test
  void metricsPassPromtoolCheck() throws Exception {
    String text = http.get(agent.metricsUrl(), null).body();

    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    promtool.getOutputStream().close();
    String problems = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(promtool.waitFor()).as(problems).isZero();
    assertThat(problems).isEmpty();
  }

  @Test
  void jconsoleCanAttachThroughThePasswordProtectedRemoteConnector(@TempDir Path dir)
      throws Exception {
    Path passwords = Files.writeString(dir.resolve("jmx.password"), "monitor s3cret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = Files.writeString(dir.resolve("jmx.access"), "monitor readonly\n");
    Map<String, String> config = config(Fixtures.LAB01);
    config.put("xcm.agent.jmx.port", Integer.toString(freePort()));
    config.put("xcm.agent.jmx.password-file", passwords.toString());
    config.put("xcm.agent.jmx.access-file", access.toString());
    config.put("xcm.agent.name", "lab01-jmx");
    MBeanServer second = MBeanServerFactory.newMBeanServer();

    try (Agent jmxAgent =
        Agent.start(
            AgentConfig.load(config), second, new PrometheusRegistry(), Clock.systemUTC())) {
      JMXServiceURL url = new JMXServiceURL(jmxAgent.jmxServiceUrl().orElseThrow());
      Map<String, Object> env =
          Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "s3cret"});
      try (JMXConnector connector = JMXConnectorFactory.connect(url, env)) {
        MBeanServerConnection connection = connector.getMBeanServerConnection();
        assertThat(connection.getAttribute(ObjectNames.host(), "Name")).isEqualTo("lab01-jmx");
        assertThat(connection.getAttribute(ObjectNames.domain("web01"), "Vcpus")).isEqualTo(2);
        assertThatThrownBy(
                () ->
                    connection.invoke(
                        ObjectNames.hostOperations(), "sampleNow", new Object[0], new String[0]))
            .as("a readonly role cannot invoke operations")
            .isInstanceOf(SecurityException.class);
      }
      Map<String, Object> wrong = Map.of(JMXConnector.CREDENTIALS, new String[] {"monitor", "x"});
      assertThatThrownBy(() -> JMXConnectorFactory.connect(url, wrong))
          .isInstanceOf(SecurityException.class);
    }
  }

  @Test
  void unreachableLibvirtFailsStartNamingTheUri() {
    MBeanServer other = MBeanServerFactory.newMBeanServer();

    assertThatThrownBy(
            () ->
                Agent.start(
                    AgentConfig.load(config("test:///no/such/host.xml")),
                    other,
                    new PrometheusRegistry(),
                    Clock.systemUTC()))
        .isInstanceOf(StartException.class)
        .hasMessageStartingWith("cannot connect to libvirt at test:///no/such/host.xml: ");
    assertThat(other.queryNames(ObjectNames.allDomains(), null)).isEmpty();
  }

  @Test
  void aStateFileWithoutTheTestKitFailsStartSayingWhatIsMissing(@TempDir Path dir) {
    MBeanServer other = MBeanServerFactory.newMBeanServer();
    Map<String, String> config = config(Fixtures.LAB01);
    config.put("xcm.agent.libvirt-state", dir.resolve("lab01.state.xml").toString());
    config.put("xcm.agent.name", "lab01-state");

    assertThatThrownBy(
            () ->
                Agent.start(
                    AgentConfig.load(config), other, new PrometheusRegistry(), Clock.systemUTC()))
        .isInstanceOf(StartException.class)
        .hasMessage(
            "cannot keep the domains of "
                + Fixtures.LAB01
                + " in "
                + dir.resolve("lab01.state.xml")
                + " (xcm.agent.libvirt-state): that is test support, in xcm-testkit, which is not"
                + " on this agent's class path");
    assertThat(dir.resolve("lab01.state.xml")).doesNotExist();
    assertThat(other.queryNames(null, null))
        .noneMatch(name -> name.getDomain().equals(ObjectNames.DOMAIN));
  }

  @Test
  void busyPortFailsStartNamingAddressAndPortAndReleasesWhatStarted() throws Exception {
    MBeanServer other = MBeanServerFactory.newMBeanServer();
    Map<String, String> config = config(Fixtures.LAB01);
    config.put("xcm.agent.metrics.port", Integer.toString(portOf(agent.metricsUrl())));
    config.put("xcm.agent.name", "lab01-busy");

    assertThatThrownBy(
            () ->
                Agent.start(
                    AgentConfig.load(config), other, new PrometheusRegistry(), Clock.systemUTC()))
        .isInstanceOf(StartException.class)
        .hasMessageStartingWith("cannot start metrics on 127.0.0.1:" + portOf(agent.metricsUrl()));
    assertThat(other.queryNames(null, null))
        .noneMatch(name -> name.getDomain().equals(ObjectNames.DOMAIN));
  }

  private static double value(String exposition, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(exposition);
    assertThat(m.find()).as("series %s in%n%s", series, exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static int portOf(String url) {
    return java.net.URI.create(url).getPort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
