package xcm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;
import xcm.serve.StartException;

/**
 * The coordinator epoch through a running agent: what Jolokia clients see, what a restart keeps,
 * what {@code /metrics} counts, and a start refused over an epoch file that holds none.
 */
class AgentEpochIT {
  private static final String CREDENTIALS = "xcm:s3cret";

  @TempDir Path dir;
  private final HttpProbe http = new HttpProbe();
  private MBeanServer server;
  private Path file;
  private Map<String, String> config;

  @BeforeEach
  void configure() {
    server = MBeanServerFactory.createMBeanServer();
    file = dir.resolve("state/epoch");
    config = AgentIT.config(Fixtures.LAB01);
    config.put("xcm.agent.epoch-file", file.toString());
  }

  @AfterEach
  void release() {
    MBeanServerFactory.releaseMBeanServer(server);
  }

  private Agent start() throws StartException {
    return Agent.start(
        AgentConfig.load(config), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  private JsonNode jolokia(Agent agent, String json) throws Exception {
    return HttpProbe.json(http.post(agent.jolokiaUrl(), CREDENTIALS, json));
  }

  private static String destroy(String domain, long epoch) {
    return "{\"type\":\"exec\",\"mbean\":\"xcm:type=HostOperations\",\"operation\":\"destroyDomain\","
        + "\"arguments\":[\""
        + domain
        + "\","
        + epoch
        + "]}";
  }

  private static final String READ_EPOCH =
      "{\"type\":\"read\",\"mbean\":\"xcm:type=HostOperations\",\"attribute\":\"Epoch\"}";

  @Test
  void aNewerEpochIsKeptAcrossARestartAndAnOlderOneThenChangesNothingAndIsCounted()
      throws Exception {
    try (Agent agent = start()) {
      assertThat(jolokia(agent, READ_EPOCH).path("value").asLong()).isZero();

      JsonNode destroyed = jolokia(agent, destroy("db01", 5));

      assertThat(destroyed.path("status").asInt()).as(destroyed.toString()).isEqualTo(200);
      assertThat(jolokia(agent, READ_EPOCH).path("value").asLong()).isEqualTo(5);
    }
    assertThat(Files.readString(file, StandardCharsets.US_ASCII)).isEqualTo("5\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    try (Agent restarted = start()) {
      assertThat(jolokia(restarted, READ_EPOCH).path("value").asLong()).isEqualTo(5);

      JsonNode stale = jolokia(restarted, destroy("web01", 4));

      assertThat(stale.path("error_type").asText()).isEqualTo("xcm.mbeans.StaleEpochException");
      assertThat(stale.path("error").asText())
          .endsWith(
              "lab01: cannot destroy domain 'web01': the request carries coordinator epoch 4,"
                  + " older than epoch 5, the newest this agent has seen: it comes from a"
                  + " coordinator that is no longer the active one; nothing was done");
      assertThat(restarted.hypervisor().domainState("web01")).isEqualTo(DomainState.RUNNING);
      assertThat(server.getAttribute(ObjectNames.domain("web01"), "State")).isEqualTo("RUNNING");
      assertThat(http.get(restarted.metricsUrl(), null).body())
          .contains("xcm_agent_stale_requests_total{host=\"lab01\"} 1.0\n");

      assertThat(jolokia(restarted, destroy("web01", 5)).path("status").asInt()).isEqualTo(200);
      assertThat(restarted.hypervisor().domainState("web01")).isEqualTo(DomainState.SHUTOFF);
    }
  }

  @Test
  void anEpochFileThatHoldsNoEpochStopsTheStartNamingIt() throws Exception {
    Files.createDirectories(file.getParent());
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(file, "5\u0000garbage", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(this::start)
        .isInstanceOf(StartException.class)
        .hasMessage(
            "cannot read the newest coordinator epoch this agent has seen from "
                + file
                + " (xcm.agent.epoch-file): "
                + file
                + ": holds \"5\\u0000garbage\", not a coordinator epoch (a whole number of at"
                + " least 1). Restore it; removing it lets any former coordinator act here again");
    assertThat(server.queryNames(null, null))
        .noneMatch(name -> name.getDomain().equals(ObjectNames.DOMAIN));
  }
}
