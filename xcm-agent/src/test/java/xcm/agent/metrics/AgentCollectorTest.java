package xcm.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.NodeCapacity;
import xcm.agent.sample.DomainSample;
import xcm.agent.sample.HostSample;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.HostLabels;

class AgentCollectorTest {
  private static final long GIB = 1024L * 1024 * 1024;

  private static String render(HostSample sample) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(
            out,
            new AgentCollector(() -> sample, HostLabels.NONE, () -> 3).collect(),
            EscapingScheme.ALLOW_UTF8);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static HostSample sample(boolean stale) {
    DomainStats vm =
        new DomainStats(
            "vm\"1",
            "u-1",
            DomainState.RUNNING,
            3,
            true,
            2 * GIB,
            4 * GIB,
            2,
            1_500_000_000L,
            100,
            200,
            3,
            4,
            500,
            600,
            7,
            8,
            "",
            "0123456789abcdef0123456789abcdef",
            false);
    return new HostSample(
        "h1",
        "test:///h1.xml",
        new NodeCapacity(16, 64 * GIB, -1),
        List.of(new DomainSample(vm, 0.25, 1_000_000)),
        0.03125,
        1_000_000,
        0.004,
        !stale,
        stale,
        9,
        2);
  }

  @Test
  void rendersHostAgentAndDomainMetricsFromTheLatestSample() throws IOException {
    String labels = "{domain=\"vm\\\"1\",host=\"h1\",uuid=\"u-1\"}";
    assertThat(render(sample(false)))
        .isEqualTo(
            String.join(
                "\n",
                "# HELP xcm_agent_last_sample_timestamp_seconds Time of the agent's last successful"
                    + " libvirt sample",
                "# TYPE xcm_agent_last_sample_timestamp_seconds gauge",
                "xcm_agent_last_sample_timestamp_seconds{host=\"h1\"} 1000.0",
                "# HELP xcm_agent_sample_duration_seconds Duration of the agent's last libvirt"
                    + " sample",
                "# TYPE xcm_agent_sample_duration_seconds gauge",
                "xcm_agent_sample_duration_seconds{host=\"h1\"} 0.004",
                "# HELP xcm_agent_samples_total Successful libvirt samples since the agent started",
                "# TYPE xcm_agent_samples_total counter",
                "xcm_agent_samples_total{host=\"h1\"} 9.0",
                "# HELP xcm_agent_scrape_errors_total libvirt reads that failed (whole samples and"
                    + " single domains)",
                "# TYPE xcm_agent_scrape_errors_total counter",
                "xcm_agent_scrape_errors_total{host=\"h1\"} 2.0",
                "# HELP xcm_agent_stale_requests_total Requests refused, nothing done, because their"
                    + " coordinator epoch was older than the newest this agent has seen: sent by a"
                    + " coordinator no longer the active one",
                "# TYPE xcm_agent_stale_requests_total counter",
                "xcm_agent_stale_requests_total{host=\"h1\"} 3.0",
                "# HELP xcm_agent_up 1 when the agent's last libvirt read succeeded, 0 while"
                    + " libvirt is unreachable",
                "# TYPE xcm_agent_up gauge",
                "xcm_agent_up{host=\"h1\"} 1.0",
                "# HELP xcm_domain_block_read_bytes_total Bytes read from the domain's disks",
                "# TYPE xcm_domain_block_read_bytes_total counter",
                "xcm_domain_block_read_bytes_total" + labels + " 100.0",
                "# HELP xcm_domain_block_read_requests_total Read requests to the domain's disks",
                "# TYPE xcm_domain_block_read_requests_total counter",
                "xcm_domain_block_read_requests_total" + labels + " 3.0",
                "# HELP xcm_domain_block_write_bytes_total Bytes written to the domain's disks",
                "# TYPE xcm_domain_block_write_bytes_total counter",
                "xcm_domain_block_write_bytes_total" + labels + " 200.0",
                "# HELP xcm_domain_block_write_requests_total Write requests to the domain's disks",
                "# TYPE xcm_domain_block_write_requests_total counter",
                "xcm_domain_block_write_requests_total" + labels + " 4.0",
                "# HELP xcm_domain_cpu_seconds_total CPU time used by the domain",
                "# TYPE xcm_domain_cpu_seconds_total counter",
                "xcm_domain_cpu_seconds_total" + labels + " 1.5",
                "# HELP xcm_domain_cpu_utilisation CPU used over the last sample interval per"
                    + " virtual CPU (0..1)",
                "# TYPE xcm_domain_cpu_utilisation gauge",
                "xcm_domain_cpu_utilisation" + labels + " 0.25",
                "# HELP xcm_domain_max_memory_bytes Maximum memory the domain may be given",
                "# TYPE xcm_domain_max_memory_bytes gauge",
                "xcm_domain_max_memory_bytes" + labels + " 4.294967296E9",
                "# HELP xcm_domain_memory_bytes Memory currently given to the domain",
                "# TYPE xcm_domain_memory_bytes gauge",
                "xcm_domain_memory_bytes" + labels + " 2.147483648E9",
                "# HELP xcm_domain_network_receive_bytes_total Bytes received on the domain's"
                    + " interfaces",
                "# TYPE xcm_domain_network_receive_bytes_total counter",
                "xcm_domain_network_receive_bytes_total" + labels + " 500.0",
                "# HELP xcm_domain_network_receive_packets_total Packets received on the domain's"
                    + " interfaces",
                "# TYPE xcm_domain_network_receive_packets_total counter",
                "xcm_domain_network_receive_packets_total" + labels + " 7.0",
                "# HELP xcm_domain_network_transmit_bytes_total Bytes transmitted on the domain's"
                    + " interfaces",
                "# TYPE xcm_domain_network_transmit_bytes_total counter",
                "xcm_domain_network_transmit_bytes_total" + labels + " 600.0",
                "# HELP xcm_domain_network_transmit_packets_total Packets transmitted on the"
                    + " domain's interfaces",
                "# TYPE xcm_domain_network_transmit_packets_total counter",
                "xcm_domain_network_transmit_packets_total" + labels + " 8.0",
                "# HELP xcm_domain_state Domain run state, libvirt's virDomainState: 0 no state, 1"
                    + " running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7"
                    + " suspended",
                "# TYPE xcm_domain_state gauge",
                "xcm_domain_state" + labels + " 1.0",
                "# HELP xcm_domain_vcpus Virtual CPUs of the domain",
                "# TYPE xcm_domain_vcpus gauge",
                "xcm_domain_vcpus" + labels + " 2.0",
                "# HELP xcm_host_active_domains Domains active (running, paused) on the host",
                "# TYPE xcm_host_active_domains gauge",
                "xcm_host_active_domains{host=\"h1\"} 1.0",
                "# HELP xcm_host_cpu_utilisation CPU used by all domains over the last sample"
                    + " interval as a fraction of the host's CPUs (0..1)",
                "# TYPE xcm_host_cpu_utilisation gauge",
                "xcm_host_cpu_utilisation{host=\"h1\"} 0.03125",
                "# HELP xcm_host_cpus Physical CPUs (threads) of the host",
                "# TYPE xcm_host_cpus gauge",
                "xcm_host_cpus{host=\"h1\"} 16.0",
                "# HELP xcm_host_domains Domains defined on the host, active or not",
                "# TYPE xcm_host_domains gauge",
                "xcm_host_domains{host=\"h1\"} 1.0",
                "# HELP xcm_host_labels 1, labelled with what an operator says the host is"
                    + " (xcm.agent.labels)",
                "# TYPE xcm_host_labels gauge",
                "xcm_host_labels{host=\"h1\"} 1.0",
                "# HELP xcm_host_memory_bytes Physical memory of the host",
                "# TYPE xcm_host_memory_bytes gauge",
                "xcm_host_memory_bytes{host=\"h1\"} 6.8719476736E10",
                "# HELP xcm_host_memory_free_bytes Free memory of the host; where libvirt cannot"
                    + " tell, total minus the memory of active domains",
                "# TYPE xcm_host_memory_free_bytes gauge",
                "xcm_host_memory_free_bytes{host=\"h1\"} 6.6571993088E10",
                ""));
  }

  @Test
  void staleSampleReportsTheAgentDownButKeepsTheLastFigures() throws IOException {
    String text = render(sample(true));

    assertThat(text).contains("xcm_agent_up{host=\"h1\"} 0.0\n");
    assertThat(text)
        .contains("xcm_domain_vcpus{domain=\"vm\\\"1\",host=\"h1\",uuid=\"u-1\"} 2.0\n");
  }

  @Test
  void theHostsLabelsAreAnInfoMetric() throws IOException {
    HostSample sample = sample(false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(
            out,
            new AgentCollector(() -> sample, HostLabels.parse("ssd=true,rack=r1"), () -> 0)
                .collect(),
            EscapingScheme.ALLOW_UTF8);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("xcm_host_labels{host=\"h1\",rack=\"r1\",ssd=\"true\"} 1.0");
    assertThat(render(sample)).contains("xcm_host_labels{host=\"h1\"} 1.0");
  }
}
