package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.PlacementXml;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Placement rules across processes: a coordinator and three agents on libvirt's test driver (dmz01
 * rack r1; dmz02 and dmz03 also licence=oracle), each its own JVM on loopback, driven through the
 * CLI, Jolokia and a JMX remote connector. Rules are read back where they live, in each VM's
 * libvirt definition: the agent's {@code Placement} (libvirt's metadata) and the definitions the
 * agent saves after every change ({@code --libvirt-state}, libvirt's own XML of each domain). Each
 * test leaves every host ACTIVE and no VM with rules; domains may end anywhere.
 */
class RulesIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final String RULES = "xcm:type=Rules";
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  private static final Map<String, String> LABELS =
      Map.of(
          "dmz01", "rack=r1", "dmz02", "rack=r2,licence=oracle", "dmz03", "rack=r3,licence=oracle");
  @TempDir static Path dir;
  private static Path password;
  private static Path monitorPassword;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static String jmxUrl;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    password = Secrets.write(dir.resolve("password"), "s3cret");
    monitorPassword = Secrets.write(dir.resolve("monitor.password"), "m0nitor");
    Path jmxPasswords = Secrets.write(dir.resolve("jmx.password"), "operator s3cret\n");
    Files.setPosixFilePermissions(jmxPasswords, PosixFilePermissions.fromString("rw-------"));
    Path jmxAccess = Files.writeString(dir.resolve("jmx.access"), "operator readwrite\n");
    int jmxPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      jmxPort = socket.getLocalPort();
    }
    coordinator =
        Jvm.coordinator("rules-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .with("--jolokia-monitor-user", "grafana")
            .with("--jolokia-monitor-password-file", monitorPassword)
            .with("--jmx-port", jmxPort)
            .with("--jmx-password-file", jmxPasswords)
            .with("--jmx-access-file", jmxAccess)
            .property("xcm.coordinator.cooldown=0s")
            .property("xcm.coordinator.migration.per-host=2")
            .property("xcm.coordinator.nightly-balance.cron=")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
    jmxUrl =
        Files.readAllLines(coordinator.log).stream()
            .filter(l -> l.trim().startsWith("JMX"))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
    for (String host : HOSTS) {
      agents.put(
          host,
          Jvm.agent("rules-" + host, Jvm.testNode(host))
              .with("--sample-interval", "1s")
              .with("--jolokia-password-file", password)
              .with("--label", LABELS.get(host))
              .with("--libvirt-state", definitions(host))
              .joining(coordinator, xcm, dir, host)
              .start());
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 3);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** Every VM with rules loses them; every host is ACTIVE again. */
  @AfterEach
  void clearRulesAndActivateHosts() throws Exception {
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> xcm.read("xcm:type=Operation,*").path("value").toString(), s -> !running(s));
    Set<String> ruled = new LinkedHashSet<>();
    for (JsonNode row : rules()) {
      if (!row.path("kind").asText().equals("metadata")) {
        row.path("members").forEach(m -> ruled.add(m.asText()));
      }
    }
    for (String domain : ruled) {
      JsonNode cleared = xcm.exec(RULES, "clearRules", domain);
      assertThat(cleared.path("status").asInt()).as(cleared.toString()).isEqualTo(200);
    }
    for (String host : HOSTS) {
      if (!state(host).equals("ACTIVE")) {
        xcm.exec(OPERATIONS, "activate", host);
      }
    }
    assertThat(rules()).allSatisfy(r -> assertThat(r.path("kind").asText()).isEqualTo("metadata"));
  }

  private static boolean running(String operations) {
    return operations.contains("\"State\":\"RUNNING\"");
  }

  // ---- setting and reading back

  @Test
  void rulesSetThroughTheCliJolokiaAndJmxAreInTheVmsLibvirtDefinitionAndInTheRulesView()
      throws Exception {
    Cli set = cli("rules", "set", "db01", "apart db; restart high");
    JsonNode jolokia = xcm.exec(RULES, "setRules", "app01", "together app soft; prefer rack=r2");
    try (JMXConnector connector = jmxConnect()) {
      MBeanServerConnection jmx = connector.getMBeanServerConnection();
      jmx.invoke(
          ObjectNames.rules(),
          "setRules",
          new Object[] {"proxy01", "pinned; on licence=oracle"},
          new String[] {String.class.getName(), String.class.getName()});
      assertThat(
              jmx.invoke(
                  ObjectNames.rules(),
                  "domainRules",
                  new Object[] {"proxy01"},
                  new String[] {String.class.getName()}))
          .isEqualTo("on licence=oracle; pinned");
    }

    assertThat(set.exit()).as(set.out()).isZero();
    assertThat(set.out()).isEqualTo("rules of db01: apart db; restart high\n");
    assertThat(jolokia.path("status").asInt()).as(jolokia.toString()).isEqualTo(200);
    Map<String, String> expected =
        Map.of(
            "db01", "apart db; restart high",
            "app01", "together app soft; prefer rack=r2",
            "proxy01", "on licence=oracle; pinned");
    Map<String, String> where = placement();
    for (Map.Entry<String, String> vm : expected.entrySet()) {
      String domain = vm.getKey();
      String host = where.get(domain);
      JsonNode mbean = agent(host).read("xcm:type=Domain,name=\"" + domain + "\"").path("value");
      assertThat(mbean.path("Placement").asText()).as(domain).isEqualTo(vm.getValue());
      assertThat(mbean.path("PlacementError").asText()).as(domain).isEmpty();
      assertThat(definedRules(host, domain)).as(domain + " in libvirt").isEqualTo(vm.getValue());
      assertThat(cli("rules", "show", domain).out()).isEqualTo(vm.getValue() + "\n");
    }
    assertThat(Files.readString(definitions(where.get("db01"))))
        .contains("xmlns:xcm=\"urn:xcm:placement\"")
        .contains("<xcm:apart group=\"db\" strength=\"hard\"/>");

    String view = cli("rules").out();
    assertThat(line(view, "apart db")).contains("hard", "db01", "yes");
    assertThat(line(view, "together app")).contains("soft", "app01", "yes");
    assertThat(line(view, "prefer rack=r2")).contains("soft", "app01");
    assertThat(line(view, "on licence=oracle")).contains("hard", "proxy01");
    assertThat(line(view, "pinned")).contains("hard", "proxy01", "yes", "stays on ");
    assertThat(cli("history").out())
        .contains("rules db01: apart db; restart high")
        .contains("rules app01: together app soft; prefer rack=r2")
        .contains("rules proxy01: pinned; on licence=oracle");

    Cli clear = cli("rules", "clear", "db01");
    assertThat(clear.out()).isEqualTo("db01 has no placement rules\n");
    assertThat(definedRules(placement().get("db01"), "db01")).isNull();
    assertThat(Files.readString(definitions(placement().get("db01"))))
        .doesNotContain("<xcm:apart group=\"db\"");
  }

  // ---- what obeys them

  @Test
  void aBalanceFirstMendsAnApartRuleBrokenByAForcedMigrateAndLeavesTheVmsOnDifferentHosts()
      throws Exception {
    Map<String, String> where = placement();
    String host = where.get("db01");
    if (where.get("web01").equals(host)) {
      String elsewhere = host.equals("dmz01") ? "dmz02" : "dmz01";
      awaitEnd(xcm.exec(OPERATIONS, "migrate", "web01", elsewhere).path("value").asText());
    }
    setRules("db01", "apart db");
    setRules("web01", "apart db");
    String forced = xcm.exec(OPERATIONS, "forceMigrate", "web01", host).path("value").asText();
    assertThat(awaitEnd(forced).path("State").asText()).isEqualTo("SUCCEEDED");
    assertThat(cli("history").out())
        .containsPattern("jolokia:xcm +migrate \\(forced\\) web01 to " + host + " ");
    assertThat(line(cli("rules", "--broken").out(), "apart db"))
        .contains("NO", "db01 and web01 share " + host);
    assertThat(xcm.read(RULES).path("value").path("HardViolations").asInt()).isEqualTo(1);

    String id = xcm.exec(OPERATIONS, "balance", "weighted", "false").path("value").asText();
    JsonNode op = awaitEnd(id);

    assertThat(op.path("State").asText()).as(op.toString()).isEqualTo("SUCCEEDED");
    JsonNode first = op.path("Plan").path("moves").get(0);
    assertThat(first.path("domain").asText()).isIn("db01", "web01");
    assertThat(first.path("from").asText()).isEqualTo(host);
    assertThat(first.path("reason").asText()).isEqualTo("mends rule 'apart db'");
    Map<String, String> after = placement();
    assertThat(after.get("db01")).isNotEqualTo(after.get("web01"));
    assertThat(xcm.read(RULES).path("value").path("HardViolations").asInt()).isZero();
    assertThat(cli("rules", "--broken").out()).isEqualTo("every rule holds\n");
  }

  @Test
  void aDrainMovesAPairKeptTogetherWholeAndKeepsALicensedVmOnLicensedHosts() throws Exception {
    // mail01 on a licensed host, app01 and app02 with it: put there by the operator, rule-free.
    Map<String, String> where = placement();
    String licensed = where.get("mail01").equals("dmz01") ? "dmz02" : where.get("mail01");
    for (String domain : List.of("mail01", "app01", "app02")) {
      if (!where.get(domain).equals(licensed)) {
        String id = xcm.exec(OPERATIONS, "migrate", domain, licensed).path("value").asText();
        assertThat(awaitEnd(id).path("State").asText()).isEqualTo("SUCCEEDED");
      }
    }
    setRules("app01", "together app");
    setRules("app02", "together app");
    setRules("mail01", "on licence=oracle");
    String other = licensed.equals("dmz02") ? "dmz03" : "dmz02";

    Cli drain = cli("drain", licensed);

    String drainId = operationId(drain.out());
    JsonNode op = xcm.read("xcm:type=Operation,id=\"" + drainId + "\"").path("value");
    Map<String, String> to = new HashMap<>();
    op.path("Plan")
        .path("moves")
        .forEach(m -> to.put(m.path("domain").asText(), m.path("to").asText()));
    assertThat(to.get("app01")).as(drain.out()).isEqualTo(to.get("app02"));
    assertThat(to.get("mail01")).isEqualTo(other);
    Map<String, String> after = placement();
    assertThat(after).doesNotContainValue(licensed);
    assertThat(after.get("app01")).isEqualTo(after.get("app02")).isEqualTo(to.get("app01"));
    assertThat(after.get("mail01")).isEqualTo(other);
    assertThat(
            agent(other)
                .read("xcm:type=Domain,name=\"mail01\"")
                .path("value")
                .path("Placement")
                .asText())
        .as("the rules travel with the VM")
        .isEqualTo("on licence=oracle");
    assertThat(xcm.read(RULES).path("value").path("HardViolations").asInt()).isZero();
  }

  @Test
  void aManualMigrateThatBreaksAHardRuleIsRefusedNamingItAndWithForceRunsAndIsAuditedAsForced()
      throws Exception {
    Map<String, String> where = placement();
    String host = where.get("db01");
    if (where.get("web02").equals(host)) {
      String elsewhere = host.equals("dmz01") ? "dmz02" : "dmz01";
      awaitEnd(xcm.exec(OPERATIONS, "migrate", "web02", elsewhere).path("value").asText());
    }
    setRules("db01", "apart db");
    setRules("web02", "apart db");
    Map<String, String> before = placement();

    Cli refused = run("migrate", "web02", host);

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out())
        .isEqualTo(
            "xcm migrate: cannot migrate web02 to "
                + host
                + ": host "
                + host
                + " already holds db01 of its rule 'apart db' (an operator who means it migrates"
                + " with force: ./xcm migrate --force)\n");
    assertThat(placement()).isEqualTo(before);

    Cli forced = cli("migrate", "--force", "web02", host);

    assertThat(forced.out()).containsPattern("operation \\S+ SUCCEEDED");
    assertThat(placement().get("web02")).isEqualTo(host);
    String id = operationId(forced.out());
    assertThat(
            xcm.read("xcm:type=Operation,id=\"" + id + "\"")
                .path("value")
                .path("Plan")
                .path("moves")
                .get(0)
                .path("reason")
                .asText())
        .isEqualTo(
            "asked for, forced past a hard rule: host "
                + host
                + " already holds db01 of its rule 'apart db'");
    assertThat(cli("history").out())
        .containsPattern("cli:xcm +migrate \\(forced\\) web02 to " + host + " ")
        .containsPattern("cli:xcm +migrate web02 to " + host + " +refused: cannot migrate web02");
    assertThat(line(cli("rules", "--broken").out(), "apart db")).contains("NO");
  }

  @Test
  void aDrainOfAHostWithAPinnedVmIsRefusedNamingItAndWithForceDrainsIt() throws Exception {
    String host = emptiest();
    if (!placement().get("dns01").equals(host)) {
      awaitEnd(xcm.exec(OPERATIONS, "migrate", "dns01", host).path("value").asText());
    }
    setRules("dns01", "pinned");
    Map<String, String> before = placement();

    Cli refused = run("drain", host);

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out())
        .startsWith("xcm drain: cannot drain host \"" + host + "\": ")
        .contains("dns01 (512.0 MiB): its rules pin it (rule 'pinned')");
    assertThat(state(host)).isEqualTo("ACTIVE");
    assertThat(placement()).isEqualTo(before);
    Cli migrate = run("migrate", "dns01", host.equals("dmz01") ? "dmz02" : "dmz01");
    assertThat(migrate.out()).contains("its rules pin it (rule 'pinned')");

    Cli forced = cli("drain", "--force", host);

    assertThat(forced.out()).containsPattern("operation \\S+ SUCCEEDED");
    Map<String, String> after = placement();
    assertThat(after).doesNotContainValue(host);
    await().atMost(10, TimeUnit.SECONDS).until(() -> state(host).equals("MAINTENANCE"));
    assertThat(cli("history").out()).containsPattern("cli:xcm +drain \\(forced\\) " + host + " ");
    assertThat(
            agent(after.get("dns01"))
                .read("xcm:type=Domain,name=\"dns01\"")
                .path("value")
                .path("Placement")
                .asText())
        .as("still pinned, where it went")
        .isEqualTo("pinned");
  }

  // ---- metadata written by hand

  @Test
  void metadataWrittenByHandIsInTheRulesViewAndMalformedMetadataIsAMetadataRowAndMetric()
      throws Exception {
    String host = emptiest();
    Jolokia agent = agent(host);
    String good =
        handDomain(
            "hand01",
            1,
            "<xcm:placement xmlns:xcm='urn:xcm:placement' version='1'>"
                + "<xcm:apart group='hand' strength='hard'/><xcm:restart priority='low'/>"
                + "</xcm:placement>");
    String bad =
        handDomain(
            "hand02",
            2,
            "<xcm:placement xmlns:xcm='urn:xcm:placement' version='1'>"
                + "<xcm:near group='db'/></xcm:placement>");
    try {
      for (String xml : List.of(good, bad)) {
        JsonNode defined = agent.change("defineDomain", xml);
        assertThat(defined.path("status").asInt()).as(defined.toString()).isEqualTo(200);
        agent.change("startDomain", defined.path("value").asText());
      }

      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () -> cli("rules").out(),
              out -> out.contains("apart hand") && out.contains("hand02"));
      String view = cli("rules").out();
      assertThat(line(view, "apart hand")).contains("hard", "hand01", "yes");
      assertThat(line(view, "metadata"))
          .contains("hand02", "NO")
          .contains(
              "its placement metadata cannot be read, so it is planned as having no rules: <near>"
                  + " is not a placement rule");
      assertThat(cli("rules", "show", "hand01").out()).isEqualTo("apart hand; restart low\n");
      assertThat(
              agent
                  .read("xcm:type=Domain,name=\"hand02\"")
                  .path("value")
                  .path("PlacementError")
                  .asText())
          .startsWith("<near> is not a placement rule");
      JsonNode rules = xcm.read(RULES).path("value");
      assertThat(rules.path("UnreadableRules").asInt()).isEqualTo(1);
      assertThat(rules.path("HardViolations").asInt()).isEqualTo(1);
      assertThat(Jolokia.get(coordinator.metricsUrl))
          .contains("xcm_placement_rule_violations{kind=\"metadata\",strength=\"hard\"} 1.0")
          .contains("xcm_placement_rule_violations{kind=\"apart\",strength=\"hard\"} 0.0");
    } finally {
      for (String domain : List.of("hand01", "hand02")) {
        agent.change("destroyDomain", domain);
        agent.change("undefineDomain", domain);
      }
    }
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> Jolokia.get(coordinator.metricsUrl),
            m ->
                m.contains(
                    "xcm_placement_rule_violations{kind=\"metadata\",strength=\"hard\"} 0.0"));
  }

  // ---- who may

  @Test
  void theMonitorReadsTheRulesAndCannotSetOrClearThem() throws Exception {
    setRules("proxy01", "pinned");
    Jolokia monitor = new Jolokia(coordinator.jolokiaUrl, "grafana", "m0nitor");

    assertThat(line(monitorCli("rules").out(), "pinned")).contains("proxy01");
    assertThat(monitor.read(RULES).path("value").path("Rules").toString()).contains("proxy01");
    Cli set = monitorCli("rules", "set", "proxy01", "apart db");
    Cli clear = monitorCli("rules", "clear", "proxy01");
    JsonNode exec = monitor.exec(RULES, "setRules", "proxy01", "apart db");

    assertThat(set.exit()).isNotZero();
    assertThat(set.out()).contains("user grafana has the read-only monitor role");
    assertThat(clear.exit()).isNotZero();
    assertThat(exec.path("status").asInt()).isEqualTo(403);
    assertThat(exec.path("error").asText()).endsWith("exec of xcm:type=Rules setRules refused");
    String host = placement().get("proxy01");
    assertThat(
            agent(host)
                .read("xcm:type=Domain,name=\"proxy01\"")
                .path("value")
                .path("Placement")
                .asText())
        .isEqualTo("pinned");
    assertThat(definedRules(host, "proxy01")).isEqualTo("pinned");
  }

  // ---- helpers

  private static void setRules(String domain, String rules) throws Exception {
    JsonNode reply = xcm.exec(RULES, "setRules", domain, rules);
    assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(200);
  }

  private static JsonNode rules() throws Exception {
    return xcm.read(RULES).path("value").path("Rules");
  }

  private static JsonNode awaitEnd(String id) throws Exception {
    return xcm.awaitOperationEnd(id, Duration.ofSeconds(60));
  }

  private static Path definitions(String host) {
    return dir.resolve(host + ".state.xml");
  }

  private static Jolokia agent(String host) {
    return new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret", coordinator.authority());
  }

  /** Domain name → host, read from the agents themselves after a fresh sample. */
  private static Map<String, String> placement() throws Exception {
    Map<String, String> where = new HashMap<>();
    for (String host : HOSTS) {
      Jolokia client = agent(host);
      client.exec("xcm:type=HostOperations", "sampleNow");
      for (JsonNode d : client.read("xcm:type=Domain,*").path("value")) {
        String previous = where.put(d.path("Name").asText(), host);
        assertThat(previous).as("%s defined on two hosts", d.path("Name").asText()).isNull();
      }
    }
    return where;
  }

  private static String emptiest() throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    HOSTS.forEach(h -> counts.put(h, 0));
    placement().values().forEach(h -> counts.merge(h, 1, Integer::sum));
    return counts.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static String state(String host) throws Exception {
    return xcm.read("xcm:type=Cluster,host=\"" + host + "\"").path("value").path("State").asText();
  }

  /**
   * The rules in the domain's libvirt definition as the agent saved it after its last change
   * (libvirt's XML of the domain): the {@code urn:xcm:placement} element under {@code <metadata>}
   * read as XCM reads it; null when there is none.
   */
  private static String definedRules(String host, String domain) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var document =
        factory
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(Files.readString(definitions(host)))));
    NodeList domains = document.getElementsByTagName("domain");
    for (int i = 0; i < domains.getLength(); i++) {
      Element d = (Element) domains.item(i);
      if (!d.getElementsByTagName("name").item(0).getTextContent().equals(domain)) {
        continue;
      }
      NodeList placement = d.getElementsByTagNameNS(PlacementXml.NAMESPACE, "placement");
      if (placement.getLength() == 0) {
        return null;
      }
      assertThat(placement.item(0).getParentNode().getLocalName()).isEqualTo("metadata");
      Transformer out = TransformerFactory.newInstance().newTransformer();
      out.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter xml = new StringWriter();
      out.transform(new DOMSource(placement.item(0)), new StreamResult(xml));
      return PlacementXml.parse(xml.toString()).toString();
    }
    throw new AssertionError(domain + " is not defined in " + definitions(host));
  }

  /** A small test-driver domain whose metadata holds {@code placement}, as virsh would write it. */
  private static String handDomain(String name, int n, String placement) {
    return String.format(
        "<domain type='test'><name>%s</name><uuid>aaaaaaaa-0000-4000-8000-%012d</uuid>"
            + "<memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
            + "<metadata>%s</metadata></domain>",
        name, n, placement);
  }

  /** The line of a CLI table that starts with {@code first}. */
  private static String line(String table, String first) {
    return table
        .lines()
        .filter(l -> l.startsWith(first + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + first + "' in:\n" + table));
  }

  private static JMXConnector jmxConnect() throws IOException {
    Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"});
    return JMXConnectorFactory.connect(new JMXServiceURL(jmxUrl), env);
  }

  private record Cli(int exit, String out) {}

  /** The CLI as an operator, which must succeed. */
  private static Cli cli(String... args) throws Exception {
    Cli cli = run(args);
    assertThat(cli.exit()).as(cli.out()).isZero();
    return cli;
  }

  /** The CLI as an operator. */
  private static Cli run(String... args) throws Exception {
    return as("xcm", password, args);
  }

  /** The CLI as the monitor. */
  private static Cli monitorCli(String... args) throws Exception {
    return as("grafana", monitorPassword, args);
  }

  /** Runs the CLI as {@code ./xcm} does, as {@code user}; its output and errors together. */
  private static Cli as(String user, Path passwordFile, String... args) throws Exception {
    List<String> command = new ArrayList<>(Jvm.COMMANDS.command(Program.CLI, List.of(args)));
    command.addAll(
        List.of(
            "--url",
            coordinator.jolokiaUrl,
            "--user",
            user,
            "--password-file",
            passwordFile.toString()));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Cli(cli.waitFor(), out);
  }

  /** The id in the CLI's "operation ID: what" line. */
  private static String operationId(String out) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("operation (\\S+): ").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }
}
