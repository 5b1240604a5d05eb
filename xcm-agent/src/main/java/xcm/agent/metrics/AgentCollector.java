package xcm.agent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.sample.DomainSample;
import xcm.agent.sample.HostSample;
import xcm.mbeans.placement.HostLabels;

/**
 * Turns the sampler's latest {@link HostSample} into the agent's Prometheus metrics at scrape time.
 * A scrape never calls libvirt: it renders what the sampler read last, so its cost does not grow
 * with libvirt's latency and a slow hypervisor cannot stall Prometheus.
 *
 * <p>Thread-safe: reads one immutable sample per scrape.
 */
public final class AgentCollector implements MultiCollector {

  private final Supplier<HostSample> latest;
  private final HostLabels labels;
  private final LongSupplier staleRequests;

  public AgentCollector(Supplier<HostSample> latest) {
    this(latest, HostLabels.NONE, () -> 0);
  }

  /**
   * @param labels what an operator says the host is: {@code xcm_host_labels}
   * @param staleRequests requests refused for a superseded coordinator epoch: {@code
   *     xcm_agent_stale_requests_total}
   */
  public AgentCollector(
      Supplier<HostSample> latest, HostLabels labels, LongSupplier staleRequests) {
    this.latest = latest;
    this.labels = labels;
    this.staleRequests = staleRequests;
  }

  private static final List<DomainMetric> DOMAIN_GAUGES =
      List.of(
          gauge(
              "xcm_domain_state",
              "Domain run state, libvirt's virDomainState: 0 no state, 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed, 7 suspended",
              null,
              d -> d.stats().state().code()),
          gauge(
              "xcm_domain_memory_bytes",
              "Memory currently given to the domain",
              Unit.BYTES,
              d -> d.stats().memoryBytes()),
          gauge(
              "xcm_domain_max_memory_bytes",
              "Maximum memory the domain may be given",
              Unit.BYTES,
              d -> d.stats().maxMemoryBytes()),
          gauge("xcm_domain_vcpus", "Virtual CPUs of the domain", null, d -> d.stats().vcpus()),
          gauge(
              "xcm_domain_cpu_utilisation",
              "CPU used over the last sample interval per virtual CPU (0..1)",
              null,
              DomainSample::cpuUtilisation));

  private static final List<DomainMetric> DOMAIN_COUNTERS =
      List.of(
          counter(
              "xcm_domain_cpu_seconds",
              "CPU time used by the domain",
              Unit.SECONDS,
              s -> s.cpuTimeNanos() / 1e9),
          counter(
              "xcm_domain_block_read_bytes",
              "Bytes read from the domain's disks",
              Unit.BYTES,
              DomainStats::blockReadBytes),
          counter(
              "xcm_domain_block_write_bytes",
              "Bytes written to the domain's disks",
              Unit.BYTES,
              DomainStats::blockWriteBytes),
          counter(
              "xcm_domain_block_read_requests",
              "Read requests to the domain's disks",
              null,
              DomainStats::blockReadRequests),
          counter(
              "xcm_domain_block_write_requests",
              "Write requests to the domain's disks",
              null,
              DomainStats::blockWriteRequests),
          counter(
              "xcm_domain_network_receive_bytes",
              "Bytes received on the domain's interfaces",
              Unit.BYTES,
              DomainStats::networkReceiveBytes),
          counter(
              "xcm_domain_network_transmit_bytes",
              "Bytes transmitted on the domain's interfaces",
              Unit.BYTES,
              DomainStats::networkTransmitBytes),
          counter(
              "xcm_domain_network_receive_packets",
              "Packets received on the domain's interfaces",
              null,
              DomainStats::networkReceivePackets),
          counter(
              "xcm_domain_network_transmit_packets",
              "Packets transmitted on the domain's interfaces",
              null,
              DomainStats::networkTransmitPackets));

