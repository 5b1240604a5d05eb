package xcm.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.Agent;
import xcm.agent.AgentConfig;
import xcm.agent.Fixtures;
import xcm.agent.libvirt.PersistentHypervisors;
import xcm.agent.migration.Handovers;
import xcm.testkit.libvirt.PersistentTestHypervisors;
import xcm.testkit.migration.TestDriverHandovers;

/** With the test kit on its class path, an agent on libvirt's test driver finds what it needs. */
class AgentExtensionsTest {

  @Test
  void theAgentFindsTheHandoverAndTheStateFilesOfTheTestKit() {
    assertThat(ServiceLoader.load(Handovers.class).findFirst())
        .containsInstanceOf(TestDriverHandovers.class);
    assertThat(ServiceLoader.load(PersistentHypervisors.class).findFirst())
        .containsInstanceOf(PersistentTestHypervisors.class);
  }

  @Test
  void anAgentGivenAStateFileKeepsItsDomainsThere(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("lab01.state.xml");
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    Map<String, String> config =
        Map.of(
            "xcm.agent.libvirt-uri", Fixtures.LAB01,
            "xcm.agent.libvirt-state", state.toString(),
            "xcm.agent.jolokia.port", "0",
            "xcm.agent.jolokia.password", "s3cret",
            "xcm.agent.metrics.port", "0");

    try (Agent agent =
        Agent.start(
            AgentConfig.load(config), server, new PrometheusRegistry(), Clock.systemUTC())) {
      agent.hypervisor().destroyDomain("db01");
    }

    assertThat(state).content().contains("<name>web01</name>", "<name>db01</name>");
    try (Agent again =
        Agent.start(
            AgentConfig.load(config), server, new PrometheusRegistry(), Clock.systemUTC())) {
      assertThat(again.sampler().latest().domainsByName().get("db01").stats().state().name())
          .isEqualTo("SHUTOFF");
      assertThat(again.sampler().latest().domainsByName().get("web01").stats().state().name())
          .isEqualTo("RUNNING");
    }
  }
}