  @Override
  public MetricSnapshots collect() {
    HostSample sample = latest.get();
    Labels host = Labels.of("host", sample.host());
    List<MetricSnapshot> snapshots = new ArrayList<>(32);

    // An info metric: 1, with the host's labels as Prometheus labels, for joins in queries.
    List<String> names = new ArrayList<>(List.of("host"));
    List<String> values = new ArrayList<>(List.of(sample.host()));
    labels
        .asMap()
        .forEach(
            (k, v) -> {
              names.add(k);
              values.add(v);
            });
    snapshots.add(
        hostGauge(
            "xcm_host_labels",
            "1, labelled with what an operator says the host is (xcm.agent.labels)",
            null,
            Labels.of(names, values),
            1));
    snapshots.add(
        hostGauge(
            "xcm_agent_up",
            "1 when the agent's last libvirt read succeeded, 0 while libvirt is unreachable",
            null,
            host,
            sample.stale() ? 0 : 1));
    snapshots.add(
        hostGauge(
            "xcm_agent_sample_duration_seconds",
            "Duration of the agent's last libvirt sample",
            Unit.SECONDS,
            host,
            sample.durationSeconds()));
    snapshots.add(
        hostGauge(
            "xcm_agent_last_sample_timestamp_seconds",
            "Time of the agent's last successful libvirt sample",
            Unit.SECONDS,
            host,
            sample.epochMillis() / 1000.0));
    snapshots.add(
        hostCounter(
            "xcm_agent_samples",
            "Successful libvirt samples since the agent started",
            host,
            sample.samplesTotal()));
    snapshots.add(
        hostCounter(
            "xcm_agent_scrape_errors",
            "libvirt reads that failed (whole samples and single domains)",
            host,
            sample.errorsTotal()));
    snapshots.add(
        hostCounter(
            "xcm_agent_stale_requests",
            "Requests refused, nothing done, because their coordinator epoch was older than the"
                + " newest this agent has seen: sent by a coordinator no longer the active one",
            host,
            staleRequests.getAsLong()));

    snapshots.add(
        hostGauge(
            "xcm_host_cpus",
            "Physical CPUs (threads) of the host",
            null,
            host,
            sample.capacity().cpus()));
    snapshots.add(
        hostGauge(
            "xcm_host_memory_bytes",
            "Physical memory of the host",
            Unit.BYTES,
            host,
            sample.capacity().memoryBytes()));
    snapshots.add(
        hostGauge(
            "xcm_host_memory_free_bytes",
            "Free memory of the host; where libvirt cannot tell, total minus the memory of active domains",
            Unit.BYTES,
            host,
            sample.memoryFreeBytes()));
    snapshots.add(
        hostGauge(
            "xcm_host_domains",
            "Domains defined on the host, active or not",
            null,
            host,
            sample.domains().size()));
    snapshots.add(
        hostGauge(
            "xcm_host_active_domains",
            "Domains active (running, paused) on the host",
            null,
            host,
            sample.activeDomains()));
    snapshots.add(
        hostGauge(
            "xcm_host_cpu_utilisation",
            "CPU used by all domains over the last sample interval as a fraction of the host's CPUs (0..1)",
            null,
            host,
            sample.cpuUtilisation()));

    List<Labels> labels = new ArrayList<>(sample.domains().size());
    for (DomainSample domain : sample.domains()) {
      labels.add(Labels.of("domain", domain.name(), "host", sample.host(), "uuid", domain.uuid()));
    }
    for (DomainMetric metric : DOMAIN_GAUGES) {
      snapshots.add(metric.render(sample.domains(), labels));
    }
    for (DomainMetric metric : DOMAIN_COUNTERS) {
      snapshots.add(metric.render(sample.domains(), labels));
    }
    return new MetricSnapshots(snapshots);
  }

  private static CounterSnapshot hostCounter(
      String name, String help, Labels labels, double value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build())
        .build();
  }

  private static GaugeSnapshot hostGauge(
      String name, String help, Unit unit, Labels labels, double value) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    if (unit != null) {
      builder.unit(unit);
    }
    return builder
        .dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build())
        .build();
  }

  /** One per-domain metric family: its name, help, unit and how to read its value. */
  private record DomainMetric(
      String name, String help, Unit unit, boolean counter, ToDoubleFunction<DomainSample> value) {

    MetricSnapshot render(List<DomainSample> domains, List<Labels> labels) {
      if (counter) {
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
          builder.unit(unit);
        }
        for (int i = 0; i < domains.size(); i++) {
          builder.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(labels.get(i))
                  .value(value.applyAsDouble(domains.get(i)))
                  .build());
        }
        return builder.build();
      }
      GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
      if (unit != null) {
        builder.unit(unit);
      }
      for (int i = 0; i < domains.size(); i++) {
        builder.dataPoint(
            GaugeDataPointSnapshot.builder()
                .labels(labels.get(i))
                .value(value.applyAsDouble(domains.get(i)))
                .build());
      }
      return builder.build();
    }
  }

  private static DomainMetric gauge(
      String name, String help, Unit unit, ToDoubleFunction<DomainSample> value) {
    return new DomainMetric(name, help, unit, false, value);
  }

  private static DomainMetric counter(
      String name, String help, Unit unit, ToDoubleFunction<DomainStats> value) {
    return new DomainMetric(name, help, unit, true, d -> value.applyAsDouble(d.stats()));
  }
}
